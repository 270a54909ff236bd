"""Hostile input, round two (issue 19), for the cases a fixed corpus file cannot hold: periods relative to today,
next year's provisional figures, 100,000 columns, terminal escape sequences in a file name, and the line of a bad
field after quoted line breaks in every CSV format. Each is refused by name (file, line, column, what to do; exit 1,
no traceback, the database unchanged) or loads exactly what it holds."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from balanza.cli import main
from etl.errors import InputError
from etl.load import load_files
from etl.manifest import FileMetadata
from etl.sources.base import MAX_RECORD_BYTES
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


def test_thousands_separators_in_the_dbnomics_rows_are_read_exactly(scratch_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "dbnomics.csv"
    path.write_text('ref_area,indicator,counterpart,year,value\nUY,TXG_FOB_USD,DE,1999,"1,830.91"\n'
                    'UY,TMG_CIF_USD,DE,1999,"2,512.25"\n')  # fmt: skip
    [result] = load_files(scratch_db, [path])
    con = duckdb.connect(str(scratch_db), read_only=True)
    values = con.execute("SELECT flow, value_usd FROM trade t JOIN datasets d USING (dataset_id) WHERE d.path LIKE "
                         "'%dbnomics.csv' ORDER BY flow").fetchall()  # fmt: skip
    con.close()
    assert result.rows == 2 and [flow for flow, _ in values] == ["export", "import"]
    assert [value for _, value in values] == pytest.approx([1830.91e6, 2512.25e6], rel=1e-12)


# ---- bounds on the shape of a file ------------------------------------------------------------------------------


def test_a_header_of_100000_columns_is_refused_by_name(corpus_db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "wide.csv"
    names = [*MINIMAL.split(","), *(f"x{i}" for i in range(100_000 - 7))]
    path.write_text(",".join(names) + "\n" + ",".join(["1999", "1999", "170", "276", "X", "TOTAL", "5"]
                                                      + ["1"] * (100_000 - 7)) + "\n")  # fmt: skip
    err = refused(corpus_db, path, capsys)
    assert f"{path}, line 1: the header has 100,000 columns, more than the 1,000-column bound" in err


WIDE_RECORDS = {  # a header, a good record, then the start of a record that 100,000 more fields follow
    "comtrade-plus": f"{MINIMAL}\n1999,1999,170,276,X,TOTAL,5\n1999,1999,170,156,X,TOTAL,5",
    "legacy": "Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n"
    "1999,1999,Export,170,276,TOTAL,5\n1999,1999,Export,170,156,TOTAL,5",
    "census-totals": "us_partner_iso3,year,us_exports_usd_million,us_imports_usd_million\nDEU,1999,1.5,2.5\n"
    "CHN,1999,1.5,2.5",
    "dian": f"{DIAN}\n2019-01,Alemania,5.0,1.0\n2019-02,Alemania,5.0,1.0",
    "published": "year,reporter_iso3,partner_iso3,flow,value_usd,valuation,publisher,url,quote\n"
    "1999,COL,DEU,export,1,FOB,DANE,u,q\n1999,COL,CHN,export,1,FOB,DANE,u,q",
}


@pytest.mark.parametrize("name", WIDE_RECORDS)
def test_a_record_far_wider_than_its_header_is_refused_at_once(
    name: str, corpus_db: Path, tmp_path: Path, capsys
) -> None:
    """A record of 100,000 fields past its header's: DuckDB's reader kept one reject, with the record's text, per
    extra field (the Comtrade+ one ran over 10 minutes at 3 GB before it was killed; legacy ran out of memory)."""
    path = tmp_path / f"wide_record_{name}.csv"
    path.write_text(WIDE_RECORDS[name] + ",9" * 100_000 + "\n")
    err = refused(corpus_db, path, capsys)
    assert f"{path}, line 3: a line is longer than {MAX_RECORD_BYTES:,} bytes" in err


def test_a_record_wider_than_its_header_within_the_bound_is_named(
    corpus_db: Path, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "wide_record.csv"
    path.write_text(WIDE_RECORDS["comtrade-plus"] + ",9" * 4_000 + "\n")
    assert f"{path}, line 3: too many fields" in refused(corpus_db, path, capsys)


def test_a_json_record_of_100000_fields_is_refused_by_name(corpus_db: Path, tmp_path: Path, capsys) -> None:
    record = dict.fromkeys((f"field{i}" for i in range(100_000)), 1) | {
        "refYear": 1999, "period": "1999", "reporterCode": 170, "partnerCode": 276, "flowCode": "X",
        "cmdCode": "TOTAL", "primaryValue": 5}  # fmt: skip
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"count": 1, "data": [record]}))
    assert "a record of 'data' has 100,007 fields" in refused(corpus_db, path, capsys)


def test_a_sheet_with_cells_beyond_the_column_bound_is_refused(
    corpus_db: Path, tmp_path: Path, capsys
) -> None:
    workbook = Workbook()
    workbook.active.append(MINIMAL.split(","))
    workbook.active.append([1999, "1999", 170, 276, "X", "TOTAL", 5])
    workbook.active.cell(row=2, column=5_000, value="far away")
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    assert "has cells beyond column 1,000" in refused(corpus_db, path, capsys)


# ---- what is printed --------------------------------------------------------------------------------------------

HOSTILE_NAME = "bad\x1b[31mred\x1b]0;pwned\x07\u202egnp\r.csv"


def test_escape_sequences_in_a_file_name_are_never_printed_raw(
    corpus_db: Path, tmp_path: Path, capsys
) -> None:
    path = tmp_path / HOSTILE_NAME
    path.write_text(f"{MINIMAL}\n1999,1999,170,\x1b[2J77,X,TOTAL,5\n")
    err = refused(corpus_db, path, capsys)
    assert not any(char in err for char in "\x1b\x07\u202e\r"), repr(err)
    assert "bad\\x1b[31mred\\x1b]0;pwned\\x07\\u202egnp\\x0d.csv, line 2, column partnerCode" in err


def test_a_loaded_file_with_escape_sequences_in_its_name_is_echoed_escaped(scratch_db: Path, tmp_path: Path,
                                                                           capsys) -> None:  # fmt: skip
    path = tmp_path / HOSTILE_NAME
    path.write_text(f"{MINIMAL}\n1999,1999,170,276,X,TOTAL,5\n")
    assert main(["load", str(path), "--db", str(scratch_db)]) == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in "\x1b\x07\u202e\r"), repr(out)
    assert "gnp\\x0d.csv: loaded 1 rows into trade" in out


def test_a_file_name_that_is_not_utf8_is_printed_not_a_crash(corpus_db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / os.fsdecode(b"caf\xe9.csv")  # Latin-1 bytes: not UTF-8
    path.write_text(f"{MINIMAL}\n1999,1999,170,77777,X,TOTAL,5\n")
    err = refused(corpus_db, path, capsys)
    assert "caf\\xe9.csv: the file name is not valid UTF-8 text" in err


# ---- quoted line breaks: the line of the bad field, in every CSV format -------------------------------------------

BREAKS = [
    # the bad field starts a record whose description runs over the next lines (the row's last line was named)
    ("comtrade_plus.csv", f"{MINIMAL},cmdDesc\n1999,1999,170,276,X,TOTAL,5,\"two\nlines\"\n"
     "1999,1999,170,@,X,0902,5,\"a\nb\nc\"\n", "77777", "partnerCode"),
    ("legacy.csv", "Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$),Commodity\n"
     "1999,1999,Export,170,276,0901,5,\"Coffee,\nnot roasted\"\n1999,1999,Export,170,@,0902,5,\"Tea,\ngreen\"\n",
     "77777", "Partner Code"),
    ("dian.csv", f"{DIAN},note\n2019-01,Alemania,5.0,1.0,\"a\nb\"\n2019-02,Alemania,5.0,1.0,\"c\nd\"\n2019-03,@,5.0,1.0,x\n",
     "Atlantis", "destination"),
    ("totals.csv", "us_partner_iso3,year,us_exports_usd_million,us_imports_usd_million,note\n"
     "DEU,2019,1.5,2.5,\"a\nb\nc\"\n@,2019,1.5,2.5,x\n", "XYZ", "us_partner_iso3"),
    ("edges.csv", "exporter,importer,year,value_usd\nCOL,DEU,2019,5\n\n\nCOL,\"@\",2019,5\n", "Z\nZZ", "importer"),
    ("published.csv", "quote,year,reporter_iso3,partner_iso3,flow,value_usd,valuation,publisher,url\n"
     "\"a\nb\",2019,COL,DEU,export,1,FOB,DANE,u\n\"c\nd\",2019,COL,@,export,1,FOB,DANE,u\n", "ZZZ", "partner_iso3"),
    ("dane.csv", f"{DANE},nota\n276,DEU,Alemania,1979,TOTAL,1000,\"a\nb\"\n999,@,\"Atlan\ntis\",1979,TOTAL,5,x\n",
     "ATL", "codigo iso3"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "bad", "column"), BREAKS, ids=[case[0] for case in BREAKS])
def test_the_line_named_is_the_line_of_the_bad_field(
    name: str, content: str, bad: str, column: str, corpus_db: Path, tmp_path: Path, capsys
) -> None:
    path = tmp_path / name
    text = content.replace("@", bad)
    path.write_text(text)
    line = text[: text.index(bad)].count("\n") + 1  # counted on the text written, not by the code under test
    if name == "dane.csv":
        options = {"data_through": "1979-12"}
        with pytest.raises(InputError) as caught:
            load_files(corpus_db, [path], metadata=[FileMetadata(options=options)])
        assert (caught.value.line, caught.value.column) == (line, column), str(caught.value)
        return
    err = refused(corpus_db, path, capsys)
    assert f"{path}, line {line}, column {column}:" in err, err
