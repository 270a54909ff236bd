"""Pure chart functions: DataFrame in, plotly Figure out. Never calls Streamlit.

Every figure uses the Okabe-Ito colour-blind-safe palette, names its unit in the axis title and carries
a source footnote as an annotation. Missing years are NaN points, so lines break instead of dropping to 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from etl.years import format_years

# Okabe & Ito (2008), "Color Universal Design": THE palette of every chart. Black last, used only when needed.
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
BLACK = "#000000"
OKABE_ITO = [ORANGE, SKY, GREEN, BLUE, VERMILLION, PURPLE, YELLOW, BLACK]
GREY = "#999999"  # not a series colour: zero lines and muted marks
FONT_FAMILY = "Arial, Helvetica, sans-serif"
DASHES = ["solid", "dash", "dot", "dashdot"]


def plotly_config(image_format: str = "png", filename: str = "balanza-chart") -> dict:
    """Modebar config: the camera button downloads the chart as PNG or SVG at slide resolution."""
    if image_format not in ("png", "svg"):
        raise ValueError(f"image format must be png or svg, not {image_format!r}")
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": image_format, "filename": filename, "scale": 2},
    }


X_AXIS_STYLE = {"gridcolor": "#E5E5E5", "linecolor": "#BBBBBB", "zeroline": False}
Y_AXIS_STYLE = {"gridcolor": "#E5E5E5", "zerolinecolor": GREY}


def _footnote_annotation(text: str) -> dict:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "yshift": -54,  # pixels below the plot area, under the x-axis title, whatever the figure's height
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "align": "left",
        "font": {"size": 10, "color": "#444444"},
    }


def panel_title(text: str, top: float, size: int = 13) -> dict:
    """A panel's name in bold, left-aligned just above the panel whose top is at ``top`` (paper coordinates)."""
    return {
        "text": f"<b>{text}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": top,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": size},
    }


def _footnote_margin(text: str) -> int:
    return 75 + 14 * (text.count("<br>") + 1)


def add_footnote(fig: go.Figure, text: str) -> go.Figure:
    """Put ``text`` under the plot area, left-aligned (survives PNG/SVG export)."""
    fig.add_annotation(**_footnote_annotation(text))
    fig.update_layout(margin={"b": _footnote_margin(text)})
    return fig


def _base_layout(title: str) -> dict:
    # A plain layout instead of a named template: copying plotly_white costs ~50 ms per figure.
    return {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "template": "none",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hovermode": "closest",
        "colorway": OKABE_ITO,
        "font": {"family": FONT_FAMILY},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "title": {"text": ""}},
        "margin": {"t": 100, "l": 60, "r": 20},
    }


def _style(fig: go.Figure, title: str) -> go.Figure:
    fig.update_xaxes(**X_AXIS_STYLE)
    fig.update_yaxes(**Y_AXIS_STYLE)
    fig.update_layout(_base_layout(title))
    return fig


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
    """For each series, the years inside the overall range that have no value."""
    completed = complete_years(frame, keys, year)
    gaps: dict[tuple, list[int]] = {}
    for key, group in completed.groupby(list(keys), sort=True):
        absent = sorted(int(y) for y in group.loc[group[value].isna(), year])
        if absent:
            gaps[key if isinstance(key, tuple) else (key,)] = absent
    return gaps


def source_footnote(
    frame: pd.DataFrame, labels: dict[str, str], prefix: str = "Source", source: str = "source"
) -> str:
    """'Source: IMF DOTS (1960–2020); DANE (2021–2024)' from the per-point source column."""
    if frame.empty or source not in frame:
        return f"{prefix}: —"
    parts = []  # (first year, text): listed in the order the sources come in over time
    for name, group in frame.dropna(subset=[source]).groupby(source, sort=True):
        years = sorted({int(y) for y in group["year"]}) if "year" in group else []
        # A balance combines two series ("dian / published"): name each.
        label = " + ".join(labels.get(part, part) for part in str(name).split(" / "))
        parts.append((years[0] if years else 0, f"{label} ({format_years(years)})" if years else label))
    text = f"{prefix}: " + "; ".join(text for _, text in sorted(parts))
    return wrap_text(text)


