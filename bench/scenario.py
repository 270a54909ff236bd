"""Scenario engine benchmark: the all-products run over every HS10 line and partner in the bundled data.

Times, on the real US imports for consumption 2024 (≈209,000 line × partner rows):
  - one central run: new tariffs + SMART effects + totals by partner (target ≤ 100 ms);
  - the full result the page shows: central run, nine sensitivity runs, tables by partner/chapter/line;
  - loading the market from DuckDB (done once and cached by the page).

    .venv/bin/python bench/scenario.py [--db PATH] [--repeat 30]

Without --db it uses $BALANZA_DB or data/balanza.duckdb, and builds a temporary copy from
data/sources.toml when that file is missing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import settings  # noqa: E402
from etl.db import connect_read_only  # noqa: E402
from model.market import prefix_product_mask  # noqa: E402
from model.scenario import load_market, resolve_exemptions, row_eta, run_tariff  # noqa: E402
from model.smart import smart_effects  # noqa: E402
from model.spec import parse_spec, preset_path  # noqa: E402
from model.tariff_changes import new_tariffs  # noqa: E402

TARGET_MS = 100.0
PRESETS = ("us_10pct_everyone", "us_10pct_baseline_april_2025", "colombia_10pp_more")


def timed(function, repeat: int) -> list[float]:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - start))
    return times


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(times):7.1f} ms  min {ordered[0]:7.1f}  p95 {p95:7.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    db = settings.db_path(args.db)
    if not db.exists():
        from etl.build import build_database

        db = Path(tempfile.mkdtemp(prefix="balanza-bench-")) / "balanza.duckdb"
        print(f"building {db} from {settings.MANIFEST_PATH} …")
        build_database(db, manifest=settings.MANIFEST_PATH, progress=False)
    con = connect_read_only(db)
    load_times = timed(lambda: load_market(con, "USA", 2024), 3)
    market = load_market(con, "USA", 2024)
    print(f"market: {market.rows:,} rows (HS10 line × partner), {market.products.size:,} lines, "
          f"{market.partners.size} partners, USD {market.imports.sum() / 1e12:,.3f} trillion")  # fmt: skip
    print(f"load market from DuckDB        {describe(load_times)}")
    worst = 0.0
    for name in PRESETS:
        spec = parse_spec(preset_path(name).read_text())
        exemptions = resolve_exemptions(con, spec.exemptions)
        exempt = prefix_product_mask(market.products, exemptions) if exemptions else None
        eta = row_eta(market, spec)

        def central(spec=spec, exempt=exempt, eta=eta) -> None:  # noqa: ANN001
            t1 = new_tariffs(market, spec.tariff_changes, exempt)
            effects = smart_effects(market.imports, market.t0, t1, market.product_index, eta,
                                    spec.elasticities.substitution, spec.elasticities.supply)  # fmt: skip
            np.bincount(market.partner_index, effects.total_change, market.partners.size)

        central_times = timed(central, args.repeat)
        full_times = timed(
            lambda spec=spec, exemptions=exemptions: run_tariff(spec, market, exemptions),
            max(5, args.repeat // 3),
        )
        worst = max(worst, statistics.median(central_times))
        print(f"{name:30s} central run    {describe(central_times)}")
        print(f"{'':30s} with band+tables {describe(full_times)}")
    con.close()
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"slowest central run (median): {worst:.1f} ms — {verdict} the {TARGET_MS:.0f} ms target")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
