"""Dependence: the US and China shares of Colombia's exports and imports over time."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import (
    charts,
    components,
    downloads,
    i18n,
    queries,
    readout,
    shared_results,
    time_charts,
    url_state,
)
from dashboard.i18n import t
from etl.schema import CHINA, UNITED_STATES, WORLD

lang = components.lang()
labels = components.country_labels()


def label_of(iso3: str) -> str:
    return labels.get(iso3, iso3)


st.title(t("dependence_title", lang))
st.caption(t("dependence_note", lang))

partner_choices = components.query_total_partners()
specs = components.view_specs(partner_choices, [CHINA, UNITED_STATES])[:1]
url_state.init_state(specs, lang)
partners = st.multiselect(
    t("partners", lang), partner_choices, key="partners", format_func=label_of,
    placeholder=t("choose_many", lang), select_all=False,
)  # fmt: skip
url_state.sync_url(specs)
numerators = [p for p in partners if p != WORLD]

totals = components.totals_for(queries.REPORTER_VIEW, [*numerators, WORLD], 1.0)
# queries.partner_shares(totals, numerators), shared (read-only): filtered below into a frame of the page's own
shares = shared_results.partner_shares(tuple(numerators))
share_years = sorted({int(y) for y in shares["year"]}) or [time_charts.DEFAULT_FIRST_YEAR]
year_from, year_to = time_charts.year_range_widget(share_years[0], share_years[-1])
shares = shares[shares["year"].between(year_from, year_to)].reset_index(drop=True)
shares["partner"] = shares["partner_iso3"].map(label_of)
shares["flow_label"] = shares["flow"].map(lambda f: t(f, lang))
shares["publisher_shown"] = shares["publisher"].map(lambda v: i18n.record_text(v, lang))  # for the tooltip
# The takeaway: each partner's share of the flow it weighs most in, now and at the start of the years shown.
names = components.country_names()
# Final, comparable years only where there are any (2025's DIAN exports withhold destinations: not comparable).
settled = shares[shares["flag"].fillna("") == ""]
said = settled if not settled.empty else shares
lead = []
for partner in numerators:
    rows = said[said["partner_iso3"] == partner].dropna(subset=["share_pct"])
    if rows.empty:
        continue
    latest = rows[rows["year"] == rows["year"].max()]
    flow = str(latest.sort_values("share_pct").iloc[-1]["flow"])
    lead.append(readout.share_sentence(said, partner, names.get(partner, partner), flow, lang))
components.takeaway(" ".join(s for s in lead if s))

if shares.empty:
    st.info(t("no_data", lang))
else:

    def shares_figure() -> go.Figure:
        fig = charts.line_chart(
            shares,
            y="share_pct",
            color="partner",
            facet_row="flow_label",
            title=t("dependence_title", lang),
            y_title=t("share_pct", lang),
            footnote=components.footnote(shares, t("dependence_note", lang)),
            hover={"publisher_shown": i18n.column("publisher", lang)},
            x_title=t("year", lang),
        )
        return time_charts.finish_time_chart(fig, shares, "share", year_from, year_to)

    # Built once per database, choices and data, shared by every session (read-only).
    fig = components.shared_figure(("dependence", year_from, year_to), [shares], shares_figure)
    components.show_figure(fig, filename="balanza-dependence", key="dependence_chart", finished=True)
    components.gap_notes(shares, ["partner", "flow_label"], "share_pct", lambda key: " · ".join(key))

# Every share names what it divides by (Colombia's trade with all partners, with its publisher).
table = shares[["partner_iso3", "flow", "year", "share_pct", "denominator", "publisher", "flag"]]
table = table.reset_index(drop=True)
table["publisher"] = table["publisher"].map(
    lambda v: i18n.record_text(v, lang)
)  # as every other page names it
table["flow"] = table["flow"].map(lambda f: i18n.flow(f, lang))
table["denominator"] = table["denominator"].map(lambda d: i18n.record_text(d, lang))
caveats = table["flag"]  # a short flag in the cell, the reasons under the table
table["flag"] = caveats.map(lambda v: i18n.flag_short(v, lang))
components.show_table(table)
components.flag_caption(caveats)
downloads.download_table(
    components.with_flag_notes(table, caveats),
    filename="balanza-dependence.csv",
    source=components.source_summary(totals),
    valuation=t("as_reported", lang),
    units=t("dependence_units", lang),
    filters={"partners": partners, "yr": f"{year_from}-{year_to}"},
)
components.page_links("dependence")
