"""Products: what Colombia buys from China and the United States by chapter; one series' products as a
treemap driven by a search (code or words, English or Spanish) with trade values; top products; movers
between two years that both have data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, components, i18n, products, queries, url_state
from dashboard.i18n import t
from etl.schema import CHINA, MILLION, UNITED_STATES

lang = components.lang()
labels = components.country_labels()
CHAPTER_PARTNERS = [CHINA, UNITED_STATES]


def label_of(iso3: str) -> str:
    return labels.get(iso3, iso3)


st.title(t("page_products", lang))

# ---- Colombia's imports from China and the United States by chapter (DANE import annexes, via the record) ------
st.subheader(t("chapters_title", lang))
chapter_rows = components.query_chapter_imports(partners=CHAPTER_PARTNERS)
chapters = chapter_rows[chapter_rows["hs_code"] != "TOTAL"]
chapter_years = sorted({int(y) for y in chapters["year"]})
if not chapter_years:
    st.info(t("chapters_none", lang))
else:
    final = sorted(
        {int(y) for y in chapters.loc[~chapters["provisional"].fillna(False).astype(bool), "year"]}
    )
    # default: the latest year its publisher does not mark provisional
    chapter_spec = url_state.Param("cy", url_state.CHOICE, (final or chapter_years)[-1], tuple(chapter_years))
    url_state.init_state([chapter_spec], lang)
    chapter_year = st.selectbox(t("year", lang), chapter_years, key="cy")
    url_state.sync_url([chapter_spec])
    shown = chapters[chapters["year"] == chapter_year].copy()
    names = components.country_names()
    shown["partner"] = shown["partner_iso3"].map(lambda p: names.get(p, p))
    hs_codes = components.query_hs_codes()
    english = dict(zip(hs_codes["hs_code"], hs_codes["description"], strict=True))
    shown["description"] = [products.describe(c, english.get(c), lang) for c in shown["hs_code"]]
    shown["label"] = [
        charts.chapter_label(c, d) for c, d in zip(shown["hs_code"], shown["description"], strict=True)
    ]
    shown["value"] = shown["value_usd"] / MILLION
    value_unit = t("usd_m", lang)
    coverage = products.chapter_share(
        chapters[chapters["year"] == chapter_year],
        chapter_rows[(chapter_rows["hs_code"] == "TOTAL") & (chapter_rows["year"] == chapter_year)],
    )
    note = " ".join(
        t(
            "chapters_cover",
            lang,
            partner=names.get(r["partner_iso3"], r["partner_iso3"]),
            share=i18n.number(r["share_pct"], lang, 0),
            total=i18n.money(r["total_usd"], lang),
        )
        for r in coverage.to_dict("records")
        if pd.notna(r["share_pct"])
    )
    provisional = bool(shown["provisional"].fillna(False).astype(bool).any())
    footnote = components.footnote(
        shown,
        (
            t("chapters_note", lang)
            + " "
            + note
            + (" " + t("provisional_year", lang, year=chapter_year) if provisional else "")
        ),
    )
    fig = charts.grouped_bar_chart(
        shown,
        category="label",
        group="partner",
        value="value",
        title=t("chapters_title_year", lang, year=chapter_year),
        x_title=value_unit,
        footnote=footnote,
    )
    components.show_figure(fig, filename="balanza-chapters", key="chapters_chart")
    table = shown.pivot_table(
        index=["hs_code", "description"], columns="partner_iso3", values="value", aggfunc="first"
    ).reset_index()
    table.columns.name = None
    table = table.rename(columns={p: f"{names.get(p, p)} ({p})" for p in CHAPTER_PARTNERS})
    table.insert(0, "year", chapter_year)
    components.show_table(table, units=None, decimals={c: 1 for c in table.columns})
    components.download_csv_button(
        components.localized(table),
        filename="balanza-chapters.csv",
        source=components.source_summary(shown),
        valuation="CIF",
        units=value_unit,
        filters={"cy": chapter_year},
        key="chapters_csv",
    )

# ---- one series, product by product ---------------------------------------------------------------------------
st.subheader(t("series_title", lang))
catalogue = queries.product_series(components.query_data_options())
catalogue = catalogue.assign(
    series=catalogue["reporter_iso3"]
    + ":"
    + catalogue["partner_iso3"]
    + ":"
    + catalogue["flow"]
    + ":"
    + catalogue["source"]
)
series_levels = dict(zip(catalogue["series"], catalogue["max_level"].astype(int), strict=True))
series_choices = tuple(catalogue["series"])
# Default: what Colombia buys from China (DANE chapters), else the US record of imports from Colombia.
preferred = [s for s in series_choices if s.startswith("COL:CHN:import:")] or [
    s for s in series_choices if s.startswith("USA:COL:import:")
]
default_series = preferred[0] if preferred else (series_choices[0] if series_choices else "")


def describe_series(key: str) -> str:
    reporter, partner, flow, source = key.split(":")
    level = series_levels[key]
    verb = t(flow, lang).lower()
    return f"{label_of(reporter)} · {verb} · {label_of(partner)} — {i18n.publisher(source, lang)} ({t('hs_digits', lang, n=level)})"


series_spec = url_state.Param("series", url_state.CHOICE, default_series, series_choices)
query_spec = url_state.Param("q", url_state.TEXT, "", max_length=60)
url_state.init_state([series_spec, query_spec], lang)
if not series_choices:
    st.info(t("no_data", lang))
    st.stop()

top = st.columns([3, 1, 1])
series = top[0].selectbox(
    t("products_series", lang), series_choices, key="series", format_func=describe_series
)
reporter, partner, flow, source = series.split(":")
series_filters = {"reporter": reporter, "partner": partner, "flow": flow, "source": source}
years = tuple(components.query_series_years(**series_filters))
provisional_years = set(components.query_provisional_years(source=source))
final_years = [y for y in years if y not in provisional_years] or list(years)
year_specs = [
    # default: the latest year its publisher does not mark provisional (2026 holds January only)
    url_state.Param("year", url_state.CHOICE, final_years[-1], years),
    # movers compare with the year before the chosen one that has data (never a year with itself)
    url_state.Param(
        "from", url_state.CHOICE, max([y for y in final_years if y < final_years[-1]] or [years[0]]), years
    ),
]
url_state.init_state(year_specs, lang)
year = top[1].selectbox(
    t("year", lang),
    years,
    key="year",
    format_func=lambda y: f"{y} ({t('provisional', lang)})" if y in provisional_years else str(y),
)
earlier = [y for y in years if y != year]
if st.session_state.get("from") == year and earlier:
    st.session_state["from"] = max([y for y in earlier if y < year] or earlier)
year_from = top[2].selectbox(t("compare_with", lang), years, key="from")
value_title = t("usd_m", lang)

# The search: codes or words, English or Spanish; the values are this series' in the chosen year.
query_text = st.text_input(t("hs_search", lang), key="q", max_chars=60, placeholder=t("hs_search_hint", lang))
focus = None
if query_text.strip():
    matches = products.search(components.query_hs_codes(), query_text)
    if matches.empty:
        st.info(t("hs_search_none", lang, text=url_state.escape_markdown(query_text.strip())))
    else:
        values = components.query_prefix_values(
            **series_filters, year=year, prefixes=matches["hs_code"].tolist()
        )
        found = matches.merge(values, on="hs_code", how="left")
        found["description"] = products.describe_frame(found, lang)
        found["value_usd_m"] = found["value_usd"] / MILLION
        found = found[["hs_code", "hs_level", "description", "value_usd_m"]]
        traded = found[found["value_usd_m"].notna()]
        st.caption(
            t(
                "hs_search_found",
                lang,
                n=len(found),
                traded=len(traded),
                series=describe_series(series),
                year=year,
            )
        )
        components.show_table(found, decimals={"value_usd_m": 1}, key="search_table")
        zoomable = [c for c in traded["hs_code"] if len(c) in (2, 4)] or [
            c[:4] for c in traded["hs_code"] if len(c) > 4
        ]
        if zoomable:
            focus = zoomable[0]

tree = components.query_hs_tree(**series_filters, year=year)
tree = tree.assign(value=tree["value_usd"] / MILLION, year=year, source=source)
tree["chapter_description"] = [
    products.describe(c, d, lang) for c, d in zip(tree["chapter"], tree["chapter_description"], strict=True)
]
tree["heading_description"] = [
    products.describe(h, d, lang) if isinstance(h, str) else d
    for h, d in zip(tree["heading"], tree["heading_description"], strict=True)
]
if tree.empty:
    available = "; ".join(describe_series(s) for s in series_choices)
    st.info(t("no_product_data", lang, available=available))
else:
    root = None
    if focus is not None:
        if len(focus) >= 4 and focus[:4] in set(tree["heading"].dropna()):
            root = "hd" + focus[:4]
        elif focus[:2] in set(tree["chapter"]):
            root = "ch" + focus[:2]
    if root:
        st.caption(t("treemap_focus", lang, code=root[2:]))
    fig = charts.treemap_chart(
        tree,
        title=f"{t('treemap_title', lang)}, {year}",
        value_title=value_title,
        footnote=components.footnote(tree),
        root=root,
    )
    components.show_figure(fig, filename="balanza-products-treemap", key="treemap")

st.subheader(t("top_products", lang))
top_products = components.query_top_products(**series_filters, year=year)
top_products = top_products.assign(value_usd_m=top_products["value_usd"] / MILLION).drop(columns="value_usd")
top_products["description"] = products.describe_frame(top_products, lang)
top_products["denominator"] = t(
    "share_of_series",
    lang,
    flow=t(flow, lang).lower(),
    reporter=label_of(reporter),
    partner=label_of(partner),
    year=year,
)
top_products.insert(0, "year", year)
components.show_table(top_products, decimals={"value_usd_m": 1, "share_pct": 2})
components.download_csv_button(
    components.localized(top_products),
    filename="balanza-top-products.csv",
    source=i18n.publisher(source, lang),
    valuation="CIF" if flow == "import" else "FOB",
    units=t("usd_m", lang),
    filters={"series": series, "year": year},
)

st.subheader(t("top_movers", lang))
if len(years) == 1:
    st.info(t("one_year_only", lang))
elif year_from == year:
    st.info(t("movers_same_year", lang))
else:
    movers = components.query_top_movers(**series_filters, year_from=year_from, year_to=year)
    movers = movers.assign(change=movers["change_usd"] / MILLION)
    movers["description"] = products.describe_frame(movers, lang)
    fig = charts.movers_chart(
        movers,
        title=f"{t('top_movers', lang)}: {year_from} → {year}",
        x_title=f"{t('change', lang)} ({value_title})",
        footnote=components.footnote(movers.assign(source=source, year=year)),
    )
    components.show_figure(fig, filename="balanza-top-movers", key="movers")

url_state.sync_url([series_spec, *year_specs, query_spec])
components.page_links("products")
