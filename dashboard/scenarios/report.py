"""A self-contained HTML report of a scenario comparison, for presenting offline.

plotly.js is embedded once (in the first chart); every text that came from a user (scenario names,
descriptions) is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts import BLUE, ORANGE, SKY
from dashboard.scenarios import charts, model_text, view
from dashboard.scenarios.labels import text
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


# The report's measure names (model.compare.HEADLINES) and table headers in Spanish.
HEADLINES_ES = {
    "Baseline imports": "Importaciones de referencia",
    "Change in imports": "Cambio en las importaciones",
    "Change, low": "Cambio, bajo",
    "Change, high": "Cambio, alto",
    "Switching between suppliers": "Cambio entre proveedores",
    "Tariff revenue change": "Cambio en el recaudo arancelario",
    "Consumer surplus change": "Cambio en el excedente del consumidor",
    "Net welfare change": "Cambio neto de bienestar",
    "Balance before": "Balanza antes",
    "Balance after": "Balanza después",
}
HEADERS_ES = {
    "measure": "medida",
    "group": "grupo",
    "partners": "socios",
    "baseline": "referencia (millones de USD)",
    "tariff before pct": "arancel antes (%)",
    "tariff after pct": "arancel después (%)",
    "trade creation": "creación de comercio (millones de USD)",
    "trade diversion": "cambio de proveedor (millones de USD)",
    "total change": "cambio total (millones de USD)",
    "low": "bajo (millones de USD)",
    "high": "alto (millones de USD)",
}


def comparison_report_html(
    results: Sequence[ScenarioResult],
    *,
    title: str | None = None,
    country_names: dict[str, str] | None = None,
    view_url: str = "",
    generated_at: datetime | None = None,
    lang: str = "en",
    spanish: Mapping[str, str] | None = None,
) -> str:
    """The whole report as one HTML string (plotly.js inline, so it opens without a network), in ``lang``
    (``spanish``: the Spanish HS nomenclature's texts, for the chapters' names)."""
    title = title or i18n.pick(
        lang, "Balanza: tariff and purchase scenarios", "Balanza: escenarios arancelarios y de compras"
    )
    generated = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    figures = _Figures()
    parts = [
        f"<!DOCTYPE html><html lang='{'es' if lang == 'es' else 'en'}'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        i18n.pick(
            lang,
            f"<p class='meta'>Generated {generated}. Model: single-market partial equilibrium (WITS-SMART kind) on "
            "US imports for consumption 2024 by HS10 line and partner (US Census Bureau).",
            f"<p class='meta'>Generado el {generated}. Modelo: equilibrio parcial de un solo mercado (del tipo "
            "WITS-SMART) sobre las importaciones para consumo de EE. UU. de 2024 por línea SA10 y socio (Oficina "
            "del Censo de EE. UU.).",
        ),
    ]
    if view_url:
        parts.append(
            i18n.pick(lang, " Live view: ", " Vista en vivo: ")
            + f"<a href='{html.escape(view_url, quote=True)}'>{html.escape(view_url)}</a>."
        )
    parts.append("</p>")
    if len(results) > 1:
        parts.append(i18n.pick(lang, "<h2>Comparison</h2>", "<h2>Comparación</h2>"))
        headlines = headline_table(results).rename(columns=_names(results, lang))
        if lang == "es":
            headlines["measure"] = headlines["measure"].map(lambda m: HEADLINES_ES.get(m, m))
        parts.append(_table(_money_table(headlines, lang), index_label=_header("measure", lang), lang=lang))
        comparison = partner_comparison([r for r in results if r.spec.kind == "tariff"], country_names)
        tariff_names = [r.name for r in results if r.spec.kind == "tariff"]
        if tariff_names:
            fig = charts.comparison_chart(
                comparison.rename(columns=_names(results, lang)),
                [_names(results, lang)[n] for n in tariff_names],
                title=i18n.pick(
                    lang, "Change in imports by partner", "Cambio en las importaciones por socio"
                ),
            )
            fig.update_xaxes(title=text("x_change", lang))
            parts.append(figures.add(fig))
    for result in results:
        parts.extend(_scenario_section(result, figures, country_names or {}, lang, spanish))
    parts.append("</body></html>")
    return "".join(parts)


class _Figures:
    """Embeds plotly.js with the first figure only."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, fig: go.Figure) -> str:
        self.count += 1
        return fig.to_html(full_html=False, include_plotlyjs=self.count == 1, config={"displaylogo": False})


def _names(results: Sequence[ScenarioResult], lang: str) -> dict[str, str]:
    """Each scenario's name as the report shows it (a bundled preset's in the reader's language)."""
    return {r.name: model_text.preset_name(r.name, lang) for r in results}


