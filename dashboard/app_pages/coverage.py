"""Coverage: which series exist for which years, and where every dataset came from."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, components, i18n, url_state
from dashboard.i18n import t
from etl.schema import CHINA, COLOMBIA, UNITED_STATES, WORLD

lang = components.lang()
labels = components.country_labels()


def label_of(iso3: str) -> str:
    return labels.get(iso3, iso3)


st.title(t("coverage_title", lang))

involved = components.query_coverage_countries()
specs = [
    url_state.Param("country", url_state.CHOICE, COLOMBIA, tuple(involved) or (COLOMBIA,)),
    url_state.Param(
        "with", url_state.MULTI, [c for c in (CHINA, UNITED_STATES, WORLD) if c in involved], tuple(involved)
    ),
]
url_state.init_state(specs, lang)
left, right = st.columns(2)
country = left.selectbox(
    t("reporter", lang) + " / " + t("partner", lang), involved, key="country", format_func=label_of
)
counterparts = right.multiselect(t("partners", lang), involved, key="with", format_func=label_of)
url_state.sync_url(specs)

# Series between the chosen country and the chosen counterparts (either side reporting), in the years chosen
# with the same year control as the other time charts (kept in the URL as yr=from-to).
shown = components.query_coverage(country=country, counterparts=list(counterparts))
all_years = sorted({int(y) for y in shown["year"]}) or [components.DEFAULT_FIRST_YEAR]
year_from, year_to = components.year_range_widget(all_years[0], all_years[-1])
shown = shown[shown["year"].between(year_from, year_to)].reset_index(drop=True)
detail_names = {
    "totals": t("detail_total", lang),
    **{f"HS{n}": t("hs_digits", lang, n=n) for n in (2, 4, 6, 8, 10)},
}
if shown.empty:
    st.info(t("no_data", lang))
else:
    labelled = shown.assign(
        series=[
            f"{i18n.publisher(s, lang)} · {r}→{p} · {i18n.flow(f, lang)} · {detail_names.get(d, d)}"
            for s, r, p, f, d in zip(
                shown["source"],
                shown["reporter_iso3"],
                shown["partner_iso3"],
                shown["flow"],
                shown["detail"],
                strict=True,
            )
        ]
    )
    # Built once per database, language and data, shared by every session (read-only).
    fig = components.shared_figure(
        ("coverage", country),
        [labelled, shown],
        lambda: charts.coverage_heatmap(
            labelled,
            title=f"{t('coverage_title', lang)}: {label_of(country)}",
            footnote=components.footnote(shown, t("coverage_note", lang)),
            months=t("months", lang),
            x_title=t("year", lang),
        ),
    )
    components.show_figure(fig, filename="balanza-coverage", key="coverage_chart", finished=True)
st.caption(t("coverage_note", lang))
table = shown.assign(
    source=components.publisher_column(shown),
    flow=shown["flow"].map(lambda f: i18n.flow(f, lang)),
    detail=shown["detail"].map(lambda d: detail_names.get(d, d)),
)
components.show_table(table)
components.download_table(
    table,
    filename="balanza-coverage.csv",
    source=components.source_summary(shown),
    valuation="—",
    units=t("months_per_year", lang),
    filters={"country": country, "with": counterparts, "yr": f"{year_from}-{year_to}"},
)

st.subheader(t("datasets", lang))
datasets = components.query_datasets().drop(columns=["dataset_id", "path", "source"], errors="ignore")
# Vintage: loaded as a newer release of observations another file holds (balanza load --revision, fetch) or not.
datasets["vintage"] = datasets["vintage"].map(
    lambda revision: t("vintage_revision" if revision else "vintage_first", lang)
)
# The datasets' provenance is written in English in data/sources.toml: cited as it is, and said so.
datasets = datasets.rename(columns={"publisher": "publisher_cited", "description": "description_cited"})
components.show_table(datasets, key="datasets_table")
components.page_links("coverage")
