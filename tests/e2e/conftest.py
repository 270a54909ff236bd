"""The end-to-end tests' shared fixtures: one dashboard (`streamlit run` on the bundled database) and one headless
Debian Chromium for the whole session; each module opens its own browser context (viewport, downloads)."""

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
