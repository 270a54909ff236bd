"""Evidence: what the cards need, read from a read-only Balanza database THROUGH THE SERIES OF RECORD.

Every trade value comes from `etl.record` (query_record, query_balance, or the record SQL for product lines):
the cards make no choice of source, valuation or printed figure of their own, and name the publisher the layer
names. Reference tables (tariff timeline and lists, GDP, fiscal figures) are read as they are: one value each.
The one exception is DIAN's monthly export detail (claim 6's chart), which the annual record sums.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb
import pandas as pd

from dashboard.claims.card import (
    CENTRAL_AMERICA,
    COFFEE_CODE,
    FLOWER_CODES,
    SINGLED_OUT_PRESET,
    ClaimData,
)
from dashboard.claims.specs import read_claims
from dashboard.peers import query_peer_indicators
from etl.record import query_gdp, query_record, record_sql
from etl.record_balance import query_balance
from etl.schema import CHINA, COLOMBIA, UNITED_STATES, WORLD
from model.data import query_import_coverage
from model.scenario import run_scenario
from model.spec import parse_spec, preset_path

PARTNERS = (CHINA, UNITED_STATES, WORLD)  # Colombia's trade with these, on every basis the layer gives
PRODUCT_SUPPLIERS = (COLOMBIA, "ECU", *CENTRAL_AMERICA)


def query_scenarios(con: duckdb.DuckDBPyConnection, presets: Iterable[str] = (SINGLED_OUT_PRESET,)
                    ) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict[str, str]]:  # fmt: skip
    """Run the shipped tariff presets the cards cite; a preset that is absent or fails is reported, not raised."""
    focus: dict[str, pd.DataFrame] = {}
    partners: dict[str, pd.DataFrame] = {}
    errors: dict[str, str] = {}
    for name in dict.fromkeys(presets):
        path = preset_path(name)
        if not path.exists():
            errors[name] = f"preset {name} is not in model/presets"
            continue
        try:
            result = run_scenario(parse_spec(path.read_text(encoding="utf-8")), con)
        except Exception as exc:
            errors[name] = f"preset {name} did not run: {exc}"
            continue
        if getattr(result, "focus", None) is None:
            continue  # a purchase scenario: its figures come from the record directly
        focus[name] = result.focus
        partners[name] = result.by_partner
    return focus, partners, errors


def _record_sql_frame(
    cur: duckdb.DuckDBPyConnection, condition: str, params: dict, select: str
) -> pd.DataFrame:
    """`select` over the record of the `trade` rows matching `condition` (fixed SQL fragments, values bound)."""
    return cur.execute(f"SELECT {select} FROM ({record_sql(condition)})", params).df()  # noqa: S608 - fixed fragments


def _with_year_flags(cur: duckdb.DuckDBPyConnection, monthly: pd.DataFrame) -> pd.DataFrame:
    """DIAN's monthly rows with the series of record's flags of their year (provisional, comparable): a month of
    2025 is as provisional and as non-comparable as the year the record holds."""
    monthly = monthly.assign(year=monthly["period"].str[:4].astype(int))
    partners = sorted({str(p) for p in monthly["partner_iso3"]})
    yearly = query_record(cur, reporter=COLOMBIA, partners=partners, flows=("export",), complete_only=False)
    flags = yearly.loc[yearly["source"] == "dian", ["partner_iso3", "year", "provisional", "comparable"]]
    out = monthly.merge(flags, on=["partner_iso3", "year"], how="left")
    out["provisional"] = out["provisional"].fillna(False).astype(bool)
    out["comparable"] = out["comparable"].fillna(True).astype(bool)
    return out


def query_claim_data(con: duckdb.DuckDBPyConnection, *, with_scenarios: bool = True,
                     presets: Sequence[str] | None = None) -> ClaimData:  # fmt: skip
    """Read what the cards need from a (read-only) Balanza database."""
    cur = con.cursor()
    balances = query_balance(cur, reporter=COLOMBIA, partners=list(PARTNERS), basis="all")
    mirror = query_balance(cur, reporter=COLOMBIA, partners=[p for p in PARTNERS if p != WORLD], basis="all",
                           side="mirror")  # fmt: skip
    record = query_record(cur, reporter=COLOMBIA, partners=list(PARTNERS))
    us_lines = "reporter_iso3 = $reporter AND flow = 'import' AND year = $year AND hs_level = 10"
    products = _record_sql_frame(
        cur,
        us_lines + " AND (starts_with(hs_code, $flowers) OR starts_with(hs_code, $coffee))",
        {"reporter": UNITED_STATES, "year": 2024, "flowers": FLOWER_CODES[0], "coffee": COFFEE_CODE},
        "partner_iso3, hs_code, value_usd, source, publisher",
    )
    col_lines = us_lines + " AND partner_iso3 = $partner"
    col_params = {"reporter": UNITED_STATES, "year": 2024, "partner": COLOMBIA}
    us_imports_from_col = _record_sql_frame(cur, col_lines, col_params, "sum(value_usd) AS v")["v"].iloc[0]
    # Each 2024 US import line from Colombia with the tariff lists that name it (Annex II exemptions, Section 232).
    exemptions = cur.execute(
        f"""
        WITH lists AS (
            SELECT hts_code, list_name FROM us_tariff_exemptions
            UNION ALL SELECT hts_code, list_name FROM us_tariff_product_lists
        ), prefixes AS (
            -- lists name HTS8 subheadings, some padded to ten digits with '00'
            SELECT DISTINCT CASE WHEN length(hts_code) = 10 AND ends_with(hts_code, '00') THEN left(hts_code, 8)
                                 ELSE hts_code END AS prefix, list_name
            FROM lists
        )
        SELECT t.hs_code, any_value(t.value_usd) AS value_usd,
               list(DISTINCT p.list_name ORDER BY p.list_name) FILTER (WHERE p.list_name IS NOT NULL) AS lists
        FROM ({record_sql(col_lines)}) t
        LEFT JOIN prefixes p ON starts_with(t.hs_code, p.prefix)
        GROUP BY t.hs_code
        ORDER BY t.hs_code
        """,  # noqa: S608 - fixed fragments
        col_params,
    ).df()
    dian_monthly = cur.execute(
        """
        SELECT period, partner_iso3, sum(value_usd) AS value_usd
        FROM trade
        WHERE source = ? AND reporter_iso3 = ? AND flow = ? AND hs_code = 'TOTAL' AND length(period) = 6
        GROUP BY ALL ORDER BY period, partner_iso3  -- ties broken: the same order in every process
        """,
        ["dian", COLOMBIA, "export"],
    ).df()
    dian_monthly = _with_year_flags(cur, dian_monthly)
    timeline = cur.execute(
        """
        SELECT date, partner_iso3, effective_tariff_pct, tariff_2024_pct
        FROM us_tariff_timeline WHERE list_contains(?::VARCHAR[], partner_iso3)
        ORDER BY partner_iso3, date
        """,
        [list(PRODUCT_SUPPLIERS)],
    ).df()
    exemption_lists = tuple(r[0] for r in cur.execute(
        "SELECT DISTINCT list_name FROM us_tariff_exemptions UNION SELECT DISTINCT list_name FROM us_tariff_product_lists "
        "ORDER BY 1").fetchall())  # fmt: skip
    reciprocal = cur.execute(
        "SELECT partner_iso3, partner_name, rate_pct, list_name FROM us_reciprocal_rates"
    ).df()
    coverage = query_import_coverage(cur, UNITED_STATES, 2024)
    peers = query_peer_indicators(cur)
    gdp = query_gdp(cur, COLOMBIA)
    fiscal = cur.execute(
        "SELECT year, indicator, value, unit, publisher, printed_by, url, quote FROM published_indicators "
        "WHERE country_iso3 = ? AND indicator = ? ORDER BY year, publisher, printed_by, url",
        [COLOMBIA, "central_government_balance"],
    ).df()
    dataset_rows = cur.execute(
        "SELECT coalesce(source, '') AS source, string_agg(DISTINCT path, '; ' ORDER BY path) AS paths "
        "FROM datasets GROUP BY ALL"
    ).fetchall()
    datasets = {str(source): str(paths) for source, paths in dataset_rows}
    if presets is None:  # the presets the scenario cards cite (claims.toml), and the Colombia-only rise
        presets = [
            s.scenario_preset for s in read_claims() if s.check == "roses_and_coffee" and s.scenario_preset
        ]
    wanted = [SINGLED_OUT_PRESET, *presets]
    focus, by_partner, errors = query_scenarios(con, wanted) if with_scenarios else ({}, {}, {})
    return ClaimData(
        balances=balances, mirror=mirror, record=record, dian_monthly=dian_monthly, products=products,
        tariff_timeline=timeline, exemptions=exemptions, gdp=gdp, fiscal=fiscal, datasets=datasets,
        scenario_focus=focus, scenario_partners=by_partner, scenario_errors=errors,
        us_imports_from_col=float(us_imports_from_col) if pd.notna(us_imports_from_col) else None,
        reciprocal=reciprocal, exemption_lists=exemption_lists, coverage=coverage, peers=peers,
    )  # fmt: skip
