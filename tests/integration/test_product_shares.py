"""Product shares divide by the whole: DANE's chapters of imports from China over DANE's all-goods total, with
the remainder no chapter holds; every expected value summed here from the raw annex file."""

from __future__ import annotations

import csv

import duckdb
import pytest

from dashboard import product_views, queries
from etl import settings
from etl.sources.dane_imports import CHAPTER_NAMES, SKIPPED_CHAPTERS

ANNEX = (
    settings.DATA_DIR / "raw" / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv"
)


def _raw_china_2024() -> dict[str, float]:
    with open(ANNEX, encoding="utf-8-sig", newline="") as handle:
        return {r["capitulo"]: float(r["valor dolares cif"]) for r in csv.DictReader(handle)
                if r["codigo iso3"] == "CHN" and r["anio"] == "2024"}  # fmt: skip


def test_chapter_shares_are_shares_of_all_imports_from_china(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    raw = _raw_china_2024()
    total = raw["TOTAL"]
    named = {CHAPTER_NAMES[name]: value for name, value in raw.items() if name in CHAPTER_NAMES}
    special = sum(value for name, value in raw.items() if name in SKIPPED_CHAPTERS)
    assert special / 1e6 == pytest.approx(261.5, abs=0.05)  # the chapter the annex lists but HS does not have
    series = {"reporter": "COL", "partner": "CHN", "flow": "import", "source": "dane_imports"}
    top = queries.query_top_products(small_bundle_con, **series, year=2024)
    shares = dict(zip(top["hs_code"], top["share_pct"], strict=True))
    assert shares["85"] == pytest.approx(named["85"] / total * 100)  # ≈ 23.0 %, not 29.8 % of the chapters
    assert round(shares["85"], 1) == 23.0
    table = product_views.top_products_table(top, "COL:CHN:import:dane_imports", 2024, {}, "en")
    remainder = table[table["hs_code"] == "—"].iloc[0]
    assert remainder["value_usd_m"] * 1e6 == pytest.approx(total - sum(named.values()))
    assert remainder["value_usd_m"] * 1e6 > special  # chapter 98 is inside the remainder, not lost
    assert table["share_pct"].sum() == pytest.approx(100.0)
