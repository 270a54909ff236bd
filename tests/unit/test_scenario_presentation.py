"""What the Scenarios page shows of a result, without Streamlit: texts, metrics, captions, the roses-and-coffee
summary, tables and comparison groups (dashboard.scenarios: labels, summary, tables).

The results are built by hand from small frames, so every expected figure below is worked out in the test.
"""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest

from dashboard.scenarios import labels as texts
from dashboard.scenarios import summary, tables
from model.result import Note, ScenarioResult
from model.spec import parse_spec

TARIFF = parse_spec({"name": "T", "tariff_changes": [{"partners": ["COL"], "add_pp": 10}]})
PURCHASE = parse_spec(
    {
        "kind": "purchase",
        "name": "P",
        "buyer": "CHN",
        "seller": "COL",
        "year": 2024,
        "increase": {"percent": 10},
    }
)


def _tariff_result(name: str = "T", changes: dict[str, float] | None = None) -> ScenarioResult:
    changes = changes or {"COL": -40e6, "ECU": 3e6}
    by_partner = pd.DataFrame({"partner_iso3": list(changes), "total_change_usd": list(changes.values())})
    spec = parse_spec({"name": name, "tariff_changes": [{"partners": ["COL"], "add_pp": 10}]})
    return ScenarioResult(spec=spec, by_partner=by_partner, totals={})


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_text_has_both_languages_with_the_same_blanks() -> None:
    for key, (english, spanish) in texts.TX.items():
        assert english.strip() and spanish.strip(), key
        assert _fields(english) == _fields(spanish), key
    assert set(texts.CHANGE_LABELS) == {"add_pp", "new_rate", "max_rate", "min_rate", "linear_cut", "swiss"}
    assert len(texts.TABS[0]) == len(texts.TABS[1]) == 6


def test_text_picks_the_language_and_fills_the_blanks() -> None:
    assert texts.text("p_balance", "en", year=2024) == "Balance 2024"
    assert texts.text("p_balance", "es", year=2024) == "Balanza 2024"
    assert texts.change_label("add_pp", "es") == "sumar puntos porcentuales"
    assert texts.change_label("unknown_kind", "en") == "unknown_kind"
    assert texts.tab_labels("es")[0] == "Por socio"


def test_money_shows_a_dash_where_there_is_no_figure() -> None:
    assert summary.money(None, "en") == "—"
    assert summary.money(-40_000_000, "en") == "USD -40.0 m"
    assert summary.money(2_500_000_000, "es", sign=True).startswith("+2,50 mil millones")


TOTALS = {
    "total_change_usd": -1_200_000_000,
    "total_change_low_usd": -2_000_000_000,
    "total_change_high_usd": -600_000_000,
    "band_basis": "(basis)",
    "gross_diversion_usd": 300_000_000,
    "gross_diversion_share": 0.0001,
    "tariff_revenue_change_usd": 5_000_000_000,
    "welfare_change_usd": -100_000_000,
    "baseline_usd": 3_000_000_000_000,
    "lines": 12345,
    "level": "hs10",
    "partners": 200,
    "rows_exempt": 1500,
}


