"""Overview: the latest balance with China, the US and the World, its change, a sparkline and its sources."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, components, queries, url_state
from dashboard.i18n import t

PARTNERS = ["CHN", "USA", "WLD"]
SPARKLINE_YEARS = 25

lang = components.lang()
st.title(t("page_overview", lang))
st.write(t("overview_intro", lang))

specs = [*components.view_specs(PARTNERS, PARTNERS)[1:], *components.unit_specs()]
url_state.init_state(specs, lang)
with st.expander(t("view", lang) + " · " + t("units", lang), expanded=False):
    view, factor = components.view_widgets()
    unit, base_year = components.unit_widgets()
url_state.sync_url(specs)
unit_text = components.unit_label(unit, base_year)

wide = queries.with_balance(components.totals_for(view, PARTNERS, factor))
for measure in ("export", "import", "balance"):
    wide[f"{measure}_value"] = components.in_units(wide, unit, base_year, value_column=measure)

rows = []
columns = st.columns(len(PARTNERS))
for column, partner in zip(columns, PARTNERS, strict=True):
    series = wide[(wide["partner_iso3"] == partner) & wide["balance_value"].notna()].sort_values("year")
    if not series.empty:  # the sparkline covers the last 25 years up to the latest value
        series = series[series["year"] > series["year"].max() - SPARKLINE_YEARS]
    with column:
        if series.empty:
            st.metric(components.country_label(partner), "—")
            st.caption(t("no_balance", lang, partner=components.country_label(partner)))
            continue
        latest = series.iloc[-1]
        previous = series[series["year"] == latest["year"] - 1]
        delta = None
        if not previous.empty:
            delta = f"{latest['balance_value'] - previous.iloc[0]['balance_value']:+,.2f} " + t(
                "vs_year", lang, year=int(latest["year"]) - 1
            )
        st.metric(
            t("latest_balance", lang, partner=components.country_label(partner), year=int(latest["year"])),
            f"{latest['balance_value']:,.2f}",
            delta=delta,
            help=unit_text,
        )
        st.caption(unit_text)
        st.caption(t("sources_of", lang, export=queries.source_label(latest["export_source"]),
                     import_=queries.source_label(latest["import_source"])))
        components.show_figure(
            charts.sparkline_chart(series, y="balance_value"), filename=f"balanza-balance-{partner}",
            key=f"spark_{partner}",
        )
        gaps = charts.missing_years(series.assign(key=partner), ["key"], "balance_value")
        if gaps:
            st.caption(t("missing_years", lang, series=partner, years=charts.format_years(gaps[(partner,)])))
        rows.append(latest)

st.caption(t("selection_rule", lang))

if rows:
    table = (
        wide.loc[[r.name for r in rows]]
        [["partner_iso3", "year", "export_value", "import_value", "balance_value", "export_source", "import_source",
          "export_valuation", "import_valuation"]]
        .rename(columns={"export_value": "export", "import_value": "import", "balance_value": "balance"})
        .reset_index(drop=True)
    )
    table["year"] = table["year"].astype("int64")
    st.dataframe(table, hide_index=True, width="stretch")
    components.download_csv_button(
        table, filename="balanza-overview.csv", source=components.source_summary(table, "export_source"),
        valuation="exports FOB, imports as valued by the source", units=unit_text,
        filters={"view": view, "factor": factor if view == queries.RECONCILED_VIEW else "", "unit": unit,
                 "base": base_year if unit == "constant" else ""},
    )
else:
    st.info(t("no_data", lang))
    components.download_csv_button(
        wide.head(0), filename="balanza-overview.csv", source="—", valuation="—", units=unit_text,
        filters={"view": view},
    )

components.page_links("overview")
