"""The engine: the nested CES in levels checked against the system solved independently (plain Python, Newton's
method), its properties over random markets (monotone as theory says for σ > |η| and σ < |η|, bounded totals,
zero-base lines, cuts), hand-computed cases, and WITS-SMART's linear formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
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


def _finite(effects) -> bool:
    return all(
        np.all(np.isfinite(getattr(effects, name)))
        for name in ("trade_creation", "trade_diversion", "price_effect", "total_change", "revenue_after",
                     "consumer_surplus_change")
    )  # fmt: skip


# ---- the system solved independently ----------------------------------------------------------------------


def _index(m: list[float], t0: list[float], q: list[float], sigma: float) -> float:
    """The CES price index P at domestic price ratios q, spending shares at baseline domestic prices."""
    spend = [mk * (1 + tk) for mk, tk in zip(m, t0, strict=True)]
    shares = [s / sum(spend) for s in spend]
    if abs(sigma - 1) < 1e-12:
        return math.exp(sum(w * math.log(qk) for w, qk in zip(shares, q, strict=True)))
    return sum(w * qk ** (1 - sigma) for w, qk in zip(shares, q, strict=True)) ** (1 / (1 - sigma))


def _quantities(m: list[float], t0: list[float], q: list[float], eta: float, sigma: float) -> list[float]:
    """Demand written out: upper level Q = P^η, lower level X_k = M_k (q_k/P)^(−σ) Q."""
    p_index = _index(m, t0, q, sigma)
    return [mk * (qk / p_index) ** -sigma * p_index**eta for mk, qk in zip(m, q, strict=True)]


def _solve(
    m: list[float], t0: list[float], t1: list[float], eta: float, sigma: float, eps: float
) -> list[float]:
    """World price ratios p clearing X_k(ρ p) = M_k p_k^ε: Newton's method on ln p (numerical Jacobian)."""
    rho = [(1 + a) / (1 + b) for a, b in zip(t1, t0, strict=True)]
    n = len(m)
    x = [0.0] * n

    def residual(x: list[float]) -> list[float]:
        d = _quantities(m, t0, [r * math.exp(v) for r, v in zip(rho, x, strict=True)], eta, sigma)
        return [math.log(d[k]) - math.log(m[k]) - eps * x[k] for k in range(n)]

    for _ in range(200):
        f = residual(x)
        if max(abs(v) for v in f) < 1e-13:
            break
        jac = [[0.0] * n for _ in range(n)]
        for j in range(n):
            shifted = residual([v + (1e-7 if i == j else 0.0) for i, v in enumerate(x)])
            for i in range(n):
                jac[i][j] = (shifted[i] - f[i]) / 1e-7
        x = [v + s for v, s in zip(x, _gauss(jac, [-v for v in f]), strict=True)]
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


@pytest.mark.parametrize("sigma", [0.0, 0.5, 1.0, 1.5, 5.0])
@pytest.mark.parametrize("points", [0.1, 1.0, 10.0])
def test_infinite_supply_matches_the_system_written_out(sigma: float, points: float) -> None:
    m, t0, t1 = [4e8, 1e8, 2.5e8], [0.0, 0.03, 0.1], [points, 0.03, 0.1 + points / 3]
    expected = _quantities(m, t0, [(1 + a) / (1 + b) for a, b in zip(t1, t0, strict=True)], -1.3, sigma)
    engine = smart_effects(np.array(m), np.array(t0), np.array(t1), np.zeros(3, dtype=int), -1.3, sigma)
    np.testing.assert_allclose(engine.new_quantity, expected, rtol=1e-10)
    np.testing.assert_allclose(engine.baseline + engine.total_change, expected, rtol=1e-10)