def test_tariff_metrics_and_caption() -> None:
    metrics = summary.tariff_metrics(TOTALS, "en")
    assert [m.label for m in metrics] == [
        "Change in US imports",
        "Switching between suppliers",
        "Tariff revenue change",
        "Net welfare (consumers + revenue)",
    ]
    assert [m.value for m in metrics] == ["USD −1.20 bn", "USD 300.0 m", "USD 5.00 bn", "USD −100.0 m"]
    assert metrics[0].help == "Sensitivity (η and σ halved to doubled): USD -2.00 bn to USD -600.0 m. (basis)"
    assert metrics[1].help == "0.010 % of imports before"  # 0.0001 of imports = 0.01 %
    # one sentence under each number: 1.2 bn of 3,000 bn = 0.04 %
    assert [m.takeaway for m in metrics] == [
        "US imports would fall by USD 1.20 bn, 0.04 % of the USD 3,000.00 bn bought before.",
        "USD 300.0 m of purchases would move from one supplier to another (0.010 % of imports before).",
        "US tariff revenue would rise by USD 5.00 bn.",
        "US consumers would lose more than the tariff revenue gained: USD 100.0 m less, net.",
    ]
    spanish = summary.tariff_metrics(TOTALS, "es")
    assert [m.value for m in spanish] == ["−1.200 M USD", "300,0 M USD", "5.000 M USD", "−100,0 M USD"]
    assert spanish[0].takeaway.startswith(
        "Las importaciones de EE. UU. caerían 1,20 mil millones de USD, el 0,04 %"
    )
    caption = summary.tariff_caption(TOTALS, "es")
    assert caption.startswith("Sensibilidad (η y σ de la mitad al doble): de -2,00 mil millones de USD")
    assert "en 12.345 líneas SA10 y 200 socios; 1.500 filas" in caption


def test_purchase_metrics_leave_out_a_rise_the_history_lacks() -> None:
    totals = {
        "year": 2024,
        "balance_before_usd": -12_000_000_000,
        "balance_after_usd": -11_000_000_000,
        "increase_usd": 1_000_000_000,
        "needed_to_close_usd": 12_000_000_000,
        "needed_pct_of_exports": 500.4,
        "largest_growth_usd": None,
    }
    metrics = summary.purchase_metrics(totals, "en")
    assert [m.label for m in metrics] == ["Balance 2024", "Balance after", "Needed to close"]
    assert metrics[1].delta == "+USD 1.00 bn" or metrics[1].delta == "USD +1.00 bn"
    assert metrics[2].help == "500 % of 2024 exports"
    assert (
        metrics[0].takeaway
        == "A deficit: the seller bought USD 12.00 bn more from the buyer than it sold to it."
    )
    assert metrics[1].takeaway == "With USD 1.00 bn of added purchases, a deficit of USD 11.00 bn remains."
    assert metrics[2].takeaway == "Closing the deficit needs added exports of 500 % of the 2024 exports."
    grown = totals | {
        "largest_growth_usd": 900_000_000,
        "largest_growth_usd_year": 2022,
        "largest_growth_pct": 40.0,
        "largest_growth_pct_year": 2011,
        "largest_growth_pct_min_base_usd": 100_000_000,
    }
    last = summary.purchase_metrics(grown, "en")[-1]
    assert last.label == "Largest yearly rise on record" and last.value == "USD 900.0 m"
    assert last.takeaway == "The largest rise in one year so far, in 2022."
    assert last.help == "in 2022; largest % rise 40 % (2011, from a base of at least USD 100.0 m)"


def test_switching_notes_are_set_apart_and_worded_in_the_readers_language() -> None:
    switching = Note(
        "Switching happens only where starting tariffs differ.",
        "same_change_for_all",
        {"gross_diversion_usd": 2_000_000_000, "gross_diversion_share": 0.001},
    )
    notes = [Note("First.", "a kind the page does not know"), switching, Note("Last.")]
    boxes, caption = summary.split_notes(notes, "en")
    assert caption == "First. Last."  # notes of unknown kinds as the model wrote them, in order
    assert len(boxes) == 1 and "Gross switching: USD 2.00 bn (0.100 % of baseline imports)" in boxes[0]
    boxes, _ = summary.split_notes(notes, "es")
    assert "Cambio bruto de proveedor: 2,00 mil millones de USD" in boxes[0]
    assert summary.split_notes([], "en") == ([], "")


def test_coverage_sentence() -> None:
    coverage = {
        "import_demand": {"same code": 0.259, "5-digit group": 0.5, "heading median": 0.2, "default": 0.041},
        "substitution": {"set for all lines": 1.0},
    }
    sentence = summary.coverage_text(coverage, "en")
    assert sentence.startswith(
        "η: own HS6 estimate 25.9 %, 5-digit group median 50.0 %, HS4 heading median 20.0 %, default 4.1 %; "
        "σ: one value for all lines"
    )
    assert sentence.endswith("matched to the 2024 lines).")  # in words: no file name on screen
    assert "estimación propia a SA6 25,9 %" in summary.coverage_text(coverage, "es")


