"""Pure figures for the claim cards, each with the claim drawn on it. Never calls Streamlit.

Okabe-Ito colours (from dashboard.charts), units in the axis titles, a source footnote under every plot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import claim_text
from dashboard import claims as c
from dashboard.charts import OKABE_ITO, add_footnote, style_figure, wrap_text
from dashboard.claims.card import perspective as perspective_label
from dashboard.claims.card import source_publisher
from dashboard.claims.check_balance import share_basis
from dashboard.claims.check_tariff import MONTHLY_EXPORTS_MEASURE_ES
from dashboard.claims.words import Words
from etl.schema import BILLION, COLOMBIA

CLAIM_COLOUR = "#000000"  # the claim itself: black, dashed, so it never reads as a data series
BAND_COLOUR = "rgba(0, 0, 0, 0.08)"
PERSPECTIVE_COLOURS = {c.COL_REPORTED: OKABE_ITO[3], c.MIRROR: OKABE_ITO[0], c.MIXED: OKABE_ITO[2]}
CLAIM_LABEL_CHARS = 36  # an 11-px label line on the claim's line that fits a 400-px screen, with room to spare (40 reached 3 px past a card's chart where the y axis took more room)
SHARE_AXIS_MAX_PCT = 200.0  # shares of a tiny total deficit reach 900 %; the axis stops here and says so


def _footnote_for(card: c.ClaimCard, lang: str = "en") -> str:
    sources = sorted(
        {
            part
            for s in card.numbers.get("source", pd.Series(dtype=object)).dropna()
            for part in str(s).split(" / ")
        }
    )  # a balance names both of its series
    # tables the checks read that have no publisher code (printed indicators, the tariff timeline) in words
    names = list(
        dict.fromkeys(claim_text.source_words(s, lang) or source_publisher(s, lang) for s in sources)
    )
    w = Words(lang)
    # The source only: the card states the claim's rule in full beside the chart, and the claim's line on the
    # chart names the claimed figure and its tolerance; a rule of several lines here squashed the plot.
    return w.t("Source: ", "Fuente: ") + ("; ".join(names) if names else "—") + "."


def _wrap(text: str) -> str:
    return wrap_text(text, width=130)


def _claim_line(fig: go.Figure, y: float, label: str, band: tuple[float, float] | None = None,
                position: str = "top left") -> go.Figure:  # fmt: skip
    if band is not None:
        fig.add_hrect(y0=band[0], y1=band[1], fillcolor=BAND_COLOUR, line_width=0, layer="below")
    fig.add_hline(y=y, line_dash="dash", line_color=CLAIM_COLOUR, line_width=1.5,
                  annotation_text=wrap_text(label, CLAIM_LABEL_CHARS), annotation_position=position,
                  annotation_font_size=11)  # fmt: skip
    return fig


def deficit_claim_chart(card: c.ClaimCard, lang: str = "en") -> go.Figure:
    """Claim 1: Colombia's deficit with China by year and perspective, with the claimed amount and its tolerance."""
    w = Words(lang)
    fig = go.Figure()
    series = card.series
    for perspective in (c.COL_REPORTED, c.MIXED, c.MIRROR):
        rows = series[series["perspective"] == perspective].sort_values("year")
        if rows.empty:
            continue
        full = rows.set_index("year").reindex(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        fig.add_trace(go.Scatter(
            x=full.index, y=-full["balance_usd"] / BILLION, name=perspective_label(perspective, lang), mode="lines+markers", connectgaps=False,
            line={"color": PERSPECTIVE_COLOURS[perspective], "dash": "solid" if perspective == c.COL_REPORTED else "dot"},
            customdata=full[["publisher"]].fillna("").to_numpy(),
            hovertemplate="%{x}: " + w.t("USD %{y:.2f} bn", "%{y:.2f} mil millones de USD") + "<br>%{customdata[0]}<extra>" + perspective_label(perspective, lang) + "</extra>",
        ))  # fmt: skip
    tol = card.spec.tolerance
    target = float(tol.get("target_usd", 0)) / BILLION
    if target:
        pct = float(tol.get("match_pct", 0)) / 100
        _claim_line(
            fig,
            target,
            w.t(f"claim: USD {target:g} bn (±{pct * 100:g} %)",
                f"afirmación: {w.num(target, 0)} mil millones de USD (±{w.num(pct * 100, 0)} %)"),
            (target * (1 - pct), target * (1 + pct)),
        )  # fmt: skip
    style_figure(fig, w.t("Colombia's goods trade deficit with China, by source",
                    "Déficit comercial de bienes de Colombia con China, por fuente"))  # fmt: skip
    fig.update_yaxes(
        title_text=w.t("Deficit (USD billion, current)", "Déficit (miles de millones de USD corrientes)")
    )
    fig.update_xaxes(title_text=w.t("Year", "Año"))
    return add_footnote(fig, _wrap(_footnote_for(card, lang)))


def share_claim_chart(card: c.ClaimCard, lang: str = "en") -> go.Figure:
    """Claim 2: China's deficit as % of the total goods deficit, per valuation basis, with the 90 % line."""
    w = Words(lang)
    fig = go.Figure()
    table = card.series
    for i, basis in enumerate(c.SHARE_BASES):
        rows = table[table["basis"] == basis].sort_values("year")
        if rows.empty:
            continue
        full = rows.set_index("year").reindex(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        fig.add_trace(go.Scatter(
            x=full.index, y=full["share"] * 100, name=share_basis(basis, lang), mode="lines+markers", connectgaps=False,
            line={"color": OKABE_ITO[[3, 2][i % 2]], "dash": "solid" if i == 0 else "dot"},
            hovertemplate="%{x}: %{y:.0f} %<extra>" + share_basis(basis, lang) + "</extra>",
        ))  # fmt: skip
    share_min = float(card.spec.tolerance.get("share_min", 0.9)) * 100
    share_max = float(card.spec.tolerance.get("share_max", 1.1)) * 100
    _claim_line(fig, 100, w.t(f"“practically the entire”: {share_min:g}–{share_max:g} %",
                              f"«prácticamente todo»: {share_min:g}–{share_max:g} %"), (share_min, share_max))  # fmt: skip
    style_figure(fig, w.t("Deficit with China as a share of Colombia's total goods deficit",
                    "Déficit con China como parte del déficit total de bienes de Colombia"))  # fmt: skip
    top = table["share"].max() * 100 if not table.empty else 100
    fig.update_yaxes(
        title_text=w.t("Share of the total deficit (%)", "Parte del déficit total (%)"),
        range=[0, min(max(top * 1.05, 110), SHARE_AXIS_MAX_PCT)],
    )
    fig.update_xaxes(title_text=w.t("Year", "Año"))
    note = _footnote_for(card, lang)
    if top > SHARE_AXIS_MAX_PCT:
        note += w.t(f" Axis cut at {SHARE_AXIS_MAX_PCT:g} %: years with a very small total deficit give larger shares.",
                    f" Eje cortado en {SHARE_AXIS_MAX_PCT:g} %: los años con un déficit total muy pequeño dan partes mayores.")  # fmt: skip
    return add_footnote(fig, _wrap(note))


def partner_share_chart(card: c.ClaimCard, title: str, y_title: str, threshold_pct: float | None = None,
                        threshold_label: str = "", lang: str = "en") -> go.Figure:  # fmt: skip
    """Claims 3 and 9: a partner's share of Colombia's trade over time (one line per partner and source)."""
    fig = go.Figure()
    frame = card.series
    for i, ((partner, source), rows) in enumerate(frame.groupby(["partner", "source"], sort=True)):
        rows = rows.sort_values("year")
        full = rows.set_index("year").reindex(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        fig.add_trace(go.Scatter(
            x=full.index, y=full["share"] * 100, name=f"{partner} ({source_publisher(str(source), lang)})",
            mode="lines+markers", connectgaps=False, line={"color": OKABE_ITO[i % len(OKABE_ITO)]},
            customdata=full[["note"]].fillna("").to_numpy(),
            hovertemplate="%{x}: %{y:.1f} %<br>%{customdata[0]}<extra></extra>",
        ))  # fmt: skip
    if threshold_pct is not None:
        _claim_line(fig, threshold_pct, threshold_label)
    style_figure(fig, title)
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig.update_xaxes(title_text=Words(lang).t("Year", "Año"))
    return add_footnote(fig, _wrap(_footnote_for(card, lang)))


def product_share_chart(card: c.ClaimCard, lang: str = "en") -> go.Figure:
    """Claim 4: shares of US imports 2024 by supplier for cut flowers, roses and coffee (Colombia and rivals)."""
    w = Words(lang)
    frame = card.series
    wanted = (COLOMBIA, "ECU", *c.CENTRAL_AMERICA)
    fig = go.Figure()
    for i, partner in enumerate(wanted):
        rows = frame[frame["partner_iso3"] == partner]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(x=rows["hs"], y=rows["share"] * 100, name=partner,
                             marker_color=OKABE_ITO[i % len(OKABE_ITO)],
                             hovertemplate="%{x}: %{y:.1f} %<extra>" + partner + "</extra>"))  # fmt: skip
    style_figure(fig, w.t("Share of US imports for consumption, 2024: Colombia and its rivals",
                    "Participación en las importaciones para consumo de EE. UU., 2024: Colombia y sus competidores"))  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=w.t("Share of US imports from the bundled partners (%)",
                                    "Participación en las importaciones de EE. UU. desde los socios incluidos (%)"))  # fmt: skip
    fig.update_xaxes(title_text=w.t("Product (HS code)", "Producto (código SA)"))
    return add_footnote(
        fig,
        _wrap(
            _footnote_for(card, lang)
            + w.t(" Shares of US imports from the 51 partners with a bundled Census HS10 file, not of all US imports.",
                  " Participaciones en las importaciones de EE. UU. desde los 51 socios con un archivo SA10 del Censo "
                  "incluido, no en todas las importaciones de EE. UU.")
        ),
    )  # fmt: skip


def tariff_claim_chart(card: c.ClaimCard, lang: str = "en") -> go.Figure:
    """Claim 6: the trade-weighted US tariff on Colombian goods over time, with 'before + 10 points' drawn on,
    and below it Colombia's monthly exports to the US and with no declared destination (DIAN)."""
    w = Words(lang)
    tl = card.series.sort_values("date")
    monthly = card.numbers[
        card.numbers["measure"].str.startswith((c.MONTHLY_EXPORTS_MEASURE, MONTHLY_EXPORTS_MEASURE_ES))
    ]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.5, 0.5])
    fig.add_trace(go.Scatter(x=tl["date"], y=tl["effective_tariff_pct"], mode="lines+markers", line_shape="hv",
                             name=w.t("effective US tariff on Colombian goods", "arancel efectivo de EE. UU. sobre bienes colombianos"),
                             line={"color": OKABE_ITO[3]}), row=1, col=1)  # fmt: skip
    for i, (measure, rows) in enumerate(monthly.groupby("measure", sort=True)):
        fig.add_trace(go.Scatter(x=pd.to_datetime(rows["year"]), y=rows["value"] / BILLION, mode="lines+markers",
                                 name=measure, line={"color": OKABE_ITO[[0, 4][i % 2]]}), row=2, col=1)  # fmt: skip
    before = card.facts.get("before_pct")
    rise = card.facts.get("rise_pts")
    if before is not None and rise is not None:
        fig.add_hline(y=before + rise, line_dash="dot", line_color=OKABE_ITO[5], line_width=1.5, row=1, col=1,
                      annotation_text=w.t(f"statutory: +{rise:.1f} points (Annex II exempt from 5 April)",
                                          f"legal: +{w.num(rise)} puntos (Anexo II exento desde el 5 de abril)"),
                      annotation_position="bottom right", annotation_font_size=11)  # fmt: skip
    if before is not None:
        target = float(card.spec.tolerance.get("target_pts", 10))
        match = float(card.spec.tolerance.get("match_pts", 2))
        level = before + target
        fig.add_hrect(
            y0=level - match,
            y1=level + match,
            fillcolor=BAND_COLOUR,
            line_width=0,
            layer="below",
            row=1,
            col=1,
        )
        fig.add_hline(y=level, line_dash="dash", line_color=CLAIM_COLOUR, line_width=1.5, row=1, col=1,
                      annotation_text=w.t(f"claim: {target:g} % added to the {before:.2f} % before",
                                          f"afirmación: {w.num(target, 0)} % sumado al {w.num(before, 2)} % previo"),
                      annotation_position="top left", annotation_font_size=11)  # fmt: skip
    change = str(card.spec.tolerance.get("change_date", ""))
    if change:
        fig.add_vline(x=pd.Timestamp(change).timestamp() * 1000, line_dash="dot", line_color="#777777")
    style_figure(fig, w.t("US tariff on Colombian goods, and Colombia's exports to the US by month",
                    "Arancel de EE. UU. sobre bienes colombianos y exportaciones mensuales de Colombia a EE. UU."))  # fmt: skip
    fig.update_layout(height=760)  # two panels, a three-entry legend and a long footnote on a phone
    fig.update_yaxes(
        title_text=w.t("Effective tariff (%)", "Arancel efectivo (%)"), rangemode="tozero", row=1, col=1
    )
    fig.update_yaxes(title_text=w.t("Exports (USD billion, FOB)", "Exportaciones (miles de millones de USD, FOB)"),
                     rangemode="tozero", row=2, col=1)  # fmt: skip
    fig.update_xaxes(title_text=w.t("Date", "Fecha"), row=2, col=1)
    note = w.t(" DIAN withholds many destinations from January 2025 ('not declared'): later months are not comparable.",
               " La DIAN reserva muchos destinos desde enero de 2025 ('no declarado'): los meses posteriores no son "
               "comparables.")  # fmt: skip
    return add_footnote(fig, _wrap(_footnote_for(card, lang) + note))


