"""Tariff change kinds, applied to the baseline tariffs of the selected lines.

All rates are fractions (0.10 = 10 %), except `add_pp` (percentage points) and the Swiss coefficient
(in points, as negotiators quote it: a = 16 caps every tariff below 16 %).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from model.market import Market, partner_row_mask, prefix_product_mask
from model.spec import TariffChange


def changed_rate(kind: str, value: float | np.ndarray, current: np.ndarray) -> np.ndarray:
    """The new tariff for each current tariff under one change kind (value may be per row)."""
    if kind == "new_rate":
        return np.broadcast_to(np.asarray(value, dtype=float), current.shape).copy()
    if kind == "add_pp":
        return np.maximum(current + np.asarray(value) / 100.0, 0.0)
    if kind == "max_rate":
        return np.minimum(current, value)
    if kind == "min_rate":
        return np.maximum(current, value)
    if kind == "linear_cut":
        return current * (1.0 - np.asarray(value))
    if kind == "swiss":
        coefficient = np.asarray(value) / 100.0
        return coefficient * current / (coefficient + current)
    raise ValueError(f"unknown tariff change kind {kind!r}")


def expand_products(
    items: tuple[str, ...] | None, lists: Mapping[str, tuple[str, ...]]
) -> tuple[str, ...] | None:
    """HS prefixes with bundled list names replaced by their codes (None stays "all")."""
    if items is None:
        return None
    out: list[str] = []
    for item in items:
        out.extend(lists.get(item, (item,)) if not item.isdigit() else (item,))
    return tuple(out)


def tariff_steps(
    market: Market,
    changes: tuple[TariffChange, ...],
    exempt_products: np.ndarray | None = None,
    lists: Mapping[str, tuple[str, ...]] | None = None,
    rates: Mapping[str, Mapping[str, float]] | None = None,
) -> list[np.ndarray]:
    """t1 per row after each change in turn (the last is the scenario's t1); exempt lines keep t0.

    `lists` maps bundled list names used in `products`/`except_products` to HTS prefixes; `rates` maps a
    rate list's name to {partner ISO3: rate in percent} for changes with `rate_list`.
    """
    lists = lists or {}
    rates = rates or {}
    t1 = market.t0.copy()
    exempt_rows = (
        exempt_products[market.product_index]
        if exempt_products is not None
        else np.zeros(market.rows, dtype=bool)
    )
    steps = []
    for change in changes:
        product_mask = prefix_product_mask(market.products, expand_products(change.products, lists))
        if change.except_products:
            product_mask &= ~prefix_product_mask(
                market.products, expand_products(change.except_products, lists)
            )
        rows = product_mask[market.product_index]
        rows &= partner_row_mask(market, change.partners, change.except_partners)
        rows &= ~exempt_rows
        value: float | np.ndarray = change.value
        if change.rate_list is not None:
            table = rates.get(change.rate_list, {})
            per_partner = np.array([table.get(p, np.nan) for p in market.partners], dtype=float)
            if change.others is not None:
                per_partner = np.where(np.isnan(per_partner), change.others, per_partner)
            row_values = per_partner[market.partner_index]
            rows &= ~np.isnan(row_values)
            value = row_values[rows]
        t1[rows] = changed_rate(change.kind, value, t1[rows])
        steps.append(t1.copy())
    return steps


def new_tariffs(
    market: Market,
    changes: tuple[TariffChange, ...],
    exempt_products: np.ndarray | None = None,
    lists: Mapping[str, tuple[str, ...]] | None = None,
    rates: Mapping[str, Mapping[str, float]] | None = None,
) -> np.ndarray:
    """t1 per row: the changes applied in order, each to its partners and products; exempt lines keep t0."""
    steps = tariff_steps(market, changes, exempt_products, lists, rates)
    return steps[-1] if steps else market.t0.copy()
