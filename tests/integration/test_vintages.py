"""Vintages (issue 19): a newer release of observations of the same source supersedes the older one in `trade`
(one value per observation), the older stays with its load date and file, readable as of a date; a file that
repeats observations is refused unless loaded as a revision, and its message names the flag; the same content
under two paths is the same file.

Expected values are read from the test's own CSV files with the csv module, never from Balanza.
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from balanza.cli import main
from etl import record, store
from etl.db import connect_read_only, write_session
from etl.errors import InputError
from etl.load import load_files
from etl.status import coverage_matrix, vintage_summary
from etl.store import copy_database

ROOT = Path(__file__).resolve().parents[2]


def _cp(folder: Path, name: str, values: dict[str, str]) -> Path:
    """A Comtrade+ file of COL exports to Germany in 2019: one row per HS code → primaryValue."""
    corpus = str(ROOT / "tests" / "corpus")
    sys.path.insert(0, corpus)
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(cp_csv([cp_row(cmdCode=code, primaryValue=value) for code, value in values.items()]),
                    encoding="utf-8")  # fmt: skip
    return path


def _written(path: Path) -> dict[str, float]:
    """HS code → value, read from the file itself."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["cmdCode"]: float(row["primaryValue"]) for row in csv.DictReader(handle)}


def _values(
    con: duckdb.DuckDBPyConnection, relation: str = "trade", params: list | None = None
) -> dict[str, float]:
    rows = con.execute(
        f"SELECT hs_code, value_usd FROM {relation} WHERE source = 'comtrade' AND reporter_iso3 = 'COL' "
        "AND partner_iso3 = 'DEU' AND period = '2019' AND hs_code LIKE '09%' ORDER BY hs_code",
        params or [],
    ).fetchall()
    codes = [code for code, _ in rows]
    assert len(codes) == len(set(codes)), f"two values for one observation in {relation}: {rows}"
    return dict(rows)


def _loaded_at(db: Path, path: Path) -> datetime:
    con = connect_read_only(db)
    try:
        (when,) = con.execute(
            "SELECT loaded_at FROM datasets WHERE path = ?", [str(path.resolve())]
        ).fetchone()
    finally:
        con.close()
    return when


def _deu_rows(matrix: pd.DataFrame) -> int:
    """Comtrade rows of Colombia's trade with Germany in a coverage matrix (balanza status)."""
    pick = (
        (matrix["source"] == "comtrade")
        & (matrix["reporter_iso3"] == "COL")
        & (matrix["partner_iso3"] == "DEU")
    )
    return int(matrix[pick]["rows"].sum())


@pytest.fixture()
def db(small_bundle_db: Path, tmp_path: Path) -> Path:
    return copy_database(small_bundle_db, tmp_path / "balanza.duckdb")