@pytest.mark.parametrize("epsilon", [0.1, 0.5, 1.0, 3.0, 20.0])
@pytest.mark.parametrize("points", [0.1, 1.0, 10.0])
def test_finite_supply_matches_an_exact_equilibrium(epsilon: float, points: float) -> None:
    # Product 0: three suppliers, one hit; product 1: two suppliers, both hit by different amounts.
    m = [[4e8, 1e8, 2.5e8], [7e7, 3e7]]
    t0 = [[0.0, 0.03, 0.1], [0.05, 0.0]]
    t1 = [[points, 0.03, 0.1], [0.05 + points / 2, points]]
    eta, sigma = [-1.3, -0.7], [2.0, 0.5]
    engine = smart_effects(
        np.array(m[0] + m[1]), np.array(t0[0] + t0[1]), np.array(t1[0] + t1[1]), np.array([0, 0, 0, 1, 1]),
        np.array([eta[0]] * 3 + [eta[1]] * 2), np.array([sigma[0]] * 3 + [sigma[1]] * 2), epsilon,
    )  # fmt: skip
    expected_p: list[float] = []
    expected_x: list[float] = []
    for g in range(2):
        p = _solve(m[g], t0[g], t1[g], eta[g], sigma[g], epsilon)
        expected_p += p
        expected_x += [mk * pk**epsilon for mk, pk in zip(m[g], p, strict=True)]  # supply = demand
    np.testing.assert_allclose(engine.world_price, expected_p, rtol=1e-9)
    np.testing.assert_allclose(engine.new_quantity, expected_x, rtol=1e-8)
    np.testing.assert_allclose(engine.baseline + engine.total_change,
                               np.array(expected_x) * np.array(expected_p), rtol=1e-8)  # fmt: skip
    # The price effect is the change in what exporters are paid for the new quantity, X (p − 1): negative for a
    # supplier whose world price falls under a tariff it bears; with creation and diversion it makes the total.
    scale = 1e-8 * max(map(max, m))
    np.testing.assert_allclose(
        engine.price_effect, np.array(expected_x) * (np.array(expected_p) - 1), atol=scale
    )
    assert engine.price_effect[0] < 0 and expected_p[0] < 1
    np.testing.assert_allclose(engine.trade_creation + engine.trade_diversion + engine.price_effect,
                               engine.total_change, atol=scale)  # fmt: skip


def test_a_rivals_quantity_moves_with_the_price_index_to_the_power_sigma_minus_abs_eta() -> None:
    # The example: Colombia's cut flowers at +100 and +1000 points, η = −1, σ = 1.5; Ecuador's gain must
    # grow with the tariff, and equals M (P^(σ−|η|) − 1) with P written out by hand.
    m, t0 = [1.3451e9, 5.6e8], [0.0, 0.0]
    gains = []
    for points in (1.0, 10.0):
        effects = smart_effects(
            np.array(m), np.array(t0), np.array([points, 0.0]), np.zeros(2, dtype=int), -1.0, 1.5
        )
        share = m[0] / sum(m)
        p_index = (share * (1 + points) ** -0.5 + (1 - share)) ** -2.0
        assert effects.total_change[1] == pytest.approx(m[1] * (p_index**0.5 - 1), rel=1e-12)
        gains.append(effects.total_change[1])
    assert 0 < gains[0] < gains[1]


def test_two_suppliers_by_hand_to_the_cent() -> None:
    # A: USD 1,000,000 at 2 %, raised 10 points; B: USD 3,000,000 at 5 %, unchanged. η = −1.2, σ = 1.5.
    rho = 1.12 / 1.02
    w_a = 1.02e6 / (1.02e6 + 3.15e6)
    p_index = (w_a * rho**-0.5 + (1 - w_a)) ** -2.0
    x_a = 1e6 * rho**-1.5 * p_index**0.3
    x_b = 3e6 * p_index**0.3
    total = x_a + x_b
    assert round(x_b - 3e6, 2) == 20_296.79
    effects = smart_effects(np.array([1e6, 3e6]), np.array([0.02, 0.05]), np.array([0.12, 0.05]),
                            np.array([0, 0]), -1.2, 1.5)  # fmt: skip
    assert round(effects.total_change[0], 2) == round(x_a - 1e6, 2)
    assert round(effects.total_change[1], 2) == 20_296.79
    # Creation: each supplier's baseline share of the product's change in volume; diversion: the change in share.
    assert round(effects.trade_creation[1], 2) == round(3e6 * (total / 4e6 - 1), 2)
    assert round(effects.trade_diversion[0], 2) == round(x_a - 1e6 * total / 4e6, 2)
    assert round(effects.revenue_before.sum(), 2) == 170_000.00
    assert round(effects.revenue_after[0], 2) == round(0.12 * x_a, 2)
    spend = 1.02e6 + 3.15e6
    assert round(effects.consumer_surplus_change.sum(), 2) == round(-spend * (p_index**-0.2 - 1) / -0.2, 2)


