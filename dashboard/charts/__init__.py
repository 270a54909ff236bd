"""Pure chart functions: DataFrame in, plotly Figure out. Never calls Streamlit.

Every figure uses the Okabe-Ito colour-blind-safe palette, names its unit in the axis title and carries
a source footnote as an annotation. Missing years are NaN points, so lines break instead of dropping to 0.
Modules:

- style: the palette, axis styles, the base layout, panel titles, footnotes, the modebar's download config
  and the layout that fits a small screen (what every chart shares)
- years: the years of a series (gaps), the year axis and the markers where a series breaks
- figures: the chart families (lines, sparklines, treemap, movers, bars, heatmap, balance split, grouped bars)

Pages call them as ``charts.line_chart(...)``: the names below are this package's public face.
"""

from __future__ import annotations

from dashboard.charts.figures import (
    balance_split_chart,
    bar_chart,
    coverage_heatmap,
    grouped_bar_chart,
    line_chart,
    movers_chart,
    sparkline_chart,
    treemap_chart,
)
from dashboard.charts.style import (
    BLACK,
    BLUE,
    DASHES,
    FONT_FAMILY,
    GREEN,
    GREY,
    NARROW_WIDTH_PX,
    OKABE_ITO,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    X_AXIS_STYLE,
    Y_AXIS_STYLE,
    YELLOW,
    add_footnote,
    chapter_label,
    fit_small_screens,
    panel_title,
    plotly_config,
    source_footnote,
    style_figure,
    wrap_text,
)
from dashboard.charts.years import add_year_markers, complete_years, missing_years, set_year_axis
from etl.years import format_years

__all__ = [
    "BLACK", "BLUE", "DASHES", "FONT_FAMILY", "GREEN", "GREY", "NARROW_WIDTH_PX", "OKABE_ITO", "ORANGE", "PURPLE", "SKY",
    "VERMILLION", "X_AXIS_STYLE", "Y_AXIS_STYLE", "YELLOW", "add_footnote", "add_year_markers",
    "balance_split_chart", "bar_chart", "chapter_label", "complete_years", "coverage_heatmap",
    "fit_small_screens", "format_years", "grouped_bar_chart", "line_chart", "missing_years", "movers_chart",
    "panel_title", "plotly_config", "set_year_axis", "source_footnote", "sparkline_chart", "style_figure",
    "treemap_chart", "wrap_text",
]  # fmt: skip
