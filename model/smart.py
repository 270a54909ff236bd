"""The partial-equilibrium engine: one importing market, rows are (product, exporting partner) pairs.

Two methods, chosen by the scenario's ``method`` (equations in docs/scenarios.md, "Equations"):

- ``"levels"`` (default): a nested CES (Armington) system solved exactly in levels. For each product, import
  demand with elasticity η on the CES price index P of its suppliers (upper level), CES shares with elasticity σ
  between suppliers (lower level), and each supplier's export supply with elasticity ε, all cleared together at a
  closed form. World prices are normalised to 1, so a baseline import value is a quantity (as in WITS-SMART):

      ρ_k = (1 + t1_k)/(1 + t0_k),  w_k = (1 + t0_k) M_k / Σ_j (1 + t0_j) M_j        tariff factor, spending share
      P^(1−σ) = Σ_k w_k q_k^(1−σ)                                                      price index (q_k: domestic price)
      X_k = M_k q_k^(−σ) P^(σ+η)                                                        demand
      X_k = M_k p_k^ε,  q_k = ρ_k p_k                                                   export supply, market clearing

  so every other supplier's quantity moves with P^(σ−|η|) (it gains from a rival's tariff exactly when σ > |η|).
- ``"linear"``: WITS-SMART's published first-order formulas (Laird & Yeats 1986; Jammes & Olarreaga 2005),
  trade creation M η Δt/(1 + t0) and trade diversion between a supplier and the rest of the product's suppliers,
  for infinitely elastic export supply only (ε ≥ 99), to reproduce WITS results.

Everything is vectorised (a few `np.bincount` passes): one run over ~206,600 rows takes a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INFINITE_SUPPLY = 99.0  # SMART's convention: ε = 99 stands for infinitely elastic export supply
DEFAULT_SUBSTITUTION = 1.5  # SMART default σ between suppliers of one product
DEFAULT_SUPPLY = INFINITE_SUPPLY
MIN_SUPPLY = 0.01  # below this the exporters' price would carry almost the whole tariff: refused by name
METHODS = ("levels", "linear")  # the nested CES in levels (default), WITS-SMART's linear formulas


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
    method: str = "levels",
) -> SmartEffects:
    """Run the model on aligned arrays.

    imports: baseline import value M (USD, ≥ 0); t0/t1: ad-valorem tariffs as fractions (> −1);
    product_index: integers 0..G−1 grouping the suppliers of one product; eta: import-demand elasticity
    (negative), per row or scalar, the same for every row of a product; sigma: substitution elasticity
    (≥ 0), per row or scalar, the same within a product; epsilon: export supply elasticity (≥ MIN_SUPPLY;
    ≥ 99 = infinite); method: "levels" or "linear" (`METHODS`). Raises ModelRangeError outside that range.
    """
    imports = np.asarray(imports, dtype=float)
    t0 = np.asarray(t0, dtype=float)
    t1 = np.asarray(t1, dtype=float)
    product_index = np.asarray(product_index, dtype=np.int64)
    eta = np.broadcast_to(np.asarray(eta, dtype=float), imports.shape)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), imports.shape)
    _check_range(imports, t0, t1, eta, sigma, epsilon, method)
    groups = int(product_index.max()) + 1 if imports.size else 0
    if method == "linear":
        return linear_effects(imports, t0, t1, product_index, eta, sigma, groups)
    return nested_ces_effects(imports, t0, t1, product_index, eta, sigma, epsilon, groups)


def nested_ces_effects(
    imports: np.ndarray,
    t0: np.ndarray,
    t1: np.ndarray,
    product_index: np.ndarray,
    eta: np.ndarray,
    sigma: np.ndarray,
    epsilon: float,
    groups: int,
) -> SmartEffects:
    """The nested CES system in levels (module docstring), with the effects split as docs/scenarios.md says.

    Trade creation is each supplier's part of its product's change in volume at its baseline share,
    M_k (Σ X − Σ M)/Σ M (never more than the whole flow); trade diversion is the change in its share of the new
    total, X_k − M_k Σ X/Σ M (it sums to zero per product, and is zero when σ = 0 or when every supplier's price
    moves alike); the price effect is X (p − 1), the change in the value paid to exporters at the new world price.
    """
    log_rho = np.log1p(t1) - np.log1p(t0)
    spending = (1.0 + t0) * imports
    product_spending = np.bincount(product_index, spending, groups)
    weights = np.divide(spending, product_spending[product_index], out=np.zeros_like(spending),
                        where=product_spending[product_index] > 0)  # fmt: skip
    eta_g = _per_product(eta, product_index, groups)
    sigma_g = _per_product(sigma, product_index, groups)
    log_p_index = price_index(weights, log_rho, product_index, eta_g, sigma_g, epsilon, groups)
    log_q = log_rho + np.log(world_price_factors(log_rho, log_p_index[product_index], eta, sigma, epsilon))
    new_quantity = demand(imports, log_q, log_p_index[product_index], eta, sigma)
    world_price = np.exp(log_q - log_rho)

    product_imports = np.bincount(product_index, imports, groups)
    ratio = np.divide(np.bincount(product_index, new_quantity, groups), product_imports,
                      out=np.ones_like(product_imports), where=product_imports > 0)  # fmt: skip
    at_old_share = imports * ratio[product_index]
    # A product whose suppliers' prices all move alike (or σ = 0) keeps its shares: remove rounding noise.
    same = _uniform(log_q, product_index, groups)[product_index] | (sigma == 0.0)
    new_quantity = np.where(same, at_old_share, new_quantity)
    new_value = new_quantity * world_price
    # Consumers: −E ∫₁^P u^η du per product (exact for the constant-elasticity demand on the CES index), shared
    # among the product's rows by baseline spending.
    surplus = -product_spending * _power_integral(log_p_index, eta_g)
    return SmartEffects(
        baseline=imports,
        trade_creation=at_old_share - imports,
        trade_diversion=new_quantity - at_old_share,
        price_effect=new_value - new_quantity,
        total_change=new_value - imports,
        revenue_before=t0 * imports,
        revenue_after=t1 * new_value,
        consumer_surplus_change=surplus[product_index] * weights,
        new_quantity=new_quantity,
        world_price=world_price,
        domestic_price=np.exp(log_q),
    )


def price_index(
    weights: np.ndarray,
    log_rho: np.ndarray,
    product_index: np.ndarray,
    eta: np.ndarray,
    sigma: np.ndarray,
    epsilon: float,
    groups: int,
) -> np.ndarray:
    """ln P per product, solved with export supply in the same system (closed form).

    Clearing gives ln q_k = (ε ln ρ_k + (σ+η) ln P)/(ε+σ) = A_k + B ln P, so the index equation
    P^(1−σ) = Σ w_k q_k^(1−σ) reads ln P = B ln P + L with L = (1/(1−σ)) ln Σ w_k exp((1−σ) A_k) (Σ w_k A_k at
    σ = 1): ln P = L (ε+σ)/(ε−η). With infinite supply (ε ≥ 99) A_k = ln ρ_k and ln P = L. `eta` and `sigma` are
    per product here.
    """
    if weights.size == 0:
        return np.zeros(groups)
    sigma_rows = sigma[product_index]
    if epsilon >= INFINITE_SUPPLY:
        a = log_rho
    else:
        a = epsilon * log_rho / (epsilon + sigma_rows)
    aggregate = np.bincount(product_index, weights * _ces_power_change(a, sigma_rows), groups)
    one_minus = 1.0 - sigma
    near_one = np.abs(one_minus) < 1e-9
    log_index = np.where(
        near_one, aggregate, np.log1p(one_minus * aggregate) / np.where(near_one, 1.0, one_minus)
    )
    if epsilon >= INFINITE_SUPPLY:
        return log_index
    return log_index * (epsilon + sigma) / (epsilon - eta)


def world_price_factors(
    log_rho: np.ndarray, log_p_index: np.ndarray, eta: np.ndarray, sigma: np.ndarray, epsilon: float
) -> np.ndarray:
    """Exporters' price ratios p that clear every market, X_k(ρ p) = M_k p_k^ε, given the product's ln P (per row).

    ln p_k = (−σ ln ρ_k + (σ+η) ln P)/(ε+σ). ε ≥ 99 stands for infinite supply: p = 1.
    """
    if epsilon >= INFINITE_SUPPLY:
        return np.ones_like(log_rho)
    return np.exp((-sigma * log_rho + (sigma + eta) * log_p_index) / (epsilon + sigma))


def demand(
    imports: np.ndarray, log_q: np.ndarray, log_p_index: np.ndarray, eta: np.ndarray, sigma: np.ndarray
) -> np.ndarray:
    """Quantities demanded X_k = M_k q_k^(−σ) P^(σ+η) at domestic price ratios q (ln q and ln P per row).

    Lower level CES shares (elasticity σ) under upper level import demand (elasticity η on the index P): a supplier
    whose own price does not move changes with P^(σ+η), i.e. P^(σ−|η|).
    """
    return imports * np.exp(-sigma * log_q + (sigma + eta) * log_p_index)


def linear_effects(
    imports: np.ndarray,
    t0: np.ndarray,
    t1: np.ndarray,
    product_index: np.ndarray,
    eta: np.ndarray,
    sigma: np.ndarray,
    groups: int,
) -> SmartEffects:
    """WITS-SMART's published formulas (infinite export supply), per product g and supplier k:

        r_k  = (t1_k − t0_k)/(1 + t0_k)                                   change in the domestic price
        TC_k = η M_k r_k                                                  trade creation
        r_R  = Σ_{j≠k} M_j r_j / Σ_{j≠k} M_j                               price change of the rest of g's suppliers
        x_k  = (1 + r_k)/(1 + r_R) − 1                                    change in k's relative price
        TD_k = −M_k M_R σ x_k / (M_k + M_R − M_k σ x_k)                   for suppliers whose tariff changed

    Suppliers whose tariff did not change lose (or gain) −Σ TD of the changed ones in proportion to their imports;
    where every supplier's tariff changed, the remainder is spread over all of them by imports, so diversion
    sums to zero in each product (as WITS reports it). No floor is applied: a flow below zero is the linear
    formulas' own result (the run's notes count such rows).
    """
    r = (t1 - t0) / (1.0 + t0)
    trade_creation = eta * imports * r
    total = np.bincount(product_index, imports, groups)
    weighted = np.bincount(product_index, imports * r, groups)
    rest = total[product_index] - imports
    rest_change = np.divide(
        weighted[product_index] - imports * r, rest, out=np.zeros_like(rest), where=rest > 0
    )
    x = (1.0 + r) / (1.0 + rest_change) - 1.0
    changed = (r != 0.0) & (rest > 0)
    denominator = imports + rest - imports * sigma * x
    diversion = np.zeros_like(imports)
    np.divide(-imports * rest * sigma * x, denominator, out=diversion, where=changed & (denominator != 0))
    # The suppliers whose tariff did not change take the other side, by their imports.
    unchanged = r == 0.0
    gained = np.bincount(product_index, diversion, groups)
    unchanged_total = np.bincount(product_index, np.where(unchanged, imports, 0.0), groups)
    absorb = unchanged & (unchanged_total[product_index] > 0)
    diversion = diversion - np.where(
        absorb, gained[product_index] * imports / np.where(absorb, unchanged_total[product_index], 1.0), 0.0
    )
    # Where every supplier's tariff changed, nobody stood still: spread the remainder over all, by imports.
    residual = np.bincount(product_index, diversion, groups)
    everyone = (unchanged_total == 0) & (total > 0)
    share = np.divide(
        imports, total[product_index], out=np.zeros_like(imports), where=everyone[product_index]
    )
    diversion -= residual[product_index] * share
    new_quantity = imports + trade_creation + diversion
    domestic = 1.0 + r
    return SmartEffects(
        baseline=imports,
        trade_creation=trade_creation,
        trade_diversion=diversion,
        price_effect=np.zeros_like(imports),
        total_change=trade_creation + diversion,
        revenue_before=t0 * imports,
        revenue_after=t1 * new_quantity,
        consumer_surplus_change=-(1.0 + t0) * r * 0.5 * (imports + new_quantity),
        new_quantity=new_quantity,
        world_price=np.ones_like(imports),
        domestic_price=domestic,
    )


def _per_product(values: np.ndarray, product_index: np.ndarray, groups: int) -> np.ndarray:
    """A per-row parameter that is constant within each product, as one value per product."""
    out = np.zeros(groups)
    out[product_index] = values
    return out


def _ces_power_change(log_x: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """(x^(1−σ) − 1)/(1−σ), and ln x at σ = 1 (the CES aggregator's change), computed without cancellation."""
    one_minus = 1.0 - sigma
    near_one = np.abs(one_minus) < 1e-9
    safe = np.where(near_one, 1.0, one_minus)
    return np.where(near_one, log_x, np.expm1(one_minus * log_x) / safe)


def _power_integral(log_p: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """∫₁^P u^η du = (P^(1+η) − 1)/(1+η) (ln P at η = −1)."""
    return _ces_power_change(log_p, -eta)


def _uniform(values: np.ndarray, product_index: np.ndarray, groups: int) -> np.ndarray:
    """Per product: True where every supplier's value is the same (to rounding)."""
    low = np.full(groups, np.inf)
    high = np.full(groups, -np.inf)
    np.minimum.at(low, product_index, values)
    np.maximum.at(high, product_index, values)
    return high - low <= 1e-14 * np.maximum(np.abs(high), 1.0)


def _check_range(
    imports: np.ndarray, t0: np.ndarray, t1: np.ndarray, eta: np.ndarray, sigma: np.ndarray, epsilon: float,
    method: str,
) -> None:  # fmt: skip
    # One reduction per array: a comparison is False for NaN, and a sum is not finite if any term is not.
    if method not in METHODS:
        raise ModelRangeError("method", f"unknown method {method!r} (one of {', '.join(METHODS)})")
    if not np.isfinite(epsilon) or epsilon < MIN_SUPPLY:
        raise ModelRangeError(
            "supply", f"export supply elasticity ε = {epsilon} is outside the model's range (≥ {MIN_SUPPLY})"
        )
    if method == "linear" and epsilon < INFINITE_SUPPLY:
        raise ModelRangeError(
            "supply",
            f"the linear method implements SMART's formulas for infinite supply (ε ≥ {INFINITE_SUPPLY:g})",
        )
    if imports.size and not (np.all(imports >= 0) and np.isfinite(imports.sum())):
        raise ModelRangeError("imports", "baseline imports must be finite and ≥ 0")
    if eta.size and not (np.all(eta < 0) and np.isfinite(eta.sum())):
        raise ModelRangeError("import_demand", "import-demand elasticities must be finite and negative")
    if sigma.size and not (np.all(sigma >= 0) and np.isfinite(sigma.sum())):
        raise ModelRangeError("substitution", "substitution elasticities must be finite and ≥ 0")
    if t0.size and not (np.all(t0 > -1) and np.all(t1 > -1) and np.isfinite(t0.sum() + t1.sum())):
        raise ModelRangeError("tariff", "tariffs must be finite fractions above −1 (−100 %)")
