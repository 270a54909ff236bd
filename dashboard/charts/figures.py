"""The chart families: lines over years (one panel per facet), sparklines, the product treemap, top movers,
bars, the coverage heatmap, the balance split and grouped bars. DataFrame in, plotly Figure out; never calls
Streamlit. Each names its unit in the axis title and carries a source footnote."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import (
    DASHES,
    FONT_FAMILY,
    OKABE_ITO,
    X_AXIS_STYLE,
    Y_AXIS_STYLE,
    add_footnote,
    base_layout,
    footnote_annotation,
    footnote_margin,
    panel_title,
    style_figure,
    wrap_text,
)
from dashboard.charts.years import complete_years

HEATMAP_LABEL_CHARS = 30  # a series name's line beside the coverage cells: half a 400-px screen at most


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
    hover: Mapping[str, str] | None = None,
    x_title: str = "Year",
) -> go.Figure:
    """Lines over years, one per ``color`` (× ``dash``) series, one panel per ``facet_row`` value;
    missing years are gaps. ``hover``: {column: its label in the reader's language} added to each point's
    tooltip (columns of words: a publisher's name, never its code). With several panels the y-axis title is
    written once, beside the middle panel (one per panel overlapped). Built from graph objects directly (plotly
    express costs ~10× more time)."""
    keys = [k for k in (facet_row, color, dash) if k]
    data = complete_years(frame, keys) if not frame.empty else frame
    panels = list(dict.fromkeys(data[facet_row])) if facet_row and not data.empty else [None]
    # Colours follow the sorted names, so a partner keeps its colour whichever view is shown.
    colours = {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(sorted(set(data.get(color, []))))}
    dashes = (
        {name: DASHES[i % len(DASHES)] for i, name in enumerate(dict.fromkeys(data[dash]))} if dash else {}
    )
    hover_columns = [h for h in (hover or {}) if h in data.columns]
    template = "%{x}: %{y:,.3f}" + "".join(
        f"<br>{(hover or {})[h]}: %{{customdata[{i}]}}" for i, h in enumerate(hover_columns)
    )
    # Panels stacked top to bottom on one shared year axis; the figure is built in one pass from plain
    # dicts, which is several times faster than plotly express or make_subplots.
    gap = 0.09
    height = (1 - gap * (len(panels) - 1)) / len(panels)
    layout: dict = base_layout(title)
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
            "title": {
                "text": y_title if index == len(panels) // 2 else "",
                "font": {"size": 11 if panel is not None else 14},
            },
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
    layout["annotations"] = [footnote_annotation(footnote), *panel_labels]
    layout["margin"]["b"] = footnote_margin(footnote)
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
    style_figure(fig, f"{title} ({value_title})")
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
    movers: pd.DataFrame,
    *,
    value: str,
    label: str,
    title: str,
    x_title: str,
    footnote: str,
    text: str | None = None,
    unit: str = "",
) -> go.Figure:
    """Horizontal bars of ``movers[value]`` (growth in %, or the change) in the frame's order, the first at
    the top, each named by ``label`` (code and description) and labelled with ``text``; increases and
    decreases in two palette colours. ``unit``: what the tooltip calls the value's unit."""
    data = movers.iloc[::-1]
    values = data[value].astype("float64")
    colours = [OKABE_ITO[2] if v >= 0 else OKABE_ITO[4] for v in values]
    finite = values[np.isfinite(values)]
    low, high = (min(0.0, float(finite.min())), max(0.0, float(finite.max()))) if len(finite) else (-1.0, 1.0)
    pad = 0.2 * ((high - low) or 1.0)  # room beside the bars for their labels
    fig = go.Figure(
        go.Bar(
            x=values,
            y=data[label],
            orientation="h",
            marker={"color": colours},
            text=data[text] if text else None,
            textposition="auto",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{x:,.1f} " + unit + "<extra></extra>",
        )
    )
    style_figure(fig, title)
    fig.update_xaxes(
        title_text=x_title, range=[low - (pad if low < 0 else 0.0), high + (pad if high > 0 else 0.0)]
    )
    fig.update_yaxes(type="category", automargin=True)
    fig.update_layout(height=max(300, 28 * len(data) + 150), showlegend=False)
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
    style_figure(fig, title)
    fig.update_yaxes(title_text=y_title)
    fig.update_xaxes(title_text=x_title or x, type="linear")
    return add_footnote(fig, footnote)


def coverage_heatmap(
    coverage: pd.DataFrame, *, title: str, footnote: str, months: str = "months", x_title: str = "Year"
) -> go.Figure:
    """Series × years; the cell is the months covered (12 = full year), blank where nothing exists. The row
    label is the ``series`` column when the frame has one (readable names), else built from the codes."""
    if coverage.empty:
        return add_footnote(style_figure(go.Figure(), title), footnote)
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
    # long series names on two or three lines: on a phone a one-line name pushed the cells off the chart
    labels = ["<br>".join(wrap_text(line, HEATMAP_LABEL_CHARS) for line in str(name).split("<br>"))
              for name in grid.index]  # fmt: skip
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(dtype="float64"),
            x=list(grid.columns),
            y=labels,
            colorscale=[[0, "#F0E442"], [0.5, "#56B4E9"], [1, "#0072B2"]],
            zmin=1,
            zmax=12,
            colorbar={"title": {"text": months}, "thickness": 12},
            xgap=1,
            ygap=1,
            hovertemplate="%{y}<br>%{x}: %{z} " + months + "<extra></extra>",
        )
    )
    style_figure(fig, title)
    # every row tall enough for the longest label's lines (plotly gives all rows one height); above them the
    # title, below them the year axis and the footnote
    lines = max(label.count("<br>") + 1 for label in labels)
    rows_px = len(labels) * (14 * lines + 10)
    fig.update_layout(height=max(400, rows_px + 140 + footnote_margin(wrap_text(footnote, 60))))
    # upright year ticks every ten years: rotated ticks pushed the axis title into the footnote on a phone
    fig.update_xaxes(title_text=x_title, tickangle=0, dtick=10)
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
    layout: dict = base_layout(title)
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
    layout["annotations"] = [footnote_annotation(footnote)]
    layout["margin"]["b"] = footnote_margin(footnote)
    return go.Figure({"data": traces, "layout": layout})


def grouped_bar_chart(
    frame: pd.DataFrame, *, category: str, group: str, value: str, title: str, x_title: str, footnote: str
) -> go.Figure:
    """Horizontal bars, one bar per ``group`` inside each ``category``; categories sorted by their total."""
    order = frame.groupby(category)[value].sum().sort_values().index.tolist()
    height = max(360, 26 * len(order) * max(1, frame[group].nunique()) // 2 + 200)
    layout: dict = base_layout(title)
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
    layout["annotations"] = [footnote_annotation(footnote)]
    layout["margin"]["b"] = footnote_margin(footnote)
    return go.Figure({"data": traces, "layout": layout})
