"""Products: HS treemap (chapters → headings), top products, top movers and an HS code search."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, components, queries, url_state
from dashboard.i18n import t

lang = components.lang()
labels = components.country_labels()


def label_of(iso3: str) -> str:
    return labels.get(iso3, iso3)


st.title(t("page_products", lang))

catalogue = queries.product_series(components.run_query("query_data_options"))
catalogue = catalogue.assign(
    series=catalogue["reporter_iso3"] + ":" + catalogue["partner_iso3"] + ":" + catalogue["flow"] + ":"
    + catalogue["source"]
)
series_levels = dict(zip(catalogue["series"], catalogue["max_level"].astype(int), strict=True))
series_choices = tuple(catalogue["series"])
# Default: the US record of imports from Colombia (Colombia's exports to the US by product), where present.
preferred = [s for s in series_choices if s.startswith("USA:COL:import:")]
default_series = preferred[0] if preferred else (series_choices[0] if series_choices else "")


def describe_series(key: str) -> str:
    reporter, partner, flow, source = key.split(":")
    level = series_levels[key]
    verb = t(flow, lang).lower()
    return f"{label_of(reporter)} · {verb} · {label_of(partner)} — {source} (HS{level})"


series_spec = url_state.Param("series", url_state.CHOICE, default_series, series_choices)
url_state.init_state([series_spec, url_state.Param("q", url_state.TEXT, "", max_length=60)], lang)
if not series_choices:
    st.info(t("no_data", lang))
    st.stop()

top = st.columns([3, 1, 1])
series = top[0].selectbox(t("products_series", lang), series_choices, key="series", format_func=describe_series)
reporter, partner, flow, source = series.split(":")
series_filters = {"reporter": reporter, "partner": partner, "flow": flow, "source": source}
years = tuple(components.run_query("query_series_years", **series_filters))
year_specs = [
    url_state.Param("year", url_state.CHOICE, years[-1], years),
    url_state.Param("from", url_state.CHOICE, years[0], years),
]
url_state.init_state(year_specs, lang)
year = top[1].selectbox(t("year", lang), years, key="year")
year_from = top[2].selectbox(t("compare_with", lang), years, key="from")
all_specs = [series_spec, *year_specs, url_state.Param("q", url_state.TEXT, "", max_length=60)]
value_title = "USD millions" if lang == "en" else "millones de USD"

tree = components.run_query("query_hs_tree", **series_filters, year=year)
tree = tree.assign(value=tree["value_usd"] / 1e6, year=year, source=source)
if tree.empty:
    available = "; ".join(describe_series(s) for s in series_choices)
    st.info(t("no_product_data", lang, available=available))
else:
    fig = charts.treemap_chart(tree, title=f"{t('treemap_title', lang)}, {year}", value_title=value_title,
                               footnote=components.footnote(tree))
    components.show_figure(fig, filename="balanza-products-treemap", key="treemap")

st.subheader(t("top_products", lang))
products = components.run_query("query_top_products", **series_filters, year=year)
products = products.assign(value_usd_millions=products["value_usd"] / 1e6).drop(columns="value_usd")
products.insert(0, "year", year)
st.dataframe(products, hide_index=True, width="stretch")
components.download_csv_button(
    products, filename="balanza-top-products.csv", source=components.source_summary(products.assign(source=source)),
    valuation="CIF" if flow == "import" else "FOB", units="USD millions (nominal); share_pct: % of the year's total",
    filters={"series": series, "year": year},
)

st.subheader(t("top_movers", lang))
if year_from == year:
    st.info(t("one_year_only", lang) if len(years) == 1 else t("no_data", lang))
else:
    movers = components.run_query("query_top_movers", **series_filters, year_from=year_from, year_to=year)
    movers = movers.assign(change=movers["change_usd"] / 1e6)
    fig = charts.movers_chart(
        movers, title=f"{t('top_movers', lang)}: {year_from} → {year}", x_title=f"{t('change', lang)} ({value_title})",
        footnote=components.footnote(movers.assign(source=source, year=year)),
    )
    components.show_figure(fig, filename="balanza-top-movers", key="movers")

st.subheader(t("hs_search", lang))
query_text = st.text_input(t("hs_search", lang), key="q", max_chars=60, label_visibility="collapsed",
                           placeholder="0901 / coffee / café")
url_state.sync_url(all_specs)
if query_text.strip():
    st.dataframe(components.run_query("query_hs_search", text=query_text), hide_index=True, width="stretch")

components.page_links("products")
