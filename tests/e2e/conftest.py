"""The end-to-end tests' shared fixtures: one dashboard (`streamlit run` on the bundled database) and one headless
Debian Chromium for the whole session; a desktop browser context per module (pages at 1,400 px, downloads
accepted; a module that needs another viewport opens its own), and ``ready``, which waits for a page to finish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.browser import launch_chromium, streamlit_server


@pytest.fixture(scope="session")
def server(bundled_db: Path) -> Iterator[str]:
    """The dashboard's base URL, served from the bundled test database."""
    with streamlit_server(bundled_db) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """A launched headless Chromium (a Playwright Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


WAIT = 240_000  # ms: a cold server on a loaded 2-core machine: the first scenario run can take minutes


@pytest.fixture(scope="module")
def context(server: str, chromium) -> Iterator[object]:
    """A 1,400-px desktop browser context that accepts downloads."""
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1100})
    yield context
    context.close()


def ready(page) -> None:
    """Wait until the page has drawn a chart and finished running, and check it shows no exception."""
    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=WAIT)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT)
    assert page.locator('[data-testid="stException"]').count() == 0