# ---- properties --------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 10.0), epsilon=supplies)
def test_diversion_sums_to_zero_and_no_flow_goes_negative(market: dict, sigma: float, epsilon: float) -> None:
    effects = smart_effects(**market, sigma=sigma, epsilon=epsilon)
    assert _finite(effects)
    per_product = np.bincount(market["product_index"], effects.trade_diversion)
    scale = np.bincount(market["product_index"], market["imports"] + effects.new_quantity)
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
@given(market=markets(), epsilon=supplies)
def test_no_substitution_diverts_nothing(market: dict, epsilon: float) -> None:
    effects = smart_effects(**market, sigma=0.0, epsilon=epsilon)
    assert np.all(effects.trade_diversion == 0.0)


@settings(max_examples=100, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 4.0), epsilon=st.floats(99.0, 1e6))
def test_infinite_supply_leaves_world_prices_alone(market: dict, sigma: float, epsilon: float) -> None:
    effects = smart_effects(**market, sigma=sigma, epsilon=epsilon)
    assert np.all(effects.price_effect == 0.0)


def _one_supplier_path(
    market: dict, row: int, sigma: float, epsilon: float, steps: list[float]
) -> np.ndarray:
    """New quantities (rows × steps) as row's tariff rises through `steps` points above its baseline."""
    out = []
    for points in sorted(steps):
        t1 = market["t0"].copy()
        t1[row] = market["t0"][row] + points
        effects = smart_effects(market["imports"], market["t0"], t1, market["product_index"], market["eta"],
                                sigma, epsilon)  # fmt: skip
        out.append(effects.new_quantity)
    return np.array(out)


@settings(max_examples=150, deadline=None)
@given(
    market=markets(),
    epsilon=supplies,
    row=st.integers(0, 50),
    gap=st.floats(0.05, 3.0),
    above=st.booleans(),
    steps=st.lists(st.floats(0.0, 10.0), min_size=2, max_size=6),
)
def test_each_suppliers_change_is_monotone_in_a_tariff_as_theory_says(
    market: dict, epsilon: float, row: int, gap: float, above: bool, steps: list[float]
) -> None:
    """Raising one supplier's tariff (up to +1000 points): its own quantity never rises; every other supplier of
    the product gains when σ > |η| and loses when σ < |η| (it moves with P^(σ−|η|)), with finite supply too."""
    row = row % market["imports"].size
    product = market["product_index"] == market["product_index"][row]
    eta = -float(market["eta"][row])
    sigma = eta + gap if above else max(eta - gap, 0.0)
    assume(abs(sigma - eta) > 1e-3)
    path = _one_supplier_path(market, row, sigma, epsilon, steps)
    tolerance = 1e-9
    own = path[:, row]
    assert np.all(own[1:] <= own[:-1] * (1 + tolerance) + 1e-6), own
    for other in np.flatnonzero(product):
        if other == row:
            continue
        series = path[:, other]
        if sigma > eta:
            assert np.all(series[1:] >= series[:-1] * (1 - tolerance) - 1e-6), series
        else:
            assert np.all(series[1:] <= series[:-1] * (1 + tolerance) + 1e-6), series
    others = [k for k in range(market["imports"].size) if not product[k]]
    np.testing.assert_allclose(path[:, others], np.broadcast_to(market["imports"][others], path[:, others].shape),
                               rtol=1e-12)  # fmt: skip  # other products are untouched