def purchases_chart(card: c.ClaimCard, lang: str = "en") -> go.Figure:
    """Claim 7: Colombia's exports to China by year, and the level that would close the deficit."""
    w = Words(lang)
    frame = card.series.sort_values("year")
    fig = go.Figure(go.Bar(x=frame["year"], y=frame["value_usd"] / BILLION,
                           name=w.t("Colombia's exports to China", "Exportaciones de Colombia a China"),
                           marker_color=OKABE_ITO[3],  # the publisher by name in the tooltip, never its code
                           customdata=[[source_publisher(str(v), lang)] for v in frame["source"]],
                           hovertemplate="%{x}: " + w.t("USD %{y:.2f} bn", "%{y:.2f} mil millones de USD")
                                         + " (%{customdata[0]})<extra></extra>"))  # fmt: skip
    deficit = card.facts.get("deficit_usd")
    year = card.facts.get("year")
    if deficit is not None and year is not None:
        current = frame[frame["year"] == int(year)]["value_usd"]
        if not current.empty:
            needed = (float(current.iloc[0]) + deficit) / BILLION
            _claim_line(fig, needed, w.t(f"exports needed to balance {int(year)}: USD {needed:.1f} bn",
                                         f"exportaciones necesarias para equilibrar {int(year)}: "
                                         f"{w.num(needed)} mil millones de USD"))  # fmt: skip
    style_figure(fig, w.t("Colombia's exports to China and the level that would close the deficit",
                    "Exportaciones de Colombia a China y el nivel que cerraría el déficit"))  # fmt: skip
    fig.update_yaxes(title_text=w.t("Exports (USD billion, current, FOB)",
                                    "Exportaciones (miles de millones de USD corrientes, FOB)"))  # fmt: skip
    fig.update_xaxes(title_text=w.t("Year", "Año"))
    return add_footnote(fig, _wrap(_footnote_for(card, lang)))


