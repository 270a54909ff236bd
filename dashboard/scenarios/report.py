"""A self-contained HTML report of a scenario comparison, for presenting offline and sending by e-mail.

It opens with a short summary (Colombia's own result first), then the comparison, then a section per scenario.
Charts are drawn in plain HTML and CSS (bars whose widths are percentages, one panel per scenario on its own
scale, so a USD 30 m effect is as readable as a USD 30 bn one): no script, nothing fetched, a few tens of
kilobytes, and the page fits any screen from 400 px up (wide tables scroll inside their own box). Every text
that came from a user (scenario names, descriptions) is escaped. The link back to the dashboard goes at the
end, worded, to ``BALANZA_PUBLIC_URL`` or relative to the page the report was made on.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd

from dashboard import i18n, products
from dashboard.charts import BLUE, ORANGE, SKY
from dashboard.scenarios import colombia, model_text, view
from dashboard.scenarios.labels import text
from etl.schema import BILLION, COLOMBIA, MILLION
from model.compare import headline_table
from model.result import ScenarioResult
from model.spec import PurchaseScenario

STYLE = f"""
*, *::before, *::after {{ box-sizing: border-box; }}
body {{ font-family: Arial, Helvetica, sans-serif; max-width: 1100px; margin: 1.5em auto; color: #222;
       padding: 0 1em; line-height: 1.4; overflow-wrap: anywhere; }}
