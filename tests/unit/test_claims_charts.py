"""Claim figures: the claim is drawn on, units are in the axis titles, colours are colour-blind safe."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import pytest

from dashboard import claims as c
from dashboard import claims_charts as cc
from dashboard.charts import OKABE_ITO
from dashboard.claims.card import number_row, numbers_frame

SPECS = {spec.id: spec for spec in c.read_claims()}


def deficit_card() -> c.ClaimCard:
    series = pd.DataFrame({
        "year": [2019, 2020, 2024, 2024, 2020], "perspective": [c.COL_REPORTED, c.COL_REPORTED, c.COL_REPORTED,
                                                              c.MIXED, c.MIRROR],
        "balance_usd": [-6.4e9, -7.6e9, -13.559e9, -12.66e9, -5.0e9], "publisher": ["IMF"] * 5,
    })  # fmt: skip
    numbers = pd.DataFrame([{"measure": "balance", "year": 2024, "perspective": c.COL_REPORTED, "value": -13.559e9,
                             "unit": "USD", "valuation": "", "source": "published", "dataset": "facts.csv",
                             "publisher": "x", "note": ""}])  # fmt: skip
    return c.ClaimCard(SPECS[1], c.SUPPORTED, ("x",), numbers, (), series, {"deficit_usd": 13.559e9})


def test_deficit_chart_draws_the_claim_and_its_tolerance() -> None:
    fig = cc.claim_chart(deficit_card())
    assert fig is not None
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [line.y0 for line in lines] == [14.0]
    assert (bands[0].y0, bands[0].y1) == pytest.approx((13.3, 14.7))
    assert "USD billion" in fig.layout.yaxis.title.text
    assert {trace.name for trace in fig.data} == {c.COL_REPORTED, c.MIXED, c.MIRROR}
    assert all(trace.line.color in OKABE_ITO for trace in fig.data)
    colombia = next(t for t in fig.data if t.name == c.COL_REPORTED)
    assert list(colombia.x) == [2019, 2020, 2021, 2022, 2023, 2024]  # missing years are gaps, not joined
    assert pd.isna(colombia.y[2])
    assert any("Source:" in a.text and "printed figures" in a.text for a in fig.layout.annotations)


def test_share_chart_marks_the_90_to_110_percent_band_and_cuts_the_axis() -> None:
    table = pd.DataFrame({"year": [2013, 2024, 2024], "basis": [c.SHARE_BASES[0], c.SHARE_BASES[0], c.SHARE_BASES[1]],
                          "share": [9.18, 0.93, 1.17]})  # fmt: skip
    card = c.ClaimCard(SPECS[2], c.SUPPORTED, (), numbers_frame([]), (), table)
    fig = cc.claim_chart(card)
    assert fig is not None
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [(r.y0, r.y1) for r in rects] == [
        pytest.approx((90.0, 110.0))
    ]  # "practically the entire": both bounds
    assert [line.y0 for line in lines] == [100.0]
    assert fig.layout.yaxis.range[1] == cc.SHARE_AXIS_MAX_PCT
    assert any("Axis cut" in a.text for a in fig.layout.annotations)
    assert "%" in fig.layout.yaxis.title.text


def test_cards_without_series_have_no_chart() -> None:
    assert cc.claim_chart(c.ClaimCard(SPECS[10], c.OUT_OF_SCOPE, (), numbers_frame([]))) is None


def balances_figure() -> object:
    frame = pd.DataFrame({"year": [2023, 2024] * 2, "value": [2.4, 2.4, -13.0, -13.6],
                          "measure_label": ["Exports", "Exports", "Balance", "Balance"], "partner": ["CHN"] * 4})  # fmt: skip
    fig = px.line(frame, x="year", y="value", color="partner", facet_row="measure_label")
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    return fig


def test_add_claim_annotations_on_the_balance_facet() -> None:
    fig = balances_figure()
    axes = cc._facet_axes(fig, "Balance")
    assert axes is not None and axes[0] in ("y", "y2")
    out = cc.add_claim_annotations(fig, c.read_claims(), usd_per_unit=1e9, facet_label="Balance")
    assert out is fig
    (line,) = fig.layout.shapes
    assert line.y0 == line.y1 == -14.0
    assert (line.yref, line.xref) == axes
    assert any(a.text.startswith("claim 1:") for a in fig.layout.annotations)


def test_add_claim_annotations_skips_a_missing_facet_and_draws_the_share_line() -> None:
    fig = balances_figure()
    cc.add_claim_annotations(fig, c.read_claims(), facet_label="Not shown")
    assert not fig.layout.shapes
    share = px.line(pd.DataFrame({"year": [2024], "share_pct": [93.0]}), x="year", y="share_pct")
    cc.add_claim_annotations(share, c.read_claims(), target="share")
    assert [s.y0 for s in share.layout.shapes] == [90.0]
    assert any("practically the entire" in a.text for a in share.layout.annotations)


def test_tariff_chart_has_the_claim_line_and_monthly_exports() -> None:
    timeline = pd.DataFrame({"date": pd.to_datetime(["2025-04-03", "2025-04-05"]), "partner_iso3": ["COL", "COL"],
                             "effective_tariff_pct": [1.23, 10.74]})  # fmt: skip
    numbers = numbers_frame([
        number_row(f"{c.MONTHLY_EXPORTS_MEASURE} to the US", month, c.COL_REPORTED, 1.2e9, "USD", "FOB", "dian", "d", "p")
        for month in ("2025-03", "2025-04")
    ])  # fmt: skip
    card = c.ClaimCard(SPECS[6], c.SUPPORTED, (), numbers, (), timeline, {"before_pct": 1.23})
    fig = cc.claim_chart(card)
    assert fig is not None
    claim_line = [s for s in fig.layout.shapes if s.type == "line" and s.yref == "y" and s.y0 == s.y1]
    assert [s.y0 for s in claim_line] == [pytest.approx(11.23)]
    exports = next(t for t in fig.data if t.name.endswith("to the US"))
    assert list(exports.y) == [1.2, 1.2]
    assert "USD billion" in fig.layout.yaxis2.title.text and "%" in fig.layout.yaxis.title.text


def test_add_claim_annotations_on_the_dashboard_line_chart() -> None:
    from dashboard import charts

    frame = pd.DataFrame({"year": [2023, 2024] * 3, "value": [2.4, 2.4, 15.9, 15.9, -13.5, -13.6],
                          "measure_label": ["Exports"] * 2 + ["Imports"] * 2 + ["Balance"] * 2,
                          "partner": ["CHN"] * 6, "source": ["published"] * 6})  # fmt: skip
    fig = charts.line_chart(frame, y="value", color="partner", facet_row="measure_label", title="t",
                            y_title="USD billions (nominal)", footnote="f")  # fmt: skip
    cc.add_claim_annotations(fig, c.read_claims(), usd_per_unit=1e9, facet_label="Balance")
    (line,) = fig.layout.shapes
    balance_axis = next(t.yaxis for t in fig.data if -13.6 in list(t.y))
    assert line.yref == balance_axis and line.y0 == -14.0
    assert line.xref == f"{fig.layout['yaxis' + balance_axis[1:]].anchor} domain"
