"""Products: what Colombia buys from China and the United States by chapter; one series' products as a
treemap driven by a search (code or words, English or Spanish) with trade values; top products; movers
between two years that both have data.

Thin: widgets only; the frames, defaults and texts are in dashboard.product_views (unit-tested without
Streamlit), the HS descriptions and the search in dashboard.products.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts, components, i18n, product_views, shared_results, url_state
from dashboard.i18n import t
from etl.schema import CHINA, UNITED_STATES

lang = components.lang()
labels = components.country_labels()
hs_codes = components.query_hs_codes()
spanish = shared_results.spanish_hs_names()  # the Spanish HS nomenclature's text by code (shared, read-only)
CHAPTER_PARTNERS = [CHINA, UNITED_STATES]

st.title(t("page_products", lang))

# ---- Colombia's imports from China and the United States by chapter (DANE import annexes, via the record) ------
st.subheader(t("chapters_title", lang))
chapter_rows = components.query_chapter_imports(partners=CHAPTER_PARTNERS)
chapters = chapter_rows[chapter_rows["hs_code"] != "TOTAL"]
chapter_years, chapter_default = product_views.chapter_years(chapters)
if chapter_default is None:
    st.info(t("chapters_none", lang))
else:
    chapter_spec = url_state.Param("cy", url_state.CHOICE, chapter_default, tuple(chapter_years))
    url_state.init_state([chapter_spec], lang)
    chapter_year = st.selectbox(t("year", lang), chapter_years, key="cy")
    url_state.sync_url([chapter_spec])
    names = components.country_names()
    english = dict(zip(hs_codes["hs_code"], hs_codes["description"], strict=True))
    shown = product_views.chapter_rows_shown(chapters, chapter_year, names, english, lang, spanish)
    value_unit = t("usd_m", lang)
    note = product_views.chapter_note(chapter_rows, chapter_year, names, lang)
    # Figures are built once per database, choices and data and shared by every session (read-only).
    fig = components.shared_figure(("products_chapters", chapter_year, note), [shown], lambda: charts.grouped_bar_chart(
        shown, category="label", group="partner", value="value",
        title=t("chapters_title_year", lang, year=chapter_year), x_title=value_unit,
        footnote=components.footnote(shown, note),
    ))  # fmt: skip
    components.show_figure(fig, filename="balanza-chapters", key="chapters_chart", finished=True)
    table = product_views.chapter_table(shown, chapter_year, names, CHAPTER_PARTNERS)
    components.show_table(table, units=None, decimals={c: 1 for c in table.columns})
    components.download_table(
        table, decimals={c: 1 for c in table.columns}, filename="balanza-chapters.csv", source=components.source_summary(shown),
        valuation="CIF", units=value_unit, filters={"cy": chapter_year}, key="chapters_csv",
    )  # fmt: skip

# ---- one series, product by product ---------------------------------------------------------------------------
st.subheader(t("series_title", lang))
catalogue = shared_results.product_catalogue()  # shared, read-only
series_choices = catalogue.choices


def describe_series(key: str) -> str:
    return product_views.describe_series(key, catalogue.levels, labels, lang)


series_spec = url_state.Param("series", url_state.CHOICE, catalogue.default, series_choices)
query_spec = url_state.Param("q", url_state.TEXT, "", max_length=60)
url_state.init_state([series_spec, query_spec], lang)
if not series_choices:
    st.info(t("no_data", lang))
    st.stop()

top = st.columns([3, 1, 1])
series = top[0].selectbox(
    t("products_series", lang), series_choices, key="series", format_func=describe_series
)
series_filters = product_views.series_filters(series)
source, flow = series_filters["source"], series_filters["flow"]
years = tuple(components.query_series_years(**series_filters))
provisional_years = set(components.query_provisional_years(source=source))
default_year, default_from = product_views.default_years(years, provisional_years)
year_specs = [
    # default: the latest year its publisher does not mark provisional (2026 holds January only)
    url_state.Param("year", url_state.CHOICE, default_year, years),
    # movers compare with the year before the chosen one that has data (never a year with itself)
    url_state.Param("from", url_state.CHOICE, default_from, years),
]
url_state.init_state(year_specs, lang)
year = top[1].selectbox(
    t("year", lang),
    years,
    key="year",
    format_func=lambda y: f"{y} ({t('provisional', lang)})" if y in provisional_years else str(y),
)
if (switched := product_views.comparison_year(year, st.session_state.get("from"), years)) is not None:
    st.session_state["from"] = switched
year_from = top[2].selectbox(t("compare_with", lang), years, key="from")
value_title = t("usd_m", lang)

# The search: codes or words, English or Spanish; the values are this series' in the chosen year.
query_text = st.text_input(t("hs_search", lang), key="q", max_chars=60, placeholder=t("hs_search_hint", lang))
focus = None
if query_text.strip():
    matches = shared_results.hs_search(query_text)  # shared by every session searching the same words
    if matches.empty:
        st.info(t("hs_search_none", lang, text=url_state.escape_markdown(query_text.strip())))
    else:
        values = components.query_prefix_values(
            **series_filters, year=year, prefixes=matches["hs_code"].tolist()
        )
        found = product_views.search_results(matches, values, lang, spanish)
        traded = int(found["value_usd_m"].notna().sum())
        st.caption(
            t("hs_search_found", lang, n=len(found), traded=traded, series=describe_series(series), year=year)
        )
        components.show_table(found, decimals={"value_usd_m": 1}, key="search_table")
        focus = product_views.zoom_code(found)

tree = product_views.tree_frame(
    components.query_hs_tree(**series_filters, year=year), year, source, lang, spanish
)
if tree.empty:
    available = "; ".join(describe_series(s) for s in series_choices)
    st.info(t("no_product_data", lang, available=available))
else:
    root = product_views.tree_root(focus, tree)
    if root:
        st.caption(t("treemap_focus", lang, code=root[2:]))
    fig = components.shared_figure(("products_treemap", year, root), [tree], lambda: charts.treemap_chart(
        tree, title=f"{t('treemap_title', lang)}, {year}", value_title=value_title,
        footnote=components.footnote(tree), root=root,
    ))  # fmt: skip
    components.show_figure(fig, filename="balanza-products-treemap", key="treemap", finished=True)

st.subheader(t("top_products", lang))
top_products = product_views.top_products_table(
    components.query_top_products(**series_filters, year=year), series, year, labels, lang, spanish
)
components.show_table(top_products, decimals={"value_usd_m": 1, "share_pct": 2})
components.download_table(
    top_products, decimals={"value_usd_m": 1, "share_pct": 2}, filename="balanza-top-products.csv",
    source=i18n.publisher(source, lang), valuation="CIF" if flow == "import" else "FOB",
    units=t("usd_m", lang), filters={"series": series, "year": year},
)  # fmt: skip

st.subheader(t("top_movers", lang))
if len(years) == 1:
    st.info(t("one_year_only", lang))
elif year_from == year:
    st.info(t("movers_same_year", lang))
else:
    movers = product_views.movers_frame(
        components.query_top_movers(**series_filters, year_from=year_from, year_to=year), lang, spanish
    )
    fig = components.shared_figure(
        ("products_movers", year_from, year, source),
        [movers],
        lambda: charts.movers_chart(
            movers,
            title=f"{t('top_movers', lang)}: {year_from} → {year}",
            x_title=f"{t('change', lang)} ({value_title})",
            footnote=components.footnote(movers.assign(source=source, year=year)),
        ),
    )
    components.show_figure(fig, filename="balanza-top-movers", key="movers", finished=True)

url_state.sync_url([series_spec, *year_specs, query_spec])
components.page_links("products")
