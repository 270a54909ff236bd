"""Evidence: the SQL that reads what the cards need from a read-only Balanza database."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from dashboard.claims.card import (
    CENTRAL_AMERICA,
    COFFEE_CODE,
    EVERYONE_PRESET,
    FLOWER_CODES,
    SINGLED_OUT_PRESET,
    ClaimData,
)
from model.scenario import run_scenario
from model.spec import parse_spec, preset_path


def query_scenarios(con: duckdb.DuckDBPyConnection, presets: Sequence[str] = (SINGLED_OUT_PRESET, EVERYONE_PRESET)
                    ) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict[str, str]]:  # fmt: skip
    """Run the shipped tariff presets the cards cite; a preset that is absent or fails is reported, not raised."""
    focus: dict[str, pd.DataFrame] = {}
    partners: dict[str, pd.DataFrame] = {}
    errors: dict[str, str] = {}
    for name in presets:
        path = preset_path(name)
        if not path.exists():
            errors[name] = f"preset {name} is not in model/presets"
            continue
        try:
            result = run_scenario(parse_spec(path.read_text(encoding="utf-8")), con)
        except Exception as exc:  # noqa: BLE001 - a failing scenario must not take the evidence cards down
            errors[name] = f"preset {name} did not run: {exc}"
            continue
        focus[name] = result.focus
        partners[name] = result.by_partner
    return focus, partners, errors


def query_claim_data(con: duckdb.DuckDBPyConnection, *, with_scenarios: bool = True) -> ClaimData:
    """Read what the cards need from a (read-only) Balanza database."""
    cur = con.cursor()
    totals = cur.execute(
        """
        SELECT year, reporter_iso3, partner_iso3, flow, valuation, source, value_usd, months_covered
        FROM trade_annual
        WHERE hs_code = 'TOTAL' AND flow IN ('export', 'import')
          AND reporter_iso3 IN (?, ?, ?) AND partner_iso3 IN (?, ?, ?, ?, ?)
        """,
        ["COL", "CHN", "USA", "COL", "CHN", "USA", "WLD", "_X"],
    ).df()
    published = cur.execute(
        """
        SELECT p.year, p.reporter_iso3, p.partner_iso3, p.flow, p.value_usd, p.valuation, p.publisher, p.url,
               p.quote, p.chosen, d.path AS dataset
        FROM published_figures p LEFT JOIN datasets d USING (dataset_id)
        WHERE p.reporter_iso3 IN (?, ?) AND p.partner_iso3 IN (?, ?, ?, ?)
        """,
        ["COL", "CHN", "CHN", "USA", "WLD", "COL"],
    ).df()
    dian_monthly = cur.execute(
        """
        SELECT period, partner_iso3, sum(value_usd) AS value_usd
        FROM trade
        WHERE source = ? AND reporter_iso3 = ? AND flow = ? AND hs_code = 'TOTAL' AND length(period) = 6
        GROUP BY ALL ORDER BY period
        """,
        ["dian", "COL", "export"],
    ).df()
    partners = ["COL", "ECU", *CENTRAL_AMERICA]
    products = cur.execute(
        """
        SELECT partner_iso3, hs_code, value_usd, duty_usd
        FROM trade
        WHERE source = ? AND reporter_iso3 = ? AND flow = ? AND year = ?
          AND (starts_with(hs_code, ?) OR starts_with(hs_code, ?))
        """,
        ["us_census_consumption", "USA", "import", 2024, FLOWER_CODES[0], COFFEE_CODE],
    ).df()
    timeline = cur.execute(
        """
        SELECT date, partner_iso3, effective_tariff_pct, tariff_2024_pct
        FROM us_tariff_timeline WHERE list_contains(?::VARCHAR[], partner_iso3)
        ORDER BY partner_iso3, date
        """,
        [partners],
    ).df()
    exemptions = cur.execute(
        """
        SELECT left(t.hs_code, 4) AS hs4, e.list_name, sum(t.value_usd) AS value_usd
        FROM trade t
        JOIN (
            -- Annex II names HTS8 subheadings, some padded to ten digits with '00'
            SELECT DISTINCT CASE WHEN length(hts_code) = 10 AND ends_with(hts_code, '00') THEN left(hts_code, 8)
                                 ELSE hts_code END AS prefix, list_name
            FROM us_tariff_exemptions
        ) e ON starts_with(t.hs_code, e.prefix)
        WHERE t.source = ? AND t.reporter_iso3 = ? AND t.partner_iso3 = ? AND t.flow = ? AND t.year = ?
        GROUP BY ALL
        """,
        ["us_census_consumption", "USA", "COL", "import", 2024],
    ).df()
    us_imports_from_col = cur.execute(
        "SELECT sum(value_usd) FROM trade WHERE source = ? AND reporter_iso3 = ? AND partner_iso3 = ? AND flow = ? "
        "AND year = ? AND hs_level = 10",
        ["us_census_consumption", "USA", "COL", "import", 2024],
    ).fetchall()[0][0]
    exemption_lists = tuple(r[0] for r in cur.execute(
        "SELECT DISTINCT list_name FROM us_tariff_exemptions ORDER BY 1").fetchall())
    reciprocal = cur.execute("SELECT partner_iso3, rate_pct, list_name FROM us_reciprocal_rates").df()
    gdp = cur.execute("SELECT iso3, year, gdp_usd FROM gdp WHERE iso3 = ? ORDER BY year", ["COL"]).df()
    dataset_rows = cur.execute(
        "SELECT coalesce(source, '') AS source, string_agg(DISTINCT path, '; ' ORDER BY path) AS paths "
        "FROM datasets GROUP BY ALL"
    ).fetchall()
    datasets = {str(source): str(paths) for source, paths in dataset_rows}
    focus, by_partner, errors = query_scenarios(con) if with_scenarios else ({}, {}, {})
    return ClaimData(totals, published, dian_monthly, products, timeline, exemptions, gdp, datasets,
                     focus, by_partner, errors, us_imports_from_col, reciprocal, exemption_lists)  # fmt: skip
