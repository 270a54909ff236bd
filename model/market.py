"""The importing market as aligned NumPy arrays: one row per (HS10 line, exporting partner).

Rows are sorted by product, so every HS prefix selects a contiguous range of products (found by binary
search) and a scenario never scans strings row by row.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from etl.schema import EU_MEMBERS, EUROPEAN_UNION

# Median of the bundled Hauk US HS6 estimates that are correctly signed and significant at 5 % (−1.259),
# rounded; used for lines without an estimate and flagged as "default" wherever results are shown.
DEFAULT_IMPORT_DEMAND = -1.25
# How a line found its elasticity (docs/scenarios.md, "Elasticities"): the estimate of the same HS6 code,
# the median of the estimates sharing its first five digits, of its HS4 heading, or the default.
MATCHES = ("same code", "5-digit group", "heading median", "default")
# A substitution estimate is used when it is positive, significant at 5 % (σ / s.e. > 1.96) and at most this.
MAX_SENSIBLE_SIGMA = 20.0
Z95 = 1.959964


@dataclass(frozen=True)
class Elasticities:
    """Per product: value, standard error (NaN where none) and how it was matched (index into MATCHES)."""

    value: np.ndarray
    std_error: np.ndarray
    match: np.ndarray

    @property
    def is_default(self) -> np.ndarray:
        return self.match == MATCHES.index("default")


@dataclass(frozen=True)
class Market:
    products: np.ndarray  # sorted unique product codes (HS10 lines, or HS6 at level "hs6") (str)
    partners: np.ndarray  # unique partner ISO3 codes (str)
    product_index: np.ndarray  # per row → products
    partner_index: np.ndarray  # per row → partners
    imports: np.ndarray  # baseline imports, USD
    duty: np.ndarray  # calculated duty, USD
    product_eta: np.ndarray  # per product: import-demand elasticity (negative)
    product_eta_is_default: np.ndarray  # per product: True where no estimate was found
    eta_std_error: np.ndarray | None = None  # per product (NaN where the estimate is not the line's own)
    eta_match: np.ndarray | None = None  # per product: index into MATCHES
    product_sigma: np.ndarray | None = None  # per product: substitution estimate (NaN where none is sensible)
    sigma_std_error: np.ndarray | None = None
    sigma_match: np.ndarray | None = None
    level: str = "hs10"
    dropped_partners: tuple[str, ...] = ()  # EU members left out because the EU aggregate (EUN) is a partner

    @property
    def t0(self) -> np.ndarray:
        return np.divide(self.duty, self.imports, out=np.zeros_like(self.imports), where=self.imports > 0)

    @property
    def rows(self) -> int:
        return int(self.imports.size)

    def chapters(self) -> tuple[np.ndarray, np.ndarray]:
        """(unique chapters, per-row chapter index)."""
        product_chapter = self.products.astype("U2")  # the first two characters of each code
        unique, inverse = np.unique(product_chapter, return_inverse=True)
        return unique, inverse[self.product_index]

    def subset(self, row_mask: np.ndarray) -> Market:
        """The rows in `row_mask`, products re-indexed so the product index stays dense."""
        used = np.zeros(self.products.size, dtype=bool)
        used[self.product_index[row_mask]] = True
        new_index = np.cumsum(used) - 1

        def pick(values: np.ndarray | None) -> np.ndarray | None:
            return None if values is None else values[used]

        return replace(
            self,
            products=self.products[used],
            product_index=new_index[self.product_index[row_mask]],
            partner_index=self.partner_index[row_mask],
            imports=self.imports[row_mask],
            duty=self.duty[row_mask],
            product_eta=self.product_eta[used],
            product_eta_is_default=self.product_eta_is_default[used],
            eta_std_error=pick(self.eta_std_error),
            eta_match=pick(self.eta_match),
            product_sigma=pick(self.product_sigma),
            sigma_std_error=pick(self.sigma_std_error),
            sigma_match=pick(self.sigma_match),
        )


def build_market(
    lines: pd.DataFrame,
    elasticities: pd.DataFrame | None = None,
    substitution: pd.DataFrame | None = None,
    level: str = "hs10",
) -> Market:
    """Encode import lines (columns hs10, partner_iso3, imports_usd, duty_usd) and attach elasticities.

    At level "hs6" lines are summed to HS6 subheadings. Rows with no positive import value are dropped: they
    carry no trade to simulate. See `market_from_arrays` for the rest.
    """
    frame = lines.loc[lines["imports_usd"] > 0, ["hs10", "partner_iso3", "imports_usd", "duty_usd"]]
    if level == "hs6":
        frame = (
            frame.assign(hs10=frame["hs10"].str[:6])
            .groupby(["hs10", "partner_iso3"], as_index=False, sort=False)[["imports_usd", "duty_usd"]]
            .sum(min_count=1)
        )
    frame = frame.sort_values(["hs10", "partner_iso3"], kind="stable")
    product_codes, products = pd.factorize(frame["hs10"], sort=True)
    partner_codes, partners = pd.factorize(frame["partner_iso3"], sort=True)
    arrays = {
        "products": np.asarray(products, dtype=str),
        "partners": np.asarray(partners, dtype=str),
        "product_index": product_codes.astype(np.int64),
        "partner_index": partner_codes.astype(np.int64),
        "imports_usd": frame["imports_usd"].to_numpy(dtype=float),
        "duty_usd": frame["duty_usd"].fillna(0.0).clip(lower=0.0).to_numpy(dtype=float),
    }
    return market_from_arrays(arrays, elasticities, substitution, level)


def market_from_arrays(
    arrays: dict[str, np.ndarray],
    elasticities: pd.DataFrame | None = None,
    substitution: pd.DataFrame | None = None,
    level: str = "hs10",
) -> Market:
    """A market from encoded rows (model.data.query_market_arrays' keys), rows sorted by product.

    `elasticities` (columns hs6, elasticity, std_error; negative values only are used) gives η per HS6;
    `substitution` (hs6, sigma, std_error) gives σ where sensible (see `match_estimates`). When the EU aggregate
    (EUN) is a partner, rows of its members are left out so that no sum counts the EU and a member together
    (`dropped_partners` names them).
    """
    products, partners = arrays["products"], arrays["partners"]
    product_index, partner_index = arrays["product_index"], arrays["partner_index"]
    imports, duty = arrays["imports_usd"], arrays["duty_usd"]
    dropped: tuple[str, ...] = ()
    if EUROPEAN_UNION in partners:
        member = np.isin(partners, EU_MEMBERS)
        if member.any():
            dropped = tuple(partners[member].tolist())
            keep = ~member[partner_index]
            used_products, product_index = np.unique(product_index[keep], return_inverse=True)
            used_partners, partner_index = np.unique(partner_index[keep], return_inverse=True)
            products, partners = products[used_products], partners[used_partners]
            imports, duty = imports[keep], duty[keep]
    eta = match_estimates(products, elasticities, "elasticity", DEFAULT_IMPORT_DEMAND, usable=_usable_eta)
    sigma = match_estimates(products, substitution, "sigma", np.nan, usable=_usable_sigma)
    return Market(
        products=products,
        partners=partners,
        product_index=product_index.astype(np.int64),
        partner_index=partner_index.astype(np.int64),
        imports=imports,
        duty=duty,
        product_eta=eta.value,
        product_eta_is_default=eta.is_default,
        eta_std_error=eta.std_error,
        eta_match=eta.match,
        product_sigma=sigma.value,
        sigma_std_error=sigma.std_error,
        sigma_match=sigma.match,
        level=level,
        dropped_partners=dropped,
    )


def _usable_eta(frame: pd.DataFrame) -> pd.Series:
    significant = (
        frame["significant_5pct"].fillna(False).astype(bool) if "significant_5pct" in frame else True
    )
    return (frame["elasticity"] < 0) & significant


def _usable_sigma(frame: pd.DataFrame) -> pd.Series:
    se = frame["std_error"] if "std_error" in frame else pd.Series(np.nan, index=frame.index)
    return (frame["sigma"] > 0) & (frame["sigma"] <= MAX_SENSIBLE_SIGMA) & (frame["sigma"] > Z95 * se)


def match_estimates(
    products: np.ndarray,
    estimates: pd.DataFrame | None,
    column: str,
    default: float,
    usable: Callable[[pd.DataFrame], pd.Series] = _usable_eta,  # a row filter
) -> Elasticities:
    """Per product code (HS 2022 based): the usable HS 1988/92 estimate of the same six digits, else the median
    of those sharing its first five digits, else of its HS4 heading, else `default` (docs/scenarios.md)."""
    n = products.size
    value = np.full(n, default, dtype=float)
    std_error = np.full(n, np.nan)
    match = np.full(n, MATCHES.index("default"), dtype=np.int8)
    if estimates is None or estimates.empty or n == 0:
        return Elasticities(value, std_error, match)
    frame = estimates.loc[usable(estimates)]
    codes = [str(code) for code in frame["hs6"]]
    values = frame[column].to_numpy(dtype=float)
    errors = frame["std_error"].to_numpy(dtype=float) if "std_error" in frame else np.full(len(codes), np.nan)
    own = {code: (v, e) for code, v, e in zip(codes, values, errors, strict=True)}
    medians = []
    for digits in (5, 4):
        groups: dict[str, list[float]] = {}
        for code, v in zip(codes, values, strict=True):
            groups.setdefault(code[:digits], []).append(v)
        medians.append({key: statistics.median(vs) for key, vs in groups.items()})
    # Look each HS6 code up once (18,650 lines share 5,486 of them), then spread to the products.
    hs6, inverse = np.unique(products.astype("U6"), return_inverse=True)
    found_value = np.full(hs6.size, default, dtype=float)
    found_error = np.full(hs6.size, np.nan)
    found_match = np.full(hs6.size, MATCHES.index("default"), dtype=np.int8)
    for i, code in enumerate(hs6.tolist()):
        hit = own.get(code)
        if hit is not None:
            found_value[i], found_error[i], found_match[i] = hit[0], hit[1], 0
            continue
        for kind, table, digits in ((1, medians[0], 5), (2, medians[1], 4)):
            median = table.get(code[:digits])
            if median is not None:
                found_value[i], found_match[i] = median, kind
                break
    value, std_error, match = found_value[inverse], found_error[inverse], found_match[inverse]
    return Elasticities(value, std_error, match)


def product_elasticities(
    products: np.ndarray, elasticities: pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray]:
    """η per product (see `match_estimates`) and where the default was used."""
    found = match_estimates(products, elasticities, "elasticity", DEFAULT_IMPORT_DEMAND)
    return found.value, found.is_default


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
