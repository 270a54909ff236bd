"""China Customs 2024 by country: rows identified by value, converted at the published rate; expected values read
here from the raw file (lines named in its PROVENANCE.md) and the rate file with the csv module."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import duckdb
import pytest

from etl import settings, store
from etl.db import write_session
from etl.errors import InputError
from etl.load import FileMetadata, load_files
from tests.dbstate import snapshot

RAW = settings.DATA_DIR / "raw"
GACC = RAW / "gacc-china-trade-by-country-2024-cny" / "gac_regions_2024.csv"
RATES = RAW / "reference" / "exchange-rates" / "cny_per_usd_annual.csv"
# Lines of the December year-to-date rows, as identified in the folder's PROVENANCE.md.
PROVENANCE_LINES = {"WLD": 2610, "USA": 2834, "COL": 2791}


def _lines() -> list[str]:
    return GACC.read_text(encoding="utf-8-sig").splitlines()


def _row_at(line: int) -> dict[str, str]:
    lines = _lines()
    return next(csv.DictReader([lines[0], lines[line - 1]]))


def _rate() -> float:
    with open(RATES, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["currency"] == "CNY" and r["year"] == "2024"]
    assert len(rows) == 1 and rows[0]["quote"] and rows[0]["url"].startswith("https://")
    assert rows[0]["units_per_usd"] in rows[0]["quote"]
    return float(rows[0]["units_per_usd"])


@pytest.mark.parametrize("partner", ["WLD", "USA", "COL"])
def test_december_rows_converted_at_the_published_rate(
    small_bundle_con: duckdb.DuckDBPyConnection, partner: str
) -> None:
    row = _row_at(PROVENANCE_LINES[partner])
    assert row["month"] == "12"
    rate = _rate()
    loaded = dict(
        small_bundle_con.execute(
            "SELECT flow, value_usd FROM trade WHERE source = 'gacc' AND reporter_iso3 = 'CHN' AND partner_iso3 = ? "
            "AND year = 2024 AND period = '2024' AND hs_code = 'TOTAL'",
            [partner],
        ).fetchall()
    )
    assert loaded["export"] == pytest.approx(float(row["exports_cum"]) * 10_000 / rate, rel=1e-12)
    assert loaded["import"] == pytest.approx(float(row["imports_cum"]) * 10_000 / rate, rel=1e-12)
    lines = {line for (line,) in small_bundle_con.execute(
        "SELECT DISTINCT source_line FROM trade WHERE source = 'gacc' AND partner_iso3 = ?", [partner]).fetchall()}  # fmt: skip
    assert lines == {PROVENANCE_LINES[partner]}


def test_colombia_matches_the_printed_yuan_total(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    """Xinhua: 149.63 billion yuan, +13.1 %; the yuan values stay traceable beside the dollars."""
    yuan = dict(
        small_bundle_con.execute(
            "SELECT flow, value_in_currency FROM currency_conversions WHERE partner_iso3 = 'COL' AND currency = 'CNY'"
        ).fetchall()
    )
    assert yuan == {"export": 105_201_810_000.0, "import": 44_421_550_000.0}
    assert abs(sum(yuan.values()) / 1e9 - 149.63) < 0.01
    usd = small_bundle_con.execute(
        "SELECT sum(value_usd) FROM trade WHERE source = 'gacc' AND partner_iso3 = 'COL'"
    ).fetchall()[0][0]
    assert round(usd / 1e9, 1) == 20.8  # Xinhua: "about 20.8 billion U.S. dollars"


def test_only_full_year_rows_and_conventional_valuation(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    rows = small_bundle_con.execute(
        "SELECT flow, valuation, valuation_stated, period, count(*) FROM trade WHERE source = 'gacc' GROUP BY ALL "
        "ORDER BY 1"
    ).fetchall()
    assert rows == [("export", "FOB", False, "2024", 3), ("import", "CIF", False, "2024", 3)]


def test_rate_row_names_its_publisher(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    publisher, url, quote, rate = small_bundle_con.execute(
        "SELECT publisher, url, quote, units_per_usd FROM exchange_rates WHERE currency = 'CNY' AND year = 2024"
    ).fetchall()[0]
    assert "Internal Revenue Service" in publisher and url.startswith("https://www.irs.gov/")
    assert rate == _rate() and "7.189" in quote


# ---------- robustness of the identification, and refusals ----------


@pytest.fixture()
def scratch_db(scratch_db: Path) -> Path:
    with write_session(scratch_db) as con:
        store.delete_rows(con, "source = 'gacc'")  # so a good copy can load without an overlap refusal
    return scratch_db


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "china.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_identification_does_not_depend_on_row_order(scratch_db: Path, tmp_path: Path) -> None:
    lines = _lines()
    body = lines[1:]
    random.Random(7).shuffle(body)
    path = _write(tmp_path, [lines[0], *body])
    load_files(scratch_db, [path], metadata=[FileMetadata()])
    con = duckdb.connect(str(scratch_db), read_only=True)
    yuan = dict(con.execute(
        "SELECT partner_iso3 || flow, value_in_currency FROM currency_conversions c JOIN datasets d USING (dataset_id) "
        "WHERE d.path LIKE '%china.csv'").fetchall())  # fmt: skip
    con.close()
    expected = {}
    for partner, line in PROVENANCE_LINES.items():
        row = _row_at(line)
        expected[partner + "export"] = float(row["exports_cum"]) * 10_000
        expected[partner + "import"] = float(row["imports_cum"]) * 10_000
    assert yuan == expected


def _refused(db: Path, path: Path) -> InputError:
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        load_files(db, [path], metadata=[FileMetadata()])
    assert snapshot(db) == before
    return caught.value


def test_a_second_candidate_row_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    lines = _lines()
    lines.append(lines[PROVENANCE_LINES["COL"] - 1])  # a copy of Colombia's December row: two rows now fit
    error = _refused(scratch_db, _write(tmp_path, lines))
    assert "cannot identify COL" in error.message and "2 rows" in error.message
    assert error.column == "region_raw"


def test_no_fitting_row_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    lines = _lines()
    index = PROVENANCE_LINES["COL"] - 1
    assert ",131.0,210.0," in lines[index]
    lines[index] = lines[index].replace(",131.0,210.0,", ",140.0,210.0,")
    error = _refused(scratch_db, _write(tmp_path, lines))
    assert "cannot identify COL: 0 rows" in error.message


def test_a_broken_chain_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    """The USA is anchored in November and followed to December; a December row that does not continue it fails."""
    lines = _lines()
    index = PROVENANCE_LINES["USA"] - 1
    lines[index] = lines[index].replace("489778315", "479778315", 1)
    error = _refused(scratch_db, _write(tmp_path, lines))
    assert "cannot follow USA from month 11" in error.message


def test_no_december_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    lines = [line for line in _lines() if not line.endswith(",2024,12,2024-12-01")]
    error = _refused(scratch_db, _write(tmp_path, lines))
    assert "no December rows" in error.message


def test_text_in_a_value_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    lines = _lines()
    fields = lines[9].split(",")
    fields[2] = "12x"  # trade_total_cum
    lines[9] = ",".join(fields)
    error = _refused(scratch_db, _write(tmp_path, lines))
    assert (error.line, error.column) == (10, "trade_total_cum")


def test_without_a_published_rate_it_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(scratch_db))
    con.execute("DELETE FROM exchange_rates")
    con.close()
    error = _refused(scratch_db, _write(tmp_path, _lines()))
    assert "no published CNY per US dollar annual rate for 2024" in error.message


def test_a_rate_without_its_quote_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    lines = RATES.read_text().splitlines()
    fields = next(csv.reader([lines[1]]))
    fields[-1] = ""
    path = tmp_path / "rates.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows([next(csv.reader([lines[0]])), fields])
    error = _refused(scratch_db, path)
    assert error.line == 2 and "publisher, url and quote" in error.message
