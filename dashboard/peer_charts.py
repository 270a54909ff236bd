"""Small multiples for the Peers page: one panel per country on one shared scale, years on x, gaps as gaps.
Pure (no Streamlit); colours from the Okabe-Ito palette of dashboard.charts."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    FONT_FAMILY,
    GREY,
    OKABE_ITO,
    X_AXIS_STYLE,
    Y_AXIS_STYLE,
    add_footnote,
    complete_years,
)

COLUMNS = 3  # on a 400-px screen a panel of four in a row was 70 px wide: its years turned upright
PANEL_HEIGHT_PX = 210
H_GAP, V_GAP = 0.05, 0.11


def small_multiples(
    frame: pd.DataFrame,
    *,
    panel: str,
    color: str,
    y: str,
    title: str,
    y_title: str,
    x_title: str,
    footnote: str,
    colours: Mapping[str, str] | None = None,
    panels: Sequence[str] | None = None,
    year_range: tuple[int, int] | None = None,
    markers: Sequence[tuple[float, str]] = (),
    hover: Sequence[str] = ("source",),
    columns: int = COLUMNS,
) -> go.Figure:
    """One panel per ``panel`` value (in ``panels`` order), one line per ``color`` value in each, all panels on
    the same y scale (so a share reads the same everywhere); a missing year is a gap, never a zero.
    ``markers``: (x, short label) dotted lines drawn in every panel (e.g. where a series changes vintage); their
    labels go under the footnote (a label inside a panel a phone screen shows 80 pixels wide would not fit)."""
    names = list(panels) if panels is not None else list(dict.fromkeys(frame[panel]))
    data = complete_years(frame, [panel, color]) if not frame.empty else frame
    if year_range is not None and not data.empty:
        data = data[data["year"].between(*year_range)]
    palette = dict(colours or {})
    for index, name in enumerate(sorted(set(data.get(color, [])) - set(palette))):
        palette[name] = OKABE_ITO[index % len(OKABE_ITO)]
    values = data[y].dropna() if not data.empty else pd.Series(dtype=float)
    low = min(0.0, float(values.min())) if len(values) else 0.0
    high = max(0.0, float(values.max())) if len(values) else 1.0
    pad = (high - low) * 0.06 or 1.0
    y_range = [low - (pad if low < 0 else 0.0), high + pad]
    columns = max(1, min(columns, len(names)))
    rows = max(1, math.ceil(len(names) / columns))
    width = (1 - H_GAP * (columns - 1)) / columns
    height = (1 - V_GAP * (rows - 1)) / rows
    layout: dict = {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "template": "none",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hovermode": "closest",
        "font": {"family": FONT_FAMILY},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": ""}},
        "margin": {"t": 100, "l": 60, "r": 20},
        "height": PANEL_HEIGHT_PX * rows + 170,
    }
    hover_columns = [h for h in hover if h in data.columns]
    template = "%{x}: %{y:,.1f}" + "".join(f"<br>%{{customdata[{i}]}}" for i in range(len(hover_columns)))
    traces: list[dict] = []
    annotations: list[dict] = []
    shapes: list[dict] = []
    shown: set[str] = set()
    for index, name in enumerate(names):
        row, column = divmod(index, columns)
        left = column * (width + H_GAP)
        top = 1 - row * (height + V_GAP)
        suffix = "" if index == 0 else str(index + 1)
        x_axis, y_axis = f"x{suffix}", f"y{suffix}"
        layout[f"xaxis{suffix}"] = {
            **X_AXIS_STYLE,
            "domain": [left, left + width],
            "anchor": y_axis,
            "range": [year_range[0] - 0.5, year_range[1] + 0.5] if year_range else None,
            "title": {"text": x_title if row == rows - 1 else ""},
            "nticks": 4,  # one every ten years over 2000-2024: upright labels that fit a phone's narrow panel
            "tickangle": 0,
        }
        layout[f"yaxis{suffix}"] = {
            **Y_AXIS_STYLE,
            "domain": [max(0.0, top - height), top],
            "anchor": x_axis,
            "range": y_range,
            "title": {"text": y_title if column == 0 else "", "font": {"size": 11}},
            "showticklabels": column == 0,  # one scale for all panels: read off the row's first panel
            "zeroline": True,
            "zerolinecolor": GREY,
        }
        annotations.append(
            {
                "text": f"<b>{name}</b>", "xref": "paper", "yref": "paper", "x": left, "y": top,
                "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": 12},
            }
        )  # fmt: skip
        for x, _ in markers:
            shapes.append(
                {"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "xref": x_axis, "yref": f"{y_axis} domain",
                 "line": {"dash": "dot", "color": "#666666", "width": 1}}
            )  # fmt: skip
        part = data[data[panel] == name] if not data.empty else data
        for key, group in part.groupby(color, sort=True) if not part.empty else []:
            label = str(key)
            traces.append(
                {
                    "type": "scatter", "x": group["year"].to_numpy(), "y": group[y].to_numpy(dtype="float64"),
                    "mode": "lines+markers", "name": label, "legendgroup": label, "showlegend": label not in shown,
                    "connectgaps": False, "xaxis": x_axis, "yaxis": y_axis, "marker": {"size": 4},
                    "line": {"color": palette[label], "width": 2},
                    "customdata": group[hover_columns].astype(object).to_numpy() if hover_columns else None,
                    "hovertemplate": f"{name} · {label}<br>{template}<extra></extra>",
                }
            )  # fmt: skip
            shown.add(label)
    layout["annotations"] = annotations
    layout["shapes"] = shapes
    fig = go.Figure({"data": traces, "layout": layout})
    if markers:
        footnote = f"{footnote}<br>{' · '.join(f'┊ {text}' for _, text in markers)}"
    return add_footnote(fig, footnote)
