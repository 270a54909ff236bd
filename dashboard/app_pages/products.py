"""Products: what Colombia buys from China and the United States by chapter; one series' products as a
treemap driven by a search (code or words, English or Spanish) with trade values; top products; movers
between two years that both have data.

Thin: widgets only; the frames, defaults and texts are in dashboard.product_views (unit-tested without
Streamlit), the HS descriptions and the search in dashboard.products.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, components, downloads, i18n, product_views, shared_results, url_state
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
    chapter_year = st.selectbox(t("year", lang), chapter_years, key="cy", placeholder=t("choose_one", lang))
    url_state.sync_url([chapter_spec])
    names = components.country_names()
    english = dict(zip(hs_codes["hs_code"], hs_codes["description"], strict=True))
    shown = product_views.chapter_rows_shown(chapters, chapter_year, names, english, lang, spanish)
    value_unit = t("usd_m", lang)
    note = product_views.chapter_note(chapter_rows, chapter_year, names, lang)
    totals = chapter_rows[chapter_rows["hs_code"] == "TOTAL"]
    components.takeaway(" ".join(
        sentence for partner in CHAPTER_PARTNERS
        if (sentence := product_views.chapters_sentence(shown, totals, partner, names.get(partner, partner),
                                                        chapter_year, lang))
    ))  # fmt: skip
    # Figures are built once per database, choices and data and shared by every session (read-only).
    fig = components.shared_figure(("products_chapters", chapter_year, note), [shown], lambda: charts.grouped_bar_chart(
        shown, category="label", group="partner", value="value",
        title=t("chapters_title_year", lang, year=chapter_year), x_title=value_unit,
        footnote=components.footnote(shown, note),
    ))  # fmt: skip
    components.show_figure(fig, filename="balanza-chapters", key="chapters_chart", finished=True)
    table = product_views.chapter_table(shown, chapter_year, names, CHAPTER_PARTNERS)
    components.show_table(table, units=None, decimals={c: 1 for c in table.columns})
    downloads.download_table(
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
    t("products_series", lang),
    series_choices,
    key="series",
    format_func=describe_series,
    placeholder=t("choose_one", lang),
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
    placeholder=t("choose_one", lang),
)
if (switched := product_views.comparison_year(year, st.session_state.get("from"), years)) is not None:
    st.session_state["from"] = switched
year_from = top[2].selectbox(t("compare_with", lang), years, key="from", placeholder=t("choose_one", lang))
value_title = t("usd_m", lang)

# The search: codes or words, English or Spanish; the values are this series' in the chosen year.
query_text = st.text_input(t("hs_search", lang), key="q", max_chars=60, placeholder=t("hs_search_hint", lang))
# in the address now, before any download button: each file's link must reproduce this view, not the one before
url_state.sync_url([series_spec, *year_specs, query_spec])
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
downloads.download_table(
    top_products, decimals={"value_usd_m": 1, "share_pct": 2}, filename="balanza-top-products.csv",
    source=i18n.publisher(source, lang), valuation="CIF" if flow == "import" else "FOB",
    units=t("usd_m", lang), filters={"series": series, "year": year},
)  # fmt: skip

st.subheader(t("top_movers", lang))
order_spec = url_state.Param("order", url_state.CHOICE, product_views.GROWTH, product_views.MOVER_ORDERS)
url_state.init_state([order_spec], lang)
if len(years) == 1:
    st.info(t("one_year_only", lang))
elif year_from == year:
    st.info(t("movers_same_year", lang))
else:
    order = st.radio(
        t("movers_order", lang), product_views.MOVER_ORDERS, key="order", horizontal=True,
        format_func=lambda o: t(f"movers_by_{o}", lang),
    )  # fmt: skip
    url_state.sync_url([order_spec])
    movers = product_views.movers_table(
        components.query_movers(**series_filters, year_from=year_from, year_to=year), year_from, year, order,
        lang, spanish,
    )  # fmt: skip
    span = f"{movers.start} → {movers.end}"
    components.takeaway(product_views.movers_sentence(movers, order, lang))
    if movers.rows.empty:
        st.info(t("no_data", lang))
    else:
        growth = order == product_views.GROWTH
        shown = movers.rows.assign(
            label=[charts.chapter_label(c, d) for c, d in zip(movers.rows["hs_code"], movers.rows["description"],
                                                                strict=True)],
            text=[
                f"{i18n.signed(g, lang, 1)} %" if growth else i18n.signed(c, lang, 1)
                for g, c in zip(movers.rows["growth_pct"], movers.rows["change"], strict=True)
            ],
        )  # fmt: skip
        note = t("movers_note", lang, base=i18n.money(movers.min_base_usd, lang), year=movers.start)
        fig = components.shared_figure(
            ("products_movers", movers.start, movers.end, source, order), [shown],
            lambda: charts.movers_chart(
                shown, value="growth_pct" if growth else "change", label="label", text="text",
                title=t("movers_title_growth" if growth else "movers_title_change", lang, span=span),
                x_title=t("growth_pct", lang) if growth else f"{t('change', lang)} ({value_title})",
                footnote=components.footnote(pd.DataFrame({"source": source, "year": [movers.start, movers.end]}),
                                             note if growth else ""),
                unit="%" if growth else value_title,
            ),
        )  # fmt: skip
        components.show_figure(fig, filename="balanza-top-movers", key="movers", finished=True)
        headers = product_views.movers_columns(movers.start, movers.end, lang)
        components.show_table(
            movers.rows.rename(columns=headers), decimals={h: 1 for h in list(headers.values())[2:]},
            key="movers_table",
        )  # fmt: skip
        if growth:
            st.caption(note)
        # every heading of both years, not only the ones shown, with growth and CAGR (the page's CSV helper)
        downloads.download_table(
            movers.all.rename(columns=headers), filename="balanza-movers.csv", source=i18n.publisher(source, lang),
            valuation="CIF" if flow == "import" else "FOB", units=f"{value_title}; %",
            filters={"series": series, "from": year_from, "year": year, "order": order}, key="movers_csv",
        )  # fmt: skip

url_state.sync_url([order_spec])
components.page_links("products")
