"""Scenario charts: model results in, plotly figures out. Pure (no Streamlit), colour-blind-safe (Okabe-Ito)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import BLUE, FONT_FAMILY, GREEN, ORANGE, PURPLE, SKY, VERMILLION
from etl.schema import BILLION, MILLION

# The Okabe-Ito palette of dashboard.charts: blue for gains, vermillion for losses, then the rest for scenarios.
SCENARIO_COLOURS = (BLUE, ORANGE, GREEN, PURPLE)
FONT = {"family": FONT_FAMILY}


def _layout(fig: go.Figure, title: str, *, height: int = 460) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template="plotly_white",
        font=FONT,
        height=height,
        margin={"t": 70, "l": 10, "r": 20, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return fig


def change_bar_chart(
    table: pd.DataFrame,
    *,
    label: str,
    title: str,
    top: int = 15,
    value: str = "total_change_usd",
    band: tuple[str, str] | None = ("low_usd", "high_usd"),
    unit: str = "USD million",
) -> go.Figure:
    """Horizontal bars of the largest changes (USD million), gains blue and losses vermillion, with the band.
    ``unit``: how the tooltip names USD million, in the reader's language."""
    frame = table.loc[table[value].abs().nlargest(top).index].sort_values(value)
    values = frame[value] / MILLION
    fig = go.Figure(
        go.Bar(
            x=values,
            y=frame[label],
            orientation="h",
            marker_color=[BLUE if v >= 0 else VERMILLION for v in values],
            name="central",
            error_x=_band(frame, value, band),
            hovertemplate="%{y}: %{x:,.1f} " + unit + "<extra></extra>",
        )
    )
    fig.update_xaxes(title="change in imports, USD million (bar: central; whisker: low–high sensitivity)")
    fig.update_yaxes(type="category", automargin=True)
    return _layout(fig, title, height=max(320, 28 * len(frame) + 140))


def _band(frame: pd.DataFrame, value: str, band: tuple[str, str] | None) -> dict | None:
    if band is None or band[0] not in frame or band[1] not in frame:
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": ((frame[band[1]] - frame[value]) / MILLION).clip(lower=0).tolist(),
        "arrayminus": ((frame[value] - frame[band[0]]) / MILLION).clip(lower=0).tolist(),
        "color": "#333333",
        "thickness": 1.2,
    }


def components_chart(
    by_partner: pd.DataFrame, *, title: str, top: int = 12, unit: str = "USD million"
) -> go.Figure:
    """Trade creation and trade diversion side by side for the partners with the largest total change
    (``unit``: USD million in the reader's language, for the tooltip)."""
    frame = by_partner.loc[by_partner["total_change_usd"].abs().nlargest(top).index]
    frame = frame.sort_values("total_change_usd")
    fig = go.Figure()
    for column, name, colour in (
        ("trade_creation_usd", "trade creation", SKY),
        ("trade_diversion_usd", "trade diversion (switching)", ORANGE),
    ):
        fig.add_bar(
            x=frame[column] / MILLION,
            y=frame["partner_label"] if "partner_label" in frame else frame["partner_iso3"],
            orientation="h",
            name=name,
            marker_color=colour,
            hovertemplate="%{y}: %{x:,.1f} " + unit + "<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(barmode="relative")
    fig.update_xaxes(title="USD million")
    fig.update_yaxes(type="category", automargin=True)
    return _layout(fig, title, height=max(320, 28 * len(frame) + 140))


def comparison_chart(
    comparison: pd.DataFrame, scenario_names: Sequence[str], *, title: str, top: int = 12
) -> go.Figure:
    """Grouped bars: change in imports by partner (rows) for each saved scenario (columns)."""
    present = [name for name in scenario_names if name in comparison]
    magnitude = comparison[present].abs().max(axis=1)
    frame = comparison.loc[magnitude.nlargest(top).index]
    fig = go.Figure()
    for i, name in enumerate(present):
        fig.add_bar(
            x=frame[name] / MILLION,
            y=frame["partner"],
            orientation="h",
            name=name,
            marker_color=SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)],
            marker_pattern_shape=("", "/", ".", "x")[i % 4],  # shapes as well as colours
            hovertemplate="%{y}: %{x:,.1f} USD million<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title="change in US imports, USD million")
    fig.update_yaxes(type="category", automargin=True, autorange="reversed")
    return _layout(fig, title, height=max(360, 22 * len(frame) * max(1, len(present)) // 2 + 160))


def purchase_chart(history: pd.DataFrame, figures: dict, *, seller: str, buyer: str) -> go.Figure:
    """The seller's exports to the buyer by year, the scenario's exports, and what closing the deficit needs."""
    frame = history.dropna(subset=["exports_usd"]).sort_values("year")
    year = figures["year"]
    fig = go.Figure()
    fig.add_scatter(
        x=frame["year"], y=frame["exports_usd"] / BILLION, mode="lines+markers", name=f"exports {seller}→{buyer}",
        line={"color": BLUE},
    )  # fmt: skip
    imports = history.dropna(subset=["imports_usd"]).sort_values("year")
    fig.add_scatter(
        x=imports["year"], y=imports["imports_usd"] / BILLION, mode="lines", name=f"imports {seller}←{buyer}",
        line={"color": VERMILLION, "dash": "dot"},
    )  # fmt: skip
    fig.add_scatter(
        x=[year], y=[figures["exports_after_usd"] / BILLION], mode="markers", name="exports in the scenario",
        marker={"color": ORANGE, "size": 14, "symbol": "diamond"},
    )  # fmt: skip
    if figures.get("needed_to_close_usd"):
        fig.add_scatter(
            x=[year], y=[(figures["exports_usd"] + figures["needed_to_close_usd"]) / BILLION], mode="markers",
            name="exports that close the deficit", marker={"color": GREEN, "size": 12, "symbol": "star"},
        )  # fmt: skip
    fig.update_xaxes(title="year")
    fig.update_yaxes(title="USD billion (current)")
    return _layout(fig, f"{seller}'s trade with {buyer}: history and the scenario")


def delta_chart(
    comparison: pd.DataFrame, scenario_names: Sequence[str], *, title: str, top: int = 15
) -> go.Figure:
    """Differences from the first scenario, by partner: one bar series per later scenario."""
    base = scenario_names[0] if scenario_names else ""
    columns = [f"{name} − {base}" for name in scenario_names[1:] if f"{name} − {base}" in comparison]
    fig = go.Figure()
    if columns:
        frame = comparison.loc[comparison[columns].abs().max(axis=1).nlargest(top).index]
        for i, column in enumerate(columns):
            fig.add_bar(
                x=frame[column] / MILLION,
                y=frame["partner"],
                orientation="h",
                name=column,
                marker_color=SCENARIO_COLOURS[(i + 1) % len(SCENARIO_COLOURS)],
                marker_pattern_shape=("/", ".", "x")[i % 3],
                hovertemplate="%{y}: %{x:+,.1f} USD million<extra>%{fullData.name}</extra>",
            )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=f"difference from “{base}”, USD million")
    fig.update_yaxes(type="category", automargin=True, autorange="reversed")
    return _layout(fig, title, height=max(360, 24 * min(top, len(comparison)) * max(1, len(columns)) + 160))