def _focus_result(changes: list[float]) -> ScenarioResult:
    focus = pd.DataFrame(
        {
            "group": ["g1", "g2", "g3"],
            "hs_prefix": ["060311", "0901", "0901"],
            "partners": ["ECU", "COL", "CRI, SLV, GTM, HND, NIC, PAN, BLZ"],
            "total_change_usd": changes,
        }
    )
    return ScenarioResult(spec=TARIFF, by_partner=pd.DataFrame(), totals={}, focus=focus)


def test_focus_names_who_gains_and_who_loses() -> None:
    names = {"ECU": "Ecuador", "COL": "Colombia"}
    shown = summary.focus_summary(_focus_result([3e6, -7e6, 0.2e6]), names, "en")
    assert shown.title == "Roses and coffee: who gains and who loses"
    assert shown.gains == "Gain: Ecuador: roses (HS 060311) USD +3.0 m." or shown.gains.startswith(
        "Gain: Ecuador: roses (HS 060311) "
    )
    assert shown.losses is not None and shown.losses.startswith("Lose: Colombia: coffee (HS 0901) ")
    assert "Central America" not in (shown.gains or "") + shown.losses  # 0.2 m is below the threshold
    assert list(shown.table.columns) == ["group", "total_change_usd"]
    assert shown.table["group"].tolist()[0] == "Ecuador: roses (HS 060311)"
    losing = summary.focus_summary(_focus_result([-1e6, -2e6, -3e6]), names, "en")
    assert losing.title == "Roses and coffee: every group shown loses" and losing.gains is None
    none = summary.focus_summary(_focus_result([0.0, 0.1e6, -0.4e6]), names, "es")
    assert none.title == "Rosas y café: sin cambio" and none.gains is None and none.losses is None


def test_display_formats_millions_in_the_readers_language() -> None:
    frame = pd.DataFrame(
        {
            "partner_iso3": ["COL", "ECU"],
            "total_change_usd": [-1_234_567_890.0, float("nan")],
            "year": [2024, 2024],
        }
    )
    styled = tables.display(frame, "es")
    assert list(styled.data.columns) == [
        "Socio (ISO3)",
        "Cambio en las importaciones (millones de USD)",
        "Año",
    ]
    # a column with a gap becomes text: -1,234.6 million in Spanish, a dash for the gap
    assert styled.data.iloc[:, 1].tolist() == ["-1.234,6", "—"]
    html = styled.to_html()
    assert "2024" in html and "2.024" not in html  # years are not numbers with thousands separators
    english = tables.display(frame.fillna({"total_change_usd": 5e6}), "en").to_html()
    assert "-1,234.6" in english and "5.0" in english


def test_effective_rates_table_one_row_per_partner_largest_first() -> None:
    rows = []
    for step, action, pre, post in ((0, "2024 applied tariffs", 2.0, 2.0), (1, "reciprocal", 12.0, 11.0)):
        for iso3, imports in (("ECU", 10.0), ("CHN", 400.0), ("COL", 15.0)):
            rows.append((step, action, iso3, iso3.lower(), imports, pre + (iso3 == "CHN"), post))
    rates = pd.DataFrame(
        rows,
        columns=["step", "action", "partner_iso3", "partner_name", "imports_2024_usd",
                 "rate_pre_substitution_pct", "rate_post_substitution_pct"],
    )  # fmt: skip
    table = tables.effective_rates_table(rates, lambda p: f"<{p}>", "en")
    assert table["partner"].tolist() == ["<CHN>", "<COL>", "<ECU>"]
    assert list(table.columns) == [
        "partner",
        "0. 2024 applied tariffs: before substitution (%)",
        "1. reciprocal: before substitution (%)",
        "1. reciprocal: after substitution (%)",
    ]  # no "after substitution" for the starting tariffs
    assert table.iloc[0, 1:].tolist() == [3.0, 13.0, 11.0]


