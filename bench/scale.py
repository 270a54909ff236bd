"""Scale benchmark: what a load and each dashboard page cost as the trade table grows (bundled, 5 M, 50 M rows).

    .venv/bin/python bench/scale.py [--sizes 5000000,50000000] [--cache /tmp/balanza-scale] [--repeat 3]
                                    [--load-rows 100000] [--skip-pages] [--skip-loads]

The larger databases are the bundled database (real reference tables and real trade rows, built by
`make build`) plus generated HS6 rows in the stored layout (etl/store/): one Parquet file per generated
reporter, 20 reporters × 49 partners × 2 flows × 1960–1999 × as many HS6 codes as the size needs, source
`comtrade`, values a fixed hash of the key (deterministic). They are generated once into --cache and reused. The numbers
are synthetic and only ever used here.

Load: `balanza load` of a generated 100,000-row Comtrade+ CSV (bench/ingest.py's generator; years 2000–2024,
so it overlaps nothing) into a fresh copy of each database (the copy is made before the clock starts), in a
subprocess, --repeat times; median wall time and CPU time (user + system), and their ratios to the same load
into the bundled database.
Target (issue 14): ≤ 1.3× at ~50 M rows.

Pages: each page's server-side run time with streamlit's AppTest (bench/pages.py's timing frame), cold (the
shared results cleared: the first visitor after a swap) and warm, median of --repeat runs.

Figures move with the load of the machine; compare rows measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl import settings, store  # noqa: E402
from etl.schema import SCHEMA_VERSION  # noqa: E402

BALANZA = Path(sys.executable).with_name("balanza")
BULK_DATASET_ID = 9_000_001
BULK_YEARS = range(1960, 2000)
BULK_REPORTERS = 20
BULK_PARTNERS = 50
PAGE_PARAMS = {
    "overview": {},
    "balances": {"partners": "CHN,USA,WLD", "view": "reporter"},
    "products": {"series": "USA:COL:import:us_census_consumption", "q": "coffee"},
    "dependence": {"partners": "CHN,USA"},
    "claims": {},
    "scenarios": {},
    "coverage": {"country": "COL", "with": "CHN,USA,WLD"},
    "data": {
        "source": "comtrade",
        "reporter": "COL",
        "partner": "CHN",
        "flow": "export",
        "level": "6",
        "from": "1990",
        "to": "2024",
    },
}


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scaled_database(bundled: Path, rows: int, cache: Path) -> tuple[Path, float]:
    """The bundled database plus generated rows up to ``rows`` trade rows, in the stored layout (etl.store):
    the bundled files copied beside it, and one Parquet file per generated reporter (a dataset each).
    Returns (path, seconds spent generating; 0 when reused)."""
    path = cache / f"balanza-{rows}.duckdb"
    if path.exists():
        con = duckdb.connect(str(path), read_only=True)
        try:
            current = store.catalogue_version(con) == str(SCHEMA_VERSION)
            have = con.execute("SELECT count(*) FROM trade").fetchone()[0] if current else None
        except duckdb.Error:
            have = None  # its files are gone
        finally:
            con.close()
        if have == rows:
            return path, 0.0
    started = time.perf_counter()
    for stale in (path, store.store_dir(path)):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    partial = path.with_name(path.name + ".partial")
    store.copy_database(bundled, partial, link=False)  # its files in balanza-N.duckdb.partial.trade for now
    con = duckdb.connect(str(partial), config={"memory_limit": "1GB", "threads": 2})
    try:
        store.use_folder(con, partial)
        base = con.execute("SELECT sum(row_count) FROM trade_files").fetchone()[0]
        bulk = rows - base
        per_code = BULK_REPORTERS * (BULK_PARTNERS - 1) * 2 * len(BULK_YEARS)
        codes = -(-bulk // per_code)
        reporters = [r[0] for r in con.execute(
            f"SELECT iso3 FROM countries WHERE NOT is_aggregate ORDER BY iso3 LIMIT {BULK_REPORTERS}").fetchall()]  # fmt: skip
        per_reporter = [
            bulk // BULK_REPORTERS + (1 if i < bulk % BULK_REPORTERS else 0) for i in range(BULK_REPORTERS)
        ]
        folder = store.store_dir(partial) / "source=comtrade"
        folder.mkdir(parents=True, exist_ok=True)
        for number, (reporter, count) in enumerate(zip(reporters, per_reporter, strict=True)):
            dataset_id = BULK_DATASET_ID + number
            file = (folder / f"d{dataset_id}-bench.parquet").resolve()
            con.execute(
                f"""
                COPY (
                    SELECT CAST(y AS INTEGER) AS year, CAST(y AS VARCHAR) AS period, CAST(? AS VARCHAR) AS reporter_iso3, p.iso3 AS partner_iso3,
                           f.flow, h.hs_code, CAST(6 AS TINYINT) AS hs_level, round((hash(p.iso3, y, f.flow, h.hs_code) % 100000000) / 1.0, 2) AS value_usd,
                           CASE f.flow WHEN 'export' THEN 'FOB' ELSE 'CIF' END AS valuation,
                           CAST(NULL AS DOUBLE) AS net_weight_kg, 'comtrade' AS source, CAST({dataset_id} AS INTEGER) AS dataset_id,
                           CAST(NULL AS DOUBLE) AS duty_usd, CAST(NULL AS VARCHAR) AS hs_vintage,
                           TRUE AS valuation_stated, CAST(NULL AS BIGINT) AS source_line
                    FROM (SELECT iso3 FROM countries WHERE NOT is_aggregate ORDER BY iso3 DESC LIMIT {BULK_PARTNERS}) p,
                         range({BULK_YEARS.start}, {BULK_YEARS.stop}) t(y),
                         (SELECT unnest(['export', 'import']) AS flow) f,
                         (SELECT hs_code FROM hs_codes WHERE hs_level = 6 ORDER BY hs_code LIMIT {codes}) h
                    WHERE p.iso3 <> ?
                    LIMIT {count}
                ) TO '{file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {store.ROW_GROUP_SIZE})
            """,
                [reporter, reporter],
            )
            con.execute("""
                INSERT INTO datasets (dataset_id, path, sha256, format, source, publisher, licence, origin, description, row_count, loaded_at)
                VALUES (?, ?, 'synthetic', 'synthetic', 'comtrade', 'bench', 'n/a', 'bench/scale.py',
                                             'generated HS6 rows (benchmark only)', ?, now())
            """, [dataset_id, f"synthetic/bench-scale-{reporter}", count])  # fmt: skip
            relative = f"{folder.parent.name}/{folder.name}/{file.name}"
            store.register_file(con, partial, dataset_id, "comtrade", relative, count)
        store.publish(con)
        have = con.execute("SELECT count(*) FROM trade").fetchone()[0]
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if have != rows:
        raise SystemExit(
            f"generated {have:,} rows, wanted {rows:,} (not enough reporter/partner/code combinations)"
        )
    store.record_checksums(partial, [store.catalogue_checksum(partial)])
    store.copy_database(partial, path)  # under its final name (hard links: no second copy of the files)
    shutil.rmtree(store.store_dir(partial))
    partial.unlink()
    return path, time.perf_counter() - started


def time_load(db: Path, csv: Path, scratch: Path, repeat: int) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds) of `balanza load csv` into a fresh copy of ``db``, ``repeat`` times. CPU
    time (user + system of the process) moves far less than wall time when other work shares the cores."""
    runs = []
    for _ in range(repeat):
        target = scratch / "load-target.duckdb"
        _remove(scratch)
        store.copy_database(db, target)  # the catalogue and its store (files hard-linked: they are immutable)
        subprocess.run(["sync"], check=False)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [str(BALANZA), "load", str(csv), "--db", str(target)], capture_output=True, text=True
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
        if done.returncode != 0:
            raise SystemExit(f"balanza load failed on {db.name}: {done.stderr[-800:]}")
    _remove(scratch)
    return runs