def wrap_text(text: str, width: int = 110) -> str:
    """Break a footnote into lines of at most ``width`` characters (plotly annotations do not wrap)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(lines)


def line_chart(
    frame: pd.DataFrame,
    *,
    y: str,
    color: str,
    title: str,
    y_title: str,
    footnote: str,
    dash: str | None = None,
    facet_row: str | None = None,
    hover: Sequence[str] = ("source",),
    x_title: str = "Year",
) -> go.Figure:
    """Lines over years, one per ``color`` (× ``dash``) series, one panel per ``facet_row`` value;
    missing years are gaps. Built from graph objects directly (plotly express costs ~10× more time)."""
    keys = [k for k in (facet_row, color, dash) if k]
    data = complete_years(frame, keys) if not frame.empty else frame
    panels = list(dict.fromkeys(data[facet_row])) if facet_row and not data.empty else [None]
    # Colours follow the sorted names, so a partner keeps its colour whichever view is shown.
    colours = {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(sorted(set(data.get(color, []))))}
    dashes = (
        {name: DASHES[i % len(DASHES)] for i, name in enumerate(dict.fromkeys(data[dash]))} if dash else {}
    )
    hover_columns = [h for h in hover if h in data.columns]
    template = "%{x}: %{y:,.3f}" + "".join(
        f"<br>{h}: %{{customdata[{i}]}}" for i, h in enumerate(hover_columns)
    )
    # Panels stacked top to bottom on one shared year axis; the figure is built in one pass from plain
    # dicts, which is several times faster than plotly express or make_subplots.
    gap = 0.09
    height = (1 - gap * (len(panels) - 1)) / len(panels)
    layout: dict = _base_layout(title)
    layout["xaxis"] = {
        **X_AXIS_STYLE,
        "anchor": f"y{len(panels)}" if len(panels) > 1 else "y",
        "title": {"text": x_title},
    }
    traces: list[dict] = []
    panel_labels: list[dict] = []
    shown_in_legend: set[str] = set()
    for index, panel in enumerate(panels):
        axis = "y" if index == 0 else f"y{index + 1}"
        top = 1 - index * (height + gap)
        layout["yaxis" if index == 0 else f"yaxis{index + 1}"] = {
            **Y_AXIS_STYLE,
            "domain": [max(0.0, top - height), top],
            "anchor": "x",
            "title": {"text": y_title, "font": {"size": 11 if panel is not None else 14}},
        }
        if panel is not None:  # the panel's name above it, left-aligned
            panel_labels.append(panel_title(str(panel), top))
        part = data if panel is None else data[data[facet_row] == panel]
        for key, group in part.groupby([k for k in (color, dash) if k], sort=False):
            key = key if isinstance(key, tuple) else (key,)
            name = " · ".join(str(k) for k in key)
            traces.append(
                {
                    "type": "scatter",
                    "x": group["year"].to_numpy(),
                    "y": group[y].to_numpy(dtype="float64"),
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": name not in shown_in_legend,
                    "connectgaps": False,
                    "xaxis": "x",
                    "yaxis": axis,
                    "marker": {"size": 5},
                    "line": {
                        "color": colours[key[0]],
                        "dash": dashes.get(key[1], "solid") if dash else "solid",
                    },
                    "customdata": group[hover_columns].astype(object).to_numpy() if hover_columns else None,
                    "hovertemplate": f"{name}<br>{template}<extra></extra>",
                }
            )
            shown_in_legend.add(name)
    layout["annotations"] = [_footnote_annotation(footnote), *panel_labels]
    layout["margin"]["b"] = _footnote_margin(footnote)
    if facet_row:
        layout["height"] = max(320, 260 * len(panels) + 140)
        layout["margin"]["t"] = 130
        layout["legend"] = {
            **layout["legend"],
            "y": 1.0 + 40 / layout["height"],
        }  # above the first panel's name
    return go.Figure({"data": traces, "layout": layout})


def sparkline_chart(frame: pd.DataFrame, *, y: str, footnote: str = "") -> go.Figure:
    """A small line with no axes, for a metric card; missing years are gaps."""
    data = frame.sort_values("year")
    if not data.empty:
        years = pd.DataFrame({"year": range(int(data["year"].min()), int(data["year"].max()) + 1)})
        data = years.merge(data, on="year", how="left")
    fig = go.Figure(
        go.Scatter(
            x=data["year"],
            y=data[y],
            mode="lines+markers",
            connectgaps=False,
            line={"color": OKABE_ITO[3], "width": 2},
            marker={"size": 4},
        )
    )
    fig.update_layout(
        template="none",
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=150,
        margin={"l": 10, "r": 10, "t": 10, "b": 40 if footnote else 10},
        xaxis={"visible": True, "showgrid": False, "tickfont": {"size": 9}},
        yaxis={"visible": False},
        showlegend=False,
        font={"family": FONT_FAMILY},
    )
    if footnote:
        fig.add_annotation(
            text=footnote,
            xref="paper",
            yref="paper",
            x=0,
            y=-0.45,
            xanchor="left",
            showarrow=False,
            font={"size": 9, "color": "#444444"},
        )
    return fig


def treemap_chart(
    tree: pd.DataFrame, *, title: str, value_title: str, footnote: str, root: str | None = None
) -> go.Figure:
    """Chapters → headings (headings only where the data has them). ``tree``: chapter, heading, value,
    chapter_description, heading_description. ``root`` ('ch09', 'hd0901') opens the map on that box."""
    chapters = (
        tree.groupby("chapter", sort=True)
        .agg(value=("value", "sum"), description=("chapter_description", "first"))
        .reset_index()
    )
    headings = tree.dropna(subset=["heading"])
    chapter_index = dict(zip(chapters["chapter"], range(len(chapters)), strict=True))
    colour_index = [i % 7 for i in range(len(chapters))] + [chapter_index[c] % 7 for c in headings["chapter"]]
    # numpy arrays, not lists: plotly validates lists element by element.
    fig = go.Figure(
        go.Treemap(
            ids=np.array(
                ["ch" + c for c in chapters["chapter"].astype(str)] + ["hd" + h for h in headings["heading"]],
                dtype=object,
            ),
            parents=np.array(
                [""] * len(chapters) + ["ch" + c for c in headings["chapter"].astype(str)], dtype=object
            ),
            labels=np.array(
                _short_labels(chapters["chapter"], chapters["description"])
                + _short_labels(headings["heading"], headings["heading_description"]),
                dtype=object,
            ),
            values=np.concatenate([chapters["value"].to_numpy(float), headings["value"].to_numpy(float)]),
            customdata=np.array(
                chapters["description"].fillna("").astype(str).tolist()
                + headings["heading_description"].fillna("").astype(str).tolist(),
                dtype=object,
            ),
            branchvalues="total",
            hovertemplate="%{label}: %{customdata}<br>%{value:,.3f} " + value_title + "<extra></extra>",
            marker={"colors": np.array([OKABE_ITO[i] for i in colour_index], dtype=object)},
            maxdepth=2,
            level=root,
        )
    )
    _style(fig, f"{title} ({value_title})")
    fig.update_layout(height=520)
    return add_footnote(fig, footnote)


def _short_labels(codes: pd.Series, descriptions: pd.Series, width: int = 28) -> list[str]:
    """'27 Mineral fuels, mineral oils…': the code and the start of its description."""
    labels = []
    for code, description in zip(codes.astype(str), descriptions, strict=True):
        text = description if isinstance(description, str) else ""
        labels.append(f"{code} {text[:width]}…" if len(text) > width else f"{code} {text}".strip())
    return labels


def movers_chart(
    movers: pd.DataFrame, *, title: str, x_title: str, footnote: str, y_title: str = "HS"
) -> go.Figure:
    """Horizontal bars of the change per product; increases and decreases in two palette colours."""
    data = movers.sort_values("change")
    colours = [OKABE_ITO[2] if v >= 0 else OKABE_ITO[4] for v in data["change"]]
    fig = go.Figure(
        go.Bar(
            x=data["change"],
            y=data["hs_code"],
            orientation="h",
            marker={"color": colours},
            customdata=data["description"],
            hovertemplate="%{y}: %{customdata}<br>%{x:,.3f}<extra></extra>",
        )
    )
    _style(fig, title)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, type="category")
    fig.update_layout(height=max(300, 28 * len(data) + 150))
    return add_footnote(fig, footnote)


def bar_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    y_title: str,
    footnote: str,
    x_title: str | None = None,
) -> go.Figure:
    """Vertical bars (e.g. a yearly sum); years without rows are simply absent, never zero."""
    fig = go.Figure(go.Bar(x=frame[x], y=frame[y], marker={"color": OKABE_ITO[3]}))
    _style(fig, title)
    fig.update_yaxes(title_text=y_title)
    fig.update_xaxes(title_text=x_title or x, type="linear")
    return add_footnote(fig, footnote)


def coverage_heatmap(
    coverage: pd.DataFrame, *, title: str, footnote: str, months: str = "months", x_title: str = "Year"
) -> go.Figure:
    """Series × years; the cell is the months covered (12 = full year), blank where nothing exists. The row
    label is the ``series`` column when the frame has one (readable names), else built from the codes."""
    if coverage.empty:
        return add_footnote(_style(go.Figure(), title), footnote)
    data = (
        coverage
        if "series" in coverage
        else coverage.assign(
            series=coverage["source"]
            + " · "
            + coverage["reporter_iso3"]
            + "→"
            + coverage["partner_iso3"]
            + " · "
            + coverage["flow"]
            + " · "
            + coverage["detail"]
        )
    )
    grid = data.pivot_table(index="series", columns="year", values="months_covered", aggfunc="max")
    grid = grid.reindex(columns=range(int(data["year"].min()), int(data["year"].max()) + 1))
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(dtype="float64"),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale=[[0, "#F0E442"], [0.5, "#56B4E9"], [1, "#0072B2"]],
            zmin=1,
            zmax=12,
            colorbar={"title": {"text": months}},
            xgap=1,
            ygap=1,
            hovertemplate="%{y}<br>%{x}: %{z} " + months + "<extra></extra>",
        )
    )
    _style(fig, title)
    fig.update_layout(height=max(400, 18 * len(grid.index) + 200))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=None, automargin=True)
    return add_footnote(fig, footnote)


def balance_split_chart(
    frame: pd.DataFrame,
    *,
    parts: Sequence[tuple[str, str]],
    total_column: str,
    total_name: str,
    title: str,
    y_title: str,
    footnote: str,
    x_title: str = "Year",
) -> go.Figure:
    """The total balance per year as stacked bars of its parts (e.g. China, the United States, the rest of the
    world) with the total drawn as a line on top. ``parts``: (column, legend name). Meaningful in surplus and
    deficit years alike: bars above zero are surpluses, below zero deficits, and they add up to the line."""
    layout: dict = _base_layout(title)
    layout["barmode"] = "relative"
    layout["xaxis"] = {
        **X_AXIS_STYLE,
        "title": {"text": x_title},
        "type": "linear",
        "dtick": 1 if len(frame) <= 12 else None,
    }
    layout["yaxis"] = {**Y_AXIS_STYLE, "title": {"text": y_title}, "zeroline": True, "zerolinewidth": 1.5}
    colours = [OKABE_ITO[4], OKABE_ITO[3], OKABE_ITO[1]]
    traces: list[dict] = []
    for index, (column, name) in enumerate(parts):
        traces.append(
            {
                "type": "bar",
                "x": frame["year"].to_numpy(),
                "y": frame[column].to_numpy(dtype="float64"),
                "name": name,
                "marker": {"color": colours[index % len(colours)]},
                "hovertemplate": f"{name}<br>%{{x}}: %{{y:,.2f}}<extra></extra>",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": frame["year"].to_numpy(),
            "y": frame[total_column].to_numpy(dtype="float64"),
            "name": total_name,
            "connectgaps": False,
            "line": {"color": OKABE_ITO[7], "width": 2},
            "marker": {"size": 6},
            "hovertemplate": f"{total_name}<br>%{{x}}: %{{y:,.2f}}<extra></extra>",
        }
    )
    layout["annotations"] = [_footnote_annotation(footnote)]
    layout["margin"]["b"] = _footnote_margin(footnote)
    return go.Figure({"data": traces, "layout": layout})


def add_year_markers(fig: go.Figure, markers: Sequence[tuple[float, str]]) -> go.Figure:
    """A dotted vertical line with a short label at each (year, text): where a series breaks (a publisher
    stops naming destinations, provisional figures begin) or where a unit's data stops. The label sits
    at the top of the plot area, inside it, so it never collides with the title or the legend."""
    for year, text in markers:
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
            font={"size": 10, "color": "#444444"},
            bgcolor="rgba(255,255,255,0.8)",
        )
    return fig


def set_year_axis(fig: go.Figure, year_from: int, year_to: int) -> go.Figure:
    """Fix the shared year axis to the chosen range (half a year of room either side)."""
    fig.update_xaxes(range=[year_from - 0.5, year_to + 0.5])
    return fig


NARROW_WIDTH_PX = 400  # the narrowest screen the layout is checked on
TITLE_WIDTH_CHARS = 42  # a 16-px title line that fits in NARROW_WIDTH_PX (Spanish words run longer)
FOOTNOTE_WIDTH_CHARS = 60  # a 10-px footnote line that fits in NARROW_WIDTH_PX (Spanish words run longer)


def _legend_rows(fig: go.Figure, width_px: int = NARROW_WIDTH_PX) -> int:
    """How many rows a horizontal legend takes on a ``width_px`` screen (about 6.5 px per character of
    11-px text plus 40 px for each entry's symbol and gap)."""
    names = [str(trace.name) for trace in fig.data if trace.name and trace.showlegend is not False]
    if not names or fig.layout.showlegend is False:
        return 0
    rows, used = 1, 0.0
    for name in names:
        need = 40 + 6.5 * len(name)
        if used and used + need > width_px - 20:
            rows, used = rows + 1, 0.0
        used += need
    return rows


CATEGORY_CHAR_PX = 5.8  # a 12-px tick label's average character width, on the low side
MAX_FOOTNOTE_SHIFT_PX = 220  # plotly caps a margin widened for long names at about this on a 400-px screen


def _category_labels_px(fig: go.Figure) -> int:
    """About how wide the widest category name on a y axis is (horizontal bars, heatmaps), in pixels: plotly
    widens the left margin to fit it, which moves the plot area and what is anchored to it to the right."""
    widest = 0
    for trace in fig.data:
        horizontal = trace.type == "heatmap" or (trace.type == "bar" and trace.orientation == "h")
        if not horizontal or trace.y is None:
            continue
        for label in trace.y:
            lines = re.sub(r"<(?!br)[^>]+>", "", str(label)).split("<br>")
            widest = max(widest, max(len(line) for line in lines))
    return int(widest * CATEGORY_CHAR_PX)


def fit_small_screens(fig: go.Figure) -> go.Figure:
    """A layout that survives a 400-pixel-wide screen and a slide alike: the title wraps instead of being
    cut, the legend sits under the footnote (it can no longer cover the title), and the bottom margin
    keeps room for both. Figures without a footnote or legend are left as they are."""
    title = fig.layout.title.text or ""
    title_lines = 1
    if title:
        wrapped = wrap_text(title.replace("<br>", " "), TITLE_WIDTH_CHARS)
        title_lines = wrapped.count("<br>") + 1
        fig.update_layout(
            title={
                "text": wrapped,
                "automargin": True,
                "yref": "container",
                "y": 1,
                "yanchor": "top",
                "pad": {"t": 10},
                "font": {"size": 16},
            }
        )
    rows = _legend_rows(fig)
    footnote = next((a for a in fig.layout.annotations or () if a.yshift == -54), None)
    if footnote is None:
        return fig
    footnote.text = wrap_text((footnote.text or "").replace("<br>", " "), FOOTNOTE_WIDTH_CHARS)
    # start under the y-axis title (a few more characters per line on a phone); where long category names
    # push the plot area to the right, start as far left as they do
    footnote.xshift = -max(40, min(_category_labels_px(fig) - 12, MAX_FOOTNOTE_SHIFT_PX))
    footnote_lines = footnote.text.count("<br>") + 1
    if rows == 0 or fig.layout.legend.orientation == "v":  # no legend under it: room for the footnote only
        fig.update_layout(margin={"b": _footnote_margin(footnote.text)})
        return fig
    height = fig.layout.height or 450
    top = 36 + 22 * title_lines
    footnote_px = 54 + 14 * footnote_lines + 8
    bottom = footnote_px + 24 * rows + 10
    plot_px = max(120, height - top - bottom)
    fig.update_layout(
        height=max(height, top + bottom + 200),
        margin={"t": top, "b": bottom},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -footnote_px / plot_px,
            "yanchor": "top",
            "font": {"size": 11},
        },
    )
    for annotation in fig.layout.annotations or ():  # labels placed relative to a legend above the plot
        if (
            annotation.yref == "paper"
            and annotation.y is not None
            and annotation.y > 1.0
            and annotation.yshift != -54
        ):
            annotation.y = 1.0
    return fig


