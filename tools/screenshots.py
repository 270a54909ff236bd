"""The README's screenshots, taken in headless Chromium from the bundled database: `make screenshots`.

Writes docs/img/*.png (tracked files); no test calls this. Besides the pages: the Scenarios page's comparison
of three presets in Spanish (scrolled to Colombia's table) and its HTML report at 400 and 1400 px.
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


# Three tariff presets saved for comparison, in Spanish: what an analyst presents (issue 21).
COMPARED = ("us_august_2025_country_rates", "colombia_10pp_more", "us_10pct_everyone")
# (file name, viewport width): the report of the same comparison, made offline from the database.
REPORT_SHOTS = (("informe-escenarios-400.png", 400), ("informe-escenarios-1400.png", 1400))


def comparison_link() -> str:
    """The Scenarios page's query with the three presets saved (the first one current), in Spanish."""
    from model.scenario_link import encode_scenario_set
    from model.spec import parse_spec, preset_path, spec_to_dict

    docs = [spec_to_dict(parse_spec(preset_path(name).read_text(encoding="utf-8"))) for name in COMPARED]
    return f"scenarios?lang=es&sc={encode_scenario_set({'current': docs[0], 'saved': docs})}"


def comparison_report(db: Path) -> str:
    """The HTML report of the three presets, in Spanish, as the page's report button makes it."""
    from dashboard.scenarios.report import comparison_report_html
    from etl.db import connect_read_only
    from model.scenario import run_scenario
    from model.spec import parse_spec, preset_path

    con = connect_read_only(db)
    try:
        results = [
            run_scenario(parse_spec(preset_path(n).read_text(encoding="utf-8")), con) for n in COMPARED
        ]
        names = dict(con.execute("SELECT iso3, coalesce(name_es, name_en) FROM countries").fetchall())
    finally:
        con.close()
    return comparison_report_html(results, country_names=names, lang="es", view_url=comparison_link())


def _print(target: Path) -> None:
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    print(f"{shown}: {target.stat().st_size:,} bytes")


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
            if not names or "escenarios-colombia.png" in names:
                page = browser.new_page(viewport={"width": 1400, "height": 1100})
                page.goto(f"{url}/{comparison_link()}")
                heading = page.get_by_text(
                    "Exportaciones de Colombia a EE. UU., antes y después de cada escenario"
                )
                heading.wait_for(timeout=300_000)
                page.wait_for_timeout(2500)
                heading.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -80)")
                target = out / "escenarios-colombia.png"
                page.screenshot(path=str(target))
                page.close()
                written.append(target)
                _print(target)
            report = comparison_report(db) if not names or any(n in names for n, _ in REPORT_SHOTS) else ""
            for name, width in REPORT_SHOTS:
                if names and name not in names:
                    continue
                page = browser.new_page(viewport={"width": width, "height": 1100})
                page.set_content(report, wait_until="load")
                target = out / name
                page.screenshot(path=str(target))
                page.close()
                written.append(target)
                _print(target)
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
