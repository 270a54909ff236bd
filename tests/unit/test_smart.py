"""The SMART engine in levels: properties over random markets (changes up to +1000 points, ε down to 0.1),
hand-computed cases to the cent, and an exact equilibrium solved independently by Newton's method."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.smart import MIN_SUPPLY, ModelRangeError, smart_effects

rates = st.floats(min_value=0.0, max_value=0.5)
supplies = st.one_of(st.just(99.0), st.floats(0.1, 50.0))


@st.composite
def markets(draw: st.DrawFn, max_products: int = 4, max_suppliers: int = 5, max_rise: float = 10.0) -> dict:
    """A few products, each with 1..n suppliers, positive flows, tariff changes from −10 to +1000 points."""
    products = draw(st.integers(1, max_products))
    sizes = [draw(st.integers(1, max_suppliers)) for _ in range(products)]
    rows = sum(sizes)
    index = np.repeat(np.arange(products), sizes)
    imports = np.array(draw(st.lists(st.floats(1e3, 1e9), min_size=rows, max_size=rows)))
    t0 = np.array(draw(st.lists(rates, min_size=rows, max_size=rows)))
    change = np.array(draw(st.lists(st.floats(-0.1, max_rise), min_size=rows, max_size=rows)))
    t1 = np.maximum(t0 + change, 0.0)
    eta = np.array([draw(st.floats(-4.0, -0.05)) for _ in range(products)])[index]
    return {"imports": imports, "t0": t0, "t1": t1, "product_index": index, "eta": eta}


def _finite(effects) -> bool:  # noqa: ANN001
    return all(
        np.all(np.isfinite(getattr(effects, name)))
        for name in ("trade_creation", "trade_diversion", "price_effect", "total_change", "revenue_after",
                     "consumer_surplus_change")
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 10.0), epsilon=supplies)
def test_diversion_sums_to_zero_and_no_flow_goes_negative(market: dict, sigma: float, epsilon: float) -> None:
    effects = smart_effects(**market, sigma=sigma, epsilon=epsilon)
    assert _finite(effects)
    per_product = np.bincount(market["product_index"], effects.trade_diversion)
    scale = np.bincount(market["product_index"], market["imports"])
    assert np.all(np.abs(per_product) <= 1e-9 * scale)
    assert np.all(effects.new_quantity >= 0)
    assert np.all(effects.baseline + effects.total_change >= -1e-9 * effects.baseline)
    # Creation can remove at most the whole flow: no floor is needed, none is applied.
    assert np.all(effects.trade_creation >= -effects.baseline * (1 + 1e-12))


@settings(max_examples=100, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 6.0), points=st.floats(0.0, 10.0), epsilon=supplies)
def test_a_uniform_change_diverts_nothing(market: dict, sigma: float, points: float, epsilon: float) -> None:
    index = market["product_index"]
    t0 = np.linspace(0.0, 0.2, index.max() + 1)[index]
    effects = smart_effects(market["imports"], t0, t0 + points, index, market["eta"], sigma, epsilon)
    np.testing.assert_allclose(effects.trade_diversion, 0.0, atol=1e-6 * market["imports"].max())


@settings(max_examples=100, deadline=None)
@given(market=markets())
def test_no_substitution_diverts_nothing(market: dict) -> None:
    effects = smart_effects(**market, sigma=0.0)
    assert np.all(effects.trade_diversion == 0.0)


@settings(max_examples=100, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 4.0), epsilon=st.floats(99.0, 1e6))
def test_infinite_supply_leaves_world_prices_alone(market: dict, sigma: float, epsilon: float) -> None:
    effects = smart_effects(**market, sigma=sigma, epsilon=epsilon)
    assert np.all(effects.price_effect == 0.0)


@settings(max_examples=150, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 6.0), factor=st.floats(1.1, 5.0))
def test_creation_scales_with_eta(market: dict, sigma: float, factor: float) -> None:
    # Infinite supply: ln(1 + TC/M) = η ln ρ exactly, so the log-change of creation scales with η at any size,
    # and a more elastic product never loses less.
    once = smart_effects(**market, sigma=sigma)
    scaled = smart_effects(**{**market, "eta": market["eta"] * factor}, sigma=sigma)
    kept = 1 + scaled.trade_creation / market["imports"] > 1e-6  # above the float resolution of a log
    log_once = np.log1p(once.trade_creation[kept] / market["imports"][kept])
    log_scaled = np.log1p(scaled.trade_creation[kept] / market["imports"][kept])
    np.testing.assert_allclose(log_scaled, factor * log_once, rtol=1e-7, atol=1e-12)
    rises = market["t1"] > market["t0"]
    assert np.all(scaled.trade_creation[rises] <= once.trade_creation[rises])


@settings(max_examples=150, deadline=None)
@given(
    market=markets(max_rise=0.5),
    sigma=st.floats(0.0, 8.0),
    epsilon=supplies,
    row=st.integers(0, 50),
    steps=st.lists(st.floats(0.0, 10.0), min_size=2, max_size=6),
)
def test_monotone_in_the_tariff(
    market: dict, sigma: float, epsilon: float, row: int, steps: list[float]
) -> None:
    """Raising one supplier's tariff (up to +1000 points) never raises its imports (value or volume), the
    volume of its product's or the market's imports, nor lowers the domestic price of that supplier's goods.

    Volume = quantity at baseline world prices (creation + diversion). With infinite supply it is also the
    value. With finite supply the *value* of the other suppliers' goods can rise with their price (steep
    supply, inelastic demand): a real terms-of-trade effect, so totals are checked in volume."""
    row = row % market["imports"].size
    product = market["product_index"] == market["product_index"][row]
    own, product_total, market_total, price = [], [], [], []
    for points in sorted(steps):
        t1 = market["t1"].copy()
        t1[row] = market["t0"][row] + points
        effects = smart_effects(market["imports"], market["t0"], t1, market["product_index"], market["eta"],
                                sigma, epsilon)  # fmt: skip
        new_value = effects.baseline + effects.total_change
        own.append(new_value[row])
        own.append(effects.new_quantity[row])
        product_total.append(effects.new_quantity[product].sum())
        market_total.append(effects.new_quantity.sum())
        price.append(effects.domestic_price[row])
    tolerance = 1e-9
    for series in (own[::2], own[1::2], product_total, market_total):
        assert all(b <= a * (1 + tolerance) + 1e-6 for a, b in zip(series, series[1:], strict=False)), series
    assert all(b >= a * (1 - tolerance) for a, b in zip(price, price[1:], strict=False)), price


@settings(max_examples=150, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 8.0), epsilon=st.floats(0.1, 50.0))
def test_tariff_rises_never_lower_domestic_prices_or_raise_consumer_surplus(
    market: dict, sigma: float, epsilon: float
) -> None:
    market["t1"] = np.maximum(market["t1"], market["t0"])  # rises only
    effects = smart_effects(**market, sigma=sigma, epsilon=epsilon)
    assert np.all(effects.domestic_price >= 1 - 1e-12)
    assert np.all(effects.consumer_surplus_change <= 1e-9 * effects.baseline)
    hit = market["t1"] > market["t0"]
    # Exporters whose tariff rose get a lower (or equal) price; none gets a negative one.
    assert np.all(effects.world_price > 0)
    assert np.all(effects.world_price[hit] <= effects.domestic_price[hit])


def test_colombia_plus_100_points_with_unit_supply_elasticity_loses() -> None:
    # The old linearised world-price term gave Colombia a gain from diversion here; in levels it cannot.
    imports = np.array([1e9, 2e9, 5e8])
    effects = smart_effects(
        imports, np.zeros(3), np.array([1.0, 0.0, 0.0]), np.zeros(3, dtype=int), -1.25, 1.5, 1.0
    )
    assert effects.trade_diversion[0] < 0 < effects.trade_diversion[1]
    assert effects.total_change[0] < 0
    assert effects.consumer_surplus_change.sum() < 0
    small = smart_effects(
        imports, np.zeros(3), np.array([1.0, 0.0, 0.0]), np.zeros(3, dtype=int), -1.25, 1.5, 0.1
    )
    assert -imports[0] < small.total_change[0] < 0
    assert small.trade_diversion[0] <= 0


def test_supply_elasticity_below_the_range_is_refused_by_name() -> None:
    with pytest.raises(ModelRangeError) as caught:
        smart_effects(
            np.array([1.0]), np.zeros(1), np.ones(1), np.zeros(1, dtype=int), -1.0, 1.0, MIN_SUPPLY / 2
        )
    assert caught.value.parameter == "supply"
    with pytest.raises(ModelRangeError):
        smart_effects(np.array([1.0]), np.zeros(1), np.ones(1), np.zeros(1, dtype=int), 0.5, 1.0)


def test_small_changes_agree_with_the_linear_smart_formulas() -> None:
    # SMART (Laird & Yeats): TC = M η Δt/(1+t0); TD_A = M_A M_B σ x / (M_A + M_B + M_A σ x), x = −Δt/(1+t0_A).
    m_a, m_b, t0_a, dt, eta, sigma = 1e6, 3e6, 0.02, 0.0005, -1.2, 1.5
    effects = smart_effects(np.array([m_a, m_b]), np.array([t0_a, 0.0]), np.array([t0_a + dt, 0.0]),
                            np.array([0, 0]), eta, sigma)  # fmt: skip
    tc = m_a * eta * dt / (1 + t0_a)
    x = -dt / (1 + t0_a)
    td = m_a * m_b * sigma * x / (m_a + m_b + m_a * sigma * x)
    assert effects.trade_creation[0] == pytest.approx(tc, rel=1e-3)
    assert effects.trade_diversion[0] == pytest.approx(td, rel=2e-3)


def test_two_suppliers_by_hand_to_the_cent() -> None:
    # A: USD 1,000,000 at 2 %, raised 10 points; B: USD 3,000,000 at 5 %, unchanged. η = −1.2, σ = 1.5.
    rho = 1.12 / 1.02
    created_a = 1e6 * rho**-1.2  # 893,837.52
    weight_a = created_a * rho**-1.5
    total = created_a + 3e6
    new_a = total * weight_a / (weight_a + 3e6)
    new_b = total * 3e6 / (weight_a + 3e6)
    assert round(created_a, 2) == 893_837.52
    effects = smart_effects(
        imports=np.array([1_000_000.0, 3_000_000.0]),
        t0=np.array([0.02, 0.05]),
        t1=np.array([0.12, 0.05]),
        product_index=np.array([0, 0]),
        eta=-1.2,
        sigma=1.5,
    )
    assert round(effects.trade_creation[0], 2) == round(created_a - 1e6, 2)
    assert effects.trade_creation[1] == 0.0
    assert round(effects.trade_diversion[0], 2) == round(new_a - created_a, 2)
    assert round(effects.trade_diversion[1], 2) == round(new_b - 3e6, 2)
    assert round(effects.revenue_before.sum(), 2) == 170_000.00
    assert round(effects.revenue_after[0], 2) == round(0.12 * new_a, 2)
    assert round(effects.consumer_surplus_change[0], 2) == round(-1.02 * (rho - 1) * 0.5 * (1e6 + new_a), 2)
    assert effects.consumer_surplus_change[1] == 0.0


# ---- an exact equilibrium, solved independently ------------------------------------------------------------


def _demand(m: list[float], q: list[float], eta: float, sigma: float) -> list[float]:
    """The demand system written out plainly: creation M q^η, then Armington shares of its total."""
    created = [mk * qk**eta for mk, qk in zip(m, q, strict=True)]
    weights = [ck * qk**-sigma for ck, qk in zip(created, q, strict=True)]
    return [sum(created) * w / sum(weights) for w in weights]


def _solve_world_prices(
    m: list[float], rho: list[float], eta: float, sigma: float, eps: float
) -> list[float]:
    """Newton's method on ln p for X_k(ρ p) − M_k p_k^ε = 0 (numerical Jacobian, damped steps)."""
    n = len(m)
    x = [0.0] * n  # ln p

    def residual(x: list[float]) -> list[float]:
        p = [math.exp(v) for v in x]
        d = _demand(m, [r * pk for r, pk in zip(rho, p, strict=True)], eta, sigma)
        return [math.log(d[k]) - math.log(m[k]) - eps * x[k] for k in range(n)]

    for _ in range(200):
        f = residual(x)
        if max(abs(v) for v in f) < 1e-13:
            break
        jac = [[0.0] * n for _ in range(n)]
        for j in range(n):
            h = 1e-7
            shifted = residual([v + (h if i == j else 0.0) for i, v in enumerate(x)])
            for i in range(n):
                jac[i][j] = (shifted[i] - f[i]) / h
        step = _gauss(jac, [-v for v in f])
        x = [v + s for v, s in zip(x, step, strict=True)]
    return [math.exp(v) for v in x]


