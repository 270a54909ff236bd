"""Colombia's total trade balance split into China, the United States and the rest of the world.

Pure: a wide balance frame in, one row per year out. The rest of the world is the World balance minus
the two partners', so the three parts add up to the total exactly; a year without all three balances keeps
its total (when there is one) and leaves the parts empty, never zero.
"""

from __future__ import annotations

import pandas as pd

from etl.schema import CHINA, UNITED_STATES, WORLD

PARTS = (CHINA, UNITED_STATES, WORLD)
COLUMNS = ["year", CHINA, UNITED_STATES, "rest", "total"]


def split(wide: pd.DataFrame, value: str = "balance", world: str = WORLD) -> pd.DataFrame:
    """Rows: year, CHN, USA, rest, total (in the unit of ``value``); only years with a World balance.

    ``wide``: rows per (partner_iso3, year) with the balance in column ``value`` (as from
    ``queries.query_balances``: the headline balance, possibly converted to another unit).
    """
    if wide.empty:
        return pd.DataFrame(columns=COLUMNS)
    pivot = wide.pivot_table(index="year", columns="partner_iso3", values=value, aggfunc="first")
    if world not in pivot:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.DataFrame({"year": pivot.index.astype(int)})
    out["total"] = pivot[world].to_numpy(dtype="float64")
    for partner in (CHINA, UNITED_STATES):
        out[partner] = pivot[partner].to_numpy(dtype="float64") if partner in pivot else float("nan")
    out["rest"] = out["total"] - out[CHINA] - out[UNITED_STATES]  # NaN unless all three exist
    partial = out["rest"].isna()
    out.loc[partial, [CHINA, UNITED_STATES]] = float(
        "nan"
    )  # bars that would not add up to the total are not drawn
    out = out[out["total"].notna()]
    return out[COLUMNS].sort_values("year").reset_index(drop=True)
