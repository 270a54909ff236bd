"""Side-by-side comparison of saved scenario results (pure: results in, DataFrames out)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from model.result import ScenarioResult

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
    """Change in imports by partner, one column per scenario, plus the difference from the first scenario."""
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
    return merged