def chapter_label(code: str, description: object, width: int = 38) -> str:
    """'85 Electrical machinery and equip…': every chapter labelled, long names shortened with an ellipsis."""
    text = description if isinstance(description, str) else ""
    text = text.split(";")[0].strip()
    return f"{code} {text[:width].rstrip()}…" if len(text) > width else f"{code} {text}".strip()


def grouped_bar_chart(
    frame: pd.DataFrame, *, category: str, group: str, value: str, title: str, x_title: str, footnote: str
) -> go.Figure:
    """Horizontal bars, one bar per ``group`` inside each ``category``; categories sorted by their total."""
    order = frame.groupby(category)[value].sum().sort_values().index.tolist()
    height = max(360, 26 * len(order) * max(1, frame[group].nunique()) // 2 + 200)
    layout: dict = _base_layout(title)
    layout.update(barmode="group", height=height)
    layout["xaxis"] = {**X_AXIS_STYLE, "title": {"text": x_title}}
    layout["yaxis"] = {
        **Y_AXIS_STYLE,
        "type": "category",
        "categoryorder": "array",
        "categoryarray": order,
        "automargin": True,
    }
    traces = []
    for index, (name, part) in enumerate(frame.groupby(group, sort=True)):
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": part[category].to_numpy(dtype=object),
                "x": part[value].to_numpy(dtype="float64"),
                "name": str(name),
                "marker": {"color": (OKABE_ITO[4], OKABE_ITO[3], OKABE_ITO[2])[index % 3]},
                "hovertemplate": f"{name}<br>%{{y}}: %{{x:,.1f}}<extra></extra>",
            }
        )
    layout["annotations"] = [_footnote_annotation(footnote)]
    layout["margin"]["b"] = _footnote_margin(footnote)
    return go.Figure({"data": traces, "layout": layout})
