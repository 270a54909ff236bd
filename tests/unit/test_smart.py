"""The SMART engine: properties over random markets and hand-computed cases to the cent."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.smart import smart_effects

rates = st.floats(min_value=0.0, max_value=0.5)


@st.composite
def markets(draw: st.DrawFn, max_products: int = 4, max_suppliers: int = 5) -> dict:
    """A few products, each with 1..n suppliers, positive flows, and moderate tariff changes."""
    products = draw(st.integers(1, max_products))
    sizes = [draw(st.integers(1, max_suppliers)) for _ in range(products)]
    rows = sum(sizes)
    index = np.repeat(np.arange(products), sizes)
    imports = np.array(draw(st.lists(st.floats(1e3, 1e9), min_size=rows, max_size=rows)))
    t0 = np.array(draw(st.lists(rates, min_size=rows, max_size=rows)))
    change = np.array(draw(st.lists(st.floats(-0.1, 0.2), min_size=rows, max_size=rows)))
    t1 = np.maximum(t0 + change, 0.0)
    eta = draw(st.floats(-3.0, -0.1))
    return {"imports": imports, "t0": t0, "t1": t1, "product_index": index, "eta": eta}


@settings(max_examples=150, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 6.0))
def test_diversion_sums_to_zero_within_each_product(market: dict, sigma: float) -> None:
    effects = smart_effects(**market, sigma=sigma)
    per_product = np.bincount(market["product_index"], effects.trade_diversion)
    scale = np.bincount(market["product_index"], market["imports"])
    assert np.all(np.abs(per_product) <= 1e-9 * scale)


@settings(max_examples=100, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 6.0), points=st.floats(0.0, 0.3))
def test_a_uniform_change_diverts_nothing(market: dict, sigma: float, points: float) -> None:
    # Same starting tariff for all suppliers of a product, same new tariff: relative prices do not move.
    index = market["product_index"]
    t0 = np.linspace(0.0, 0.2, index.max() + 1)[index]
    effects = smart_effects(market["imports"], t0, t0 + points, index, market["eta"], sigma)
    assert np.all(effects.trade_diversion == 0.0)


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


@settings(max_examples=100, deadline=None)
@given(market=markets(), sigma=st.floats(0.0, 4.0))
def test_doubling_eta_doubles_trade_creation(market: dict, sigma: float) -> None:
    market["eta"] = market["eta"] / 2  # |2η| ≤ 3 and |Δt| ≤ 0.2: the creation rate stays above −100 %
    once = smart_effects(**market, sigma=sigma)
    twice = smart_effects(**{**market, "eta": market["eta"] * 2}, sigma=sigma)
    # Rows held at zero imports leave the linear range, where no proportionality is claimed.
    linear = ~(once.floored | twice.floored)
    assume(linear.any())
    np.testing.assert_allclose(
        twice.trade_creation[linear], 2 * once.trade_creation[linear], rtol=1e-12, atol=1e-6
    )
    np.testing.assert_allclose(twice.trade_diversion, once.trade_diversion, rtol=1e-12, atol=1e-6)


def test_finite_supply_lowers_world_prices_when_tariffs_rise() -> None:
    effects = smart_effects(np.array([1e6]), np.array([0.0]), np.array([0.1]), np.array([0]), -1.0, 0.0, 2.0)
    # w = η/(ε−η)·Δ = −1/3·0.1; creation is damped by 1 − η/ε = 1.5
    assert effects.trade_creation[0] == pytest.approx(1e6 * -0.1 / 1.5)
    assert effects.price_effect[0] < 0
    new_value = (1e6 + effects.trade_creation[0]) * (1 - 0.1 / 3)
    assert effects.total_change[0] == pytest.approx(new_value - 1e6)


def test_two_suppliers_by_hand_to_the_cent() -> None:
    # A: USD 1,000,000 at 2 %, raised 10 points; B: USD 3,000,000 at 5 %, unchanged. η = −1.2, σ = 1.5.
    # TC_A = 1e6 · −1.2 · 0.10 / 1.02 = −117,647.06
    # r_A = 1.12/1.02; w_A = 1e6 · r_A^−1.5; TD_A = 4e6 · w_A / (w_A + 3e6) − 1e6 = −101,490.90
    effects = smart_effects(
        imports=np.array([1_000_000.0, 3_000_000.0]),
        t0=np.array([0.02, 0.05]),
        t1=np.array([0.12, 0.05]),
        product_index=np.array([0, 0]),
        eta=-1.2,
        sigma=1.5,
    )
    assert round(effects.trade_creation[0], 2) == -117_647.06
    assert round(effects.trade_creation[1], 2) == 0.00
    assert round(effects.trade_diversion[0], 2) == -101_490.90
    assert round(effects.trade_diversion[1], 2) == 101_490.90
    assert round(effects.total_change[0], 2) == round(-117_647.06 - 101_490.90, 2)
    assert round(effects.revenue_before.sum(), 2) == 170_000.00
    assert round(effects.revenue_after[0], 2) == 93_703.44
    assert round(effects.revenue_after[1], 2) == 155_074.54
    assert round(effects.consumer_surplus_change[0], 2) == -89_043.10
    assert effects.consumer_surplus_change[1] == 0.0


def test_two_suppliers_with_unit_substitution() -> None:
    # σ = 1: A's weight is 1e6/1.1; TD_A = 2e6 · (1e6/1.1) / (1e6/1.1 + 1e6) − 1e6 = −47,619.05
    effects = smart_effects(
        np.array([1e6, 1e6]), np.zeros(2), np.array([0.1, 0.0]), np.array([0, 0]), eta=-1.0, sigma=1.0
    )
    assert round(effects.trade_diversion[0], 2) == -47_619.05
    assert round(effects.trade_creation[0], 2) == -100_000.00


def test_a_flow_never_goes_below_zero() -> None:
    effects = smart_effects(
        np.array([1e6, 9e6]), np.zeros(2), np.array([2.0, 0.0]), np.array([0, 0]), eta=-3.0, sigma=4.0
    )
    assert effects.floored[0]
    assert effects.total_change[0] == pytest.approx(-1e6)
    assert effects.trade_diversion.sum() == pytest.approx(0.0, abs=1e-6)