def fiscal_chart(card: c.ClaimCard, lang: str = "en") -> go.Figure:
    """Claim 8: the printed fiscal deficit, the deficit with China and what would remain, in % of GDP."""
    w = Words(lang)
    frame = card.series
    fig = go.Figure(go.Bar(x=frame["measure"], y=frame["pct_gdp"], marker_color=OKABE_ITO[4],
                           hovertemplate="%{x}: %{y:.1f} " + w.t("% of GDP", "% del PIB") + "<extra></extra>"))  # fmt: skip
    band = float(card.spec.tolerance.get("zero_band_pts", 0.5))
    # the claim's label under its line, below the bars (above it, it sat on them)
    _claim_line(fig, 0, w.t(f"claim: practically zero (±{band:g} % of GDP)",
                            f"afirmación: prácticamente cero (±{w.num(band)} % del PIB)"), (-band, band),
                position="bottom left")  # fmt: skip
    top = float(frame["pct_gdp"].max()) if not frame.empty else 1.0
    fig.update_yaxes(range=[-max(2.0, 0.35 * top), max(top * 1.1, 1.0)])  # room under zero for the label
    style_figure(fig, w.t("Fiscal deficit and the deficit with China, in % of GDP",
                    "Déficit fiscal y déficit con China, en % del PIB"))  # fmt: skip
    fig.update_yaxes(title_text=w.t("% of GDP", "% del PIB"))
    return add_footnote(fig, _wrap(_footnote_for(card, lang) + w.t(" GDP: World Bank (to 2023).",
                                                                   " PIB: Banco Mundial (hasta 2023).")))  # fmt: skip


