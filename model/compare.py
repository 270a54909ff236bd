"""Side-by-side comparison of saved scenario results (pure: results in, DataFrames out)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from model.result import ScenarioResult, colombia_first

HEADLINES = (
    ("baseline_usd", "Baseline imports"),
    ("total_change_usd", "Change in imports"),
    ("total_change_low_usd", "Change, low"),
    ("total_change_high_usd", "Change, high"),
    ("gross_diversion_usd", "Switching between suppliers"),
    ("tariff_revenue_change_usd", "Tariff revenue change"),
    ("consumer_surplus_change_usd", "Consumer surplus change"),
    ("welfare_change_usd", "Net welfare change"),
    ("balance_before_usd", "Balance before"),
    ("balance_after_usd", "Balance after"),
)


def headline_table(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """One row per headline figure, one column per scenario (blank where a figure does not apply)."""
    rows = []
    for key, label in HEADLINES:
        if not any(key in r.totals for r in results):
            continue
        row: dict[str, str | float | None] = {"measure": label}
        for result in results:
            value = result.totals.get(key)
            row[result.name] = float(value) if isinstance(value, int | float) else None
        rows.append(row)
    return pd.DataFrame(rows)


def partner_comparison(
    results: Sequence[ScenarioResult], labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """Change in imports by partner, one column per scenario, plus the difference from the first scenario; Colombia's
    row first, then Ecuador, Central America, Brazil and Vietnam (`colombia_first`)."""
    labels = labels or {}
    merged: pd.DataFrame | None = None
    for result in results:
        column = result.by_partner[["partner_iso3", "total_change_usd"]].rename(
            columns={"total_change_usd": result.name}
        )
        merged = column if merged is None else merged.merge(column, on="partner_iso3", how="outer")
    if merged is None:
        return pd.DataFrame(columns=["partner_iso3", "partner"])
    merged.insert(1, "partner", [f"{labels.get(p, p)} ({p})" for p in merged["partner_iso3"]])
    names = [r.name for r in results]
    for name in names[1:]:
        merged[f"{name} − {names[0]}"] = merged[name].fillna(0) - merged[names[0]].fillna(0)
    return colombia_first(merged).reset_index(drop=True)


def colombia_comparison(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """Colombia's exports to the US by product group beside its peers, one column of change (USD) per scenario:
    the Colombia tables of the results side by side (rows as COLOMBIA_PEERS × product groups)."""
    merged: pd.DataFrame | None = None
    keys = ["partner_group", "product_group"]
    for result in results:
        if result.colombia.empty:
            continue
        table = result.colombia[[*keys, "baseline_usd", "total_change_usd"]].rename(
            columns={"total_change_usd": result.name}
        )
        merged = (
            table
            if merged is None
            else merged.merge(
                table.drop(columns="baseline_usd"), on=keys, how="left"
            )  # same rows, first order
        )
    return merged if merged is not None else pd.DataFrame(columns=[*keys, "baseline_usd"])
