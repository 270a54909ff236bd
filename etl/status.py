"""`balanza status`: which years each series covers, at which HS levels — read straight from `trade`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.db import connect_read_only
from etl.schema import AREAS_NES, CHINA, COLOMBIA, EUROPEAN_UNION, UNITED_STATES, WORLD
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
