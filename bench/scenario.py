"""Scenario engine benchmark: the model over every HS10 line and partner in the bundled data, and `balanza scenario`
end to end, each beside a floor measured in the same run.

On the real US imports for consumption 2024 (≈206,600 line × partner rows once the EU's members are left out):
  - in process: loading the market from DuckDB; one central run (new tariffs + the model in levels + totals by
    partner); the full result the page shows (central run, four band runs, tables, effective rates, every line);
    floor: one plain NumPy pass over the same arrays (a power, a product and a bincount);
  - end to end: `balanza scenario PRESET` as a new process (Python start-up, imports, DuckDB, the run, JSON on
    stdout), without and with `--lines` (the full result by line); floors: `python -c "import duckdb"` and
    `python -c "import duckdb, numpy, pandas"` (the libraries any run must load).
Wall-clock and CPU (user + system of the child process) are both printed: on a shared machine the wall clock
swings with the load, CPU time much less; the ratio to the floor is what compares across runs.

    .venv/bin/python bench/scenario.py [--db PATH] [--repeat 15] [--processes 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
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
from model.scenario import (  # noqa: E402
    load_market,
    resolve_exemptions,
    resolve_lists,
    row_eta,
    row_sigma_range,
    run_tariff,
)
from model.smart import smart_effects  # noqa: E402
from model.spec import PRESETS_DIR, parse_spec  # noqa: E402
from model.tariff_changes import new_tariffs  # noqa: E402

CENTRAL_TARGET_MS = 100.0
END_TO_END_TARGET_MS = 1000.0
PRESETS = ("us_10pct_everyone", "colombia_10pp_more", "us_august_2025_country_rates")
CLI_PRESET = "colombia_10pp_more"


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
    return f"median {statistics.median(times):8.1f} ms  min {ordered[0]:8.1f}  p95 {p95:8.1f}"


def process_times(command: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) milliseconds of `command` run `repeat` times as a new process."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        )
        walls.append(1000 * (time.perf_counter() - start))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(1000 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)))
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--processes", type=int, default=5, help="runs of each end-to-end command")
    args = parser.parse_args()
    db = settings.db_path(args.db)
    if not db.exists():
        from etl.build import build_database

        db = Path(tempfile.mkdtemp(prefix="balanza-bench-")) / "balanza.duckdb"
        print(f"building {db} from {settings.MANIFEST_PATH} …")
        build_database(db, manifest=settings.MANIFEST_PATH, progress=False)
    print(
        f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    con = connect_read_only(db)
    load_times = timed(lambda: load_market(con, "USA", 2024), 3)
    market = load_market(con, "USA", 2024)
    print(f"market: {market.rows:,} rows (HS10 line × partner), {market.products.size:,} lines, "
          f"{market.partners.size} partners, USD {market.imports.sum() / 1e12:,.3f} trillion")  # fmt: skip
    print(f"load market from DuckDB          {describe(load_times)}")

    t0 = market.t0
    eta_rows = market.product_eta[market.product_index]

    def floor() -> None:
        ratio = (1.0 + t0 + 0.1) / (1.0 + t0)
        np.bincount(market.partner_index, market.imports * np.power(ratio, eta_rows), market.partners.size)

    floor_times = timed(floor, args.repeat)
    print(f"floor: one NumPy pass            {describe(floor_times)}")
    worst = 0.0
    for name in PRESETS:
        spec = parse_spec((PRESETS_DIR / f"{name}.json").read_text())
        exemptions = resolve_exemptions(con, spec.exemptions)
        lists, rates = resolve_lists(con, spec)
        exempt = prefix_product_mask(market.products, exemptions) if exemptions else None
        eta = row_eta(market, spec)
        sigma = row_sigma_range(market, spec)[0]

        def central(spec=spec, exempt=exempt, eta=eta, sigma=sigma, lists=lists, rates=rates) -> None:  # noqa: ANN001
            t1 = new_tariffs(market, spec.tariff_changes, exempt, lists, rates)
            effects = smart_effects(
                market.imports, t0, t1, market.product_index, eta, sigma, spec.elasticities.supply
            )
            np.bincount(market.partner_index, effects.total_change, market.partners.size)

        central_times = timed(central, args.repeat)
        full_times = timed(
            lambda spec=spec, exemptions=exemptions, lists=lists, rates=rates: run_tariff(
                spec, market, exemptions, lists=lists, rates=rates
            ),
            max(3, args.repeat // 3),
        )
        worst = max(worst, statistics.median(central_times))
        print(
            f"{name:32s} central   {describe(central_times)}  ({statistics.median(central_times) / statistics.median(floor_times):.1f}× floor)"
        )
        print(f"{'':32s} full run  {describe(full_times)}")
    con.close()

    python = sys.executable
    cli = [python, "-m", "balanza", "scenario", CLI_PRESET, "--db", str(db)]
    commands = [
        ('python -c "import duckdb"', [python, "-c", "import duckdb"]),
        ('python -c "import duckdb, numpy, pandas"', [python, "-c", "import duckdb, numpy, pandas"]),
        (f"balanza scenario {CLI_PRESET}", cli),
        (f"balanza scenario {CLI_PRESET} --lines", [*cli, "--lines", "--indent", "0"]),
    ]
    print(f"end to end, {args.processes} processes each (wall / CPU):")
    results = {}
    for label, command in commands:
        walls, cpus = process_times(command, args.processes)
        results[label] = (statistics.median(walls), statistics.median(cpus))
        print(f"  {label:48s} wall {describe(walls)}   CPU median {statistics.median(cpus):7.1f} ms")
    floor_wall, floor_cpu = results['python -c "import duckdb, numpy, pandas"']
    run_wall, run_cpu = results[f"balanza scenario {CLI_PRESET}"]
    print(f"balanza scenario over the import floor: wall {run_wall / floor_wall:.2f}×, CPU {run_cpu / floor_cpu:.2f}×; "
          f"above it: wall {run_wall - floor_wall:.0f} ms, CPU {run_cpu - floor_cpu:.0f} ms")  # fmt: skip
    central_ok = worst <= CENTRAL_TARGET_MS
    e2e_ok = run_wall <= END_TO_END_TARGET_MS
    print(f"slowest central run (median): {worst:.1f} ms — {'meets' if central_ok else 'MISSES'} the "
          f"{CENTRAL_TARGET_MS:.0f} ms target")  # fmt: skip
    print(f"balanza scenario end to end (median wall): {run_wall:.0f} ms — {'meets' if e2e_ok else 'MISSES'} the "
          f"{END_TO_END_TARGET_MS:.0f} ms target (CPU {run_cpu:.0f} ms)")  # fmt: skip
    return 0 if central_ok and e2e_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