def _gauss(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            m[r] = [x - factor * y for x, y in zip(m[r], m[col], strict=True)]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (m[r][n] - sum(m[r][c] * out[c] for c in range(r + 1, n))) / m[r][r]
    return out


@pytest.mark.parametrize("epsilon", [0.1, 0.5, 1.0, 3.0, 20.0])
@pytest.mark.parametrize("points", [0.1, 1.0, 10.0])
def test_finite_supply_matches_an_exact_equilibrium(epsilon: float, points: float) -> None:
    # Product 0: three suppliers, one hit; product 1: two suppliers, both hit by different amounts.
    m = [[4e8, 1e8, 2.5e8], [7e7, 3e7]]
    t0 = [[0.0, 0.03, 0.1], [0.05, 0.0]]
    t1 = [[points, 0.03, 0.1], [0.05 + points / 2, points]]
    eta, sigma = [-1.3, -0.7], [2.0, 5.0]
    engine = smart_effects(
        np.array(m[0] + m[1]), np.array(t0[0] + t0[1]), np.array(t1[0] + t1[1]), np.array([0, 0, 0, 1, 1]),
        np.array([eta[0]] * 3 + [eta[1]] * 2), np.array([sigma[0]] * 3 + [sigma[1]] * 2), epsilon,
    )  # fmt: skip
    expected_p: list[float] = []
    expected_x: list[float] = []
    for g in range(2):
        rho = [(1 + a) / (1 + b) for a, b in zip(t1[g], t0[g], strict=True)]
        p = _solve_world_prices(m[g], rho, eta[g], sigma[g], epsilon)
        expected_p += p
        expected_x += [mk * pk**epsilon for mk, pk in zip(m[g], p, strict=True)]  # supply = demand
    np.testing.assert_allclose(engine.world_price, expected_p, rtol=1e-9)
    np.testing.assert_allclose(engine.new_quantity, expected_x, rtol=1e-8)
    np.testing.assert_allclose(engine.baseline + engine.total_change,
                               np.array(expected_x) * np.array(expected_p), rtol=1e-8)  # fmt: skip
