"""Purchase scenarios on both records: Colombia's own and China's customs (GACC, line 2791 of the raw file at the
published IRS rate), the gap between them split into valuation and the rest, and the record rise in constant
dollars (US CPI-U from the raw reference file)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from model.scenario import run_scenario
from model.spec import parse_spec, preset_path

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
COLOMBIA_LINE = 2791  # the December year-to-date row for Colombia (gacc folder's PROVENANCE.md)


def _gacc_colombia_usd() -> tuple[float, float]:
    """China's 2024 exports to and imports from Colombia, USD, from the raw yuan file and the published rate."""
    lines = (
        (RAW / "gacc-china-trade-by-country-2024-cny" / "gac_regions_2024.csv")
        .read_text(encoding="utf-8-sig")
        .splitlines()
    )
    row = next(csv.DictReader([lines[0], lines[COLOMBIA_LINE - 1]]))
    with open(RAW / "reference" / "exchange-rates" / "cny_per_usd_annual.csv", newline="") as handle:
        rate = next(
            float(r["units_per_usd"])
            for r in csv.DictReader(handle)
            if r["currency"] == "CNY" and r["year"] == "2024"
        )
    return float(row["exports_cum"]) * 10_000 / rate, float(row["imports_cum"]) * 10_000 / rate


def _cpi() -> dict[int, float]:
    with open(RAW / "reference" / "us-cpi-u" / "cpi_u_annual_avg_DERIVED.csv", newline="") as handle:
        return {
            int(r["year"]): float(r["cpi_u_annual_avg_1982_84_100"])
            for r in csv.DictReader(handle)
            if r["n_months"] == "12"
        }


@pytest.fixture(scope="module")
def results(bundled_db: Path) -> dict:
    doc = json.loads(preset_path("china_buys_more").read_text(encoding="utf-8"))
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        return {
            record: run_scenario(parse_spec({**doc, "record": record}), con) for record in ("seller", "buyer")
        }
    finally:
        con.close()


def test_chinas_customs_record_is_the_raw_gacc_row(results: dict) -> None:
    china_exports, china_imports = _gacc_colombia_usd()
    customs = results["seller"].totals["records"]["buyer"]
    assert customs["exports_usd"] == pytest.approx(
        china_imports, rel=1e-12
    )  # Colombia's exports as China records them
    assert customs["imports_usd"] == pytest.approx(china_exports, rel=1e-12)
    assert customs["exports_valuation"] == "CIF" and customs["imports_valuation"] == "FOB"
    # On China's records the deficit (CIF exports to FOB at IMF's 1.06) is about 8.8 bn, against 12.76 bn on
    # Colombia's (its CIF imports to FOB at 1.053, DANE's own factor for China).
    assert customs["balance_usd"] == pytest.approx(china_imports / 1.06 - china_exports, rel=1e-12)
    assert round(customs["balance_usd"] / 1e9, 1) == -8.8
    assert round(results["seller"].totals["balance_before_usd"] / 1e9, 2) == -12.76


def test_the_gap_between_the_records_adds_up(results: dict) -> None:
    totals = results["seller"].totals
    own, customs = totals["records"]["seller"], totals["records"]["buyer"]
    exports = next(g for g in totals["record_gap"] if g["flow"] == "exports")
    assert exports["difference_usd"] == pytest.approx(customs["exports_usd"] - own["exports_usd"])
    assert exports["valuation_usd"] + exports["rest_usd"] == pytest.approx(exports["difference_usd"])
    assert exports["valuation_usd"] == pytest.approx(customs["exports_usd"] * (1 - 1 / 1.06))  # CIF side only
    assert exports["cif_fob"] == customs["cif_fob"] == 1.06
    # On imports the CIF side is Colombia's record: the factor its balance applies (DANE's own for China, 1.053).
    imports = next(g for g in totals["record_gap"] if g["flow"] == "imports")
    assert imports["cif_fob"] == own["cif_fob"] == pytest.approx(1.053, abs=5e-4)
    assert imports["valuation_usd"] == pytest.approx(-own["imports_usd"] * (1 - 1 / own["cif_fob"]))
    assert imports["valuation_usd"] + imports["rest_usd"] == pytest.approx(imports["difference_usd"])
    assert any(note.kind == "purchase_records" for note in results["seller"].notes)


def test_closing_on_chinas_records_buys_that_deficit(results: dict) -> None:
    seller, buyer = results["seller"].totals, results["buyer"].totals
    assert buyer["record"] == "buyer" and seller["record"] == "seller"
    assert buyer["increase_usd"] == pytest.approx(-buyer["records"]["buyer"]["balance_usd"])
    assert buyer["balance_after_usd"] == pytest.approx(0.0, abs=1e-3)
    assert buyer["exports_usd"] == pytest.approx(seller["records"]["buyer"]["exports_usd"])
    # The same purchase seen on the other record: Colombia's own balance after China buys 8.8 bn more.
    assert buyer["records"]["seller"]["balance_after_usd"] == pytest.approx(
        seller["balance_before_usd"] + buyer["increase_usd"]
    )


def test_the_record_rise_in_constant_dollars(results: dict) -> None:
    totals = results["seller"].totals
    history = {row["year"]: row["exports_usd"] for row in results["seller"].extra["history"]}
    cpi = _cpi()
    real = {y: v * cpi[2024] / cpi[y] for y, v in history.items() if v is not None and y in cpi}
    rises = {y: real[y] - real[y - 1] for y in real if y - 1 in real}
    year = max(rises, key=rises.get)
    assert (totals["largest_growth_real_usd_year"], totals["largest_growth_real_usd"]) == (
        year,
        pytest.approx(rises[year]),
    )
    assert totals["needed_vs_largest_growth_real"] == pytest.approx(
        totals["needed_to_close_usd"] / rises[year]
    )
    assert totals["deflator_base_year"] == 2024 and "CPI-U" in totals["deflator"]
    # In 2024 dollars the 2018 rise is larger than in current dollars, so the gap is fewer times the record.
    assert totals["needed_vs_largest_growth_real"] < totals["needed_vs_largest_growth"]