def test_lines_and_chapter_tables() -> None:
    lines = pd.DataFrame({"hs10": ["0603110060", "0901110000"], "elasticity_is_default": [True, False]})
    shown = tables.lines_table(lines, "es")
    assert (
        shown["elasticity"].tolist() == ["por defecto", "estimada"] and "elasticity_is_default" not in shown
    )


def test_saved_scenarios_are_compared_like_with_like() -> None:
    t1, t2 = _tariff_result("A"), _tariff_result("B")
    p1 = ScenarioResult(spec=PURCHASE, by_partner=pd.DataFrame(), totals={})
    pairs = [({"name": "A"}, t1), ({"name": "P"}, p1), ({"name": "B"}, t2)]
    groups = tables.comparison_groups(pairs, "en")
    assert [(g.kind, g.heading) for g in groups] == [
        ("tariff", "Tariff scenarios (USD million)"),
        ("purchase", "Purchase scenarios (USD million)"),
    ]
    assert [r.name for r in groups[0].results] == ["A", "B"] and groups[0].docs == [
        {"name": "A"},
        {"name": "B"},
    ]
    assert [g.kind for g in tables.comparison_groups(pairs[1:2], "en")] == ["purchase"]
    assert tables.comparison_groups([], "en") == []


def test_partner_comparison_table_in_usd_with_the_difference_from_the_first() -> None:
    a = _tariff_result("A", {"COL": -40e6, "ECU": 3e6})
    b = _tariff_result("B", {"COL": -10e6, "CHN": -5e6})
    table = tables.partner_comparison_table([a, b], {"COL": "Colombia"}).set_index("partner_iso3")
    assert list(table.columns) == ["partner", "A_usd", "B_usd", "B − A_usd"]
    assert table.loc["COL", "partner"] == "Colombia (COL)"
    assert table.loc["COL", "B − A_usd"] == pytest.approx(30e6)
    assert table.loc["CHN", "B − A_usd"] == pytest.approx(-5e6)  # missing in A counts as no change
    assert table.loc["ECU", "B − A_usd"] == pytest.approx(-3e6)


def test_purchase_figure_names_its_series_in_the_readers_language() -> None:
    history = [
        {"year": 2023, "exports_usd": 2.0e9, "imports_usd": 14.0e9},
        {"year": 2024, "exports_usd": 2.4e9, "imports_usd": 15.9e9},
    ]
    totals = {"year": 2024, "exports_after_usd": 2.64e9, "exports_usd": 2.4e9, "needed_to_close_usd": 13.5e9}
    result = ScenarioResult(
        spec=PURCHASE, by_partner=pd.DataFrame(), totals=totals, extra={"history": history}
    )
    fig = summary.purchase_figure(result, {"COL": "Colombia", "CHN": "China"}, "es")
    assert [t.name for t in fig.data] == [
        "exportaciones Colombia → China",
        "importaciones Colombia ← China",
        "exportaciones en el escenario",
        "exportaciones que cierran el déficit",
    ]
    assert fig.layout.title.text == "Comercio de Colombia con China: historia y escenario"
    assert fig.data[2].y[0] == pytest.approx(2.64)  # USD billion
    with pytest.raises(TypeError):
        summary.purchase_figure(_tariff_result(), {}, "en")


def test_components_figure_labels_partners_and_series() -> None:
    by_partner = pd.DataFrame(
        {
            "partner_iso3": ["COL", "ECU"],
            "trade_creation_usd": [-50e6, 0.0],
            "trade_diversion_usd": [-10e6, 8e6],
            "total_change_usd": [-60e6, 8e6],
        }
    )
    fig = summary.components_figure(by_partner, {"COL": "Colombia (COL)"}, "en")
    assert [t.name for t in fig.data] == ["trade creation", "switching between suppliers"]
    assert set(fig.data[0].y) == {"Colombia (COL)", "ECU"}
    assert re.search("USD", fig.layout.xaxis.title.text)
