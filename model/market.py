"""The importing market as aligned NumPy arrays: one row per (HS10 line, exporting partner).

Rows are sorted by product, so every HS prefix selects a contiguous range of products (found by binary
search) and a scenario never scans strings row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Median of the bundled Hauk US HS6 estimates that are correctly signed and significant at 5 % (−1.259),
# rounded; used for lines without an estimate and flagged as "default" wherever results are shown.
DEFAULT_IMPORT_DEMAND = -1.25


@dataclass(frozen=True)
class Market:
    products: np.ndarray  # sorted unique HS10 codes (str)
    partners: np.ndarray  # unique partner ISO3 codes (str)
    product_index: np.ndarray  # per row → products
    partner_index: np.ndarray  # per row → partners
    imports: np.ndarray  # baseline imports, USD
    duty: np.ndarray  # calculated duty, USD
    product_eta: np.ndarray  # per product: import-demand elasticity (negative)
    product_eta_is_default: np.ndarray  # per product: True where no estimate was found

    @property
    def t0(self) -> np.ndarray:
        return np.divide(self.duty, self.imports, out=np.zeros_like(self.imports), where=self.imports > 0)

    @property
    def rows(self) -> int:
        return int(self.imports.size)

    def chapters(self) -> tuple[np.ndarray, np.ndarray]:
        """(unique chapters, per-row chapter index)."""
        product_chapter = np.array([code[:2] for code in self.products])
        unique, inverse = np.unique(product_chapter, return_inverse=True)
        return unique, inverse[self.product_index]

    def subset(self, row_mask: np.ndarray) -> Market:
        """The rows in `row_mask`, products re-indexed so the product index stays dense."""
        used = np.zeros(self.products.size, dtype=bool)
        used[self.product_index[row_mask]] = True
        new_index = np.cumsum(used) - 1
        return Market(
            products=self.products[used],
            partners=self.partners,
            product_index=new_index[self.product_index[row_mask]],
            partner_index=self.partner_index[row_mask],
            imports=self.imports[row_mask],
            duty=self.duty[row_mask],
            product_eta=self.product_eta[used],
            product_eta_is_default=self.product_eta_is_default[used],
        )


def build_market(lines: pd.DataFrame, elasticities: pd.DataFrame | None = None) -> Market:
    """Encode import lines (columns hs10, partner_iso3, imports_usd, duty_usd) and attach elasticities.

    `elasticities` (columns hs6, elasticity; negative values only are used) gives η per HS6; a line whose HS6
    has no estimate takes the median of its HS4 heading's estimates, else DEFAULT_IMPORT_DEMAND.
    Rows with no positive import value are dropped: they carry no trade to simulate.
    """
    frame = lines.loc[lines["imports_usd"] > 0, ["hs10", "partner_iso3", "imports_usd", "duty_usd"]]
    frame = frame.sort_values(["hs10", "partner_iso3"], kind="stable")
    product_codes, products = pd.factorize(frame["hs10"], sort=True)
    partner_codes, partners = pd.factorize(frame["partner_iso3"], sort=True)
    products = np.asarray(products, dtype=str)
    eta, is_default = product_elasticities(products, elasticities)
    return Market(
        products=products,
        partners=np.asarray(partners, dtype=str),
        product_index=product_codes.astype(np.int64),
        partner_index=partner_codes.astype(np.int64),
        imports=frame["imports_usd"].to_numpy(dtype=float),
        duty=frame["duty_usd"].fillna(0.0).clip(lower=0.0).to_numpy(dtype=float),
        product_eta=eta,
        product_eta_is_default=is_default,
    )


def product_elasticities(
    products: np.ndarray, elasticities: pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray]:
    """η per product (HS6 estimate, else HS4 median, else the default) and where the default was used."""
    eta = np.full(products.size, DEFAULT_IMPORT_DEMAND)
    is_default = np.ones(products.size, dtype=bool)
    if elasticities is None or elasticities.empty:
        return eta, is_default
    usable = elasticities.loc[elasticities["elasticity"] < 0, ["hs6", "elasticity"]]
    by_hs6 = dict(zip(usable["hs6"], usable["elasticity"], strict=True))
    by_hs4 = usable.assign(hs4=usable["hs6"].str[:4]).groupby("hs4")["elasticity"].median().to_dict()
    for i, code in enumerate(products):
        value = by_hs6.get(code[:6])
        if value is None:
            value = by_hs4.get(code[:4])
        if value is not None:
            eta[i] = value
            is_default[i] = False
    return eta, is_default


def prefix_product_mask(products: np.ndarray, prefixes: tuple[str, ...] | None) -> np.ndarray:
    """Products (sorted) whose code starts with any of `prefixes`; None selects all."""
    if prefixes is None:
        return np.ones(products.size, dtype=bool)
    wanted = np.asarray(prefixes, dtype=str)
    low = np.searchsorted(products, wanted, side="left")
    high = np.searchsorted(products, np.char.add(wanted, "\uffff"), side="left")
    marks = np.zeros(products.size + 1, dtype=np.int64)
    np.add.at(marks, low, 1)
    np.add.at(marks, high, -1)
    return np.cumsum(marks[:-1]) > 0


def partner_row_mask(
    market: Market, partners: tuple[str, ...] | None, excluded: tuple[str, ...] = ()
) -> np.ndarray:
    """Rows whose partner is in `partners` (None = all) and not in `excluded`."""
    selected = (
        np.ones(market.partners.size, dtype=bool) if partners is None else np.isin(market.partners, partners)
    )
    if excluded:
        selected &= ~np.isin(market.partners, excluded)
    return selected[market.partner_index]