def _header(name: str, lang: str) -> str:
    return HEADERS_ES.get(name, name) if lang == "es" else name


def _million(value: float, lang: str) -> str:
    return i18n.number(value / MILLION, lang, 0)


def _scenario_section(result: ScenarioResult, figures: _Figures, names: dict[str, str], lang: str = "en",
                      spanish: Mapping[str, str] | None = None) -> list[str]:  # fmt: skip
    totals = result.totals
    parts = [f"<h2>{html.escape(model_text.preset_name(result.name, lang))}</h2>"]
    description = getattr(result.spec, "description", "")
    if description:
        parts.append(f"<p>{html.escape(model_text.preset_description(result.name, description, lang))}</p>")
    parts.extend(
        f"<p class='note'>{html.escape(note)}</p>"
        for note in model_text.notes_text(result.notes, lang, names)
    )
    if result.spec.kind == "tariff":
        change, low, high, revenue, switching = (
            _million(totals[k], lang)
            for k in ("total_change_usd", "total_change_low_usd", "total_change_high_usd",
                      "tariff_revenue_change_usd", "gross_diversion_usd")
        )  # fmt: skip
        parts.append(
            i18n.pick(
                lang,
                f"<p>Change in imports: <b>USD {change} million</b> (sensitivity range {low} to {high}); tariff "
                f"revenue change USD {revenue} million; switching between suppliers USD {switching} million.</p>",
                f"<p>Cambio en las importaciones: <b>{change} millones de USD</b> (rango de sensibilidad de {low} a "
                f"{high}); cambio en el recaudo arancelario {revenue} millones de USD; cambio entre proveedores "
                f"{switching} millones de USD.</p>",
            )
        )
        by_partner = result.by_partner.assign(
            partner_label=[f"{names.get(p, p)} ({p})" for p in result.by_partner["partner_iso3"]]
        )
        fig = charts.change_bar_chart(
            by_partner, label="partner_label", title=i18n.pick(lang, "By partner", "Por socio")
        )
        fig.update_xaxes(title=text("x_change", lang))
        parts.append(figures.add(fig))
        if not result.focus.empty:
            parts.append(
                i18n.pick(lang, "<h3>Who gains: roses and coffee</h3>", "<h3>Quién gana: rosas y café</h3>")
            )
            focus = result.focus.copy()
            if lang == "es":
                focus["group"] = [view.focus_label(row, names, lang) for _, row in focus.iterrows()]
            parts.append(
                _table(
                    _money_table(focus.drop(columns=["hs_prefix"]), lang),
                    index_label=_header("group", lang),
                    lang=lang,
                )
            )
        chapters = result.by_chapter.assign(label=view.chapter_labels(result.by_chapter, lang, spanish))
        fig = charts.change_bar_chart(
            chapters, label="label", title=i18n.pick(lang, "By HS chapter", "Por capítulo del SA")
        )
        fig.update_xaxes(title=text("x_change", lang))
        parts.append(figures.add(fig))
    else:
        history = pd.DataFrame(result.extra.get("history", []))
        if not history.empty and isinstance(result.spec, PurchaseScenario):
            spec = result.spec
            fig = charts.purchase_chart(history, totals, seller=spec.seller, buyer=spec.buyer)
            if lang == "es":
                seller, buyer = names.get(spec.seller, spec.seller), names.get(spec.buyer, spec.buyer)
                labels = [
                    text("p_exports", lang, seller=seller, buyer=buyer),
                    text("p_imports", lang, seller=seller, buyer=buyer),
                    text("p_scenario", lang),
                    text("p_close", lang),
                ]
                for trace, label in zip(fig.data, labels, strict=False):
                    trace.name = label
                fig.update_xaxes(title=text("year", lang))
                fig.update_yaxes(title=text("usd_bn", lang))
            parts.append(figures.add(fig))
    parts.append(f"<div class='leftout'><b>{html.escape(text('left_out', lang))}</b><ul>")
    parts.extend(f"<li>{html.escape(item)}</li>" for item in model_text.left_out(result.left_out, lang))
    parts.append("</ul></div>")
    return parts


def _money_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """USD columns shown in USD million with thousands separators, rates (``*_pct``) in % (the reader's
    number format)."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            continue
        if str(column).endswith("_pct"):
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else i18n.number(v, lang, 2))
        else:
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else i18n.number(v / MILLION, lang, 1))
    return out.rename(
        columns={c: _header(c.removesuffix("_usd").replace("_", " "), lang) for c in out.columns}
    )


def _table(frame: pd.DataFrame, index_label: str, lang: str = "en") -> str:
    unit = i18n.pick(lang, "USD million; tariffs in %.", "Millones de USD; aranceles en %.")
    return f"<p class='meta'>{unit}</p>" + frame.to_html(index=False, escape=True, border=0)
