"""Colombia's rows of a comparison, from a result's Colombia table where the model gives one (product groups),
else from Colombia's row of the partner table (all goods); worded in the reader's language."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.scenarios import colombia
from model.result import ScenarioResult
from model.spec import parse_spec

PARTNERS = pd.DataFrame(
    {
        "partner_iso3": ["COL", "ECU"],
        "baseline_usd": [18_310.77e6, 9_000e6],
        "total_change_usd": [-1_756.7e6, 87e6],
    }
)


def _result(name: str, table: pd.DataFrame | None = None) -> ScenarioResult:
    spec = parse_spec({"name": name, "tariff_changes": [{"partners": ["COL"], "add_pp": 10}]})
    result = ScenarioResult(spec=spec, by_partner=PARTNERS, totals={"total_change_usd": -2e9})
    if table is not None:
        result.colombia = table  # the model's Colombia table
    return result


def test_without_the_models_table_colombias_partner_row_gives_all_goods() -> None:
    rows = colombia.colombia_long(_result("A"))
    assert rows["product_group"].tolist() == ["All goods"]
    assert rows["after_usd"].iloc[0] == pytest.approx(18_310.77e6 - 1_756.7e6)
    assert rows["total_change_pct"].iloc[0] == pytest.approx(-100 * 1_756.7 / 18_310.77)


def test_the_models_product_groups_come_after_all_goods_and_only_colombias() -> None:
    table = pd.DataFrame(
        {
            "partner_group": ["Colombia", "Colombia", "Ecuador"],
            "product_group": ["Coffee", "Cut flowers", "Cut flowers"],
            "baseline_usd": [1_481.5e6, 1_345.1e6, 900e6],
            "after_usd": [1_300e6, 1_200e6, 950e6],
            "total_change_usd": [-181.5e6, -145.1e6, 50e6],
            "total_change_pct": [-12.25, -10.79, 5.5],
        }
    )
    rows = colombia.colombia_long(_result("A", table))
    assert rows["product_group"].tolist() == ["All goods", "Coffee", "Cut flowers"]
    spanish = colombia.colombia_table([_result("A", table), _result("B")], "es")
    assert spanish["Productos"].tolist() == [
        "Todos los bienes",
        "Café",
        "Flores cortadas",
        "Todos los bienes",
    ]
    assert spanish["Escenario"].tolist() == ["A", "A", "A", "B"]
    assert spanish["Cambio (millones de USD)"].tolist()[1] == pytest.approx(-181.5)


def test_the_summary_says_each_scenarios_loss_in_words() -> None:
    text = colombia.summary([_result("A")], "es")
    assert text == (
        "Colombia exportó 18.310,8 millones de USD a EE. UU. en 2024; con «A» pierde 1.756,7 millones de USD "
        "(-9,6 %) de esas exportaciones."
    )
    assert colombia.summary([_result("A")], "en").startswith("Colombia exported USD 18,310.8 million")
