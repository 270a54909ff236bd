"""What the store's checks cost: the open check, `balanza verify`, and the checksums a commit records.

    .venv/bin/python bench/store.py [--db data/balanza.duckdb] [--sizes 5000000,50000000]
                                    [--cache /tmp/balanza-scale] [--repeat 5]

For each database (the bundled one, and with --sizes the 5 M and 50 M-row databases bench/scale.py builds into
--cache): the open check (etl.store.check_catalogue: schema version, each listed file's size and footer) on a
fresh connection, the first time in a process and again (as after a swap: the footers already checked are
not read again), the
whole read-only open (etl.db.connect_read_only) against a bare duckdb.connect, `balanza verify` (every table
read, every file hashed) and the sha256 a commit computes of the files it writes (here: of all of them).
Medians of --repeat runs, OS cache warm (the state a reader opening a swapped-in catalogue meets). Compare the
open check with a cold page of bench/pages.py, measured in the same run when --pages is given.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl import settings, store  # noqa: E402
from etl.db import connect_read_only  # noqa: E402
from etl.schema import SCHEMA_VERSION  # noqa: E402
from etl.status import verify_database  # noqa: E402


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(db: Path, repeat: int) -> dict[str, float]:
    con = duckdb.connect(str(db), read_only=True)
    store.use_folder(con, db)
    files, size, rows = con.execute(
        "SELECT count(*), sum(size_bytes), sum(row_count) FROM trade_files"
    ).fetchone()
    figures = {"files": files, "MB": size / 1e6, "rows": rows}

    def first_open() -> None:  # a fresh connection, no footer read before in this process
        store.forget_checked_files()
        fresh = duckdb.connect(str(db), read_only=True)
        store.use_folder(fresh, db)
        started = time.perf_counter()
        store.check_catalogue(fresh, db)
        timings.append((time.perf_counter() - started) * 1000)
        fresh.close()

    timings: list[float] = []
    for _ in range(repeat):
        first_open()
    figures["open check, first in process ms"] = statistics.median(timings)
    store.check_catalogue(con, db)
    # after a swap: a fresh connection to a catalogue whose files this process has checked before
    timings.clear()
    for _ in range(repeat):
        fresh = duckdb.connect(str(db), read_only=True)
        store.use_folder(fresh, db)
        started = time.perf_counter()
        store.check_catalogue(fresh, db)
        timings.append((time.perf_counter() - started) * 1000)
        fresh.close()
    figures["open check, after a swap ms"] = statistics.median(timings)
    paths = [store.file_path(db, p) for (p,) in con.execute("SELECT path FROM trade_files").fetchall()]
    con.close()
    figures["bare connect ms"] = _median_ms(lambda: duckdb.connect(str(db), read_only=True).close(), repeat)
    figures["connect_read_only ms"] = _median_ms(lambda: connect_read_only(db).close(), repeat)
    figures["sha256 of every file ms"] = _median_ms(
        lambda: [store.file_sha256(p) for p in paths], max(1, repeat // 2)
    )
    # what every write adds: the live catalogue hashed while it is copied, the new one hashed before the swap
    figures["catalogue MB"] = db.stat().st_size / 1e6
    figures["catalogue checksum ms"] = _median_ms(lambda: store.catalogue_checksum(db), repeat)
    figures["verify s"] = _median_ms(lambda: verify_database(db), max(1, repeat // 2)) / 1000
    return figures


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=settings.db_path())
    parser.add_argument("--sizes", default="", help="also the bench/scale.py databases of these row counts")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/balanza-scale"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="also bench/pages.py's cold pages (5 M rows)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (shared)")
    databases = [("bundled", args.db)]
    if args.sizes:
        scale = _module("scale")
        args.cache.mkdir(parents=True, exist_ok=True)
        for rows in (int(size) for size in args.sizes.split(",")):
            path, seconds = scale.scaled_database(args.db, rows, args.cache)
            if seconds:
                print(f"built {path} in {seconds:.0f} s")
            databases.append((f"{rows / 1e6:g} M", path))
    for name, db in databases:
        figures = measure(db, args.repeat)
        print(f"{name:8s} " + "  ".join(
            f"{key} {value:,.1f}" if isinstance(value, float) else f"{key} {value:,}" for key, value in figures.items()
        ), flush=True)  # fmt: skip
    if args.pages:
        pages = _module("pages")
        path = (
            args.cache / f"pages-5m-v{SCHEMA_VERSION}.duckdb"
        )  # its own schema version: rebuilt when it changes
        if not path.exists():
            pages.build_database(path, 5_000_000)
        os.environ[settings.DB.name] = str(path)
        frame = pages.timed_frame()
        pages.time_page("overview", cold=True, frame=frame)  # imports, first connection
        for page in pages.PAGES:
            cold = statistics.median(
                pages.time_page(page, cold=True, frame=frame) for _ in range(args.repeat)
            )
            print(f"  page {page:11s} cold {cold:7.0f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
