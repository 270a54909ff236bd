"""Balances: exports, imports and balance over time; share of the total deficit; reporter vs mirror."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, claims, claims_charts, components, queries, units, url_state
from dashboard.i18n import t

DEFAULT_PARTNERS = ["CHN", "USA", "WLD"]

lang = components.lang()
labels = components.country_labels()


def label_of(iso3: str) -> str:
    return labels.get(iso3, iso3)


st.title(t("page_balances", lang))

partner_choices = components.run_query("query_total_partners")
specs = [*components.view_specs(partner_choices, DEFAULT_PARTNERS), *components.unit_specs()]
url_state.init_state(specs, lang)
left, middle, right = st.columns([2, 2, 2])
partners = left.multiselect(t("partners", lang), partner_choices, key="partners", format_func=label_of)
with middle:
    view, factor = components.view_widgets()
with right:
    unit, base_year = components.unit_widgets()
url_state.sync_url(specs)
unit_text = components.unit_label(unit, base_year)
measure_names = {m: t(m, lang) for m in ("export", "import", "balance")}

totals = components.totals_for(view, partners, factor)
wide = queries.with_balance(totals)
long = queries.long_measures(wide)
long["value"] = components.in_units(long, unit, base_year)
long["partner"] = long["partner_iso3"].map(label_of)
long["measure_label"] = long["measure"].map(measure_names)

if long.empty:
    st.info(t("no_data", lang))
else:
    fig = charts.line_chart(
        long, y="value", color="partner", facet_row="measure_label", title=t("balances_title", lang),
        y_title=unit_text, footnote=components.footnote(long),
        x_title=t("year", lang),
    )
    if unit == units.NOMINAL and "CHN" in partners:  # claim 1 is in nominal dollars
        claims_charts.add_claim_annotations(fig, claims.read_claims(), usd_per_unit=units.BILLION,
                                            facet_label=measure_names["balance"])
    components.show_figure(fig, filename="balanza-balances", key="balances_chart")
    components.gap_notes(long, ["partner", "measure_label"], "value", lambda key: " · ".join(key))

table = long[["partner_iso3", "year", "measure", "value", "value_usd", "source", "valuation"]]
table = table.sort_values(["partner_iso3", "measure", "year"]).reset_index(drop=True)
st.subheader(t("table", lang))
st.dataframe(table, hide_index=True, width="stretch")
components.download_csv_button(
    table, filename="balanza-balances.csv", source=components.source_summary(table), valuation="per row",
    units=unit_text,
    filters={"partners": partners, "view": view, "factor": factor if view == queries.RECONCILED_VIEW else "",
             "unit": unit, "base": base_year if unit == "constant" else ""},
)

# Share of Colombia's total deficit: a ratio, so the same in every unit.
st.subheader(t("deficit_share_title", lang))
shares = queries.deficit_shares(wide)
if shares.empty:
    st.info(t("no_data", lang) + " " + t("deficit_share_note", lang))
else:
    shares = shares.merge(
        long.loc[long["measure"] == "balance", ["partner_iso3", "year", "source"]], on=["partner_iso3", "year"],
        how="left",
    )
    shares["partner"] = shares["partner_iso3"].map(label_of)
    fig = charts.line_chart(
        shares, y="share_pct", color="partner", title=t("deficit_share_title", lang), y_title=t("share_pct", lang),
        footnote=components.footnote(shares, t("deficit_share_note", lang)),
        x_title=t("year", lang),
    )
    if "CHN" in partners:  # claim 2: "practically the entire trade deficit"
        claims_charts.add_claim_annotations(fig, claims.read_claims(), target="share")
    components.show_figure(fig, filename="balanza-deficit-share", key="deficit_share_chart")
    components.gap_notes(shares, ["partner"], "share_pct", lambda key: key[0])

# Reporter vs mirror: both records for each partner that reports (the World does not).
st.subheader(t("gap_title", lang))
st.caption(t("gap_explanation", lang))
mirror_view = queries.RECONCILED_VIEW if view == queries.RECONCILED_VIEW else queries.MIRROR_VIEW
reporting = [p for p in partners if p != "WLD"]
records = pd.concat(
    [
        components.totals_for(queries.REPORTER_VIEW, reporting, factor).assign(
            record=t("as_reported_by_col", lang)),
        components.totals_for(mirror_view, reporting, factor).assign(record=t("as_reported_by_partner", lang)),
    ],
    ignore_index=True,
)
if records.empty:
    st.info(t("no_data", lang))
else:
    records["value"] = components.in_units(records, unit, base_year)
    records["partner"] = records["partner_iso3"].map(label_of)
    records["flow_label"] = records["flow"].map(measure_names)
    fig = charts.line_chart(
        records, y="value", color="partner", dash="record", facet_row="flow_label", title=t("gap_title", lang),
        y_title=unit_text, footnote=components.footnote(records), hover=("source", "valuation"),
        x_title=t("year", lang),
    )
    components.show_figure(fig, filename="balanza-reporter-vs-mirror", key="gap_chart")

components.page_links("balances")
