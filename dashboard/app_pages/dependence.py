"""Dependence: the US and China shares of Colombia's exports and imports over time."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, components, queries, url_state
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
partners = st.multiselect(t("partners", lang), partner_choices, key="partners", format_func=label_of)
url_state.sync_url(specs)
numerators = [p for p in partners if p != WORLD]

totals = components.totals_for(queries.REPORTER_VIEW, [*numerators, WORLD], 1.0)
shares = queries.partner_shares(totals, numerators)
shares["partner"] = shares["partner_iso3"].map(label_of)
shares["flow_label"] = shares["flow"].map(lambda f: t(f, lang))

if shares.empty:
    st.info(t("no_data", lang))
else:
    fig = charts.line_chart(
        shares, y="share_pct", color="partner", facet_row="flow_label", title=t("dependence_title", lang),
        y_title=t("share_pct", lang), footnote=components.footnote(shares, t("dependence_note", lang)),
        x_title=t("year", lang),
    )
    components.show_figure(fig, filename="balanza-dependence", key="dependence_chart")
    components.gap_notes(shares, ["partner", "flow_label"], "share_pct", lambda key: " · ".join(key))

# Every share names what it divides by (Colombia's trade with all partners, with its publisher).
table = shares[["partner_iso3", "flow", "year", "share_pct", "denominator", "source"]].reset_index(drop=True)
table["source"] = components.publisher_column(table)
components.show_table(table)
components.download_csv_button(
    components.localized(table), filename="balanza-dependence.csv", source=components.source_summary(totals),
    valuation="as reported",
    units="% of Colombia's trade with the World (same flow, same year)", filters={"partners": partners},
)
components.page_links("dependence")
