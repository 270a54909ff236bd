"""A worker's memory across database swaps (issue 23, point 5: "worker memory flat across 20 swaps").

Serves a copy of the database with `balanza serve --workers 1` (one Streamlit process, warming on, as a
deployed worker runs), has one session visit every page of bench/sessions.py (with its URL filters), then
swaps a fresh copy of the catalogue in (`etl.store.copy_database` beside it, then `os.replace`: a new file,
as `balanza build` and `balanza load` swap theirs in; its trade files are the same) --swaps times; after each
swap the worker re-warms, the session visits every page again, and once the worker is idle its resident
(VmRSS) and proportional (Pss) memory are read from /proc. Prints one line per swap and the growth per swap
over the last half of the run (where a cache that only grows would still show it). The worker keeps the shared
results on disk beside the served copy (dashboard/disk_results.py); --results off keeps them in memory only.

    .venv/bin/python bench/swaps.py [--swaps 20] [--db data/balanza.duckdb] [--results on|off]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sessions

from etl import settings
from etl.store import copy_database


def worker_pid(session_id: int) -> int:
    """The Streamlit process in the server's session."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
        except OSError:
            continue
        if int(fields[3]) == session_id and b"streamlit" in command:
            return int(entry)
    raise SystemExit("no Streamlit worker found in the server's session")


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, Pss) of a process in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
        pss = next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
    return rss / 1024, pss / 1024


def visit_every_page(port: int) -> list[str]:
    results = sessions.Results()
    asyncio.run(sessions.session(0, port, 1, results, seed=7))
    return results.errors


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--swaps", type=int, default=20)
    parser.add_argument(
        "--db", type=Path, default=None, help="database to copy (default: BALANZA_DB or data/)"
    )
    parser.add_argument("--results", choices=("on", "off"), default="on", help="shared results on disk too")
    args = parser.parse_args()
    if args.results == "off":
        os.environ[settings.RESULTS.name] = "off"  # the server's environment (sessions.start_server)
    source = args.db or settings.db_path()
    with tempfile.TemporaryDirectory(prefix="balanza-swaps-") as scratch:
        served = Path(scratch) / "served" / "balanza.duckdb"
        copy_database(source, served)
        port = sessions.free_port()
        log = Path(scratch) / "server.log"
        server = sessions.start_server(served, port, log, workers=1)
        errors: list[str] = []
        rows: list[tuple[int, float, float, float]] = []
        try:
            sessions.wait_healthy(port, server, log)
            sessions.wait_idle(server)
            worker = worker_pid(server.pid)
            for swap in range(args.swaps + 1):
                if swap:
                    staged = Path(scratch) / f"next-{swap}" / "balanza.duckdb"
                    copy_database(source, staged)
                    os.replace(staged, served)
                    time.sleep(1.5)  # the warming thread notices the new file within a second
                    sessions.wait_idle(server)
                errors += visit_every_page(port)
                waited = sessions.wait_idle(server)
                rows.append((swap, *memory_mb(worker), waited))
                print(
                    f"swap {swap:>2}: worker VmRSS {rows[-1][1]:6.0f} MB  Pss {rows[-1][2]:6.0f} MB",
                    flush=True,
                )
        finally:
            sessions.stop_server(server)
    half = rows[len(rows) // 2 :]
    if len(half) >= 2:
        growth = (half[-1][1] - half[0][1]) / (half[-1][0] - half[0][0])
        print(f"start {rows[0][1]:.0f} MB, after {rows[-1][0]} swaps {rows[-1][1]:.0f} MB (max "
              f"{max(r[1] for r in rows):.0f} MB); growth over swaps {half[0][0]}-{half[-1][0]}: {growth:.1f} MB "
              f"per swap; median idle wait {statistics.median(r[3] for r in rows):.0f} s; errors: {len(errors)}")  # fmt: skip
    for error in errors[:5]:
        print("  error:", error)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
