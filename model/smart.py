"""The partial-equilibrium engine: trade creation, trade diversion, price effect, revenue and welfare.

One importing market; rows are (product, exporting partner) pairs. World prices are normalised to 1, so a
baseline import value is read as a quantity (as in WITS-SMART). The SMART system is solved in levels, not
linearised, so it holds for any tariff change (equations in docs/scenarios.md, "Equations"):

    ρ_k  = (1 + t1_k) / (1 + t0_k)                                tariff factor
    q_k  = ρ_k · p_k                                              domestic price ratio (p_k: world price ratio)
    C_k  = M_k · q_k^η                                            own-price (creation) step, constant elasticity
    X_k  = (Σ_j C_j) · C_k q_k^−σ / Σ_j C_j q_j^−σ                Armington reallocation of the product's total
    TC_k = C_k − M_k,  TD_k = X_k − C_k  (Σ_k TD_k = 0 per product),  PE_k = X_k (p_k − 1)

With infinitely elastic export supply (ε ≥ 99) p_k = 1. With finite ε each exporter supplies M_k p_k^ε and the
market clears (X_k = M_k p_k^ε) at the closed form of `world_price_factors`: no linear approximation, so the
domestic price never falls when a tariff rises and no flow goes below zero.

Everything is vectorised: one pass over ~200,000 rows takes a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INFINITE_SUPPLY = 99.0  # SMART's convention: ε = 99 stands for infinitely elastic export supply
DEFAULT_SUBSTITUTION = 1.5  # SMART default σ between suppliers of one product
DEFAULT_SUPPLY = INFINITE_SUPPLY
MIN_SUPPLY = 0.01  # below this the exporters' price would carry almost the whole tariff: refused by name


class ModelRangeError(ValueError):
    """A parameter outside the range where the model's equations are defined (names the parameter)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


@dataclass(frozen=True)
class SmartEffects:
    """Per-row effects, all in USD of the baseline year (arrays aligned with the input rows)."""

    baseline: np.ndarray
    trade_creation: np.ndarray
    trade_diversion: np.ndarray
    price_effect: np.ndarray
    total_change: np.ndarray
    revenue_before: np.ndarray
    revenue_after: np.ndarray
    consumer_surplus_change: np.ndarray
    new_quantity: np.ndarray  # X_k: quantity imported after the change (baseline world prices)
    world_price: np.ndarray  # p_k: exporters' price ratio (1 with infinite supply)
    domestic_price: np.ndarray  # q_k = ρ_k p_k: price ratio paid in the importing market


def smart_effects(
    imports: np.ndarray,
    t0: np.ndarray,
    t1: np.ndarray,
    product_index: np.ndarray,
    eta: np.ndarray | float,
    sigma: np.ndarray | float,
    epsilon: float = DEFAULT_SUPPLY,
) -> SmartEffects:
    """Run the model on aligned arrays.

    imports: baseline import value M (USD, ≥ 0); t0/t1: ad-valorem tariffs as fractions (> −1);
    product_index: integers 0..G−1 grouping the suppliers of one product; eta: import-demand elasticity
    (negative), per row or scalar, the same for every row of a product; sigma: substitution elasticity
    (≥ 0), per row or scalar, the same within a product; epsilon: export supply elasticity (≥ MIN_SUPPLY;
    ≥ 99 = infinite). Raises ModelRangeError for parameters outside that range.
    """
    imports = np.asarray(imports, dtype=float)
    t0 = np.asarray(t0, dtype=float)
    t1 = np.asarray(t1, dtype=float)
    product_index = np.asarray(product_index, dtype=np.int64)
    eta = np.broadcast_to(np.asarray(eta, dtype=float), imports.shape)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), imports.shape)
    _check_range(t0, t1, eta, sigma, epsilon)

    ratio = (1.0 + t1) / (1.0 + t0)
    groups = int(product_index.max()) + 1 if imports.size else 0
    world_price = world_price_factors(imports, ratio, product_index, eta, sigma, epsilon, groups)
    domestic = ratio * world_price
    created, new_quantity = demand(imports, domestic, product_index, eta, sigma, groups)

    trade_creation = created - imports
    trade_diversion = new_quantity - created
    new_value = new_quantity * world_price
    price_effect = new_value - new_quantity
    total_change = new_value - imports

    revenue_before = t0 * imports
    revenue_after = t1 * new_value
    # Consumers: the rise in the domestic price (per dollar of baseline imports) on the mean of the old and
    # new quantities (trapezoid rule between the two points of the demand curve).
    domestic_price_change = (1.0 + t0) * (domestic - 1.0)
    consumer_surplus_change = -domestic_price_change * 0.5 * (imports + new_quantity)
    return SmartEffects(
        baseline=imports,
        trade_creation=trade_creation,
        trade_diversion=trade_diversion,
        price_effect=price_effect,
        total_change=total_change,
        revenue_before=revenue_before,
        revenue_after=revenue_after,
        consumer_surplus_change=consumer_surplus_change,
        new_quantity=new_quantity,
        world_price=world_price,
        domestic_price=domestic,
    )


