"""Scenario results for the reader: labels in English or Spanish, tables in USD million with '—' for what
does not apply, comparisons of like with like, and the partners a scenario is about.

Pure: results in, frames and figures out (no Streamlit). The model (model/) computes; this only presents.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n, products
from dashboard.claims import CENTRAL_AMERICA
from dashboard.scenarios import model_text
from etl.schema import COLOMBIA, MILLION
from model.result import ScenarioResult

# The partners the articles' scenarios are about, always shown in partner charts whatever their size.
FOCUS_PARTNERS = (COLOMBIA, "ECU", *CENTRAL_AMERICA)
GAIN = "#0072B2"
LOSS = "#D55E00"

PRODUCTS = {
    "060311": ("roses", "rosas"),
    "0603": ("cut flowers", "flores cortadas"),
    "0901": ("coffee", "café"),
}

# Headline figures per kind of scenario: (key in result.totals, English, Spanish).
TARIFF_HEADLINES = (
    ("baseline_usd", "US imports before (2024)", "Importaciones de EE. UU. antes (2024)"),
    ("total_change_usd", "Change in US imports", "Cambio en las importaciones de EE. UU."),
    ("total_change_low_usd", "Change, low end of the band", "Cambio, extremo bajo de la banda"),
    ("total_change_high_usd", "Change, high end of the band", "Cambio, extremo alto de la banda"),
    ("gross_diversion_usd", "Switching between suppliers", "Desvío entre proveedores"),
    ("tariff_revenue_change_usd", "Tariff revenue change", "Cambio en el recaudo arancelario"),
    ("consumer_surplus_change_usd", "Consumer surplus change", "Cambio en el excedente del consumidor"),
    ("welfare_change_usd", "Net welfare change", "Cambio neto de bienestar"),
)
PURCHASE_HEADLINES = (
    ("exports_usd", "Seller's exports to the buyer", "Exportaciones del vendedor al comprador"),
    ("imports_usd", "Seller's imports from the buyer", "Importaciones del vendedor desde el comprador"),
    ("balance_before_usd", "Balance before", "Balanza antes"),
    ("increase_usd", "Added purchases", "Compras adicionales"),
    ("balance_after_usd", "Balance after", "Balanza después"),
    ("needed_to_close_usd", "Needed to close the deficit", "Necesario para cerrar el déficit"),
    ("largest_growth_usd", "Largest yearly rise on record", "Mayor aumento anual registrado"),
)

# Column headers of the model's tables (USD columns are shown in USD million).
COLUMNS = {
    "partner_iso3": ("Partner (ISO3)", "Socio (ISO3)"),
    "partner": ("Partner", "Socio"),
    "partner_name": ("Partner", "Socio"),
    "partners": ("Partners", "Socios"),
    "group": ("Products and partners", "Productos y socios"),
    "hs_prefix": ("HS code", "Código SA"),
    "chapter": ("HS chapter", "Capítulo SA"),
    "description": ("Description", "Descripción"),
    "hs10": ("HTS line (10 digits)", "Línea HTS (10 dígitos)"),
    "baseline_usd": ("Imports before (USD m)", "Importaciones antes (millones de USD)"),
    "trade_creation_usd": ("Trade creation (USD m)", "Creación de comercio (millones de USD)"),
    "trade_diversion_usd": (
        "Switching between suppliers (USD m)",
        "Desvío entre proveedores (millones de USD)",
    ),
    "price_effect_usd": ("Price effect (USD m)", "Efecto precio (millones de USD)"),
    "total_change_usd": ("Change in imports (USD m)", "Cambio en las importaciones (millones de USD)"),
    "total_change_pct": ("Change (%)", "Cambio (%)"),
    "tariff_before_pct": ("Tariff before (%)", "Arancel antes (%)"),
    "tariff_after_pct": ("Tariff after (%)", "Arancel después (%)"),
    "tariff_revenue_change_usd": ("Tariff revenue change (USD m)", "Cambio en el recaudo (millones de USD)"),
    "low_usd": ("Low (USD m)", "Bajo (millones de USD)"),
    "high_usd": ("High (USD m)", "Alto (millones de USD)"),
    "import_demand_elasticity": (
        "Import demand elasticity η",
        "Elasticidad de la demanda de importaciones η",
    ),
    "elasticity": ("η from", "η de"),
    "year": ("Year", "Año"),
    "exports_usd": ("Exports (USD m)", "Exportaciones (millones de USD)"),
    "imports_usd": ("Imports (USD m)", "Importaciones (millones de USD)"),
    "balance_usd": ("Balance (USD m)", "Balanza (millones de USD)"),
    "measure": ("Figure", "Cifra"),
    "scenario": ("Scenario", "Escenario"),
    "value_usd": ("Value (USD m)", "Valor (millones de USD)"),
    "step": ("Step", "Paso"),
    "action": ("Action", "Acción"),
    "imports_2024_usd": ("Imports 2024 (USD m)", "Importaciones 2024 (millones de USD)"),
    "imports_after_usd": ("Imports after (USD m)", "Importaciones después (millones de USD)"),
    "rate_pre_substitution_pct": (
        "Tariff before substitution (%)",
        "Arancel antes de la sustitución (%)",
    ),
    "rate_post_substitution_pct": ("Tariff after substitution (%)", "Arancel después de la sustitución (%)"),
    "import_demand_match": ("η matched at", "η asignada por"),
    "substitution_elasticity": ("Substitution elasticity σ", "Elasticidad de sustitución σ"),
    "elasticity_is_default": ("η is the default", "η por defecto"),
}


def header(column: str, lang: str) -> str:
    pair = COLUMNS.get(column)
    if pair:
        return pair[1] if lang == "es" else pair[0]
    text = column.removesuffix("_usd").replace("_", " ")
    return f"{text} ({i18n.t('usd_m', lang)})" if column.endswith("_usd") else text


def in_millions(frame: pd.DataFrame) -> pd.DataFrame:
    """USD columns divided by a million (for display; CSV downloads keep dollars)."""
    out = frame.copy()
    for column in [c for c in out.columns if c.endswith("_usd")]:
        out[column] = pd.to_numeric(out[column], errors="coerce") / MILLION
    return out


def headline_table(results: Sequence[ScenarioResult], lang: str) -> pd.DataFrame:
    """One row per headline figure of the results' kind (all results must be of one kind), one column per
    scenario, USD million; NaN where a figure does not apply (shown as '—')."""
    kinds = {r.spec.kind for r in results}
    if len(kinds) != 1:
        raise ValueError(
            "compare tariff scenarios with tariff scenarios and purchase scenarios with purchase ones"
        )
    rows = []
    headlines = TARIFF_HEADLINES if kinds == {"tariff"} else PURCHASE_HEADLINES
    for key, english, spanish in headlines:
        row: dict[str, object] = {"measure": spanish if lang == "es" else english}
        values = [r.totals.get(key) for r in results]
        if all(v is None for v in values):
            continue
        for result, value in zip(results, values, strict=True):
            row[result.name] = float(value) / MILLION if isinstance(value, int | float) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def focus_partners(results: Sequence[ScenarioResult], docs: Sequence[dict], top: int = 6) -> list[str]:
    """The partners a comparison is about: those the scenario documents name, Colombia, Ecuador and Central
    America, then the largest changes."""
    named: list[str] = []
    for doc in docs:
        for change in doc.get("tariff_changes") or []:
            for key in ("partners", "except_partners"):
                if isinstance(change.get(key), list):
                    named += change[key]
    named += list(FOCUS_PARTNERS)
    frames = [r.by_partner[["partner_iso3", "total_change_usd"]] for r in results]
    if frames:
        magnitude = (
            pd.concat(frames).groupby("partner_iso3")["total_change_usd"].apply(lambda s: s.abs().max())
        )
        named += magnitude.sort_values(ascending=False).head(top).index.tolist()
    present = set().union(*(set(r.by_partner["partner_iso3"]) for r in results)) if results else set()
    return [p for p in dict.fromkeys(named) if p in present]


BAR_LABEL_ROOM = (
    0.18  # the axis runs this share of its span past the longest bars: room for labels beside them
)
PANEL_TITLE_CHARS = 44  # a 12-px bold panel title line that fits a 400-px screen


def partner_panels(
    results: Sequence[ScenarioResult],
    partners: Sequence[str],
    labels: dict[str, str],
    *,
    title: str,
    x_title: str,
    lang: str,
) -> go.Figure:
    """One panel per scenario (stacked, each with its own scale so a USD 30 m effect is as readable as a
    USD 30 bn one), the same partners in the same order in every panel, each bar labelled with its value."""
    count = max(1, len(results))
    gap = 0.12 if count > 1 else 0.0
    height = (1 - gap * (count - 1)) / count
    rows_px = 30 * max(1, len(partners)) + 70
    layout: dict = {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "template": "none",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"family": charts.FONT_FAMILY},
        "showlegend": False,
        "height": rows_px * count + 140,
        "margin": {"t": 90, "l": 10, "r": 30, "b": 60},
        "annotations": [],
        "separators": i18n.plotly_separators(lang),
    }
    traces = []
    order = [labels.get(p, p) for p in partners]
    for index, result in enumerate(results):
        suffix = "" if index == 0 else str(index + 1)
        top = 1 - index * (height + gap)
        frame = result.by_partner.set_index("partner_iso3").reindex(list(partners))
        values = (frame["total_change_usd"] / MILLION).to_numpy(dtype="float64")
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": values,
                "y": order,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "marker": {"color": [GAIN if v >= 0 else LOSS for v in values]},
                "text": [i18n.number(v, lang, 1) for v in values],
                # inside a bar long enough to hold it, else beside it: a label beside the longest bar ran into
                # its partner's name on a phone
                "textposition": "auto",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x:,.1f}<extra></extra>",
            }
        )
        finite = values[np.isfinite(values)]
        low, high = (
            (min(0.0, float(finite.min())), max(0.0, float(finite.max()))) if finite.size else (-1.0, 1.0)
        )
        pad = BAR_LABEL_ROOM * ((high - low) or 1.0)  # room beside the bars for their labels
        layout[f"xaxis{suffix}"] = {
            **charts.X_AXIS_STYLE,
            "range": [low - (pad if low < 0 else 0.0), high + (pad if high > 0 else 0.0)],
            "anchor": f"y{suffix}",
            "zeroline": True,
            "zerolinecolor": "#999999",
            "title": {"text": x_title if index == count - 1 else ""},
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [max(0.0, top - height), top],
            "anchor": f"x{suffix}",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order[::-1],
            "automargin": True,
        }
        name = html.escape(model_text.preset_name(result.name, lang))
        layout["annotations"].append(
            charts.panel_title(charts.wrap_text(name, PANEL_TITLE_CHARS), top, size=12)
        )
    return go.Figure({"data": traces, "layout": layout})


def chapter_labels(
    by_chapter: pd.DataFrame, lang: str, spanish: Mapping[str, str] | None = None
) -> list[str]:
    """Every chapter labelled (chapter 98 too), in the reader's language (``spanish``: the Spanish HS
    nomenclature's texts, ``products.spanish_names``)."""
    return [
        charts.chapter_label(str(c), products.describe(str(c), d, lang, spanish), width=44)
        for c, d in zip(by_chapter["chapter"], by_chapter["description"], strict=True)
    ]


def focus_label(row: pd.Series, names: dict[str, str], lang: str) -> str:
    """'Ecuador: roses (HS 060311)' / 'Ecuador: rosas (SA 060311)' from the model's focus row."""
    code = str(row["hs_prefix"])
    product = PRODUCTS.get(code, (code, code))[1 if lang == "es" else 0]
    partners = [p.strip() for p in str(row["partners"]).split(",")]
    who = (
        i18n.pick(lang, "Central America", "Centroamérica")
        if set(partners) == set(CENTRAL_AMERICA)
        else ", ".join(names.get(p, p) for p in partners)
    )
    return f"{who}: {product} ({i18n.pick(lang, 'HS', 'SA')} {code})"