def claim_chart(card: c.ClaimCard, lang: str = "en") -> go.Figure | None:
    """The figure for a card, or None when the card has nothing to draw."""
    if card.series is None or card.series.empty:
        return None
    w = Words(lang)
    check = card.spec.check
    if check == "china_deficit":
        return deficit_claim_chart(card, lang)
    if check == "china_share_of_deficit":
        return share_claim_chart(card, lang)
    if check == "us_dependence":
        threshold = float(card.spec.tolerance.get("us_export_share_min", 0.25)) * 100
        return partner_share_chart(
            card,
            w.t("Shares of Colombia's exports: United States and China",
                "Participación en las exportaciones de Colombia: Estados Unidos y China"),
            w.t("Share of Colombia's exports (%)", "Participación en las exportaciones de Colombia (%)"),
            threshold,
            w.t(f"premise: US ≥ {threshold:g} %", f"premisa: EE. UU. ≥ {threshold:g} %"),
            lang,
        )  # fmt: skip
    if check == "china_import_growth":
        return partner_share_chart(
            card,
            w.t(
                "China's share of Colombia's imports",
                "Participación de China en las importaciones de Colombia",
            ),
            w.t("Share of Colombia's imports (%)", "Participación en las importaciones de Colombia (%)"),
            lang=lang,
        )
    if check == "roses_and_coffee":
        return product_share_chart(card, lang)
    if check == "us_tariff_10pct":
        return tariff_claim_chart(card, lang)
    if check == "china_purchases":
        return purchases_chart(card, lang)
    if check == "fiscal_deficit":
        return fiscal_chart(card, lang)
    return None