def demand(
    imports: np.ndarray,
    domestic: np.ndarray,
    product_index: np.ndarray,
    eta: np.ndarray,
    sigma: np.ndarray,
    groups: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(C, X): the creation step M q^η and the quantities after Armington reallocation of Σ C.

    X_k = (Σ_j C_j) · C_k q_k^−σ / Σ_j C_j q_j^−σ within each product: positive for every q > 0, Σ X = Σ C,
    and X = C when σ = 0 or when every supplier's price moves in the same proportion.
    """
    if imports.size == 0:
        return imports.copy(), imports.copy()
    log_q = np.log(domestic)
    created = imports * np.exp(eta * log_q)
    weighted = created * np.exp(-sigma * log_q)
    total_created = np.bincount(product_index, weights=created, minlength=groups)
    total_weighted = np.bincount(product_index, weights=weighted, minlength=groups)
    scale = np.divide(
        total_created, total_weighted, out=np.ones_like(total_created), where=total_weighted > 0
    )
    new_quantity = weighted * scale[product_index]
    # A product whose price ratio is the same for all suppliers reallocates nothing: remove rounding noise.
    same = _uniform(log_q, product_index, groups)[product_index] | (sigma == 0.0)
    new_quantity[same] = created[same]
    return created, new_quantity


def world_price_factors(
    imports: np.ndarray,
    ratio: np.ndarray,
    product_index: np.ndarray,
    eta: np.ndarray,
    sigma: np.ndarray,
    epsilon: float,
    groups: int,
) -> np.ndarray:
    """Exporters' price ratios p that clear every market: X_k(ρ p) = M_k p_k^ε (closed form).

    With q_k = ρ_k p_k the clearing condition reads q_k^(ε−η+σ) = λ_g ρ_k^ε with one scalar per product,
    λ_g = Σ C_j / Σ C_j q_j^−σ. Writing q_k = λ_g^(1/(ε−η+σ)) q⁰_k with q⁰_k = ρ_k^(ε/(ε−η+σ)), λ_g scales
    as λ_g = λ⁰_g · λ_g^(σ/(ε−η+σ)), so ln λ_g = ln λ⁰_g · (ε−η+σ)/(ε−η), where λ⁰_g is λ evaluated at q⁰.
    ε ≥ 99 stands for infinite supply: p = 1.
    """
    if epsilon >= INFINITE_SUPPLY or imports.size == 0:
        return np.ones_like(ratio)
    exponent = 1.0 / (epsilon - eta + sigma)
    log_q0 = epsilon * exponent * np.log(ratio)
    a = imports * np.exp(eta * log_q0)
    b = a * np.exp(-sigma * log_q0)
    sum_a = np.bincount(product_index, weights=a, minlength=groups)
    sum_b = np.bincount(product_index, weights=b, minlength=groups)
    log_lambda0 = np.log(np.divide(sum_a, sum_b, out=np.ones_like(sum_a), where=(sum_b > 0) & (sum_a > 0)))
    log_q = log_lambda0[product_index] / (epsilon - eta) + log_q0
    return np.exp(log_q) / ratio


def _check_range(t0: np.ndarray, t1: np.ndarray, eta: np.ndarray, sigma: np.ndarray, epsilon: float) -> None:
    # One reduction per array: a comparison is False for NaN, and a sum is not finite if any term is not.
    if not np.isfinite(epsilon) or epsilon < MIN_SUPPLY:
        raise ModelRangeError(
            "supply", f"export supply elasticity ε = {epsilon} is outside the model's range (≥ {MIN_SUPPLY})"
        )
    if eta.size and not (np.all(eta < 0) and np.isfinite(eta.sum())):
        raise ModelRangeError("import_demand", "import-demand elasticities must be finite and negative")
    if sigma.size and not (np.all(sigma >= 0) and np.isfinite(sigma.sum())):
        raise ModelRangeError("substitution", "substitution elasticities must be finite and ≥ 0")
    if t0.size and not (np.all(t0 > -1) and np.all(t1 > -1) and np.isfinite(t0.sum() + t1.sum())):
        raise ModelRangeError("tariff", "tariffs must be finite fractions above −1 (−100 %)")


def _uniform(values: np.ndarray, product_index: np.ndarray, groups: int) -> np.ndarray:
    """Per product: True where every supplier's value is the same (to rounding)."""
    low = np.full(groups, np.inf)
    high = np.full(groups, -np.inf)
    np.minimum.at(low, product_index, values)
    np.maximum.at(high, product_index, values)
    return high - low <= 1e-14 * np.maximum(np.abs(high), 1.0)
