"""A worker's memory across database swaps (issue 23, point 5: "worker memory flat across 20 swaps").

Serves a copy of the database with `balanza serve --workers 1` (one Streamlit process, warming on, as a
deployed worker runs), has one session visit every page of bench/sessions.py (with its URL filters), then
swaps a fresh copy of the catalogue in (`etl.store.copy_database` beside it, then `os.replace`: a new file,
as `balanza build` and `balanza load` swap theirs in; its trade files are the same) --swaps times; after each
swap the worker re-warms, the session visits every page again, and once the worker is idle its resident
(VmRSS) and proportional (Pss) memory are read from /proc. Prints one line per swap and the growth per swap
over the last half of the run (where a cache that only grows would still show it). The worker keeps the shared
results on disk beside the served copy (dashboard/disk_results.py); --results off keeps them in memory only.

Each visit is a new session by default; Streamlit keeps a closed session for `server.disconnectedSessionTTL`
(120 s) in case its browser reconnects, so at about one swap every 30 s the last few visits' sessions are alive
beside the current one. With --one-session one session stays open through every swap (a reader who keeps the
dashboard open), so what grows from swap to swap is what the swaps leave, not sessions waiting to expire.

    .venv/bin/python bench/swaps.py [--swaps 20] [--db data/balanza.duckdb] [--results on|off] [--one-session]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import websockets
from websockets.typing import Origin, Subprotocol

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


async def visit_every_page(port: int, socket_: websockets.ClientConnection | None) -> list[str]:
    """Every page once: in a new session, or in ``socket_``'s."""
    if socket_ is None:
        results = sessions.Results()
        await sessions.session(0, port, 1, results, seed=7)
        return results.errors
    errors = []
    for page, query in sessions.PAGES.items():
        _, problem = await sessions.load_page(socket_, page, query)
        if problem:
            errors.append(f"page {page or '(default)'}: {problem}")
    return errors


def swap_in(source: Path, scratch: Path, served: Path, swap: int, server: subprocess.Popen) -> None:
    staged = scratch / f"next-{swap}" / "balanza.duckdb"
    copy_database(source, staged)
    os.replace(staged, served)
    time.sleep(1.5)  # the warming thread notices the new file within a second
    sessions.wait_idle(server)


async def swaps(count: int, source: Path, scratch: Path, served: Path, server: subprocess.Popen, port: int,
                one_session: bool) -> tuple[list[tuple[int, float, float, float]], list[str]]:  # fmt: skip
    worker = worker_pid(server.pid)
    errors: list[str] = []
    rows: list[tuple[int, float, float, float]] = []
    socket_ = None
    if one_session:
        socket_ = await websockets.connect(f"ws://{sessions.HOST}:{port}/_stcore/stream", subprotocols=[Subprotocol("streamlit")],
                                           origin=Origin(f"http://{sessions.HOST}:{port}"), max_size=None)  # fmt: skip
    try:
        for swap in range(count + 1):
            if swap:
                await asyncio.to_thread(swap_in, source, scratch, served, swap, server)
            errors += await visit_every_page(port, socket_)
            waited = await asyncio.to_thread(sessions.wait_idle, server)
            rows.append((swap, *memory_mb(worker), waited))
            print(
                f"swap {swap:>2}: worker VmRSS {rows[-1][1]:6.0f} MB  Pss {rows[-1][2]:6.0f} MB", flush=True
            )
    finally:
        if socket_ is not None:
            await socket_.close()
    return rows, errors


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--swaps", type=int, default=20)
    parser.add_argument(
        "--db", type=Path, default=None, help="database to copy (default: BALANZA_DB or data/)"
    )
    parser.add_argument("--results", choices=("on", "off"), default="on", help="shared results on disk too")
    parser.add_argument("--one-session", action="store_true", help="one session open through every swap")
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
        try:
            sessions.wait_healthy(port, server, log)
            sessions.wait_idle(server)
            rows, errors = asyncio.run(
                swaps(args.swaps, source, Path(scratch), served, server, port, args.one_session)
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
