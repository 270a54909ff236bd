"""Main journeys in a real headless Chromium against `streamlit run`:

- Claims: open a card, follow its "reproduce" link to Balances, and see the claim's numbers there (never a
  silent "no data").
- Scenarios: build two scenarios (a preset and an edited one), compare them, get the HTML report through the
  page (the bytes the report button serves) and open it in a new page: it starts with its summary, and its link
  reproduces the exact view.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

from model.scenario_link import decode_scenario_set
from tests.e2e.conftest import ready
from tools.browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian package chromium (apt-get install chromium)"
    ),
]
WAIT = 240_000  # a cold server on a loaded 2-core machine: the first scenario run can take minutes


def test_claims_open_a_card_and_reproduce_it_on_balances(server: str, context) -> None:
    page = context.new_page()
    try:
        page.goto(f"{server}/claims")
        ready(page)
        # open claim 1's card from the claim picker
        page.get_by_label("Claim").first.click()
        page.get_by_role("option", name=re.compile(r"^1\. ")).click()
        page.wait_for_url(re.compile(r"claim=1"), timeout=WAIT)
        ready(page)
        assert page.get_by_text("$14 billion", exact=False).count() >= 1
        page.get_by_role("link", name=re.compile("Reproduce on the Balances page")).click()
        page.wait_for_url(re.compile(r"/balances\?.*partners=CHN"), timeout=WAIT)
        ready(page)
        assert page.get_by_role("heading", name="Balances").count() >= 1
        # the claim's numbers are on screen: the balance chart and the split chart, with the claim line
        assert page.get_by_text("No data for this selection", exact=False).count() == 0
        page.get_by_text("China, the United States and the rest of the world", exact=False).first.wait_for(
            timeout=WAIT
        )
        assert page.locator(".js-plotly-plot").count() >= 3
        assert page.get_by_text("claim 1: deficit with China of USD 14 bn", exact=False).count() >= 1
    finally:
        page.close()


def _select(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box ``label`` the way a keyboard user does: type it, press Enter."""
    box = page.get_by_role("combobox", name=label).first
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).first.wait_for(timeout=WAIT)
    page.keyboard.press("Enter")


def test_scenarios_build_two_compare_and_open_the_report(server: str, context) -> None:
    page = context.new_page()
    try:
        page.goto(f"{server}/scenarios")
        ready(page)
        # 1: the default preset, saved
        page.get_by_role("button", name=re.compile(r"^Save “Colombia faces 10 points")).click()
        page.get_by_role("button", name="Remove").first.wait_for(timeout=WAIT)
        # 2: another preset, loaded and saved
        _select(page, "Presets", "US 10% on everyone")
        page.get_by_role("button", name="Load preset").click()
        page.get_by_role("heading", name="US 10% on everyone").wait_for(timeout=WAIT)
        page.get_by_role("button", name=re.compile(r"^Save “US 10% on everyone")).click()
        page.get_by_text("Tariff scenarios (USD million)").wait_for(timeout=WAIT)
        ready(page)
        # the comparison: one panel per scenario, both names on it
        comparison = (
            page.locator(".js-plotly-plot")
            .filter(has_text="US 10% on everyone")
            .filter(has_text="Colombia faces 10 points more")
        )
        comparison.first.wait_for(state="attached", timeout=WAIT)
        assert comparison.count() >= 1
        state = decode_scenario_set(urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["sc"][0])
        assert [d["name"] for d in state["saved"]] == [
            "Colombia faces 10 points more than its competitors",
            "US 10% on everyone",
        ]
        # the report: the bytes the report button serves, fetched through the page, opened in a new page
        with page.expect_request(re.compile(r"/media/.*")) as request_info:
            page.get_by_role("button", name="HTML report").click()
        report_url = request_info.value.url
        response = context.request.get(report_url)
        assert response.ok, response.status
        html = response.text()
        assert "<html" in html and "US 10% on everyone" in html and "Colombia faces 10 points more" in html
        report = context.new_page()
        try:
            report.set_content(html, wait_until="load")
            report.locator(".summary").wait_for(timeout=WAIT)  # it opens with the summary, not a link
            href = report.locator("a[href^='scenarios?']").first.get_attribute("href")
        finally:
            report.close()
        assert href  # relative (no BALANZA_PUBLIC_URL here): resolved against the dashboard it came from
        link = urllib.parse.urljoin(f"{server}/scenarios", href)
        assert urllib.parse.urlsplit(link).path.endswith("/scenarios")
        # the report's link reproduces the exact view: the same two saved scenarios
        again = context.new_page()
        try:
            again.goto(link)
            ready(again)
            again.get_by_text("Tariff scenarios (USD million)").wait_for(timeout=WAIT)
            again_state = decode_scenario_set(
                urllib.parse.parse_qs(urllib.parse.urlsplit(again.url).query)["sc"][0]
            )
            assert again_state == state
        finally:
            again.close()
    finally:
        page.close()
