"""Malformed and hostile files: each is refused with the file, line and column named, and the database
is left exactly as it was (row counts and a checksum of every trade row)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from balanza.cli import main
from etl import settings
from tests.dbstate import snapshot

RAW = settings.DATA_DIR / "raw"
COMTRADE_HEADER = (
    (RAW / "comtrade-plus-colombia-usa" / "5arSanti_comtrade_db_exportaciones_cafe_col_usa.csv")
    .read_text(encoding="utf-8")
    .splitlines()[0]
)
COMTRADE_ROW = (
    (RAW / "comtrade-plus-colombia-usa" / "5arSanti_comtrade_db_exportaciones_cafe_col_usa.csv")
    .read_text(encoding="utf-8")
    .splitlines()[1]
)
MINIMAL_HEADER = "refYear,period,reporterCode,partnerCode,flowCode,cmdCode,primaryValue"


def comtrade(*rows: str, header: str = MINIMAL_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    content: bytes | Callable[[], bytes]
    message: str  # a fragment the error must contain
    line: int | None = None
    column: str | None = None


API_DOC = json.loads((RAW / "comtrade-api-json" / "data_v1_get_C_A_HS-60a6ad.json").read_text())

CASES = [
    Case("empty file", "empty.csv", b"", "file is empty", line=1),
    Case("whitespace only", "blank.csv", b"  \n\n \n", "file is empty", line=1),
    Case("binary junk named .csv", "junk.csv", bytes(range(256)) * 4, "binary content", line=1),
    # UTF-16 is read for the Comtrade formats (Excel's "Unicode text"); the other readers refuse it by name.
    Case("utf-16 file", "utf16.csv",
         "month,destination,fob_usd_million,net_weight_thousand_tonnes\n2024-01,China,5.0,1.0\n".encode("utf-16"),
         "UTF-16"),
    Case("unknown header", "other.csv", b"foo,bar,baz\n1,2,3\n", "unrecognised format", line=1),
    Case("missing primaryValue column", "missing.csv",
         b"refYear,period,reporterCode,partnerCode,flowCode,cmdCode,cifvalue\n2020,2020,170,842,X,TOTAL,5\n",
         "unrecognised format", line=1),
    Case("missing partnerCode column", "nopartner.csv",
         b"refYear,period,reporterCode,flowCode,cmdCode,primaryValue\n2020,2020,170,X,TOTAL,5\n",
         "missing column 'partnerCode'", line=1, column="partnerCode"),
    Case("duplicated header", "duphdr.csv",
         comtrade("2020,2020,170,842,X,TOTAL,5,6", header=MINIMAL_HEADER + ",primaryValue"),
         "duplicated column header", line=1),
    Case("text in value column", "textvalue.csv",
         comtrade("2020,2020,170,842,X,TOTAL,5", "2020,2020,170,156,X,TOTAL,lots"),
         "not of the expected type", line=3, column="primaryValue"),
    Case("text in year column", "textyear.csv", comtrade("20x0,2020,170,842,X,TOTAL,5"),
         "not of the expected type", line=2, column="refYear"),
    Case("unknown partner code", "partner.csv",
         comtrade("2020,2020,170,842,X,TOTAL,5", "2020,2020,170,999999,X,TOTAL,7"),
         "unknown partner code '999999'", line=3, column="partnerCode"),
    Case("unknown reporter code", "reporter.csv", comtrade("2020,2020,123456,842,X,TOTAL,5"),
         "unknown reporter code '123456'", line=2, column="reporterCode"),
    Case("negative value", "negative.csv", comtrade("2020,2020,170,842,X,TOTAL,5", "2020,2020,170,156,X,TOTAL,-3"),
         "negative trade value", line=3, column="primaryValue"),
    # between -1 and 0: a check written "value < -1" or "round(value) < 0" would let it through
    Case("negative value above -1", "cents.csv", comtrade("2020,2020,170,842,X,TOTAL,5", "2020,2020,170,156,X,TOTAL,-0.4"),
         "negative trade value -0.40", line=3, column="primaryValue"),
    Case("NaN value", "nan.csv", comtrade("2020,2020,170,842,X,TOTAL,nan"),
         "not a finite number", line=2, column="primaryValue"),
    Case("infinite value", "inf.csv", comtrade("2020,2020,170,842,X,TOTAL,inf"),
         "not a finite number", line=2, column="primaryValue"),
    Case("empty value", "emptyvalue.csv", comtrade("2020,2020,170,842,X,TOTAL,"),
         "missing or not a finite number", line=2, column="primaryValue"),
    Case("implausible year", "year.csv", comtrade("1776,1776,170,842,X,TOTAL,5"),
         "implausible year", line=2, column="refYear"),
    Case("bad HS code", "hs.csv", comtrade("2020,2020,170,842,X,09A1,5"), "invalid HS code", line=2, column="cmdCode"),
    Case("odd-length HS code", "hs3.csv", comtrade("2020,2020,170,842,X,090,5"), "invalid HS code", line=2,
         column="cmdCode"),
    Case("conflicting duplicate rows", "dups.csv",
         comtrade("2020,2020,170,842,X,TOTAL,5", "2020,2020,170,842,X,TOTAL,6"),
         "conflicting duplicate rows", line=3),
    Case("too many fields on a row", "wide.csv", comtrade("2020,2020,170,842,X,TOTAL,5,9,9"),
         "too many fields", line=2),
    Case("truncated JSON", "cut.json", json.dumps(API_DOC).encode()[:500], "invalid or truncated JSON", line=1),
    Case("JSON error body", "err.json", json.dumps({"count": 0, "data": [], "error": "Rate limit exceeded"}).encode(),
         "carries an error"),
    Case("JSON count mismatch", "count.json", json.dumps(dict(API_DOC, count=9)).encode(), "'count' says 9"),
    Case("JSON of another kind", "other.json", b'{"hello": "world"}', "unrecognised format"),
    Case("JSON text in a value", "textjson.json",
         json.dumps(dict(API_DOC, data=[dict(API_DOC["data"][0], primaryValue="n/a")], count=1)).encode(),
         "not a number", column="primaryValue"),
    Case("not really xlsx", "fake.xlsx", b"PK\x03\x04" + b"\x00" * 200, "not a readable XLSX"),
    Case("not really parquet", "fake.parquet", b"PAR1" + b"garbage" * 20, "unreadable Parquet"),
    Case("DIAN bad month", "dian.csv",
         b"month,destination,fob_usd_million,net_weight_thousand_tonnes\n2024-13,China,5.0,1.0\n",
         "is not YYYY-MM", line=2, column="month"),
    Case("DIAN unknown destination", "dian2.csv",
         b"month,destination,fob_usd_million,net_weight_thousand_tonnes\n2024-01,China,5.0,1.0\n2024-01,Atlantis,5.0,1.0\n",
         "unknown partner code 'Atlantis'", line=3, column="destination"),
    Case("published unknown flow", "pub.csv",
         b'year,reporter_iso3,partner_iso3,flow,value_usd,valuation,publisher,url,quote\n'
         b'2024,COL,CHN,export,1,FOB,X,u,q\n2024,COL,CHN,smuggling,1,FOB,X,u,q\n',
         "unknown flow 'smuggling'", line=3, column="flow"),
    Case("Latin-1 text with an unknown code", "latin1.csv",
         (MINIMAL_HEADER + ",cmdDesc\n2020,2020,170,842,X,TOTAL,5,Café\n2020,2020,170,77777,X,TOTAL,5,Café\n").encode("latin-1"),
         "unknown partner code '77777'", line=3, column="partnerCode"),
    Case("CRLF, BOM and an unknown code", "crlf.csv",
         b"\xef\xbb\xbf" + comtrade("2020,2020,170,842,X,TOTAL,5", "2020,2020,170,88888,X,TOTAL,5").replace(b"\n", b"\r\n"),
         "unknown partner code '88888'", line=3, column="partnerCode"),
]  # fmt: skip


def test_corpus_has_at_least_thirty_distinct_cases() -> None:
    assert len({case.name for case in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_refused_and_nothing_changes(
    case: Case, corpus_db: Path, corpus_state: dict[str, tuple], tmp_path: Path, capsys
) -> None:
    path = tmp_path / case.filename
    content = case.content() if callable(case.content) else case.content
    path.write_bytes(content)
    assert main(["load", str(path), "--db", str(corpus_db)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err or case.filename in err
    assert case.message in err, err
    if case.line is not None:
        assert f"line {case.line}" in err, err
    if case.column is not None:
        assert f"column {case.column}" in err, err
    assert "what to do:" in err
    assert snapshot(corpus_db) == corpus_state


def test_good_file_after_bad_one_still_loads(corpus_db: Path, tmp_path: Path) -> None:
    """Refusals leave no lock, temp file or half state behind."""
    good = tmp_path / "good.csv"
    good.write_bytes(comtrade("1999,1999,170,276,X,TOTAL,5"))  # an observation no bundled file holds
    assert main(["load", str(good), "--db", str(corpus_db)]) == 0
    assert not list(corpus_db.parent.glob("*.tmp-write*"))
