"""Colombia first: the Colombia table of a result (product groups by HS code, beside Ecuador, Central America,
Brazil and Vietnam) and the order every comparison table and CSV uses."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from model.compare import colombia_comparison, partner_comparison
from model.result import (
    ALL_GOODS,
    COLOMBIA_PEERS,
    COLOMBIA_PRODUCT_GROUPS,
    OTHER_GOODS,
    colombia_first,
    colombia_rows,
)
from model.scenario import run_tariff
from model.spec import parse_spec
from tests.unit.test_smart_scenario import small_market


def test_colombia_first_orders_plain_and_categorical_columns() -> None:
    frame = pd.DataFrame({"partner_iso3": ["MEX", "VNM", "COL", "CAN", "GTM", "ECU", "BRA"], "x": range(7)})
    assert list(colombia_first(frame)["partner_iso3"]) == ["COL", "ECU", "GTM", "BRA", "VNM", "MEX", "CAN"]
    categorical = frame.assign(partner_iso3=pd.Categorical(frame["partner_iso3"]))
    assert list(colombia_first(categorical)["x"]) == [2, 5, 4, 6, 1, 0, 3]
    assert colombia_first(pd.DataFrame()).empty


@pytest.fixture(scope="module")
def result():
    spec = parse_spec({"name": "c", "tariff_changes": [{"partners": ["COL"], "add_pp": 10}]})
    return run_tariff(spec, small_market())


def test_the_table_partitions_each_peer_by_product_group(result) -> None:
    table = result.colombia
    groups = [label for label, _ in COLOMBIA_PRODUCT_GROUPS] + [OTHER_GOODS, ALL_GOODS]
    assert list(table["partner_group"].unique()) == [peer for peer, _ in COLOMBIA_PEERS]
    assert list(table["product_group"][: len(groups)]) == groups
    for _, rows in table.groupby("partner_group", sort=False):
        parts = rows[rows["product_group"] != ALL_GOODS]
        whole = rows[rows["product_group"] == ALL_GOODS].iloc[0]
        for column in ("baseline_usd", "after_usd", "total_change_usd", "trade_diversion_usd"):
            assert parts[column].sum() == pytest.approx(whole[column], abs=1e-9)
    colombia = colombia_rows(result).set_index("product_group")
    # small_market: Colombia sells roses 600, coffee 500, crude 5,000 to the US.
    assert colombia.loc["Cut flowers", "baseline_usd"] == 600.0
    assert colombia.loc["Coffee", "baseline_usd"] == 500.0
    assert colombia.loc["Oil", "baseline_usd"] == 5000.0
    assert colombia.loc[ALL_GOODS, "after_usd"] == pytest.approx(
        6100.0 + colombia.loc[ALL_GOODS, "total_change_usd"]
    )
    assert colombia.loc["Coffee", "tariff_after_pct"] == pytest.approx(10.0)
    assert (
        colombia.loc["Coffee", "low_usd"]
        <= colombia.loc["Coffee", "total_change_usd"]
        <= colombia.loc["Coffee", "high_usd"]
    )
    ecuador = table[table["partner_group"] == "Ecuador"].set_index("product_group")
    assert ecuador.loc["Cut flowers", "trade_diversion_usd"] > 0  # buyers switch to Ecuador's roses
    assert np.isnan(
        table[table["partner_group"] == "Vietnam"]["tariff_before_pct"]
    ).all()  # no lines: no rate


def test_the_table_is_in_the_json_and_comparisons_put_colombia_first(result) -> None:
    document = json.loads(result.to_json(lines=False))
    assert document["colombia"][0]["partner_group"] == "Colombia"
    assert document["colombia"][0]["product_group"] == COLOMBIA_PRODUCT_GROUPS[0][0]
    other = run_tariff(
        parse_spec({"name": "d", "tariff_changes": [{"partners": ["ECU"], "add_pp": 5}]}), small_market()
    )
    comparison = partner_comparison([other, result])
    assert comparison["partner_iso3"].iloc[0] == "COL" and comparison["partner_iso3"].iloc[1] == "ECU"
    side_by_side = colombia_comparison([result, other])
    assert list(side_by_side.columns[-2:]) == ["c", "d"]
    assert side_by_side["partner_group"].iloc[0] == "Colombia"
