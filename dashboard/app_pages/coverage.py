"""Coverage: which series exist for which years, and where every dataset came from."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, components, url_state
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
    url_state.Param("with", url_state.MULTI, [c for c in (CHINA, UNITED_STATES, WORLD) if c in involved], tuple(involved)),
]
url_state.init_state(specs, lang)
left, right = st.columns(2)
country = left.selectbox(t("reporter", lang) + " / " + t("partner", lang), involved, key="country",
                         format_func=label_of)
counterparts = right.multiselect(t("partners", lang), involved, key="with", format_func=label_of)
url_state.sync_url(specs)

# Series between the chosen country and the chosen counterparts (either side reporting).
shown = components.query_coverage(country=country, counterparts=list(counterparts))
if shown.empty:
    st.info(t("no_data", lang))
else:
    fig = charts.coverage_heatmap(
        shown, title=f"{t('coverage_title', lang)}: {label_of(country)}",
        footnote=components.footnote(shown, t("coverage_note", lang)),
    )
    components.show_figure(fig, filename="balanza-coverage", key="coverage_chart")
st.caption(t("coverage_note", lang))
st.dataframe(shown, hide_index=True, width="stretch")
components.download_csv_button(
    shown, filename="balanza-coverage.csv", source=components.source_summary(shown), valuation="n/a",
    units="months covered per year", filters={"country": country, "with": counterparts},
)

st.subheader(t("datasets", lang))
st.dataframe(components.query_datasets(), hide_index=True, width="stretch")
components.page_links("coverage")
