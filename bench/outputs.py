"""What the analyst carries out, timed on the bundled database: the report, the slide deck and the spreadsheets
of a comparison of three tariff scenarios and a purchase scenario, each beside a floor measured in the same run.

  - the HTML report: its size and the time to write it (it was 4.9 MB with plotly.js inline);
  - the slide deck: chart images rendered by kaleido with the machine's Chromium (browser start-up and per
    chart), the .pptx written around them; floor: the same deck with no images (python-pptx alone);
  - the spreadsheets of the full by-partner table and of a 20,000-row slice of the line table: the Spanish CSV
    and the workbook; floor: pandas' own ``to_csv`` of the same rows.

    .venv/bin/python bench/outputs.py [--db PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import deck  # noqa: E402
from dashboard.csv_export import TableFile, csv_bytes  # noqa: E402
from dashboard.scenarios import tables  # noqa: E402
from dashboard.scenarios.report import comparison_report_html  # noqa: E402
from dashboard.scenarios.slides import scenario_deck  # noqa: E402
from dashboard.xlsx_export import to_xlsx_bytes  # noqa: E402
from etl import settings  # noqa: E402
from etl.db import connect_read_only  # noqa: E402
from model.scenario import run_scenario  # noqa: E402
from model.spec import PRESETS_DIR, parse_spec  # noqa: E402

PRESETS = ("us_august_2025_country_rates", "colombia_10pp_more", "us_10pct_everyone", "china_buys_more")


def timed(label: str, work, floor: float | None = None):
    start = time.perf_counter()
    value = work()
    seconds = time.perf_counter() - start
    ratio = f"  ({seconds / floor:.1f}x the floor)" if floor else ""
    print(f"{label:<58} {seconds:8.2f} s{ratio}")
    return value, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=settings.db_path())
    args = parser.parse_args(argv)
    con = connect_read_only(args.db)
    results = [run_scenario(parse_spec((PRESETS_DIR / f"{n}.json").read_text()), con) for n in PRESETS]
    names = {
        str(r[0]): str(r[1])
        for r in con.execute("SELECT iso3, coalesce(name_es, name_en) FROM countries").fetchall()
    }
    labels = {k: f"{v} ({k})" for k, v in names.items()}

    page, _ = timed(
        "report (HTML, 4 scenarios, es)",
        lambda: comparison_report_html(results, country_names=names, lang="es"),
    )
    print(f"{'  report size':<58} {len(page.encode()):8,} bytes")

    outline = scenario_deck(results, names, labels, "es")
    charts = [s.figure for s in outline.slides if isinstance(s, deck.ChartSlide)]
    none = deck.Rendered([None] * len(charts), "-")
    _, floor = timed(
        "deck without images (python-pptx alone: the floor)", lambda: deck.build_deck(outline, none)
    )
    _, start_one = timed(
        "render 1 chart (browser start-up + 1 chart)", lambda: deck.render_images(charts[:1])
    )
    rendered, all_charts = timed(
        f"render {len(charts)} charts, one browser", lambda: deck.render_images(charts)
    )
    print(f"{'  per further chart':<58} {(all_charts - start_one) / max(1, len(charts) - 1):8.2f} s")
    if rendered.problem:
        print(f"  renderer problem: {rendered.problem}")
    data, _ = timed("deck with the rendered images", lambda: deck.build_deck(outline, rendered), floor)
    print(f"{'  deck size':<58} {len(data):8,} bytes")

    for label, frame in (
        ("by partner", results[1].by_partner),
        ("20,000 lines", results[1].lines.head(20_000)),
    ):
        shown, places = tables.export_frame(frame, "es", millions=label == "by partner")
        table = TableFile(shown, "s", "v", "u", {}, "", "es", decimals=places)
        _, pandas_floor = timed(
            f"pandas to_csv, {label} ({len(shown):,} rows): the floor", lambda s=shown: s.to_csv()
        )
        timed(f"Spanish CSV, {label}", lambda t=table: csv_bytes(t), pandas_floor)
        timed(f"workbook (.xlsx), {label}", lambda t=table: to_xlsx_bytes(t), pandas_floor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
