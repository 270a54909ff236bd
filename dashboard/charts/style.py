"""What every chart shares: the Okabe-Ito palette, the font, axis styles, the base layout, titles of panels,
the source footnote under the plot area, the modebar's download config, and the layout that survives a
400-pixel screen. Pure (no Streamlit)."""

from __future__ import annotations

import re

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


def footnote_annotation(text: str) -> dict:
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


def footnote_margin(text: str) -> int:
    return 75 + 14 * (text.count("<br>") + 1)


def add_footnote(fig: go.Figure, text: str) -> go.Figure:
    """Put ``text`` under the plot area, left-aligned (survives PNG/SVG export)."""
    fig.add_annotation(**footnote_annotation(text))
    fig.update_layout(margin={"b": footnote_margin(text)})
    return fig


def base_layout(title: str) -> dict:
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


def style_figure(fig: go.Figure, title: str) -> go.Figure:
    fig.update_xaxes(**X_AXIS_STYLE)
    fig.update_yaxes(**Y_AXIS_STYLE)
    fig.update_layout(base_layout(title))
    return fig


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


def chapter_label(code: str, description: object, width: int = 38) -> str:
    """'85 Electrical machinery and equip…': every chapter labelled, long names shortened with an ellipsis."""
    text = description if isinstance(description, str) else ""
    text = text.split(";")[0].strip()
    return f"{code} {text[:width].rstrip()}…" if len(text) > width else f"{code} {text}".strip()


NARROW_WIDTH_PX = 400  # the narrowest screen the layout is checked on
TITLE_WIDTH_CHARS = 42  # a 16-px title line that fits in NARROW_WIDTH_PX (Spanish words run longer)
FOOTNOTE_WIDTH_CHARS = 56  # a 10-px footnote line that fits in NARROW_WIDTH_PX (Spanish words run longer; 60 ran 2 px past a claim card's chart)


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


AXIS_TITLE_CHARS = 26  # a y-axis title line no taller than a phone's plot area (about 200 px at 14 px)


def _wrap_axis_titles(fig: go.Figure) -> None:
    """Long y-axis titles on two lines: centred on a short plot they ran into the title and into the next
    panel's title."""
    for name in fig.layout:
        if not name.startswith("yaxis"):
            continue
        axis = fig.layout[name]
        text = axis.title.text if axis.title else None
        if text and "<br>" not in text and len(text) > AXIS_TITLE_CHARS:
            axis.title.text = wrap_text(text, AXIS_TITLE_CHARS)


CATEGORY_TICK_CHARS = 14  # a category name under a vertical bar, per line
LABEL_WIDTH_CHARS = 30  # an 11-px label drawn on the plot (a claim's line, a marker), per line at 300 px


def _wrap_categories(fig: go.Figure) -> int:
    """Vertical bars' long category names on several upright lines: rotated, they ran into the axis title and
    the footnote on a phone. Returns the most lines a category name takes (1: none wrapped)."""
    lines = 1
    for trace in fig.data:
        if trace.type != "bar" or trace.orientation == "h" or trace.x is None:
            continue
        names = [str(x) for x in trace.x]
        if (
            any(isinstance(x, str) for x in trace.x)
            and max((len(n) for n in names), default=0) > CATEGORY_TICK_CHARS
        ):
            trace.x = [wrap_text(n, CATEGORY_TICK_CHARS) for n in names]
            fig.update_xaxes(tickangle=0)
            lines = max([lines, *(str(x).count("<br>") + 1 for x in trace.x)])
    return lines


def _wrap_labels(fig: go.Figure, chars: int) -> None:
    """Labels drawn on the plot (a claim's line, a statutory rate) on lines a narrow plot holds."""
    for annotation in fig.layout.annotations or ():
        text = annotation.text or ""
        if annotation.yshift == -54 or text.startswith("<b>") or "<br>" in text or len(text) <= chars:
            continue  # the footnote, panel titles and labels already cut into lines
        annotation.text = wrap_text(text, chars)


LEGEND_ENTRY_CHARS = 44  # an 11-px legend entry beside its symbol, per line at 300 px


def _wrap_legend(fig: go.Figure, chars: int) -> None:
    """Long series names on several lines: a legend does not wrap, and a long name ran off a narrow chart."""
    for trace in fig.data:
        name = str(trace.name) if trace.name else ""
        if getattr(trace, "showlegend", False) is not False and "<br>" not in name and len(name) > chars:
            trace.name = wrap_text(name, chars)


def fit_small_screens(fig: go.Figure, width_px: int = NARROW_WIDTH_PX) -> go.Figure:
    """A layout that survives a 400-pixel-wide screen and a slide alike: the title wraps instead of being
    cut, the legend sits under the footnote (it can no longer cover the title), and the bottom margin
    keeps room for both. Figures without a footnote or legend are left as they are. ``width_px``: the
    narrowest the chart is drawn (a chart inside a card on a phone: about 300)."""
    scale = width_px / NARROW_WIDTH_PX
    tick_lines = _wrap_categories(fig)
    below_px = 14 * (tick_lines - 1)  # category names on several lines push the axis title down
    _wrap_labels(fig, int(LABEL_WIDTH_CHARS * width_px / 300))
    _wrap_legend(fig, int(LEGEND_ENTRY_CHARS * width_px / 300))
    title = fig.layout.title.text or ""
    title_lines = 1
    if title:
        wrapped = wrap_text(title.replace("<br>", " "), int(TITLE_WIDTH_CHARS * scale))
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
    _wrap_axis_titles(fig)
    rows = _legend_rows(fig, width_px)
    footnote = next((a for a in fig.layout.annotations or () if a.yshift == -54), None)
    if footnote is None:
        return fig
    footnote.text = wrap_text((footnote.text or "").replace("<br>", " "), int(FOOTNOTE_WIDTH_CHARS * scale))
    # start under the y-axis title (a few more characters per line on a phone); where long category names
    # push the plot area to the right, start as far left as they do
    footnote.xshift = -max(40, min(_category_labels_px(fig) - 12, MAX_FOOTNOTE_SHIFT_PX))
    footnote_lines = footnote.text.count("<br>") + 1
    footnote.yshift = -54 - below_px  # under the axis title wherever the category names put it
    if rows == 0 or fig.layout.legend.orientation == "v":  # no legend under it: room for the footnote only
        fig.update_layout(margin={"b": footnote_margin(footnote.text) + below_px})
        return fig
    height = fig.layout.height or 450
    margin = fig.layout.margin
    # The plot area keeps the height the figure gave it: a long footnote and legend under it make the figure
    # taller instead of squeezing the panels (stacked panels' tick labels ran into the next panel's title).
    plot_before = (
        height - (margin.t if margin.t is not None else 100) - (margin.b if margin.b is not None else 80)
    )
    top = 36 + 22 * title_lines
    footnote_px = 54 + below_px + 14 * footnote_lines + 8
    bottom = footnote_px + 24 * rows + 10
    # plotly accepts a legend's y down to -2 plot heights (further down it falls back to its default, on the
    # x axis's tick labels): the plot area is at least half the height of what is under it.
    plot_px = max(200, plot_before, footnote_px // 2 + 1)
    fig.update_layout(
        height=top + plot_px + bottom,
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
            and annotation is not footnote
        ):
            annotation.y = 1.0
    return fig
