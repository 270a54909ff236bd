"""The frame: page config, the sidebar (language, chart download format) and navigation.

Run with ``streamlit run dashboard/streamlit_app.py`` (or ``balanza serve``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import components, downloads, shared_results, trace, url_state
from dashboard.i18n import LANGUAGES, t
from etl import settings

LANGUAGE_NAMES = {"en": "English", "es": "Español"}

st.set_page_config(page_title="Balanza", page_icon=":material/balance:", layout="wide")
# The data grid's own toolbar "Download as CSV" would export text cells unneutralised (=HYPERLINK(…), @SUM(…)):
# hidden on every page. Each table has the page's own CSV download, which neutralises formulas.
st.set_option("client.disableDataExport", True)
# The process's serving machinery (dashboard/runtime.py; cheap once started): the shared-table patch, and when
# served by `balanza serve` the thread that computes the shared results now and after every database swap
# (tests and AppTest runs leave it off).
components.RUNTIME.start(warm=shared_results.warm if settings.WARM.get() == "1" else None)

FRAME_PARAMS = [components.LANG, components.IMAGE_FORMAT]
url_state.init_state(FRAME_PARAMS)
with st.sidebar:
    st.selectbox(
        t("language", components.lang()),
        LANGUAGES,
        key="lang",
        format_func=LANGUAGE_NAMES.__getitem__,
        placeholder=t("choose_one", components.lang()),
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
# (page file and URL path, title key, icon), in the navigation's order; the first is the default page.
PAGES = [
    ("overview", "page_overview", ":material/dashboard:"),
    ("balances", "page_balances", ":material/balance:"),
    ("products", "page_products", ":material/category:"),
    ("dependence", "page_dependence", ":material/percent:"),
    ("peers", "page_peers", ":material/public:"),
    ("claims", "page_claims", ":material/fact_check:"),
    ("scenarios", "page_scenarios", ":material/tune:"),
    ("coverage", "page_coverage", ":material/grid_on:"),
    ("data", "page_data", ":material/table:"),
]
pages = [
    st.Page(f"app_pages/{name}.py", title=t(title, lang), url_path=name, icon=icon, default=index == 0)
    for index, (name, title, icon) in enumerate(PAGES)
]
page = st.navigation(pages)
components.start_page_slides()  # the page's charts and tables, for its slide deck
with trace.page_run(f"{page.url_path or PAGES[0][0]} ({lang})"):  # BALANZA_TRACE=1: the run's queries, logged
    page.run()
with st.sidebar:
    downloads.page_slides_button(question=page.title, page=page.url_path)
