"""`balanza status`: which years each series covers, at which HS levels — read straight from `trade`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.db import connect_read_only
from etl.schema import AREAS_NES, CHINA, COLOMBIA, EUROPEAN_UNION, PEERS, UNITED_STATES, WORLD
from etl.years import format_years


def coverage_matrix(db_path: Path) -> pd.DataFrame:
    """One row per source × reporter × partner × flow: years present (as ranges), HS levels, row count."""
    con = connect_read_only(db_path)
    try:
        return con.execute(
            """
            SELECT source, reporter_iso3, partner_iso3, flow,
                   list(DISTINCT year ORDER BY year) AS years,
                   list(DISTINCT hs_level ORDER BY hs_level) AS hs_levels,
                   bool_or(length(period) = 6) AS monthly,
                   count(*) AS rows
            FROM trade GROUP BY ALL ORDER BY source, reporter_iso3, partner_iso3, flow
            """
        ).df()
    finally:
        con.close()


def render_coverage(matrix: pd.DataFrame, max_partner_rows: int = 12) -> str:
    """Text table; sources with many partners show the first ones and a count of the rest."""
    if matrix.empty:
        return "the database holds no trade rows"
    lines = [
        f"{'source':<22} {'reporter':<8} {'partner':<8} {'flow':<9} {'HS levels':<10} {'rows':>8}  years"
    ]
    for (source, reporter, flow), group in matrix.groupby(["source", "reporter_iso3", "flow"], sort=True):
        shown = group
        focus = group[
            group["partner_iso3"].isin(
                [WORLD, CHINA, UNITED_STATES, COLOMBIA, "ECU", EUROPEAN_UNION, AREAS_NES]
            )
        ]
        if len(group) > max_partner_rows:
            shown = pd.concat([focus, group.drop(focus.index).head(max_partner_rows - len(focus))])
        for row in shown.to_dict("records"):
            levels = ",".join(str(level) for level in row["hs_levels"])
            years = (format_years(row["years"], dash="-") or "-") + (" (monthly)" if row["monthly"] else "")
            lines.append(f"{source:<22} {reporter:<8} {row['partner_iso3']:<8} {flow:<9} {levels:<10} "
                         f"{row['rows']:>8,}  {years}")  # fmt: skip
        if len(group) > len(shown):
            rest = group.drop(shown.index)
            lines.append(f"{source:<22} {reporter:<8} {'+' + str(len(rest)) + ' more':<8} {flow:<9} {'':<10} "
                         f"{int(rest['rows'].sum()):>8,}  partners not shown")  # fmt: skip
    return "\n".join(lines)


def peer_coverage(db_path: Path) -> pd.DataFrame:
    """Colombia and its peers (etl.schema.PEERS): for each reporter, flow and partner (China, the USA, the World),
    the years of the series of record by the source it takes them from (etl/record.py)."""
    con = connect_read_only(db_path)
    try:
        return con.execute(
            """
            SELECT reporter_iso3, flow, partner_iso3, source, list(DISTINCT year ORDER BY year) AS years,
                   coalesce(list(DISTINCT year ORDER BY year) FILTER (WHERE provisional), []) AS provisional_years
            FROM trade_record
            WHERE list_contains($reporters, reporter_iso3) AND list_contains($partners, partner_iso3)
              AND hs_code = 'TOTAL' AND flow IN ('export', 'import') AND complete
            GROUP BY ALL
            """,
            {"reporters": [COLOMBIA, *PEERS], "partners": [CHINA, UNITED_STATES, WORLD]},
        ).df()
    finally:
        con.close()


def render_peer_coverage(coverage: pd.DataFrame) -> str:
    """One line per reporter, flow and partner: the record's sources in the order the years come."""
    if coverage.empty:
        return "Colombia and its peers: no trade rows with China, the USA or the World"
    lines = [
        "Colombia and its peers: the series of record with China, the USA and the World (complete years by source)",
        f"{'reporter':<8} {'flow':<7} {'partner':<7}  sources and years",
    ]
    order = {code: index for index, code in enumerate([COLOMBIA, *PEERS])}
    partners = {code: index for index, code in enumerate([CHINA, UNITED_STATES, WORLD])}
    keys = sorted(
        {
            (r, f, p)
            for r, f, p in zip(
                coverage["reporter_iso3"], coverage["flow"], coverage["partner_iso3"], strict=True
            )
        },
        key=lambda k: (order[k[0]], k[1], partners[k[2]]),
    )
    for reporter, flow, partner in keys:
        rows = coverage[(coverage["reporter_iso3"] == reporter) & (coverage["flow"] == flow)
                        & (coverage["partner_iso3"] == partner)]  # fmt: skip
        parts = sorted((min(r["years"]), _years_text(r)) for r in rows.to_dict("records"))
        lines.append(f"{reporter:<8} {flow:<7} {partner:<7}  " + "; ".join(text for _, text in parts))
    return "\n".join(lines)


def _years_text(row: dict) -> str:
    text = f"{row['source']} {format_years(row['years'], dash='-')}"
    provisional = list(row["provisional_years"])
    return text + (f" ({format_years(provisional, dash='-')} provisional)" if provisional else "")
