"""A 400-pixel-wide phone screen in a real headless Chromium: the pages with the longest texts (Claims and Scenarios,
in Spanish, whose sentences run longer than the English) scroll only downwards, and every chart title and footnote
stays inside its chart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian package chromium (apt-get install chromium)"
    ),
]
WIDTH = 400
WAIT = 240_000  # a cold server on a loaded 2-core machine: the first scenario run can take minutes

# Every chart's title and footnote (plotly's SVG text) against the chart's own box, in CSS pixels.
OVERFLOWING_TEXTS = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    if (box.width === 0) continue;  // a chart on a tab that is not shown
    for (const text of plot.querySelectorAll('.gtitle, .annotation-text')) {
      const r = text.getBoundingClientRect();
      if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1)) {
        out.push(`${text.textContent.slice(0, 80)} [${Math.round(r.left)}–${Math.round(r.right)} of ` +
                 `${Math.round(box.left)}–${Math.round(box.right)}]`);
      }
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def phone(server: str, chromium) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": WIDTH, "height": 900})
    yield context
    context.close()


@pytest.mark.parametrize(
    "page_name",
    [
        "overview",
        "balances",
        "products",
        "dependence",
        "peers",
        "data",
        "claims",
        "scenarios",
        "coverage",
    ],
)
def test_a_400_px_screen_scrolls_only_downwards_and_keeps_chart_texts_inside(
    server: str, phone, page_name: str
) -> None:
    page = phone.new_page()
    try:
        page.goto(f"{server}/{'' if page_name == 'overview' else page_name}?lang=es")
        page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=WAIT)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT
        )
        assert page.locator('[data-testid="stException"]').count() == 0
        page.wait_for_timeout(1500)  # plotly lays its texts out after the first frame
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{page_name}: the page is {width} px wide on a {WIDTH} px screen"
        assert page.evaluate(OVERFLOWING_TEXTS) == []
    finally:
        page.close()
