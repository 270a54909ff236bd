"""Pure figures for the claim cards, each with the claim drawn on it. Never calls Streamlit.

Okabe-Ito colours (from dashboard.charts), units in the axis titles, a source footnote under every plot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import claims as c
from dashboard.charts import OKABE_ITO, _style, add_footnote, wrap_text
from etl.schema import BILLION, COLOMBIA

CLAIM_COLOUR = "#000000"  # the claim itself: black, dashed, so it never reads as a data series
BAND_COLOUR = "rgba(0, 0, 0, 0.08)"
PERSPECTIVE_COLOURS = {c.COL_REPORTED: OKABE_ITO[3], c.MIRROR: OKABE_ITO[0], c.MIXED: OKABE_ITO[2]}
SHARE_AXIS_MAX_PCT = 200.0  # shares of a tiny total deficit reach 900 %; the axis stops here and says so


def _footnote_for(card: c.ClaimCard) -> str:
    sources = sorted(
        {
            part
            for s in card.numbers.get("source", pd.Series(dtype=object)).dropna()
            for part in str(s).split(" / ")
        }
    )  # a balance names both of its series
    names = list(dict.fromkeys(c.SOURCE_PUBLISHERS.get(s, s) for s in sources))
    return (
        "Source: "
        + ("; ".join(names) if names else "—")
        + f". Claim {card.spec.id}: {card.spec.tolerance_text}"
    )


def _wrap(text: str) -> str:
    return wrap_text(text, width=130)


def _claim_line(fig: go.Figure, y: float, label: str, band: tuple[float, float] | None = None) -> go.Figure:
    if band is not None:
        fig.add_hrect(y0=band[0], y1=band[1], fillcolor=BAND_COLOUR, line_width=0, layer="below")
    fig.add_hline(y=y, line_dash="dash", line_color=CLAIM_COLOUR, line_width=1.5,
                  annotation_text=label, annotation_position="top left", annotation_font_size=11)  # fmt: skip
    return fig


def deficit_claim_chart(card: c.ClaimCard) -> go.Figure:
    """Claim 1: Colombia's deficit with China by year and perspective, with the claimed amount and its tolerance."""
    fig = go.Figure()
    series = card.series
    for perspective in (c.COL_REPORTED, c.MIXED, c.MIRROR):
        rows = series[series["perspective"] == perspective].sort_values("year")
        if rows.empty:
            continue
        full = rows.set_index("year").reindex(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        fig.add_trace(go.Scatter(
            x=full.index, y=-full["balance_usd"] / BILLION, name=perspective, mode="lines+markers", connectgaps=False,
            line={"color": PERSPECTIVE_COLOURS[perspective], "dash": "solid" if perspective == c.COL_REPORTED else "dot"},
            customdata=full[["publisher"]].fillna("").to_numpy(),
            hovertemplate="%{x}: USD %{y:.2f} bn<br>%{customdata[0]}<extra>" + perspective + "</extra>",
        ))  # fmt: skip
    tol = card.spec.tolerance
    target = float(tol.get("target_usd", 0)) / BILLION
    if target:
        pct = float(tol.get("match_pct", 0)) / 100
        _claim_line(
            fig,
            target,
            f"claim: USD {target:g} bn (±{pct * 100:g} %)",
            (target * (1 - pct), target * (1 + pct)),
        )
    _style(fig, "Colombia's goods trade deficit with China, by source")
    fig.update_yaxes(title_text="Deficit (USD billion, current)")
    fig.update_xaxes(title_text="Year")
    return add_footnote(fig, _wrap(_footnote_for(card)))


def share_claim_chart(card: c.ClaimCard) -> go.Figure:
    """Claim 2: China's deficit as % of the total goods deficit, per valuation basis, with the 90 % line."""
    fig = go.Figure()
    table = card.series
    for i, basis in enumerate(c.SHARE_BASES):
        rows = table[table["basis"] == basis].sort_values("year")
        if rows.empty:
            continue
        full = rows.set_index("year").reindex(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        fig.add_trace(go.Scatter(
            x=full.index, y=full["share"] * 100, name=basis, mode="lines+markers", connectgaps=False,
            line={"color": OKABE_ITO[[3, 2][i % 2]], "dash": "solid" if i == 0 else "dot"},
            hovertemplate="%{x}: %{y:.0f} %<extra>" + basis + "</extra>",
        ))  # fmt: skip
    share_min = float(card.spec.tolerance.get("share_min", 0.9)) * 100
    share_max = float(card.spec.tolerance.get("share_max", 1.1)) * 100
    _claim_line(fig, 100, f"“practically the entire”: {share_min:g}–{share_max:g} %", (share_min, share_max))
    _style(fig, "Deficit with China as a share of Colombia's total goods deficit")
    top = table["share"].max() * 100 if not table.empty else 100
    fig.update_yaxes(
        title_text="Share of the total deficit (%)", range=[0, min(max(top * 1.05, 110), SHARE_AXIS_MAX_PCT)]
    )
    fig.update_xaxes(title_text="Year")
    note = _footnote_for(card)
    if top > SHARE_AXIS_MAX_PCT:
        note += f" Axis cut at {SHARE_AXIS_MAX_PCT:g} %: years with a very small total deficit give larger shares."
    return add_footnote(fig, _wrap(note))


def partner_share_chart(card: c.ClaimCard, title: str, y_title: str, threshold_pct: float | None = None,
                        threshold_label: str = "") -> go.Figure:  # fmt: skip
    """Claims 3 and 9: a partner's share of Colombia's trade over time (one line per partner and source)."""
    fig = go.Figure()
    frame = card.series
    for i, ((partner, source), rows) in enumerate(frame.groupby(["partner", "source"], sort=True)):
        rows = rows.sort_values("year")
        full = rows.set_index("year").reindex(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        fig.add_trace(go.Scatter(
            x=full.index, y=full["share"] * 100, name=f"{partner} ({c.SOURCE_PUBLISHERS.get(str(source), str(source))})",
            mode="lines+markers", connectgaps=False, line={"color": OKABE_ITO[i % len(OKABE_ITO)]},
            customdata=full[["note"]].fillna("").to_numpy(),
            hovertemplate="%{x}: %{y:.1f} %<br>%{customdata[0]}<extra></extra>",
        ))  # fmt: skip
    if threshold_pct is not None:
        _claim_line(fig, threshold_pct, threshold_label)
    _style(fig, title)
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig.update_xaxes(title_text="Year")
    return add_footnote(fig, _wrap(_footnote_for(card)))


def product_share_chart(card: c.ClaimCard) -> go.Figure:
    """Claim 4: shares of US imports 2024 by supplier for cut flowers, roses and coffee (Colombia and rivals)."""
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
    _style(fig, "Share of US imports for consumption, 2024: Colombia and its rivals")
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="Share of US imports from the bundled partners (%)")
    fig.update_xaxes(title_text="Product (HS code)")
    return add_footnote(
        fig,
        _wrap(
            _footnote_for(card) + " Shares of US imports from the 51 partners with a bundled "
            "Census HS10 file, not of all US imports."
        ),
    )


def tariff_claim_chart(card: c.ClaimCard) -> go.Figure:
    """Claim 6: the trade-weighted US tariff on Colombian goods over time, with 'before + 10 points' drawn on,
    and below it Colombia's monthly exports to the US and with no declared destination (DIAN)."""
    tl = card.series.sort_values("date")
    monthly = card.numbers[card.numbers["measure"].str.startswith(c.MONTHLY_EXPORTS_MEASURE)]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.5, 0.5])
    fig.add_trace(go.Scatter(x=tl["date"], y=tl["effective_tariff_pct"], mode="lines+markers", line_shape="hv",
                             name="effective US tariff on Colombian goods", line={"color": OKABE_ITO[3]}), row=1, col=1)  # fmt: skip
    for i, (measure, rows) in enumerate(monthly.groupby("measure", sort=True)):
        fig.add_trace(go.Scatter(x=pd.to_datetime(rows["year"]), y=rows["value"] / BILLION, mode="lines+markers",
                                 name=measure, line={"color": OKABE_ITO[[0, 4][i % 2]]}), row=2, col=1)  # fmt: skip
    before = card.facts.get("before_pct")
    rise = card.facts.get("rise_pts")
    if before is not None and rise is not None:
        fig.add_hline(y=before + rise, line_dash="dot", line_color=OKABE_ITO[5], line_width=1.5, row=1, col=1,
                      annotation_text=f"statutory: +{rise:.1f} points (Annex II exempt from 5 April)",
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
                      annotation_text=f"claim: {target:g} % added to the {before:.2f} % before",
                      annotation_position="top left", annotation_font_size=11)  # fmt: skip
    change = str(card.spec.tolerance.get("change_date", ""))
    if change:
        fig.add_vline(x=pd.Timestamp(change).timestamp() * 1000, line_dash="dot", line_color="#777777")
    _style(fig, "US tariff on Colombian goods, and Colombia's exports to the US by month")
    fig.update_layout(height=620)
    fig.update_yaxes(title_text="Effective tariff (%)", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text="Exports (USD billion, FOB)", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="Date", row=2, col=1)
    note = " DIAN withholds many destinations from January 2025 ('not declared'): later months are not comparable."
    return add_footnote(fig, _wrap(_footnote_for(card) + note))