h1 {{ font-size: 1.5em; margin-bottom: .3em; }}
h2 {{ border-bottom: 2px solid {BLUE}; padding-bottom: .2em; margin-top: 2em; font-size: 1.25em; }}
h3 {{ font-size: 1.05em; margin-top: 1.5em; }}
.summary {{ font-size: 1.1em; background: #eef5fb; border-left: 4px solid {BLUE}; padding: .6em 1em; }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
table {{ border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }}
th, td {{ border: 1px solid #ccc; padding: .3em .6em; text-align: right; overflow-wrap: normal; }}
th:first-child, td:first-child {{ text-align: left; }}
.note {{ background: #f4f8fb; border-left: 4px solid {SKY}; padding: .5em 1em; margin: 1em 0; }}
.leftout {{ background: #fff8ec; border-left: 4px solid {ORANGE}; padding: .5em 1em; }}
.meta {{ color: #555; font-size: .85em; }}
.panel {{ margin: .8em 0 1.4em; }}
.panel h4 {{ margin: .2em 0 .4em; font-size: .95em; }}
.bar {{ display: grid; grid-template-columns: minmax(7em, 28%) 1fr 6.5em; gap: .2em .6em; align-items: center;
       font-size: .85em; margin: .15em 0; }}
.bar.colombia {{ font-weight: bold; }}
.track {{ position: relative; height: 1.1em; background: #f3f3f3; }}
.axis {{ position: absolute; top: -2px; bottom: -2px; width: 1px; background: #888; }}
.fill {{ position: absolute; top: 0; bottom: 0; }}
.gain {{ background: {view.GAIN}; }} .loss {{ background: {view.LOSS}; }}
.value {{ text-align: right; font-variant-numeric: tabular-nums; }}
@media (max-width: 600px) {{
  .bar {{ grid-template-columns: 1fr 5.5em; }}
  .bar .label {{ grid-column: 1 / -1; }}
  table {{ font-size: .8em; }}
}}
"""

# The report's measure names (model.compare.HEADLINES) in Spanish.
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
PANEL_ROWS = 12  # bars per panel: Colombia and its neighbours first, then the largest changes


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
    """The whole report as one HTML string (no script: it opens offline and fits the screen), in ``lang``
    (``spanish``: the Spanish HS nomenclature's texts, for the chapters' names). ``view_url``: the link back
    to the dashboard (``BALANZA_PUBLIC_URL``'s, or relative), put at the end."""
    title = title or i18n.pick(
        lang, "Balanza: tariff and purchase scenarios", "Balanza: escenarios arancelarios y de compras"
    )
    names = country_names or {}
    generated = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"<!DOCTYPE html><html lang='{'es' if lang == 'es' else 'en'}'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    parts.append(f"<p class='summary'>{html.escape(summary_text(results, lang))}</p>")
    tariff = [r for r in results if r.spec.kind == "tariff"]
    colombia_rows = colombia.colombia_wide(tariff, lang)  # product groups down, scenarios across
    if not colombia_rows.empty:
        parts.append(f"<h2>{html.escape(text('cmp_colombia', lang))}</h2>")
        parts.append(f"<p class='meta'>{html.escape(text('cmp_colombia_cells', lang))}</p>")
        parts.append(_table(colombia_rows, lang))
    if len(results) > 1:
        parts.append(i18n.pick(lang, "<h2>Comparison</h2>", "<h2>Comparación</h2>"))
        headlines = headline_table(results).rename(columns=_names(results, lang))
        if lang == "es":
            headlines["measure"] = headlines["measure"].map(lambda m: HEADLINES_ES.get(m, m))
        headlines = headlines.rename(columns={"measure": view.header("measure", lang)})
        for column in headlines.columns[1:]:
            headlines[column] = pd.to_numeric(headlines[column], errors="coerce") / MILLION
        parts.append(_table(headlines, lang))
        if tariff:
            parts.append(f"<h3>{html.escape(text('cmp_chart', lang))}</h3>")
            partners = view.focus_partners(tariff, [], top=PANEL_ROWS - len(view.FOCUS_PARTNERS))
            for result in tariff:
                parts.append(
                    _partner_panel(result, partners, names, lang, model_text.preset_name(result.name, lang))
                )
    for result in results:
        parts.extend(_scenario_section(result, names, lang, spanish))
    parts.append(
        "<p class='meta'>"
        + i18n.pick(
            lang,
            f"Generated {generated}. Model: single-market partial equilibrium (WITS-SMART kind) on US imports "
            "for consumption 2024 by HS10 line and partner (US Census Bureau); purchase scenarios on the series "
            "of record (each figure's publisher named above). USD million unless stated.",
            f"Generado el {generated}. Modelo: equilibrio parcial de un solo mercado (del tipo WITS-SMART) sobre "
            "las importaciones para consumo de EE. UU. de 2024 por línea SA10 y socio (Oficina del Censo de EE. "
            "UU.); escenarios de compras sobre la serie de referencia (cada cifra con su publicador). Millones "
            "de USD salvo que se indique otra unidad.",
        )
    )
    if view_url:
        parts.append(
            f" <a href='{html.escape(view_url, quote=True)}'>"
            + html.escape(i18n.pick(lang, "Open this view in Balanza", "Abrir esta vista en Balanza"))
            + "</a>."
        )
    parts.append("</p></body></html>")
    return "".join(parts)


def summary_text(results: Sequence[ScenarioResult], lang: str) -> str:
    """The report's opening: Colombia's result in each tariff scenario, then each purchase scenario's
    balance, in one short paragraph."""
    sentences = [colombia.summary(results, lang)]
    for result in results:
        if result.spec.kind != "purchase":
            continue
        totals = result.totals
        name = model_text.preset_name(result.name, lang)
        before = i18n.number(float(totals["balance_before_usd"]) / BILLION, lang, 2)
        after = i18n.number(float(totals["balance_after_usd"]) / BILLION, lang, 2)
        sentences.append(
            i18n.pick(
                lang,
                f"“{name}”: the {totals['year']} balance goes from USD {before} bn to USD {after} bn.",
                f"«{name}»: la balanza de {totals['year']} pasa de {before} a {after} miles de millones de USD.",
            )
        )
    return " ".join(s for s in sentences if s) or i18n.pick(
        lang, "Scenario results.", "Resultados de los escenarios."
    )


def _names(results: Sequence[ScenarioResult], lang: str) -> dict[str, str]:
    """Each scenario's name as the report shows it (a bundled preset's in the reader's language)."""
    return {r.name: model_text.preset_name(r.name, lang) for r in results}


def bars_html(
    labels: Sequence[str], values: Sequence[float], lang: str, *, title: str, highlight: str | None = None,
    decimals: int = 1,
) -> str:  # fmt: skip
    """A horizontal bar chart in HTML and CSS: one row per value (label, bar from a zero axis, value), gains
    blue and losses vermillion, scaled to this chart's own largest value. ``highlight``: the label shown bold."""
    finite = [float(v) for v in values if v is not None and pd.notna(v)]
    low = min([0.0, *finite])
    high = max([0.0, *finite])
    span = (high - low) or 1.0
    zero = -low / span * 100
    rows = [f"<div class='panel'><h4>{html.escape(title)}</h4>"]
    for label, value in zip(labels, values, strict=True):
        missing = value is None or pd.isna(value)
        number = 0.0 if missing else float(value)
        left = zero + min(number, 0.0) / span * 100
        width = abs(number) / span * 100
        kind = "gain" if number >= 0 else "loss"
        mark = " colombia" if highlight and label == highlight else ""
        rows.append(
            f"<div class='bar{mark}'><span class='label'>{html.escape(str(label))}</span>"
            f"<span class='track'><span class='axis' style='left:{zero:.2f}%'></span>"
            f"<span class='fill {kind}' style='left:{left:.2f}%;width:{width:.2f}%'></span></span>"
            f"<span class='value'>{'—' if missing else i18n.number(number, lang, decimals)}</span></div>"
        )
    rows.append("</div>")
    return "".join(rows)


def _partner_panel(
    result: ScenarioResult, partners: Sequence[str], names: Mapping[str, str], lang: str, title: str
) -> str:
    frame = result.by_partner.set_index("partner_iso3").reindex(list(partners))
    labels = [f"{names.get(p, p)} ({p})" for p in partners]
    values = (frame["total_change_usd"] / MILLION).tolist()
    return bars_html(
        labels, values, lang, title=title, highlight=f"{names.get(COLOMBIA, COLOMBIA)} ({COLOMBIA})"
    )


def _scenario_section(
    result: ScenarioResult, names: Mapping[str, str], lang: str, spanish: Mapping[str, str] | None
) -> list[str]:
    totals = result.totals
    parts = [f"<h2>{html.escape(model_text.preset_name(result.name, lang))}</h2>"]
    description = getattr(result.spec, "description", "")
    if description:
        parts.append(f"<p>{html.escape(model_text.preset_description(result.name, description, lang))}</p>")
    parts.extend(
        f"<p class='note'>{html.escape(note)}</p>"
        for note in model_text.notes_text(result.notes, lang, dict(names))
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
        partners = result.by_partner
        largest = partners.loc[partners["total_change_usd"].abs().nlargest(PANEL_ROWS).index, "partner_iso3"]
        shown = list(dict.fromkeys([COLOMBIA, *largest]))
        shown = [p for p in shown if p in set(partners["partner_iso3"])]
        parts.append(
            _partner_panel(result, shown, names, lang, text("by_partner_title", lang) + " " + _unit(lang))
        )
        if not result.focus.empty:
            parts.append(
                i18n.pick(lang, "<h3>Who gains: roses and coffee</h3>", "<h3>Quién gana: rosas y café</h3>")
            )
            focus = result.focus.copy()
            focus["group"] = [view.focus_label(row, dict(names), lang) for _, row in focus.iterrows()]
            focus = focus.drop(columns=["hs_prefix"])
            parts.append(_table(_model_table(focus, lang), lang))
        chapters = result.by_chapter.loc[
            result.by_chapter["total_change_usd"].abs().nlargest(PANEL_ROWS).index
        ]
        labels = [
            f"{c} {products.describe(str(c), d, lang, spanish)}"[:60]
            for c, d in zip(chapters["chapter"], chapters["description"], strict=True)
        ]
        parts.append(
            bars_html(
                labels, (chapters["total_change_usd"] / MILLION).tolist(), lang,
                title=i18n.pick(lang, "By HS chapter", "Por capítulo del SA") + " " + _unit(lang),
            )
        )  # fmt: skip
    else:
        history = pd.DataFrame(result.extra.get("history", []))
        if not history.empty and isinstance(result.spec, PurchaseScenario):
            parts.append(_purchase_bars(result, history, names, lang))
    parts.append(f"<div class='leftout'><b>{html.escape(text('left_out', lang))}</b><ul>")
    parts.extend(f"<li>{html.escape(item)}</li>" for item in model_text.left_out(result.left_out, lang))
    parts.append("</ul></div>")
    return parts


def _purchase_bars(result: ScenarioResult, history: pd.DataFrame, names: Mapping[str, str], lang: str) -> str:
    """The seller's exports to the buyer in the last 15 years on record, then in the scenario and what closing
    the deficit needs (USD billion)."""
    spec = result.spec
    assert isinstance(spec, PurchaseScenario)
    totals = result.totals
    years = history.dropna(subset=["exports_usd"]).sort_values("year").tail(15)
    labels = [str(int(y)) for y in years["year"]]
    values = (years["exports_usd"] / BILLION).tolist()
    labels.append(f"{totals['year']}, " + text("p_scenario", lang))
    values.append(float(totals["exports_after_usd"]) / BILLION)
    if totals.get("needed_to_close_usd"):
        labels.append(text("p_close", lang))
        values.append((float(totals["exports_usd"]) + float(totals["needed_to_close_usd"])) / BILLION)
    seller, buyer = names.get(spec.seller, spec.seller), names.get(spec.buyer, spec.buyer)
    title = (
        text("p_exports", lang, seller=seller, buyer=buyer)
        + " "
        + i18n.pick(lang, "(USD billion)", "(miles de millones de USD)")
    )
    return bars_html(labels, values, lang, title=title[:1].upper() + title[1:], decimals=2)


def _unit(lang: str) -> str:
    return i18n.pick(lang, "(USD million)", "(millones de USD)")


def _million(value: float, lang: str) -> str:
    return i18n.number(value / MILLION, lang, 0)


def _model_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A model table with readable headers, USD columns in USD million."""
    shown = view.in_millions(frame)
    return shown.rename(columns={c: view.header(str(c), lang) for c in shown.columns})


def _table(frame: pd.DataFrame, lang: str) -> str:
    """A table in the reader's number format (to one place; tariff rates in % to two), inside a box that
    scrolls sideways on a narrow screen."""
    rates = {view.header(c, lang) for c in ("tariff_before_pct", "tariff_after_pct")}
    cells = []
    for column in frame.columns:
        places = 2 if column in rates else 1
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            cells.append([i18n.number(v, lang, places) if pd.notna(v) else "—" for v in frame[column]])
        else:
            cells.append([html.escape(str(v)) if pd.notna(v) else "—" for v in frame[column]])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in zip(*cells, strict=True):
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    return f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