@settings(max_examples=100, deadline=None)
@given(market=markets(max_rise=10.0), sigma=st.floats(1.05, 8.0), epsilon=supplies)
def test_totals_are_bounded(market: dict, sigma: float, epsilon: float) -> None:
    """Tariff rises only: the product's price index rises, so its composite quantity P^η falls; its spending at
    domestic prices is E·P^(1+η) exactly; with σ > 1 a rival's gain cannot exceed what it gets when the hit
    supplier is priced out entirely, M_j (P∞^(σ+η) − 1) with P∞^(1−σ) = Σ_{j≠k} w_j."""
    market["t1"] = np.maximum(market["t1"], market["t0"])
    index = market["product_index"]
    effects = smart_effects(**market, sigma=sigma, epsilon=epsilon)
    spend0 = np.bincount(index, (1 + market["t0"]) * market["imports"])
    spend1 = np.bincount(index, (1 + market["t0"]) * market["imports"] * effects.domestic_price * effects.new_quantity
                         / np.where(market["imports"] > 0, market["imports"], 1))  # fmt: skip
    q = effects.domestic_price
    w = (1 + market["t0"]) * market["imports"] / spend0[index]
    p_index = np.bincount(index, w * q ** (1 - sigma)) ** (1 / (1 - sigma))
    eta_g = np.zeros(index.max() + 1)
    eta_g[index] = market["eta"]
    np.testing.assert_allclose(spend1, spend0 * p_index ** (1 + eta_g), rtol=1e-9)
    assert np.all(p_index >= 1 - 1e-12) and np.all(p_index**eta_g <= 1 + 1e-12)
    assert np.all(effects.consumer_surplus_change <= 1e-9 * effects.baseline)
    if epsilon >= 99:
        for k in range(index.size):
            rivals = (index == index[k]) & (np.arange(index.size) != k)
            if not rivals.any():
                continue
            limit_index = w[rivals].sum() ** (1 / (1 - sigma))
            bound = market["imports"][rivals] * (limit_index ** (sigma + market["eta"][k]) - 1)
            single = market["t0"].copy()
            single[k] = market["t0"][k] + 10.0
            one = smart_effects(market["imports"], market["t0"], single, index, market["eta"], sigma)
            assert np.all(one.total_change[rivals] <= np.maximum(bound, 0) * (1 + 1e-9) + 1e-6)


@settings(max_examples=100, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 6.0), epsilon=supplies, zeros=st.integers(1, 3))
def test_zero_base_lines_stay_zero_and_change_nothing_else(
    market: dict, sigma: float, epsilon: float, zeros: int
) -> None:
    """A line with no baseline trade gets none (the Armington model creates no new flows), and adding it to a
    product leaves every other row's result unchanged; a product with no trade at all gives zeros, not NaN."""
    n = market["imports"].size
    extra = {
        "imports": np.r_[market["imports"], np.zeros(zeros)],
        "t0": np.r_[market["t0"], np.zeros(zeros)],
        "t1": np.r_[market["t1"], np.full(zeros, 0.5)],
        "product_index": np.r_[market["product_index"], np.r_[np.zeros(zeros - 1, dtype=int), [market["product_index"].max() + 1]]],
        "eta": np.r_[market["eta"], np.full(zeros - 1, market["eta"][0]), [-1.0]],  # η is one value per product
    }  # fmt: skip
    base = smart_effects(**market, sigma=sigma, epsilon=epsilon)
    padded = smart_effects(**extra, sigma=sigma, epsilon=epsilon)
    assert _finite(padded)
    np.testing.assert_array_equal(padded.new_quantity[n:], 0.0)
    np.testing.assert_array_equal(padded.total_change[n:], 0.0)
    np.testing.assert_allclose(padded.total_change[:n], base.total_change, rtol=1e-12, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 8.0), epsilon=supplies, row=st.integers(0, 50),
       cut=st.floats(0.05, 1.0))  # fmt: skip
