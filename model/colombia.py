"""Colombia first: the table every scenario result carries of Colombia's exports to the US by product group, beside
Ecuador, Central America, Brazil and Vietnam (groups and peers in model/result.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.market import Market, prefix_product_mask
from model.result import (
    ALL_GOODS,
    COLOMBIA_COLUMNS,
    COLOMBIA_PEERS,
    COLOMBIA_PRODUCT_GROUPS,
    OTHER_GOODS,
)
from model.smart import SmartEffects


def colombia_group_masks(market: Market) -> list[tuple[str, str, str, str, np.ndarray]]:
    """(partner group, its ISO3 codes, product group, its HS codes, row mask) for every row of the Colombia table:
    each of COLOMBIA_PEERS by each of COLOMBIA_PRODUCT_GROUPS, the rest, and all goods."""
    named = np.zeros(market.products.size, dtype=bool)
    groups = []
    for label, prefixes in COLOMBIA_PRODUCT_GROUPS:
        mask = prefix_product_mask(market.products, prefixes)
        named |= mask
        groups.append((label, ", ".join(prefixes), mask))
    groups.append((OTHER_GOODS, "all other", ~named))
    groups.append((ALL_GOODS, "all", np.ones(market.products.size, dtype=bool)))
    out = []
    for peer, codes in COLOMBIA_PEERS:
        partner_rows = np.isin(market.partners, codes)[market.partner_index]
        for label, hs, product_mask in groups:
            out.append((peer, ", ".join(codes), label, hs, partner_rows & product_mask[market.product_index]))
    return out


def colombia_table(
    masks: list[tuple[str, str, str, str, np.ndarray]],
    effects: SmartEffects | None,
    t0: np.ndarray,
    t1: np.ndarray,
    band: np.ndarray | None = None,
) -> pd.DataFrame:
    """The Colombia table (COLOMBIA_COLUMNS) from row masks and a run; without a run (`effects` None: a purchase
    scenario) the US imports stay as they were."""
    rows = []
    for i, (peer, codes, label, hs, mask) in enumerate(masks):
        baseline = float(effects.baseline[mask].sum()) if effects is not None else float("nan")
        change = float(effects.total_change[mask].sum()) if effects is not None else 0.0
        rows.append({
            "partner_group": peer, "partners": codes, "product_group": label, "hs_codes": hs,
            "baseline_usd": baseline, "after_usd": baseline + change, "total_change_usd": change,
            "total_change_pct": 100.0 * change / baseline if baseline else float("nan"),
            "trade_creation_usd": float(effects.trade_creation[mask].sum()) if effects is not None else 0.0,
            "trade_diversion_usd": float(effects.trade_diversion[mask].sum()) if effects is not None else 0.0,
            "price_effect_usd": float(effects.price_effect[mask].sum()) if effects is not None else 0.0,
            "tariff_before_pct": _weighted_pct(t0[mask], effects.baseline[mask]) if effects is not None else float("nan"),
            "tariff_after_pct": _weighted_pct(t1[mask], effects.baseline[mask]) if effects is not None else float("nan"),
            "low_usd": band[0, i] if band is not None else change,
            "high_usd": band[1, i] if band is not None else change,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLOMBIA_COLUMNS))


def _weighted_pct(rates: np.ndarray, weights: np.ndarray) -> float:
    total = float(weights.sum())
    return 100.0 * float((rates * weights).sum()) / total if total else float("nan")
