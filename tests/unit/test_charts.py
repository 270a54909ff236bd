from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.charts.style import footnote_margin


def _series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2018, 2019, 2021, 2018, 2021],
            "partner": ["CHN", "CHN", "CHN", "USA", "USA"],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
            "source": ["imf_dots", "imf_dots", "published", "imf_dots", "published"],
        }
    )


def test_missing_years_become_gaps_not_zeros() -> None:
    completed = charts.complete_years(_series(), ["partner"])
    chn = completed[completed["partner"] == "CHN"].set_index("year")["value"]
    assert math.isnan(chn[2020])
    assert charts.missing_years(_series(), ["partner"], "value") == {("CHN",): [2020], ("USA",): [2019, 2020]}


def test_missing_years_per_series_counts_present_rows_without_a_value_as_missing() -> None:
    """Two keys, a row whose value is NaN (missing, like an absent year), a year a series has twice (once
    without a value: missing), a series with no gap (left out) and columns the gaps do not read."""
    frame = pd.DataFrame(
        {
            "partner": ["CHN", "CHN", "CHN", "CHN", "USA", "USA", "USA", "USA", "USA"],
            "flow": ["x", "x", "x", "m", "x", "x", "x", "x", "x"],
            "year": [2018, 2019, 2021, 2018, 2018, 2019, 2020, 2020, 2021],
            "value": [1.0, float("nan"), 3.0, 4.0, 1.0, 2.0, 3.0, float("nan"), 5.0],
            "label": ["a", "b", "c", "d", "e", "f", "g", "h", "i"],
        }
    )
    # by hand: years 2018-2021; CHN/x lacks 2019 (NaN) and 2020 (absent); CHN/m has only 2018; USA/x lacks a value
    # in one of its two 2020 rows; each gap listed once per row without a value
    assert charts.missing_years(frame, ["partner", "flow"], "value") == {
        ("CHN", "m"): [2019, 2020, 2021],
        ("CHN", "x"): [2019, 2020],
        ("USA", "x"): [2020],
    }
    assert (
        charts.missing_years(frame[frame["partner"] == "USA"].assign(value=1.0), ["partner"], "value") == {}
    )
    assert charts.missing_years(frame.iloc[:0], ["partner"], "value") == {}


def test_missing_years_agree_with_a_completed_grid_grouped_by_series() -> None:
    """The one-pass count against the slow formulation it replaced: every (series, year) of the grid merged
    with the rows, the rows without a value grouped by series. Random frames: repeated years, gaps, missing
    values and keys, arrow strings and integers as keys."""
    import numpy as np

    def by_grid(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, list[int]]:
        completed = charts.complete_years(frame, keys)
        out: dict[tuple, list[int]] = {}
        for key, group in completed.groupby(keys, sort=True):
            absent = sorted(int(y) for y in group.loc[group["value"].isna(), "year"])
            if absent:
                out[key if isinstance(key, tuple) else (key,)] = absent
        return out

    rng = np.random.default_rng(23)
    for _ in range(40):
        n = int(rng.integers(1, 40))
        frame = pd.DataFrame(
            {
                "partner": pd.array(rng.choice(["CHN", "USA", "WLD", None], n), dtype="str"),
                "flow": rng.integers(0, 3, n),
                "year": rng.integers(2015, 2024, n),
                "value": np.where(rng.random(n) < 0.3, np.nan, rng.random(n)),
            }
        )
        for keys in (["partner"], ["flow"], ["partner", "flow"]):
            assert charts.missing_years(frame, keys, "value") == by_grid(frame, keys), frame


def test_line_chart_draws_gaps_and_carries_units_and_footnote() -> None:
    fig = charts.line_chart(
        _series(),
        y="value",
        color="partner",
        title="Balance",
        y_title="USD billions (nominal)",
        footnote="Source: IMF DOTS",
    )
    usa = next(trace for trace in fig.data if trace.name == "USA")
    ys = dict(zip(usa.x, usa.y, strict=True))
    assert math.isnan(ys[2019]) and math.isnan(ys[2020])  # never 0
    assert usa.connectgaps is False
    assert fig.layout.yaxis.title.text == "USD billions (nominal)"
    assert any(a.text == "Source: IMF DOTS" for a in fig.layout.annotations)
    assert fig.layout.colorway[0] == charts.OKABE_ITO[0]


def test_source_footnote_names_each_source_with_its_years() -> None:
    text = charts.source_footnote(_series(), {"imf_dots": "IMF DOTS", "published": "DANE (published)"})
    assert text == "Source: IMF DOTS (2018–2019); DANE (published) (2021)"


def test_format_years_collapses_runs() -> None:
    assert charts.format_years([2007, 2001, 2002, 2003]) == "2001–2003, 2007"


