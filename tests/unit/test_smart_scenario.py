"""Tariff change kinds, the encoded market, a full tariff run on a small market, and purchase arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.errors import SpecError
from model.market import DEFAULT_IMPORT_DEMAND, build_market, prefix_product_mask
from model.purchase import growth_history, purchase_figures
from model.scenario import run_tariff
from model.spec import parse_spec, spec_to_dict
from model.tariff_changes import changed_rate


def small_market():
    lines = pd.DataFrame(
        {
            "hs10": ["0603110000", "0603110000", "0901110025", "0901110025", "0901110025", "2709002010", "2709002010", "0901110025"],
            "partner_iso3": ["COL", "ECU", "COL", "GTM", "HND", "COL", "CAN", "NIC"],
            "imports_usd": [600.0, 400.0, 500.0, 200.0, 200.0, 5000.0, 9000.0, 0.0],
            "duty_usd": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        }
    )  # fmt: skip
    elasticities = pd.DataFrame({"hs6": ["090111", "060319", "270900"], "elasticity": [-0.7, -1.5, 0.2]})
    return build_market(lines, elasticities)


@pytest.mark.parametrize(
    ("kind", "value", "current", "expected"),
    [
        ("new_rate", 0.1, [0.0, 0.3], [0.1, 0.1]),
        ("add_pp", 10, [0.0, 0.3], [0.1, 0.4]),
        ("add_pp", -50, [0.1, 0.6], [0.0, 0.1]),
        ("max_rate", 0.2, [0.1, 0.3], [0.1, 0.2]),
        ("linear_cut", 0.5, [0.1, 0.3], [0.05, 0.15]),
        ("swiss", 16, [0.16, 0.48], [0.08, 0.12]),
    ],
)
def test_change_kinds(kind: str, value: float, current: list[float], expected: list[float]) -> None:
    np.testing.assert_allclose(changed_rate(kind, value, np.array(current)), expected)


def test_market_drops_empty_rows_and_finds_elasticities() -> None:
    market = small_market()
    assert market.rows == 7  # the zero-import NIC row is gone
    assert list(market.products) == ["0603110000", "0901110025", "2709002010"]
    # 0603.11 has no HS6 estimate: HS4 0603's median (−1.5); coffee exact; crude's wrong sign → default
    np.testing.assert_allclose(market.product_eta, [-1.5, -0.7, DEFAULT_IMPORT_DEMAND])
    assert list(market.product_eta_is_default) == [False, False, True]


def test_prefix_mask_selects_ranges() -> None:
    products = np.array(["0603110000", "0603190000", "0901110025", "2709002010"])
    assert list(prefix_product_mask(products, ("0603",))) == [True, True, False, False]
    assert list(prefix_product_mask(products, ("06031", "27"))) == [True, True, False, True]
    assert list(prefix_product_mask(products, ("0603", "060311"))) == [True, True, False, False]
    assert list(prefix_product_mask(products, ("99",))) == [False] * 4
    assert prefix_product_mask(products, None).all()


def test_colombia_ten_points_more_shifts_roses_and_coffee_to_neighbours() -> None:
    spec = parse_spec(
        {"name": "c", "tariff_changes": [{"partners": ["COL"], "add_pp": 10}], "exemptions": ["2709"]}
    )
    result = run_tariff(spec, small_market(), exemption_prefixes=("2709",))
    table = result.by_partner.set_index("partner_iso3")
    assert table.loc["COL", "total_change_usd"] < 0
    assert table.loc["CAN", "total_change_usd"] == 0  # crude is exempt: no change anywhere in 2709
    for gainer in ("ECU", "GTM", "HND"):
        # Buyers switch towards them (diversion) while the product's total falls (creation, at their old share);
        # with σ = 1.5 ≥ |η| (0.7 for coffee, 1.5 for cut flowers) they end no lower.
        assert table.loc[gainer, "trade_diversion_usd"] > 0
        assert table.loc[gainer, "trade_creation_usd"] < 0
        assert table.loc[gainer, "total_change_usd"] >= -1e-9
        assert (
            table.loc[gainer, "low_usd"]
            <= table.loc[gainer, "total_change_usd"]
            <= table.loc[gainer, "high_usd"]
        )
    assert result.totals["trade_diversion_usd"] == pytest.approx(0.0, abs=1e-9)
    assert result.totals["rows_exempt"] == 2
    assert result.totals["baseline_usd"] == 15_900.0
    chapters = result.by_chapter.set_index("chapter")
    assert chapters.loc["27", "total_change_usd"] == 0
    assert result.top_lines.iloc[0]["partner_iso3"] == "COL"


def test_uniform_change_says_switching_is_small() -> None:
    spec = parse_spec({"name": "u", "tariff_changes": [{"partners": "all", "add_pp": 10}]})
    result = run_tariff(spec, small_market())
    assert result.totals["gross_diversion_usd"] == 0.0  # every starting tariff here is zero
    assert any("only where starting tariffs differ" in note for note in result.notes)


def test_products_restrict_the_market() -> None:
    spec = parse_spec({"name": "r", "products": ["0901"], "tariff_changes": [{"new_rate": 0.2}]})
    result = run_tariff(spec, small_market())
    assert result.totals["baseline_usd"] == 900.0
    assert list(result.by_chapter["chapter"]) == ["09"]


def test_unknown_partner_and_empty_products_are_spec_errors() -> None:
    with pytest.raises(SpecError) as caught:
        run_tariff(
            parse_spec({"name": "x", "tariff_changes": [{"partners": ["FRA"], "add_pp": 1}]}), small_market()
        )
    assert caught.value.field == "tariff_changes[0].partners[0]"
    assert "EUN" in str(caught.value)
    with pytest.raises(SpecError) as caught:
        run_tariff(parse_spec({"name": "x", "products": ["84"]}), small_market())
    assert caught.value.field == "products"


def _history() -> pd.DataFrame:
    series = pd.DataFrame(
        {
            "year": [2020, 2020, 2021, 2021, 2022, 2022, 2024, 2024],
            "flow": ["export", "import"] * 4,
            "value_usd": [1.0e9, 5e9, 3.0e9, 6e9, 2.0e9, 7e9, 2.4e9, 16e9],
            "source": ["imf_dots"] * 6 + ["published"] * 2,
        }
    )
    return growth_history(series)


def test_growth_history_skips_gaps() -> None:
    history = _history().set_index("year")
    assert history.loc[2021, "growth_usd"] == 2.0e9
    assert history.loc[2021, "growth_pct"] == pytest.approx(200.0)
    assert np.isnan(history.loc[2024, "growth_usd"])  # 2023 missing: no year-on-year change for 2024


def test_purchase_amount_and_the_inverse() -> None:
    spec = parse_spec(
        {"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "increase": {"amount_usd": 1e9}}
    )
    figures = purchase_figures(spec, _history(), headline_balance=-13.6e9)
    assert figures["balance_before_usd"] == -13.6e9
    assert figures["balance_after_usd"] == pytest.approx(-12.6e9)
    assert figures["needed_to_close_usd"] == 13.6e9
    assert figures["needed_pct_of_exports"] == pytest.approx(100 * 13.6 / 2.4)
    assert (figures["largest_growth_usd"], figures["largest_growth_usd_year"]) == (2.0e9, 2021)
    assert figures["needed_vs_largest_growth"] == pytest.approx(6.8)


def test_purchase_that_closes_the_balance_buys_exactly_the_deficit() -> None:
    spec = parse_spec(
        {
            "kind": "purchase",
            "name": "p",
            "buyer": "CHN",
            "seller": "COL",
            "increase": {"close_balance": True},
        }
    )
    assert spec_to_dict(spec)["increase"]["close_balance"] is True
    figures = purchase_figures(spec, _history(), headline_balance=-13.6e9)
    assert figures["increase_usd"] == 13.6e9
    assert figures["balance_after_usd"] == 0.0
    surplus = purchase_figures(spec, _history(), headline_balance=1.0e9)
    assert surplus["increase_usd"] == 0.0  # nothing to close
    for bad in ({"close_balance": False}, {"close_balance": True, "amount_usd": 1e9}):
        with pytest.raises(SpecError) as caught:
            parse_spec({"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "increase": bad})
        assert caught.value.field.startswith("increase")


def test_purchase_percent_and_missing_chapters() -> None:
    spec = parse_spec(
        {"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "increase": {"percent": 50}}
    )
    assert purchase_figures(spec, _history())["increase_usd"] == pytest.approx(1.2e9)
    spec = parse_spec(
        {
            "kind": "purchase",
            "name": "p",
            "buyer": "CHN",
            "seller": "COL",
            "increase": {"percent": 50, "chapters": ["09"]},
        }
    )
    with pytest.raises(SpecError) as caught:
        purchase_figures(spec, _history(), chapter_exports=pd.DataFrame(columns=["chapter", "value_usd"]))
    assert caught.value.field == "increase.chapters"
    chapters = pd.DataFrame({"chapter": ["09", "27"], "value_usd": [4e8, 1e9]})
    assert purchase_figures(spec, _history(), chapter_exports=chapters)["increase_usd"] == pytest.approx(2e8)
    late = parse_spec(
        {
            "kind": "purchase",
            "name": "p",
            "buyer": "CHN",
            "seller": "COL",
            "year": 2023,
            "increase": {"percent": 1},
        }
    )
    with pytest.raises(SpecError) as caught:
        purchase_figures(late, _history())
    assert caught.value.field == "year"


def test_chapter_exports_prefer_the_sellers_own_report() -> None:
    import duckdb

    from etl.db import create_schema
    from model.data import query_chapter_exports

    con = duckdb.connect(":memory:")
    create_schema(con)
    rows = [
        ("COL", "CHN", "export", "09", 100.0, "FOB"),  # Colombia's own report
        ("CHN", "COL", "import", "09", 130.0, "CIF"),  # China's mirror of the same flow
        ("CHN", "COL", "import", "27", 900.0, "CIF"),  # mirror only
    ]
    for reporter, partner, flow, code, value, valuation in rows:
        con.execute(
            "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, "
            "valuation, source, dataset_id) VALUES (2024, '2024', ?, ?, ?, ?, 2, ?, ?, 'comtrade', 1)",
            [reporter, partner, flow, code, value, valuation],
        )
    frame = query_chapter_exports(con, "COL", "CHN", 2024)
    assert dict(zip(frame["chapter"], frame["value_usd"], strict=True)) == {"09": 100.0, "27": 900.0}


def test_focus_tariffs_are_import_weighted_and_welfare_counts_the_new_revenue() -> None:
    # Guatemala sells three times Honduras' coffee; 10 points more on Guatemala only.
    lines = pd.DataFrame(
        {
            "hs10": ["0901110025", "0901110025", "0901110025", "0603110000", "0603110000"],
            "partner_iso3": ["GTM", "HND", "COL", "COL", "ECU"],
            "imports_usd": [300.0, 100.0, 500.0, 600.0, 400.0],
            "duty_usd": [0.0] * 5,
        }
    )
    elasticities = pd.DataFrame({"hs6": ["090111", "060319"], "elasticity": [-0.7, -1.5]})
    spec = parse_spec({"name": "g", "tariff_changes": [{"partners": ["GTM"], "add_pp": 10}]})
    result = run_tariff(spec, build_market(lines, elasticities))
    focus = result.focus.set_index("group")
    central_america = focus.loc["Central America's coffee (HS 0901)"]
    # weighted by 2024 imports: 10 % on 300 of 400, not the plain mean of the two partners' rates (5 %)
    assert central_america["tariff_before_pct"] == 0.0
    assert central_america["tariff_after_pct"] == pytest.approx(10.0 * 300 / 400)
    # Revenue: 10 % of what Guatemala still sells; welfare = consumers' loss + the revenue gained.
    guatemala = result.by_partner.set_index("partner_iso3").loc["GTM"]
    totals = result.totals
    assert totals["tariff_revenue_before_usd"] == 0.0
    assert totals["tariff_revenue_after_usd"] == pytest.approx(0.10 * (300.0 + guatemala["total_change_usd"]))
    assert totals["consumer_surplus_change_usd"] < 0 < totals["tariff_revenue_after_usd"]
    assert totals["welfare_change_usd"] == pytest.approx(
        totals["consumer_surplus_change_usd"] + totals["tariff_revenue_after_usd"]
    )
