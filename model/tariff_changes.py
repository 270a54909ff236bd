"""Tariff change kinds, applied to the baseline tariffs of the selected lines.

All rates are fractions (0.10 = 10 %), except `add_pp` (percentage points) and the Swiss coefficient
(in points, as negotiators quote it: a = 16 caps every tariff below 16 %).
"""

from __future__ import annotations

import numpy as np

from model.market import Market, partner_row_mask, prefix_product_mask
from model.spec import TariffChange

SWISS_DEFAULT = 16.0


def changed_rate(kind: str, value: float, current: np.ndarray) -> np.ndarray:
    """The new tariff for each current tariff under one change kind."""
    if kind == "new_rate":
        return np.full_like(current, value)
    if kind == "add_pp":
        return np.maximum(current + value / 100.0, 0.0)
    if kind == "max_rate":
        return np.minimum(current, value)
    if kind == "linear_cut":
        return current * (1.0 - value)
    if kind == "swiss":
        coefficient = value / 100.0
        return coefficient * current / (coefficient + current)
    raise ValueError(f"unknown tariff change kind {kind!r}")


def new_tariffs(
    market: Market, changes: tuple[TariffChange, ...], exempt_products: np.ndarray | None = None
) -> np.ndarray:
    """t1 per row: the changes applied in order, each to its partners and products; exempt lines keep t0."""
    t1 = market.t0.copy()
    exempt_rows = (
        exempt_products[market.product_index]
        if exempt_products is not None
        else np.zeros(market.rows, dtype=bool)
    )
    for change in changes:
        rows = prefix_product_mask(market.products, change.products)[market.product_index]
        rows &= partner_row_mask(market, change.partners, change.except_partners)
        rows &= ~exempt_rows
        t1[rows] = changed_rate(change.kind, change.value, t1[rows])
    return t1