def test_plotly_config_offers_png_and_svg_only() -> None:
    assert charts.plotly_config("svg", "x")["toImageButtonOptions"]["format"] == "svg"
    with pytest.raises(ValueError):
        charts.plotly_config("gif")


def test_treemap_nests_headings_under_chapters_and_keeps_chapter_only_rows() -> None:
    tree = pd.DataFrame(
        {
            "chapter": ["09", "09", "27"],
            "heading": ["0901", "0902", None],
            "value": [5.0, 1.0, 7.0],
            "chapter_description": ["Coffee, tea", "Coffee, tea", "Mineral fuels"],
            "heading_description": ["Coffee", "Tea", None],
        }
    )
    trace = charts.treemap_chart(tree, title="t", value_title="USD millions", footnote="f").data[0]
    nodes = dict(zip(trace.ids, zip(trace.parents, trace.values, strict=True), strict=True))
    assert nodes["ch09"] == ("", 6.0)
    assert nodes["hd0901"] == ("ch09", 5.0)
    assert nodes["ch27"] == ("", 7.0)
    assert "hdNone" not in nodes


def test_coverage_heatmap_leaves_absent_years_blank() -> None:
    coverage = pd.DataFrame(
        {
            "source": ["dian", "dian"],
            "reporter_iso3": ["COL", "COL"],
            "partner_iso3": ["CHN", "CHN"],
            "flow": ["export", "export"],
            "detail": ["totals", "totals"],
            "year": [2023, 2026],
            "months_covered": [12, 8],
        }
    )
    z = charts.coverage_heatmap(coverage, title="c", footnote="f").data[0].z
    assert list(z[0][:1]) == [12] and math.isnan(z[0][1]) and z[0][3] == 8


def test_a_footnote_under_long_category_names_starts_as_far_left_as_they_push_the_plot() -> None:
    def footnote_shift(labels: list[str]) -> float:
        fig = go.Figure(go.Bar(x=[1.0] * len(labels), y=labels, orientation="h"))
        charts.add_footnote(fig, "Source: a publisher. " * 8)
        charts.fit_small_screens(fig)
        note = next(a for a in fig.layout.annotations if a.yshift == -54)
        assert all(len(line) <= 60 for line in note.text.split("<br>"))  # wrapped for a 400-px screen
        return float(note.xshift)

    assert footnote_shift(["CHN", "USA"]) == -40  # short names: under the y-axis title, as before
    assert footnote_shift(["x" * 20]) == -(20 * 5.8 - 12)
    assert footnote_shift(["Petroleum oils and oils from bituminous minerals, crude"]) == -220  # capped


def test_a_long_footnote_makes_the_figure_taller_and_keeps_the_legend_under_it() -> None:
    """plotly refuses a legend lower than two plot heights under the plot (it then draws it on the year ticks):
    the plot area keeps at least its height, and half of what is under it."""
    fig = go.Figure(
        [go.Bar(x=[2000, 2001], y=[1.0, 2.0], name=n) for n in ("China", "United States", "World")]
    )
    fig.update_layout(margin={"t": 100, "b": 80}, height=450, legend={"orientation": "h"})
    charts.add_footnote(fig, "Source: a publisher with a long name, its years and its basis. " * 14)
    before = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    charts.fit_small_screens(fig)
    assert fig.layout.annotations[-1].text.count("<br>") >= 14  # the footnote wrapped on many lines
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_px >= before  # the plot area was not squeezed
    assert -2 <= fig.layout.legend.y < -1  # under the footnote, in the range plotly accepts
    height = fig.layout.height
    charts.fit_small_screens(fig)  # a shared figure may be finished again: nothing moves
    assert fig.layout.height == height


def test_coverage_rows_all_have_room_for_the_longest_label() -> None:
    """plotly gives every heatmap row one height: the figure is as tall as the rows times the longest label's
    lines (a four-line label in an average-height row ran into the next)."""
    long_label = "a label long enough to need several lines when it wraps at thirty characters"
    coverage = pd.DataFrame(
        {
            "series": [f"short {i}" for i in range(11)] + [long_label],
            "year": [2020] * 12,
            "months_covered": [12] * 12,
        }
    )
    fig = charts.coverage_heatmap(coverage, title="c", footnote="f")
    lines = max(str(label).count("<br>") + 1 for label in fig.data[0].y)
    assert lines >= 3
    plot_px = fig.layout.height - 140 - footnote_margin("f")
    assert plot_px >= 12 * (14 * lines + 10)


def test_every_publisher_has_a_short_name_for_a_coverage_row() -> None:
    """A coverage row names its publisher on one line: the 2026 DBnomics vintage's full name took four."""
    from dashboard import i18n
    from dashboard.charts.figures import HEATMAP_LABEL_CHARS

    for source in i18n.PUBLISHERS:
        for lang in ("en", "es"):
            assert len(i18n.short_publisher(source, lang)) <= HEATMAP_LABEL_CHARS + 1, (source, lang)
