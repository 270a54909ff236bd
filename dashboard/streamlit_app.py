"""The frame: page config, the sidebar (language, chart download format) and navigation.

Run with ``streamlit run dashboard/streamlit_app.py`` (or ``balanza serve``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import components, url_state
from dashboard.i18n import LANGUAGES, t

LANGUAGE_NAMES = {"en": "English", "es": "Español"}

st.set_page_config(page_title="Balanza", page_icon=":material/balance:", layout="wide")
# The data grid's own toolbar "Download as CSV" would export text cells unneutralised (=HYPERLINK(…), @SUM(…)):
# hidden on every page. Each table has the page's own CSV download, which neutralises formulas.
st.set_option("client.disableDataExport", True)
# Served by `balanza serve`: results that depend only on the database are computed in the background, now
# and after every swap (tests and AppTest runs leave it off).
if components.warming_wanted():
    components.start_warming()

FRAME_PARAMS = [components.LANG, components.IMAGE_FORMAT]
url_state.init_state(FRAME_PARAMS)
with st.sidebar:
    st.selectbox(
        t("language", components.lang()), LANGUAGES, key="lang", format_func=LANGUAGE_NAMES.__getitem__
    )
    st.radio(
        t("image_format", components.lang()),
        ("png", "svg"),
        key="img",
        horizontal=True,
        format_func=str.upper,
    )
url_state.sync_url(FRAME_PARAMS)

lang = components.lang()
pages = [
    st.Page(
        "app_pages/overview.py",
        title=t("page_overview", lang),
        url_path="overview",
        default=True,
        icon=":material/dashboard:",
    ),
    st.Page(
        "app_pages/balances.py",
        title=t("page_balances", lang),
        url_path="balances",
        icon=":material/balance:",
    ),
    st.Page(
        "app_pages/products.py",
        title=t("page_products", lang),
        url_path="products",
        icon=":material/category:",
    ),
    st.Page(
        "app_pages/dependence.py",
        title=t("page_dependence", lang),
        url_path="dependence",
        icon=":material/percent:",
    ),
    st.Page(
        "app_pages/claims.py", title=t("page_claims", lang), url_path="claims", icon=":material/fact_check:"
    ),
    st.Page(
        "app_pages/scenarios.py",
        title=t("page_scenarios", lang),
        url_path="scenarios",
        icon=":material/tune:",
    ),
    st.Page(
        "app_pages/coverage.py",
        title=t("page_coverage", lang),
        url_path="coverage",
        icon=":material/grid_on:",
    ),
    st.Page("app_pages/data.py", title=t("page_data", lang), url_path="data", icon=":material/table:"),
]
st.navigation(pages).run()
