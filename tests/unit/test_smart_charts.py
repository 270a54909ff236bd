"""Scenario charts and comparison tables: pure functions on small frames."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.scenarios import charts
from model.compare import headline_table, partner_comparison
from model.result import ScenarioResult
from model.spec import parse_spec


def _result(name: str, changes: dict[str, float]) -> ScenarioResult:
    spec = parse_spec({"name": name, "tariff_changes": [{"add_pp": 1}]})
    by_partner = pd.DataFrame({"partner_iso3": list(changes), "total_change_usd": list(changes.values())})
    return ScenarioResult(
        spec=spec, by_partner=by_partner, totals={"total_change_usd": sum(changes.values())}
    )


def test_change_bars_colour_by_sign_and_carry_the_band() -> None:
    table = pd.DataFrame(
        {
            "label": ["Colombia", "Ecuador", "Guatemala"],
            "total_change_usd": [-5e9, 2e8, 1e8],
            "low_usd": [-9e9, 1e8, 5e7],
            "high_usd": [-2e9, 4e8, 2e8],
        }
    )
    fig = charts.change_bar_chart(table, label="label", title="t", top=2)
    bar = fig.data[0]
    assert list(bar.y) == ["Colombia", "Ecuador"]  # the two largest, sorted by value
    assert list(bar.marker.color) == [charts.VERMILLION, charts.BLUE]
    assert list(bar.error_x.arrayminus) == pytest.approx([4000.0, 100.0])
    assert list(bar.error_x.array) == pytest.approx([3000.0, 200.0])


def test_comparison_and_delta() -> None:
    first = _result("A", {"COL": -2e9, "ECU": 1e8})
    second = _result("B", {"COL": -3e9, "MEX": 5e8})
    comparison = partner_comparison([first, second], {"COL": "Colombia"})
    row = comparison.set_index("partner_iso3").loc["COL"]
    assert row["partner"] == "Colombia (COL)"
    assert row["B − A"] == -1e9
    assert comparison.set_index("partner_iso3").loc["MEX", "B − A"] == 5e8  # absent in A counts as zero
    fig = charts.comparison_chart(comparison, ["A", "B"], title="c")
    assert [trace.name for trace in fig.data] == ["A", "B"]
    delta = charts.delta_chart(comparison, ["A", "B"], title="d")
    assert [trace.name for trace in delta.data] == ["B − A"]
    table = headline_table([first, second])
    assert list(table.columns) == ["measure", "A", "B"]
    assert table.set_index("measure").loc["Change in imports", "B"] == pytest.approx(-2.5e9)


def test_purchase_chart_marks_the_scenario_and_the_gap() -> None:
    history = pd.DataFrame({"year": [2023, 2024], "exports_usd": [2e9, 2.4e9], "imports_usd": [15e9, 16e9]})
    figures = {"year": 2024, "exports_usd": 2.4e9, "exports_after_usd": 3.4e9, "needed_to_close_usd": 13.6e9}
    fig = charts.purchase_chart(history, figures, seller="COL", buyer="CHN")
    names = [trace.name for trace in fig.data]
    assert "exports that close the deficit" in names
    closing = fig.data[names.index("exports that close the deficit")]
    assert list(closing.y) == pytest.approx([16.0])