def test_tariff_cuts(market: dict, sigma: float, epsilon: float, row: int, cut: float) -> None:
    """Cutting one supplier's tariff raises its imports and lowers its domestic price; consumers gain; the other
    suppliers lose when σ > |η| and gain when σ < |η|; cutting back to the baseline is the baseline."""
    row = row % market["imports"].size
    t0 = market["t0"].copy()
    t0[row] = max(t0[row], 0.1)
    t1 = t0.copy()
    t1[row] = t0[row] * (1 - cut)
    effects = smart_effects(market["imports"], t0, t1, market["product_index"], market["eta"], sigma, epsilon)
    assert effects.new_quantity[row] >= market["imports"][row] * (1 - 1e-12)
    assert effects.domestic_price[row] <= 1 + 1e-12
    assert effects.consumer_surplus_change.sum() >= -1e-9 * market["imports"].sum()
    rivals = (market["product_index"] == market["product_index"][row]) & (np.arange(t0.size) != row)
    change = (
        effects.total_change[rivals]
        if epsilon >= 99
        else effects.new_quantity[rivals] - market["imports"][rivals]
    )
    if sigma > -market["eta"][row] + 1e-3:
        assert np.all(change <= 1e-9 * market["imports"][rivals])
    elif sigma < -market["eta"][row] - 1e-3:
        assert np.all(change >= -1e-9 * market["imports"][rivals])
    same = smart_effects(market["imports"], t0, t0, market["product_index"], market["eta"], sigma, epsilon)
    np.testing.assert_allclose(same.total_change, 0.0, atol=1e-9 * market["imports"].max())


# ---- WITS-SMART's linear formulas ----------------------------------------------------------------------------


def test_linear_method_is_smarts_formulas_for_one_supplier_changed() -> None:
    # SMART (Laird & Yeats): TC = M η Δt/(1+t0); TD_A = −M_A M_R σ x/(M_A + M_R − M_A σ x), x = Δt/(1+t0_A); the rest
    # lose TD_A by their imports.
    m, t0_a, dt, eta, sigma = np.array([1e6, 3e6, 1e6]), 0.02, 0.1, -1.2, 1.5
    effects = smart_effects(m, np.array([t0_a, 0.0, 0.05]), np.array([t0_a + dt, 0.0, 0.05]), np.zeros(3, dtype=int),
                            eta, sigma, method="linear")  # fmt: skip
    x = dt / (1 + t0_a)
    td_a = -1e6 * 4e6 * sigma * x / (1e6 + 4e6 - 1e6 * sigma * x)
    assert effects.trade_creation[0] == pytest.approx(1e6 * eta * x, rel=1e-12)
    np.testing.assert_allclose(effects.trade_creation[1:], 0.0)
    assert effects.trade_diversion[0] == pytest.approx(td_a, rel=1e-12)
    np.testing.assert_allclose(effects.trade_diversion[1:], -td_a * np.array([0.75, 0.25]), rtol=1e-12)
    assert np.all(effects.price_effect == 0)


def test_small_changes_in_levels_agree_with_smart_on_the_products_total() -> None:
    # To first order both give the product's change η Σ M_k Δt_k/(1+t0) (equal baseline tariffs).
    m = np.array([1e6, 3e6, 2e6])
    t0 = np.full(3, 0.04)
    t1 = t0 + np.array([0.0005, 0.0, 0.0002])
    levels = smart_effects(m, t0, t1, np.zeros(3, dtype=int), -1.2, 1.5)
    linear = smart_effects(m, t0, t1, np.zeros(3, dtype=int), -1.2, 1.5, method="linear")
    assert levels.total_change.sum() == pytest.approx(linear.total_change.sum(), rel=2e-3)
    assert linear.trade_diversion.sum() == pytest.approx(0.0, abs=1e-6)


def test_out_of_range_parameters_are_refused_by_name() -> None:
    one = (np.array([1.0]), np.zeros(1), np.ones(1), np.zeros(1, dtype=int))
    with pytest.raises(ModelRangeError) as caught:
        smart_effects(*one, -1.0, 1.0, MIN_SUPPLY / 2)
    assert caught.value.parameter == "supply"
    with pytest.raises(ModelRangeError) as caught:
        smart_effects(*one, 0.5, 1.0)
    assert caught.value.parameter == "import_demand"
    with pytest.raises(ModelRangeError) as caught:
        smart_effects(*one, -1.0, 1.0, 5.0, method="linear")
    assert caught.value.parameter == "supply"
    with pytest.raises(ModelRangeError) as caught:
        smart_effects(*one, -1.0, 1.0, method="loglinear")
    assert caught.value.parameter == "method"
