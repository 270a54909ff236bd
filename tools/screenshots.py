"""The README's screenshots, taken in headless Chromium from the bundled database: `make screenshots`.

Writes docs/img/*.png (tracked files); no test calls this.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.browser import ROOT, launch_chromium, streamlit_server

# (file name, page path with its query, viewport width, height, heading to scroll to or "" for the top)
SHOTS = (
    ("balances.png", "balances?partners=CHN,USA,WLD&lang=en", 1400, 1250, ""),
    ("balanzas-es.png", "balances?partners=CHN,USA,WLD&lang=es", 1400, 1250, ""),
    ("resumen-es.png", "?lang=es", 1400, 1000, ""),
    ("products.png", "products?lang=en", 1400, 1250, ""),
    # the explore journey's answer: what grew fastest since 2019, in %
    ("productos-crecimiento-es.png", "products?lang=es&year=2024&from=2019", 1400, 1250, "Lo que más creció"),
    ("claims.png", "claims?lang=en", 1400, 1250, ""),
    ("scenarios.png", "scenarios?lang=en", 1400, 1250, ""),
    ("escenarios-es.png", "scenarios?lang=es", 1400, 1000, ""),
    ("balances-narrow.png", "balances?partners=CHN,USA,WLD&lang=es", 400, 1400, ""),
)


def take(db: Path, out: Path, names: list[str] | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with streamlit_server(db) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for name, path, width, height, heading in SHOTS:
                if names and name not in names:
                    continue
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{url}/{path}")
                page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=240_000)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=240_000
                )
                if heading:
                    page.get_by_role("heading", name=heading).first.scroll_into_view_if_needed()
                page.wait_for_timeout(2500)  # plotly's layout transitions
                target = out / name
                page.screenshot(path=str(target))
                page.close()
                written.append(target)
                print(
                    f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {target.stat().st_size:,} bytes"
                )
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "balanza.duckdb")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("names", nargs="*", help="only these files (default: all)")
    args = parser.parse_args(argv)
    take(args.db, args.out, args.names or None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
