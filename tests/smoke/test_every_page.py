"""The fast tier renders every page: each page of the navigation, in English and in Spanish, on the small bundle.

Not marked slow (tests/conftest.py): a page that raises, or loses what it exists to show, fails `make test-fast`.
The same tests run in CI on the lowest versions pyproject.toml allows (.ci/lowest). The deeper page tests
(downloads, URL state, languages, journeys) are in tests/app/ and tests/e2e/, on the full bundle.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.claims.specs import read_claims
from dashboard.i18n import LANGUAGES, t
from dashboard.scenarios.labels import text as scenario_text

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


def navigation() -> list[str]:
    """The page names of the frame's navigation table (streamlit_app.PAGES), read from its source: importing the
    frame would run it."""
    for node in ast.parse(APP.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            getattr(target, "id", "") == "PAGES" for target in node.targets
        ):
            return [name for name, _title, _icon in ast.literal_eval(node.value)]
    raise AssertionError(f"no PAGES table in {APP}")


PAGES = navigation()


@pytest.fixture(scope="module")
def small_env(small_bundle_db: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BALANZA_DB", str(small_bundle_db))
        yield small_bundle_db


def render(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = lang
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # the frame echoes the language into the URL (AppTest before Streamlit 1.6x gives a parameter as a list)
    assert at.query_params["lang"] in (lang, [lang])
    return at


def rows(at: AppTest) -> list[int]:
    """The number of rows of each table on the page."""
    return [len(getattr(table.value, "data", table.value)) for table in at.dataframe]


def title_is(at: AppTest, expected: str) -> None:
    assert [title.value for title in at.title][:1] == [expected]


def check_overview(at: AppTest, lang: str) -> None:
    title_is(at, t("page_overview", lang))
    # one card per partner (China, the US, the World), each with a balance: the small bundle has all three
    assert len(at.metric) == 3
    assert all(metric.value not in ("", "—") for metric in at.metric), [m.value for m in at.metric]
    assert at.get("plotly_chart")


def check_balances(at: AppTest, lang: str) -> None:
    title_is(at, t("page_balances", lang))
    assert rows(at) and rows(at)[0] > 0
    assert at.get("plotly_chart")


def check_products(at: AppTest, lang: str) -> None:
    title_is(at, t("page_products", lang))
    assert rows(at) and min(rows(at)) > 0
    assert at.get("plotly_chart")


def check_dependence(at: AppTest, lang: str) -> None:
    title_is(at, t("dependence_title", lang))
    assert rows(at) and rows(at)[0] > 0
    assert at.get("plotly_chart")


def check_claims(at: AppTest, lang: str) -> None:
    # the summary lists every claim of seeds/claims.toml, in the page's language
    specs = read_claims()
    summary = at.dataframe[0].value
    assert len(summary) == len(specs)
    assert list(summary.iloc[:, 1]) == [spec.text("summary", lang) for spec in specs]


def check_scenarios(at: AppTest, lang: str) -> None:
    title_is(at, scenario_text("title", lang))
    # the default preset computed: its headline figures and its tables
    assert len(at.metric) >= 4
    assert all(metric.value not in ("", "—") for metric in at.metric), [m.value for m in at.metric]
    assert rows(at) and max(rows(at)) > 0


def check_coverage(at: AppTest, lang: str) -> None:
    title_is(at, t("coverage_title", lang))
    assert rows(at) and rows(at)[0] > 0


def check_peers(at: AppTest, lang: str) -> None:
    title_is(at, t("peers_title", lang))
    # Colombia is ranked among its peers: a table of reporters (ISO3) that names Colombia and others
    reporters = [
        set(table[column])
        for table in (getattr(element.value, "data", element.value) for element in at.dataframe)
        for column in table.columns
        if "ISO3" in str(column)
    ]
    assert any("COL" in found and len(found) > 1 for found in reporters), reporters


def check_data(at: AppTest, lang: str) -> None:
    title_is(at, t("page_data", lang))
    assert rows(at) and rows(at)[0] > 0


CHECKS: dict[str, Callable[[AppTest, str], None]] = {
    "overview": check_overview,
    "balances": check_balances,
    "products": check_products,
    "dependence": check_dependence,
    "claims": check_claims,
    "scenarios": check_scenarios,
    "coverage": check_coverage,
    "data": check_data,
    "peers": check_peers,
}


def test_every_page_of_the_navigation_has_a_smoke_check() -> None:
    assert set(PAGES) == set(CHECKS), "add a check to CHECKS for each page of streamlit_app.PAGES"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(small_env: Path, page: str, lang: str) -> None:
    check = CHECKS.get(page)
    assert check is not None, f"no smoke check for page {page!r}: add one to CHECKS"
    check(render(page, lang), lang)
