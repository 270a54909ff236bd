"""`balanza load`: formats from content, idempotence, replacement, and the Comtrade double-counting traps."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from balanza.cli import main
from etl import settings, store
from etl.db import write_session

RAW = settings.DATA_DIR / "raw"


@pytest.fixture()
def db(scratch_db: Path) -> Path:
    return scratch_db


def _rows(db: Path, where: str = "TRUE", params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT * FROM trade WHERE {where} ORDER BY ALL", params or []).fetchall()
    finally:
        con.close()


def test_comtrade_breakdowns_and_repeats_are_not_summed(db: Path, tmp_path: Path, capsys) -> None:
    """The JhRA9 file holds each year's total, its transport-mode breakdown, and a repeated total row."""
    # Remove the bundled coffee rows first so the same observations can come from this file.
    bundled = RAW / "comtrade-plus-colombia-usa" / "5arSanti_comtrade_db_exportaciones_cafe_col_usa.csv"
    header = bundled.read_text().splitlines()[0]
    replacement = tmp_path / "empty.csv"
    replacement.write_text(header + "\n")
    with write_session(db) as con:
        store.delete_rows(con, "source = 'comtrade'")
    source = RAW / "comtrade-plus-colombia-usa" / "JhRA9_comtrade_db_exportaciones_cafe_col_usa.csv"
    assert main(["load", str(source), "--db", str(db)]) == 0
    values = dict(
        (year, value)
        for year, value in duckdb.connect(str(db), read_only=True)
        .execute("SELECT year, value_usd FROM trade WHERE source = 'comtrade' AND hs_code = '0901'")
        .fetchall()
    )
    assert values == {2021: pytest.approx(1_334_162_658.44), 2022: pytest.approx(1_780_554_416.79)}


def test_same_file_twice_changes_nothing(db: Path, capsys) -> None:
    path = RAW / "comtrade-api-json" / "data_v1_get_C_A_HS-60a6ad.json"
    assert main(["load", str(path), "--db", str(db)]) == 0
    first = _rows(db)
    assert main(["load", str(path), "--db", str(db)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert _rows(db) == first
    china = _rows(
        db, "reporter_iso3 = 'CHN' AND partner_iso3 = 'ARG' AND flow = 'import' AND source = 'comtrade'"
    )
    assert len(china) == 1 and china[0][7] == pytest.approx(6_804_128_143)


def test_changed_file_replaces_its_rows(db: Path, tmp_path: Path) -> None:
    original = RAW / "comtrade-api-json" / "data_v1_get_C_A_HS-60a6ad.json"
    path = tmp_path / "api.json"
    shutil.copyfile(original, path)
    assert main(["load", str(path), "--db", str(db)]) == 0
    text = path.read_text().replace("6804128143", "6804128999")
    path.write_text(text)
    assert main(["load", str(path), "--db", str(db)]) == 0
    # the file: China with Argentina and Germany (the bundle also holds China-reported trade with Brazil, …)
    values = _rows(db, "source = 'comtrade' AND reporter_iso3 = 'CHN' AND partner_iso3 IN ('ARG', 'DEU')")
    assert len(values) == 4
    assert any(row[7] == pytest.approx(6_804_128_999) for row in values)
    con = duckdb.connect(str(db), read_only=True)
    assert (
        con.execute("SELECT count(*) FROM datasets WHERE path = ?", [str(path.resolve())]).fetchone()[0] == 1
    )


def test_legacy_format_with_words_for_flows(db: Path) -> None:
    path = RAW / "comtrade-legacy-cement" / "comtrade.csv"
    assert main(["load", str(path), "--db", str(db)]) == 0
    colombia = _rows(db, "source = 'comtrade' AND reporter_iso3 = 'COL' AND year = 1991 AND flow = 'export'")
    assert len(colombia) == 1 and colombia[0][7] == 20_725_536
    # Trade Flow Code is 0 throughout; flows came from the words. Customs/transport breakdowns dropped:
    con = duckdb.connect(str(db), read_only=True)
    azerbaijan_2015 = con.execute(
        "SELECT value_usd FROM trade WHERE source = 'comtrade' AND reporter_iso3 = 'AZE' AND year = 2015 AND flow = 'import'"
    ).fetchall()
    assert azerbaijan_2015 == [(4_784_443.0,)]  # C00/mode 0 only; C01 and modes 2100/3100 dropped


def test_comtrade_xlsx(db: Path, tmp_path: Path) -> None:
    with write_session(db) as con:
        store.delete_rows(con, "source = 'comtrade'")
    path = RAW / "comtrade-plus-colombia-usa" / "5arSanti_exportaciones_cafe_col_usa.xlsx"
    assert main(["load", str(path), "--db", str(db)]) == 0
    rows = _rows(db, "source = 'comtrade'")
    assert [(r[0], r[7]) for r in rows] == [
        (2021, pytest.approx(1_334_162_658.44)),
        (2022, pytest.approx(1_780_554_416.79)),
    ]


def test_several_files_in_one_transaction(db: Path, tmp_path: Path, capsys) -> None:
    good = RAW / "comtrade-api-json" / "data_v1_get_C_A_HS-60a6ad.json"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "refYear,period,reporterCode,partnerCode,flowCode,cmdCode,primaryValue\n2020,2020,170,999999,X,TOTAL,5\n"
    )
    before = _rows(db)
    assert main(["load", str(good), str(bad), "--db", str(db)]) == 1
    assert _rows(db) == before  # the good file was not kept either
