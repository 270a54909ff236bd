"""Provisional and non-comparable figures are flagged in the series of record and in what is built from it."""

from __future__ import annotations

import csv

import duckdb
import pytest

from etl import record, record_balance, settings

DIAN = (
    settings.DATA_DIR
    / "raw"
    / "dian-exports-by-destination"
    / "colombia_exports_by_destination_monthly_2023_2026.csv"
)


def _withheld(year: int) -> float:
    with open(DIAN, encoding="utf-8", newline="") as handle:
        return sum(float(r["fob_usd_million"]) * 1e6 for r in csv.DictReader(handle)
                   if r["month"].startswith(f"{year}-") and r["destination"] == "País no declarado")  # fmt: skip


def test_2025_partner_exports_are_provisional_and_not_comparable(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    assert _withheld(2025) / 1e9 == pytest.approx(4.73, abs=0.005)  # the reason, in the raw file
    assert _withheld(2024) < 0.06 * _withheld(2025)  # 0.24 bn in 2024
    rows = record.query_record(
        small_bundle_con, reporter="COL", partners=["CHN", "USA", "WLD"], years=[2024, 2025]
    )
    flags = {(r.partner_iso3, r.flow, r.year): (r.provisional, r.comparable) for r in rows.itertuples()}
    assert flags[("CHN", "export", 2025)] == (True, False)
    assert flags[("USA", "export", 2025)] == (True, False)
    assert flags[("WLD", "export", 2025)] == (True, True)  # the national total is complete
    assert flags[("CHN", "import", 2025)] == (True, True)
    assert flags[("CHN", "export", 2024)] == (False, True)
    caveat = rows.set_index(["partner_iso3", "flow", "year"]).loc[("CHN", "export", 2025), "caveat"]
    assert "provisional" in caveat and "not comparable" in caveat and "withholds destinations" in caveat
    view = small_bundle_con.execute(
        "SELECT provisional, comparable FROM trade_record WHERE reporter_iso3 = 'COL' AND partner_iso3 = 'CHN' "
        "AND flow = 'export' AND year = 2025 AND hs_code = 'TOTAL'"
    ).fetchall()
    assert view == [(True, False)]


def test_balances_carry_the_flags_of_their_records(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    balances = record_balance.query_balance(small_bundle_con, partners=["CHN", "WLD"]).set_index(
        ["partner_iso3", "year"]
    )
    assert tuple(balances.loc[("CHN", 2025), ["provisional", "comparable"]]) == (True, False)
    assert "not comparable" in balances.loc[("CHN", 2025), "caveat"]
    assert tuple(balances.loc[("WLD", 2025), ["provisional", "comparable"]]) == (
        True,
        True,
    )  # DANE's 2025 total
    assert tuple(balances.loc[("CHN", 2024), ["provisional", "comparable"]]) == (False, True)
