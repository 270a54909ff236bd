"""A self-contained HTML report of a scenario comparison, for presenting offline.

plotly.js is embedded once (in the first chart); every text that came from a user (scenario names,
descriptions) is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go

from dashboard import scenario_charts as charts
from dashboard.charts import BLUE, ORANGE, SKY
from etl.schema import MILLION
from model.compare import headline_table, partner_comparison
from model.result import ScenarioResult
from model.spec import PurchaseScenario

STYLE = f"""
body {{ font-family: Arial, Helvetica, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; padding: 0 1em; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 2px solid {BLUE}; padding-bottom: .2em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: .9em; }}
th, td {{ border: 1px solid #ccc; padding: .3em .6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.note {{ background: #f4f8fb; border-left: 4px solid {SKY}; padding: .5em 1em; margin: 1em 0; }}
.leftout {{ background: #fff8ec; border-left: 4px solid {ORANGE}; padding: .5em 1em; }}
.meta {{ color: #666; font-size: .85em; }}
"""


def comparison_report_html(
    results: Sequence[ScenarioResult],
    *,
    title: str = "Balanza: tariff and purchase scenarios",
    country_names: dict[str, str] | None = None,
    view_url: str = "",
    generated_at: datetime | None = None,
) -> str:
    """The whole report as one HTML string (plotly.js inline, so it opens without a network)."""
    generated = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    figures = _Figures()
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='meta'>Generated {generated}. Model: single-market partial equilibrium (WITS-SMART kind) on US "
        "imports for consumption 2024 by HS10 line and partner (US Census Bureau).",
    ]
    if view_url:
        parts.append(
            f" Live view: <a href='{html.escape(view_url, quote=True)}'>{html.escape(view_url)}</a>."
        )
    parts.append("</p>")
    if len(results) > 1:
        parts.append("<h2>Comparison</h2>")
        parts.append(_table(_money_table(headline_table(results)), index_label="measure"))
        comparison = partner_comparison([r for r in results if r.spec.kind == "tariff"], country_names)
        tariff_names = [r.name for r in results if r.spec.kind == "tariff"]
        if tariff_names:
            parts.append(
                figures.add(
                    charts.comparison_chart(comparison, tariff_names, title="Change in imports by partner")
                )
            )
    for result in results:
        parts.extend(_scenario_section(result, figures, country_names or {}))
    parts.append("</body></html>")
    return "".join(parts)


class _Figures:
    """Embeds plotly.js with the first figure only."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, fig: go.Figure) -> str:
        self.count += 1
        return fig.to_html(full_html=False, include_plotlyjs=self.count == 1, config={"displaylogo": False})


def _scenario_section(result: ScenarioResult, figures: _Figures, names: dict[str, str]) -> list[str]:
    totals = result.totals
    parts = [f"<h2>{html.escape(result.name)}</h2>"]
    description = getattr(result.spec, "description", "")
    if description:
        parts.append(f"<p>{html.escape(description)}</p>")
    parts.extend(f"<p class='note'>{html.escape(note)}</p>" for note in result.notes)
    if result.spec.kind == "tariff":
        parts.append(
            "<p>Change in imports: <b>USD {:,.0f} million</b> (sensitivity range {:,.0f} to {:,.0f}); tariff revenue "
            "change USD {:,.0f} million; switching between suppliers USD {:,.0f} million.</p>".format(
                totals["total_change_usd"] / MILLION,
                totals["total_change_low_usd"] / MILLION,
                totals["total_change_high_usd"] / MILLION,
                totals["tariff_revenue_change_usd"] / MILLION,
                totals["gross_diversion_usd"] / MILLION,
            )
        )
        by_partner = result.by_partner.assign(
            partner_label=[f"{names.get(p, p)} ({p})" for p in result.by_partner["partner_iso3"]]
        )
        parts.append(
            figures.add(charts.change_bar_chart(by_partner, label="partner_label", title="By partner"))
        )
        if not result.focus.empty:
            parts.append("<h3>Who gains: roses and coffee</h3>")
            parts.append(_table(_money_table(result.focus.drop(columns=["hs_prefix"])), index_label="group"))
        chapters = result.by_chapter.assign(
            label=[
                f"{c} {d[:40]}"
                for c, d in zip(result.by_chapter["chapter"], result.by_chapter["description"], strict=True)
            ]
        )
        parts.append(figures.add(charts.change_bar_chart(chapters, label="label", title="By HS chapter")))
    else:
        history = pd.DataFrame(result.extra.get("history", []))
        if not history.empty and isinstance(result.spec, PurchaseScenario):
            parts.append(
                figures.add(
                    charts.purchase_chart(history, totals, seller=result.spec.seller, buyer=result.spec.buyer)
                )
            )
    parts.append("<div class='leftout'><b>What the model leaves out</b><ul>")
    parts.extend(f"<li>{html.escape(item)}</li>" for item in result.left_out)
    parts.append("</ul></div>")
    return parts


def _money_table(frame: pd.DataFrame) -> pd.DataFrame:
    """USD columns shown in USD million with thousands separators."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else f"{v / MILLION:,.1f}")
    return out.rename(columns={c: c.removesuffix("_usd").replace("_", " ") for c in out.columns})


def _table(frame: pd.DataFrame, index_label: str) -> str:
    return "<p class='meta'>USD million.</p>" + frame.to_html(index=False, escape=True, border=0)
