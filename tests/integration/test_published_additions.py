"""Printed figures added for the verdicts: DANE trade figures and the fiscal balance, each with its page and quote;
checked against the raw CSV files read here, and bad rows refused by name."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

from etl import settings
from etl.errors import InputError
from etl.load import FileMetadata, load_files
from tests.dbstate import snapshot

FIGURES = settings.DATA_DIR / "raw" / "published-figures"


def _rows(name: str) -> list[dict[str, str]]:
    with open(FIGURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _printed_numbers(quote: str) -> set[float]:
    """Numbers as the page prints them (Spanish: '.' thousands, ',' decimals; '6.8%' also read as 6.8)."""
    numbers = set()
    for text in re.findall(r"\d[\d.,]*", quote):
        text = text.rstrip(".,")
        spanish = text.replace(".", "").replace(",", ".")
        numbers.add(float(spanish))
        if text.count(".") == 1 and "," not in text:
            numbers.add(float(text))
    return numbers


def test_every_added_trade_figure_is_in_its_quote() -> None:
    for row in _rows("facts_added_2026.csv"):
        millions = abs(float(row["value_usd"])) / 1e6
        assert millions in _printed_numbers(row["quote"]), row
        assert row["url"].startswith("https://") and "citing DANE" in row["publisher"]


def test_every_indicator_is_in_its_quote() -> None:
    rows = _rows("indicators.csv")
    for row in rows:
        value = abs(float(row["value"]))
        printed = value / 1e12 if row["unit"] == "COP" else value  # "$115 billones" = 115 × 10^12 pesos
        assert printed in _printed_numbers(row["quote"]), row
        assert row["url"].startswith("https://")
    hacienda = {float(r["value"]) for r in rows if r["publisher"].startswith("Ministerio de Hacienda")
                and r["unit"] == "pct_gdp"}  # fmt: skip
    assert hacienda == {-6.8}


def test_indicators_loaded_as_printed(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    expected = sorted((int(r["year"]), r["indicator"], float(r["value"]), r["unit"], r["printed_by"])
                      for r in _rows("indicators.csv"))  # fmt: skip
    loaded = sorted(small_bundle_con.execute(
        "SELECT year, indicator, value, unit, printed_by FROM published_indicators WHERE country_iso3 = 'COL'"
    ).fetchall())  # fmt: skip
    assert loaded == expected


def test_added_trade_figures_loaded(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    usa = small_bundle_con.execute(
        "SELECT value_usd, chosen FROM published_figures JOIN datasets USING (dataset_id) WHERE year = 2024 "
        "AND partner_iso3 = 'USA' AND flow = 'balance' AND path LIKE '%facts_added_2026.csv'"
    ).fetchall()
    assert usa == [(-1_189_000_000.0, True)]
    imports_2025 = small_bundle_con.execute(
        "SELECT value_usd, valuation FROM trade WHERE source = 'published' AND year = 2025 AND partner_iso3 = 'WLD' "
        "AND flow = 'import'"
    ).fetchall()
    assert imports_2025 == [(70_502_100_000.0, "CIF")]


def test_one_chosen_printed_value_per_observation_across_files(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    """Each file chooses its own printed value, so an observation must not be printed in two files."""
    doubled = small_bundle_con.execute(
        "SELECT year, reporter_iso3, partner_iso3, flow FROM published_figures WHERE chosen GROUP BY ALL "
        "HAVING count(*) > 1"
    ).fetchall()
    assert doubled == []


def _bad_indicators(tmp_path: Path, column: str, value: str) -> Path:
    rows = _rows("indicators.csv")
    rows[1][column] = value
    path = tmp_path / "indicators.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("unit", "percent", "unknown unit"), ("quote", "", "quote is empty"), ("value", "6,8", "value is not a finite"),
     ("country_iso3", "XXX", "unknown country code")],
)  # fmt: skip
def test_bad_indicator_rows_are_refused(
    scratch_db: Path, tmp_path: Path, column: str, value: str, message: str
) -> None:
    before = snapshot(scratch_db)
    with pytest.raises(InputError) as caught:
        load_files(scratch_db, [_bad_indicators(tmp_path, column, value)], metadata=[FileMetadata()])
    assert snapshot(scratch_db) == before
    assert (caught.value.line, caught.value.column) == (3, column)
    assert message in caught.value.message
