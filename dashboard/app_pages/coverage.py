"""Coverage: which series exist for which years, and where every dataset came from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, components, downloads, i18n, time_charts, url_state
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
    t("reporter", lang) + " / " + t("partner", lang),
    involved,
    key="country",
    format_func=label_of,
    placeholder=t("choose_one", lang),
)
counterparts = right.multiselect(
    t("partners", lang), involved, key="with", format_func=label_of,
    placeholder=t("choose_many", lang), select_all=False,
)  # fmt: skip
url_state.sync_url(specs)

# Series between the chosen country and the chosen counterparts (either side reporting), in the years chosen
# with the same year control as the other time charts (kept in the URL as yr=from-to).
shown = components.query_coverage(country=country, counterparts=list(counterparts))
all_years = sorted({int(y) for y in shown["year"]}) or [time_charts.DEFAULT_FIRST_YEAR]
year_from, year_to = time_charts.year_range_widget(all_years[0], all_years[-1])
shown = shown[shown["year"].between(year_from, year_to)].reset_index(drop=True)
detail_names = {
    "totals": t("detail_total", lang),
    **{f"HS{n}": t("hs_digits", lang, n=n) for n in (2, 4, 6, 8, 10)},
}
if shown.empty:
    st.info(t("no_data", lang))
else:
    labelled = shown.assign(  # two short lines per row: what flows where, then who publishes it at what detail
        series=[
            f"{r}→{p} · {i18n.flow(f, lang)}<br>{i18n.short_publisher(s, lang)} · {detail_names.get(d, d)}"
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
downloads.download_table(
    table,
    filename="balanza-coverage.csv",
    source=components.source_summary(shown),
    valuation="—",
    units=t("months_per_year", lang),
    filters={"country": country, "with": counterparts, "yr": f"{year_from}-{year_to}"},
)

st.subheader(t("datasets", lang))
loaded = components.query_datasets()
# Each dataset in plain words: its series (the publisher, in the page's language), and its provenance as the data
# manifest words it, in English, cited and said so; file names, paths and commits stay in the download.
datasets = pd.DataFrame(
    {
        "series": [i18n.publisher(s, lang) if isinstance(s, str) else t("reference_table", lang)
                   for s in loaded["source"]],
        "publisher_cited": loaded["publisher"].map(i18n.without_file_names),
        "description_cited": loaded["description"].map(i18n.without_file_names),
        "licence_cited": loaded["licence"].map(i18n.without_file_names),
        "row_count": loaded["row_count"],
        "loaded_at": loaded["loaded_at"],
        # Vintage: loaded as a newer release of observations another file holds (balanza load --revision, fetch)
        "vintage": loaded["vintage"].map(lambda revision: t("vintage_revision" if revision else "vintage_first", lang)),
        "revises_rows": loaded["revises_rows"],
        "superseded_rows": loaded["superseded_rows"],
    }
)  # fmt: skip
components.show_table(datasets, key="datasets_table")
downloads.download_table(
    components.localized(loaded.drop(columns=["dataset_id"], errors="ignore")),
    filename="balanza-datasets.csv", source=t("data_manifest", lang), valuation="—", units="—",
    filters={}, key="datasets_csv",
)  # fmt: skip
components.page_links("coverage")