# --------------------------------------------------------------------------------------------- Balances page


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text or "").strip()


def _facet_axes(fig: go.Figure, facet_label: str) -> tuple[str, str] | None:
    """(yref, xref) of the panel titled ``facet_label`` (HTML tags ignored); None when no panel has that title.

    Works for plotly-express facets and for panels stacked by hand with a title annotation at their top."""
    title = next((a for a in fig.layout.annotations if _plain(a.text) == facet_label), None)
    if title is None:
        return None
    for name in fig.layout:
        if name.startswith("yaxis"):
            axis = fig.layout[name]
            if axis.domain and axis.domain[0] - 1e-9 <= title.y <= axis.domain[1] + 1e-9:
                return "y" + name[len("yaxis") :], f"{axis.anchor or 'x'} domain"
    return None


def add_claim_annotations(fig: go.Figure, claims: Iterable[c.ClaimSpec], *, target: str = "balance",
                          usd_per_unit: float = 1.0, facet_label: str | None = None, lang: str = "en") -> go.Figure:  # fmt: skip
    """Draw claims 1 and 2 on a Balances figure.

    ``target="balance"``: a dashed line at minus the claimed deficit (claim 1; balances are negative for a
    deficit) on the facet titled ``facet_label`` (or the whole figure), in the figure's unit of
    ``usd_per_unit`` dollars. ``target="share"``: the "practically the entire" threshold (claim 2) in %.
    Returns the same figure, for chaining.
    """
    for spec in claims:
        if target == "balance" and spec.check == "china_deficit":
            y = -float(spec.tolerance["target_usd"]) / usd_per_unit
            amount = float(spec.tolerance["target_usd"]) / BILLION
            label = (
                f"afirmación {spec.id}: déficit con China de {amount:g} mil millones de USD"
                if lang == "es"
                else f"claim {spec.id}: deficit with China of USD {amount:g} bn"
            )
            axes = _facet_axes(fig, facet_label) if facet_label else None
            if facet_label and axes is None:
                continue  # the balance panel is not shown: nothing to draw on
            shape_ref = {"yref": axes[0], "xref": axes[1]} if axes else {"yref": "y", "xref": "paper"}
            fig.add_shape(type="line", x0=0, x1=1, y0=y, y1=y, line={"dash": "dash", "color": CLAIM_COLOUR, "width": 1.5},
                          **shape_ref)  # fmt: skip
            fig.add_annotation(x=0, y=y, text=label, showarrow=False, xanchor="left", yanchor="bottom",
                               font={"size": 11}, **shape_ref)  # fmt: skip
        if target == "share" and spec.check == "china_share_of_deficit":
            y = float(spec.tolerance["share_min"]) * 100
            fig.add_hline(y=y, line_dash="dash", line_color=CLAIM_COLOUR, line_width=1.5,
                          annotation_text=(f"afirmación {spec.id}: «prácticamente todo» (≥ {y:g} %)" if lang == "es"
                                           else f"claim {spec.id}: “practically the entire” (≥ {y:g} %)"),
                          annotation_position="top left", annotation_font_size=11)  # fmt: skip
    return fig
