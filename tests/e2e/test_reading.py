"""Every page read in Spanish in a real headless Chromium, on a 1,400-pixel and a 400-pixel screen: no headline
number is cut off (a metric's text wider than its box), no two texts of a chart overlap (titles, axis titles, tick
labels, legend entries, bar labels, annotations), and there is no Deploy button.

The claim cards are opened first: their charts sit in folded details.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
PAGES = ("overview", "balances", "products", "dependence", "peers", "claims", "scenarios", "coverage", "data")
WIDTHS = (1400, 400)

# A metric's value or change (and the elements inside them) whose text is wider than its box: the browser cuts
# it ("…").
CUT_NUMBERS = """() => [...document.querySelectorAll(
    '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] *')]
  .filter(e => e.getBoundingClientRect().width > 0 && e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.textContent} (${e.scrollWidth} px in ${e.clientWidth} px)`)"""

# Within each chart, every pair of text elements whose boxes overlap by more than 2 px both ways.
OVERLAPPING_TEXTS = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    if (plot.getBoundingClientRect().width === 0) continue;  // a chart on a tab that is not shown
    const boxes = [...plot.querySelectorAll('text')]
      .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
      .map(t => [t, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i], [b, rb] = boxes[j];
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 2 && y > 2) out.push(`“${a.textContent.slice(0, 40)}” over “${b.textContent.slice(0, 40)}”`);
      }
    }
  }
  return out;
}"""


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def screen(request: pytest.FixtureRequest, server: str, chromium) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": request.param, "height": 1000})
    yield context
    context.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_numbers_are_whole_and_chart_texts_apart(server: str, screen, page_name: str) -> None:
    page = screen.new_page()
    try:
        page.goto(f"{server}/{'' if page_name == 'overview' else page_name}?lang=es")
        ready(page)
        if page_name == "claims":  # open every card's details: their charts are drawn only when shown
            for summary in page.locator('[data-testid="stExpander"] summary').all():
                summary.click()
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT
            )
        page.wait_for_timeout(2000)  # plotly lays its texts out after the first frame
        assert page.locator('[data-testid="stMetricValue"]').count() > 0 or page_name not in (
            "overview",
            "scenarios",
        )
        assert page.evaluate(CUT_NUMBERS) == []
        assert page.evaluate(OVERLAPPING_TEXTS) == []
        assert page.locator('[data-testid="stAppDeployButton"]').count() == 0  # client.toolbarMode = "viewer"
        assert page.get_by_text("Deploy", exact=True).count() == 0
    finally:
        page.close()