def _remove(scratch: Path) -> None:
    for stale in scratch.glob("load-target.duckdb*"):
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()


def time_pages(db: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Page → (cold median ms, warm median ms) on ``db``."""
    pages = _module("pages")
    pages.PAGE_PARAMS.update(PAGE_PARAMS)
    os.environ[settings.DB.name] = str(db)
    frame = pages.timed_frame()
    pages.time_page("overview", cold=True, frame=frame)  # imports, first connection
    results = {}
    for page in PAGE_PARAMS:
        cold = [pages.time_page(page, cold=True, frame=frame) for _ in range(repeat)]
        warm = [pages.time_page(page, cold=False, frame=frame) for _ in range(repeat)]
        results[page] = (statistics.median(cold), statistics.median(warm))
        print(f"  {page:11s} cold {results[page][0]:7.0f} ms  warm {results[page][1]:6.0f} ms", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="5000000,50000000", help="trade rows of the generated databases")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/balanza-scale"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load-rows", type=int, default=100_000)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-loads", action="store_true")
    args = parser.parse_args()

    bundled = settings.db_path()
    if not bundled.exists():
        raise SystemExit(
            f"{bundled}: run `make build` first (the bundled database is the base of every size)"
        )
    args.cache.mkdir(parents=True, exist_ok=True)
    databases: list[tuple[str, Path, int]] = []
    con = duckdb.connect(str(bundled), read_only=True)
    databases.append(("bundled", bundled, con.execute("SELECT count(*) FROM trade").fetchone()[0]))
    con.close()
    for size in (int(s) for s in args.sizes.split(",") if s):
        path, seconds = scaled_database(bundled, size, args.cache)
        made = f"generated in {seconds:.0f} s" if seconds else "reused"
        stored = sum(f.stat().st_size for f in store.store_dir(path).rglob("*.parquet"))
        print(f"{path}: {size:,} trade rows; catalogue {path.stat().st_size / 1e6:,.1f} MB, Parquet files "
              f"{stored / 1e6:,.0f} MB ({made})", flush=True)  # fmt: skip
        databases.append((f"{size / 1e6:g} M", path, size))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (shared)")

    if not args.skip_loads:
        csv = args.cache / f"comtrade-plus-{args.load_rows}.csv"
        if not csv.exists():
            _module("ingest").generate_csv(csv, args.load_rows)
        print(f"\nload: balanza load of {csv.name} ({csv.stat().st_size / 1e6:.1f} MB, {args.load_rows:,} rows), "
              f"{args.repeat} runs into fresh copies")  # fmt: skip
        baseline = cpu_baseline = None
        for label, path, rows in databases:
            runs = time_load(path, csv, args.cache, args.repeat)
            med = statistics.median(wall for wall, _ in runs)
            cpu = statistics.median(used for _, used in runs)
            baseline, cpu_baseline = baseline or med, cpu_baseline or cpu
            print(f"  {label:8s} {rows:>12,} rows  catalogue {path.stat().st_size / 1e6:5,.1f} MB  runs "
                  f"{', '.join(f'{wall:.2f}' for wall, _ in runs)} s  median {med:.2f} s  ratio {med / baseline:.2f}"
                  f"  CPU median {cpu:.2f} s  ratio {cpu / cpu_baseline:.2f}", flush=True)  # fmt: skip

    if not args.skip_pages:
        for label, path, rows in databases:
            print(f"\npages on {label} ({rows:,} rows), median of {args.repeat}:", flush=True)
            time_pages(path, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