def test_a_repeating_file_is_refused_and_the_message_names_the_revision_flag(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _cp(tmp_path / "a", "first.csv", {"0901": "1000.5", "0902": "2000.25"})
    second = _cp(tmp_path / "b", "second.csv", {"0901": "1100.5", "0903": "300"})
    assert main(["load", str(first), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["load", str(second), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "already loaded from" in err and "first.csv" in err
    assert "--revision" in err and "what to do:" in err
    con = connect_read_only(db)
    assert _values(con) == _written(first)  # nothing changed
    con.close()


def test_a_revision_supersedes_the_older_vintage_which_stays_readable_as_of_its_date(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _cp(tmp_path / "a", "first.csv", {"0901": "1000.5", "0902": "2000.25"})
    second = _cp(tmp_path / "b", "second.csv", {"0901": "1100.5", "0903": "300"})
    base = _deu_rows(coverage_matrix(db))  # the bundled comtrade rows of COL exports to Germany
    load_files(db, [first])
    assert main(["load", "--revision", str(second), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "a newer vintage of 1 observations loaded earlier from" in out and "first.csv" in out
    revised_at = _loaded_at(db, second)
    assert revised_at > _loaded_at(db, first)

    current = {**_written(first), **_written(second)}  # the newer release wins where both hold an observation
    con = connect_read_only(db)
    try:
        assert _values(con) == current
        # the series of record reads the one current value (etl/record.py still chooses between sources only)
        frame = record.query_record(con, reporter="COL", partners=["DEU"], flows=("export",), hs_code="0901",
                                    years=[2019])  # fmt: skip
        assert list(frame["value_usd"]) == [current["0901"]]
        # every vintage, with its load date and the dataset that superseded it
        vintages = con.execute(
            "SELECT v.value_usd, v.loaded_at, d.path, v.superseded_at FROM trade_vintages v "
            "JOIN datasets d USING (dataset_id) WHERE v.source = 'comtrade' AND v.partner_iso3 = 'DEU' "
            "AND v.hs_code = '0901' ORDER BY v.loaded_at"
        ).fetchall()
        assert [row[0] for row in vintages] == [_written(first)["0901"], _written(second)["0901"]]
        assert vintages[0][2].endswith("first.csv") and vintages[1][2].endswith("second.csv")
        assert vintages[0][3] == revised_at and vintages[1][3] is None
        # as of a time between the two loads: the first release, whole; before both: nothing
        between = revised_at - timedelta(microseconds=1)
        assert _values(con, "trade_as_of(?)", [between]) == _written(first)
        assert _values(con, "trade_as_of(?)", [_loaded_at(db, first) - timedelta(seconds=1)]) == {}
        assert _values(con, "trade_as_of(?)", [revised_at]) == current
        # trade_totals (the copy of the all-goods rows) is built from the current vintage only
        assert con.execute("SELECT count(*) FROM trade_totals").fetchone()[0] == con.execute(
            "SELECT count(*) FROM trade WHERE hs_code = 'TOTAL'").fetchone()[0]  # fmt: skip
    finally:
        con.close()
    # balanza status --as-of: the rows as they were
    assert _deu_rows(coverage_matrix(db)) - base == len(current)
    assert _deu_rows(coverage_matrix(db, as_of=between)) - base == len(_written(first))
    summary = vintage_summary(db)
    assert summary.superseded == 1 and summary.revisions[0][0].endswith("second.csv")
    assert vintage_summary(db, as_of=between).superseded == 0


def test_status_as_of_on_the_command_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _cp(tmp_path / "a", "first.csv", {"0901": "1000.5"})
    load_files(db, [first])
    load_files(db, [_cp(tmp_path / "b", "second.csv", {"0901": "1100.5"})], revision=True)
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "1 revision(s) superseded 1 rows" in out and "second.csv" in out
    yesterday = (_loaded_at(db, first) - timedelta(days=1)).strftime("%Y-%m-%d")
    assert main(["status", "--db", str(db), "--as-of", yesterday]) == 0
    out = capsys.readouterr().out
    assert "the database holds no trade rows" in out
    assert f"as of {yesterday} 23:59:59 UTC: no trade files were loaded by then" in out
    with pytest.raises(SystemExit):
        main(["status", "--db", str(db), "--as-of", "last week"])
    assert "is not a date like 2026-01-01" in capsys.readouterr().err


def test_a_new_version_of_a_revision_under_its_path_stays_a_revision(db: Path, tmp_path: Path) -> None:
    first = _cp(tmp_path / "a", "first.csv", {"0901": "1000.5", "0902": "2000.25"})
    second = _cp(tmp_path / "b", "second.csv", {"0901": "1100.5"})
    load_files(db, [first])
    load_files(db, [second], revision=True)
    _cp(tmp_path / "b", "second.csv", {"0901": "1200.5", "0902": "2100"})  # the revision corrected in place
    (result,) = load_files(db, [second])  # no flag: the file under that path is a revision
    assert result.status == "replaced"
    con = connect_read_only(db)
    try:
        assert _values(con) == _written(second)
        assert _values(
            con, "trade_as_of(?)", [_loaded_at(db, second) - timedelta(microseconds=1)]
        ) == _written(first)
    finally:
        con.close()


def test_replacing_the_newest_vintage_hands_its_rows_back_to_the_next_one(db: Path, tmp_path: Path) -> None:
    """A, then B and C as revisions: replacing B (a new version under its path without the observation)
    leaves C as the current value and A superseded by C; removing C's rows brings A's back."""
    a = _cp(tmp_path / "a", "a.csv", {"0901": "1", "0902": "2"})
    b = _cp(tmp_path / "b", "b.csv", {"0901": "10", "0902": "20"})
    c = _cp(tmp_path / "c", "c.csv", {"0901": "100"})
    load_files(db, [a])
    load_files(db, [b], revision=True)
    load_files(db, [c], revision=True)
    _cp(tmp_path / "b", "b.csv", {"0903": "30"})  # B's new version no longer holds 0901 nor 0902
    load_files(db, [b])
    con = connect_read_only(db)
    try:
        assert _values(con) == {"0901": 100.0, "0902": 2.0, "0903": 30.0}
    finally:
        con.close()
    with write_session(db) as con:
        store.delete_rows(
            con, "source = 'comtrade' AND partner_iso3 = 'DEU' AND hs_code = '0901' AND value_usd = 100"
        )
    con = connect_read_only(db)
    try:
        assert _values(con) == {"0901": 1.0, "0902": 2.0, "0903": 30.0}
    finally:
        con.close()


def test_the_same_content_under_two_paths_is_the_same_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _cp(tmp_path / "a", "first.csv", {"0901": "1000.5"})
    copy = tmp_path / "elsewhere" / "copy.csv"
    copy.parent.mkdir()
    copy.write_bytes(first.read_bytes())
    load_files(db, [first])
    capsys.readouterr()
    assert main(["load", str(copy), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "it is the same file as" in err and "first.csv" in err and "what to do:" in err
    with pytest.raises(InputError, match="it is the same file as"):
        load_files(db, [copy])
    # a reference file (no trade rows, no overlap check) is the same file too
    countries = ROOT / "data" / "raw" / "reference" / "country-codes" / "country-codes.csv"
    twin = tmp_path / "countries-copy.csv"
    twin.write_bytes(countries.read_bytes())
    with pytest.raises(InputError, match="it is the same file as"):
        load_files(db, [twin])
    # as a revision it is no newer release: nothing to do, said so
    (result,) = load_files(db, [copy], revision=True)
    assert result.status == "unchanged" and "not a newer release" in result.notes[0]


def test_the_dashboard_shows_each_files_vintage_and_load_date(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    first = _cp(tmp_path / "a", "first.csv", {"0901": "1000.5", "0902": "2000.25"})
    second = _cp(tmp_path / "b", "second.csv", {"0901": "1100.5"})
    load_files(db, [first])
    load_files(db, [second], revision=True)
    monkeypatch.setenv("BALANZA_DB", str(db))
    app = ROOT / "dashboard" / "streamlit_app.py"

    at = AppTest.from_file(str(app), default_timeout=60)
    at.switch_page("app_pages/coverage.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    datasets = next(frame.value for frame in at.dataframe if "Vintage" in frame.value.columns)
    assert {
        "Loaded at (UTC)",
        "Revises (rows of earlier releases)",
        "Superseded (rows a later release replaced)",
    } <= set(datasets.columns)
    revisions = datasets[datasets["Vintage"] == "revision"]
    assert len(revisions) == 1 and int(revisions["Revises (rows of earlier releases)"].iloc[0]) == 1
    assert int(datasets["Superseded (rows a later release replaced)"].sum()) == 1

    at = AppTest.from_file(str(app), default_timeout=60)
    for key, value in {
        "source": "comtrade",
        "reporter": "COL",
        "partner": "DEU",
        "flow": "export",
        "level": "4",
    }.items():
        at.query_params[key] = value
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes
    assert (
        "Loaded from:" in captions and "second.csv" in captions and "(a revision: newer release)" in captions
    )
    assert "first.csv" in captions  # 0902 still comes from the first release
