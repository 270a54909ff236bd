"""Colombia first: the table every scenario result carries of Colombia's exports to the US by product group, beside
Ecuador, Central America, Brazil and Vietnam (groups and peers in model/result.py).

The product groups are disjoint (no HS code is a prefix of another group's), so each market row of a peer falls in
exactly one cell (peer × named group or the rest) and every column of the table is one `bincount` over those rows;
"all goods" is the sum of a peer's cells."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class ColombiaCells:
    """The rows of the Colombia table and the market rows that feed each: `labels` holds (partner group, its ISO3
    codes, product group, its HS codes) per table row, peer by peer, named groups, the rest, then all goods;
    `rows` are the market rows of any peer and `cell` their cell (peer × group, all goods excepted)."""

    labels: tuple[tuple[str, str, str, str], ...]
    rows: np.ndarray
    cell: np.ndarray
    peers: int
    groups: int

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Sum of `values` (one per market row) in each table row, in the order of `labels`."""
        by_cell = np.bincount(self.cell, values[self.rows], self.peers * self.groups).reshape(
            self.peers, self.groups
        )
        return np.hstack([by_cell, by_cell.sum(axis=1, keepdims=True)]).ravel()


def colombia_cells(market: Market) -> ColombiaCells:
    """The Colombia table's cells over `market`: each of COLOMBIA_PEERS by each of COLOMBIA_PRODUCT_GROUPS, the
    rest, and all goods."""
    product_group = np.full(market.products.size, len(COLOMBIA_PRODUCT_GROUPS), dtype=np.int64)  # the rest
    for g, (_, prefixes) in enumerate(COLOMBIA_PRODUCT_GROUPS):
        product_group[prefix_product_mask(market.products, prefixes)] = g
    partner_peer = np.full(market.partners.size, -1, dtype=np.int64)
    for p, (_, codes) in enumerate(COLOMBIA_PEERS):
        partner_peer[np.isin(market.partners, codes)] = p
    groups = len(COLOMBIA_PRODUCT_GROUPS) + 1
    row_peer = partner_peer[market.partner_index]
    rows = np.flatnonzero(row_peer >= 0)
    cell = row_peer[rows] * groups + product_group[market.product_index[rows]]
    group_labels = [(label, ", ".join(prefixes)) for label, prefixes in COLOMBIA_PRODUCT_GROUPS]
    group_labels += [(OTHER_GOODS, "all other"), (ALL_GOODS, "all")]
    labels = tuple(
        (peer, ", ".join(codes), label, hs) for peer, codes in COLOMBIA_PEERS for label, hs in group_labels
    )
    return ColombiaCells(labels=labels, rows=rows, cell=cell, peers=len(COLOMBIA_PEERS), groups=groups)


def colombia_table(
    cells: ColombiaCells,
    effects: SmartEffects | None,
    t0: np.ndarray,
    t1: np.ndarray,
    band: np.ndarray | None = None,
) -> pd.DataFrame:
    """The Colombia table (COLOMBIA_COLUMNS) from its cells and a run; without a run (`effects` None: a purchase
    scenario) the US imports stay as they were."""
    n = len(cells.labels)
    table = pd.DataFrame(
        list(cells.labels), columns=["partner_group", "partners", "product_group", "hs_codes"]
    )
    if effects is None:
        nan, zero = np.full(n, np.nan), np.zeros(n)
        baseline, change, creation, diversion, price = nan, zero, zero, zero, zero
        before = after = nan
    else:
        baseline = cells.sums(effects.baseline)
        change = cells.sums(effects.total_change)
        creation = cells.sums(effects.trade_creation)
        diversion = cells.sums(effects.trade_diversion)
        price = cells.sums(effects.price_effect)
        with np.errstate(invalid="ignore", divide="ignore"):
            before = np.where(baseline > 0, 100.0 * cells.sums(t0 * effects.baseline) / baseline, np.nan)
            after = np.where(baseline > 0, 100.0 * cells.sums(t1 * effects.baseline) / baseline, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(baseline > 0, 100.0 * change / baseline, np.nan)
    table["baseline_usd"] = baseline
    table["after_usd"] = baseline + change
    table["total_change_usd"] = change
    table["total_change_pct"] = pct
    table["trade_creation_usd"] = creation
    table["trade_diversion_usd"] = diversion
    table["price_effect_usd"] = price
    table["tariff_before_pct"] = before
    table["tariff_after_pct"] = after
    table["low_usd"] = band[0] if band is not None else change
    table["high_usd"] = band[1] if band is not None else change
    return table[list(COLOMBIA_COLUMNS)]
