"""Hostile input, round two (issue 19), for the cases a fixed corpus file cannot hold: periods relative to today and
next year's provisional figures. Each is refused by name (file, line, column, what to do; exit 1, no traceback, the
database unchanged) or loads exactly what it holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from balanza.cli import main
from etl.errors import InputError
from etl.load import load_files
from etl.manifest import FileMetadata
from tests.dbstate import snapshot

TODAY = date.today()
MINIMAL = "refYear,period,reporterCode,partnerCode,flowCode,cmdCode,primaryValue"
DANE = "codigo pais m49,codigo iso3,pais origen,anio,capitulo,valor dolares cif"
DIAN = "month,destination,fob_usd_million,net_weight_thousand_tonnes"


def refused(db: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Load through the command line; the refusal's text (exit 1, no traceback, database unchanged)."""
    before = snapshot(db)
    assert main(["load", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "what to do:" in err and "Traceback" not in err and "unexpected error" not in err, err
    assert snapshot(db) == before
    return err


def next_month() -> tuple[int, int]:
    return (TODAY.year + 1, 1) if TODAY.month == 12 else (TODAY.year, TODAY.month + 1)


# ---- periods after today ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "line", "column"),
    [
        ("next_year.csv", f"{MINIMAL}\n1999,1999,170,276,X,TOTAL,5\n{TODAY.year + 1},{TODAY.year + 1},170,276,X,TOTAL,5\n",
         3, "refYear"),
        ("next_year_legacy.csv", "Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n"
         f"{TODAY.year + 1},{TODAY.year + 1},Export,170,276,TOTAL,5\n", 2, "Year"),
        ("next_year_totals.csv", "us_partner_iso3,year,us_exports_usd_million,us_imports_usd_million\n"
         f"DEU,{TODAY.year + 1},1.5,2.5\n", 2, "year"),
        ("next_year_edges.csv", f"exporter,importer,year,value_usd\nCOL,DEU,{TODAY.year + 1},5\n", 2, "year"),
        ("next_year_published.csv", "year,reporter_iso3,partner_iso3,flow,value_usd,valuation,publisher,url,quote\n"
         f"{TODAY.year + 1},COL,DEU,total_trade,1,FOB,DANE,u,q\n", 2, "year"),
    ],
    ids=["comtrade-plus", "legacy", "census-totals", "export-edges", "published-total-trade"],
)  # fmt: skip
def test_a_year_after_the_current_one_is_refused(
    name: str, content: str, line: int, column: str, corpus_db: Path, tmp_path: Path, capsys
) -> None:
    path = tmp_path / name
    path.write_text(content)
    err = refused(corpus_db, path, capsys)
    assert (
        f"{path}, line {line}, column {column}: year {TODAY.year + 1} is after the current year ({TODAY.year})"
        in err
    )


def test_a_month_after_the_current_one_is_refused(corpus_db: Path, tmp_path: Path, capsys) -> None:
    year, month = next_month()
    path = tmp_path / "dian_next_month.csv"
    path.write_text(f"{DIAN}\n2019-01,Alemania,5.0,1.0\n{year}-{month:02d},Alemania,5.0,1.0\n")
    err = refused(corpus_db, path, capsys)
    assert f"{path}, line 3, column month:" in err and "no statistics exist for it yet" in err


def test_the_current_month_loads(scratch_db: Path, tmp_path: Path) -> None:
    """The bound is today, not a fixed year: this month's figures (a first estimate) are not in the future."""
    path = tmp_path / "dian_this_month.csv"
    path.write_text(f"{DIAN}\n{TODAY.year}-{TODAY.month:02d},Alemania,5.0,1.0\n")
    [result] = load_files(scratch_db, [path])
    assert result.rows == 1


def _dane(tmp_path: Path, year: int) -> Path:
    path = tmp_path / f"dane_{year}.csv"
    path.write_text(f"{DANE}\n276,DEU,Alemania,1979,TOTAL,1000\n276,DEU,Alemania,{year},TOTAL,2500.5\n")
    return path


def test_next_year_loads_only_where_the_publisher_marks_it_provisional(
    scratch_db: Path, tmp_path: Path
) -> None:
    following = TODAY.year + 1
    path = _dane(tmp_path, following)
    through = {"data_through": f"{following}-12"}
    before = snapshot(scratch_db)
    with pytest.raises(InputError) as caught:
        load_files(scratch_db, [path], metadata=[FileMetadata(options=through)])
    assert caught.value.line == 3 and caught.value.column == "anio"
    assert f"year {following} is after the current year" in caught.value.message
    assert snapshot(scratch_db) == before

    marked = dict(through, provisional_years=[following])
    [result] = load_files(scratch_db, [path], metadata=[FileMetadata(options=marked)])
    assert result.rows == 2
    con = duckdb.connect(str(scratch_db), read_only=True)
    rows = con.execute("SELECT year, value_usd FROM trade WHERE source = 'dane_imports' AND partner_iso3 = 'DEU' "
                       "AND hs_code = 'TOTAL' AND year IN (1979, ?) ORDER BY year", [following]).fetchall()  # fmt: skip
    con.close()
    assert rows == [(1979, 1000.0), (following, 2500.5)]


def test_two_years_ahead_is_refused_even_when_marked_provisional(scratch_db: Path, tmp_path: Path) -> None:
    ahead = TODAY.year + 2
    options = {"data_through": f"{ahead}-12", "provisional_years": [ahead]}
    with pytest.raises(InputError) as caught:
        load_files(scratch_db, [_dane(tmp_path, ahead)], metadata=[FileMetadata(options=options)])
    assert f"year {ahead} is after next year ({TODAY.year + 1})" in caught.value.message
