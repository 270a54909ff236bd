"""Charts over years: every year of a series' range present (missing ones as gaps), the years a series lacks,
the chosen year range on the x axis and markers where a series breaks. Pure (no Streamlit)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go


def complete_years(frame: pd.DataFrame, keys: Sequence[str], year: str = "year") -> pd.DataFrame:
    """Add a row with NaN values for every year missing inside the overall year range, per series."""
    if frame.empty:
        return frame.copy()
    years = range(int(frame[year].min()), int(frame[year].max()) + 1)
    series = frame[list(keys)].drop_duplicates()
    grid = series.merge(pd.DataFrame({year: list(years)}), how="cross")
    out = grid.merge(frame, on=[*keys, year], how="left")
    return out.sort_values([*keys, year]).reset_index(drop=True)


def missing_years(
    frame: pd.DataFrame, keys: Sequence[str], value: str, year: str = "year"
) -> dict[tuple, list[int]]:
    """For each series, the years inside the overall range that have no value: a year with no row, and a row
    without a value (once per such row); series in key order, a series with a missing key left out, as
    :func:`complete_years` and a group-by would find them. One pass over the rows (a page run asks for this
    on every load; a merge of the whole grid cost several times more)."""
    if frame.empty:
        return {}
    first, last = int(frame[year].min()), int(frame[year].max())
    rows = frame[~frame[list(keys)].isna().any(axis=1)]
    columns = [rows[key].tolist() for key in keys]
    present: dict[tuple, set[int]] = {}  # every series, with the years it has a row for
    gaps: dict[tuple, list[int]] = {}
    for key, when, dated, none in zip(
        zip(*columns, strict=True), rows[year].tolist(), rows[year].notna().tolist(), rows[value].isna().tolist(),
        strict=True,
    ):  # fmt: skip
        years = present.setdefault(key, set())
        if dated:  # a row without a year is in no year of the range
            years.add(int(when))
            if none:
                gaps.setdefault(key, []).append(int(when))
    out: dict[tuple, list[int]] = {}
    for key in sorted(present):
        absent = sorted(gaps.get(key, []) + [y for y in range(first, last + 1) if y not in present[key]])
        if absent:
            out[key] = absent
    return out


MARKER_LINE_PX = 14  # a 10-px label line with its spacing


def add_year_markers(fig: go.Figure, markers: Sequence[tuple[float, str]]) -> go.Figure:
    """A dotted vertical line with a short label at each (year, text): where a series breaks (a publisher
    stops naming destinations, provisional figures begin) or where a unit's data stops. The label sits
    at the top of the plot area, inside it, so it never collides with the title or the legend. Markers at the
    same year share one line and one label (their texts one under the other); each further label sits a line
    lower than the one before, so neighbouring labels never overlap."""
    texts: dict[float, list[str]] = {}
    for year, text in markers:
        texts.setdefault(year, []).append(text)
    lines = 0  # label lines already placed: the next label starts under them
    for year, shown in sorted(texts.items()):
        text = "<br>".join(shown)
        fig.add_shape(
            type="line",
            x0=year,
            x1=year,
            y0=0,
            y1=1,
            xref="x",
            yref="paper",
            line={"dash": "dot", "color": "#666666", "width": 1},
        )
        fig.add_annotation(
            x=year,
            y=1,
            xref="x",
            yref="paper",
            text=text,
            showarrow=False,
            xanchor="right",
            yanchor="top",
            xshift=-3,
            yshift=-MARKER_LINE_PX * lines,
            font={"size": 10, "color": "#444444"},
            bgcolor="rgba(255,255,255,0.8)",
        )
        lines += len(shown)
    return fig


def set_year_axis(fig: go.Figure, year_from: int, year_to: int) -> go.Figure:
    """Fix the shared year axis to the chosen range (half a year of room either side)."""
    fig.update_xaxes(range=[year_from - 0.5, year_to + 0.5])
    return fig