def purchases_chart(card: c.ClaimCard) -> go.Figure:
    """Claim 7: Colombia's exports to China by year, and the level that would close the deficit."""
    frame = card.series.sort_values("year")
    fig = go.Figure(go.Bar(x=frame["year"], y=frame["value_usd"] / BILLION, name="Colombia's exports to China",
                           marker_color=OKABE_ITO[3], customdata=frame[["source"]].to_numpy(),
                           hovertemplate="%{x}: USD %{y:.2f} bn (%{customdata[0]})<extra></extra>"))  # fmt: skip
    deficit = card.facts.get("deficit_usd")
    year = card.facts.get("year")
    if deficit is not None and year is not None:
        current = frame[frame["year"] == int(year)]["value_usd"]
        if not current.empty:
            needed = (float(current.iloc[0]) + deficit) / BILLION
            _claim_line(fig, needed, f"exports needed to balance {int(year)}: USD {needed:.1f} bn")
    _style(fig, "Colombia's exports to China and the level that would close the deficit")
    fig.update_yaxes(title_text="Exports (USD billion, current, FOB)")
    fig.update_xaxes(title_text="Year")
    return add_footnote(fig, _wrap(_footnote_for(card)))


def fiscal_chart(card: c.ClaimCard) -> go.Figure:
    """Claim 8: the printed fiscal deficit, the deficit with China and what would remain, in % of GDP."""
    frame = card.series
    fig = go.Figure(go.Bar(x=frame["measure"], y=frame["pct_gdp"], marker_color=OKABE_ITO[4],
                           hovertemplate="%{x}: %{y:.1f} % of GDP<extra></extra>"))  # fmt: skip
    band = float(card.spec.tolerance.get("zero_band_pts", 0.5))
    _claim_line(fig, 0, f"claim: practically zero (±{band:g} % of GDP)", (-band, band))
    _style(fig, "Fiscal deficit and the deficit with China, in % of GDP")
    fig.update_yaxes(title_text="% of GDP")
    return add_footnote(fig, _wrap(_footnote_for(card) + " GDP: World Bank (to 2023)."))


def claim_chart(card: c.ClaimCard) -> go.Figure | None:
    """The figure for a card, or None when the card has nothing to draw."""
    if card.series is None or card.series.empty:
        return None
    check = card.spec.check
    if check == "china_deficit":
        return deficit_claim_chart(card)
    if check == "china_share_of_deficit":
        return share_claim_chart(card)
    if check == "us_dependence":
        threshold = float(card.spec.tolerance.get("us_export_share_min", 0.25)) * 100
        return partner_share_chart(
            card,
            "Shares of Colombia's exports: United States and China",
            "Share of Colombia's exports (%)",
            threshold,
            f"premise: US ≥ {threshold:g} %",
        )
    if check == "china_import_growth":
        return partner_share_chart(
            card, "China's share of Colombia's imports", "Share of Colombia's imports (%)"
        )
    if check == "roses_and_coffee":
        return product_share_chart(card)
    if check == "us_tariff_10pct":
        return tariff_claim_chart(card)
    if check == "china_purchases":
        return purchases_chart(card)
    if check == "fiscal_deficit":
        return fiscal_chart(card)
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
