"""A second worker's first visit (issue 23, point 5: "a second worker's first visit costs what a warm page costs").

Serves a copy of the database with Streamlit processes started as `balanza serve --workers N` starts its workers
(dashboard.serve's command and environment), each on its own loopback port: the bench reaches each worker
directly, as nginx's sticky cookie would. Worker 1 warms (as `serve` runs it) and one session visits every page
of bench/sessions.py (with its URL filters) through it. Then worker 2 starts with warming off, so nothing is in
its memory (a worker just restarted, or one whose warming has not reached the page yet), and is woken as `serve`
wakes a worker (the default page once, in a throw-away session: the frame's imports); then one session visits
every page once (the first visit) and then again (warm); each load's time and worker 2's CPU seconds are read.
Last, worker 3 starts with warming on: how long until it is idle, and the CPU seconds its warming took.

Twice in one run, on fresh copies of the database: with BALANZA_RESULTS=off (each process computes what it
shares: before) and with the shared results on disk beside the database (dashboard/disk_results.py: after).

    .venv/bin/python bench/workers.py [--db data/balanza.duckdb] [--modes off,on] [--logs DIR]

With BALANZA_TRACE=1 in the environment the workers log what each page run computed (dashboard/trace.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sessions

from dashboard import serve
from etl import settings
from etl.store import copy_database

HOST = sessions.HOST


def start_worker(db: Path, port: int, log: Path, *, warm: bool, results: str) -> subprocess.Popen:
    """One Streamlit process as `balanza serve` starts a worker; without warming when ``warm`` is False."""
    env = serve.server_env(db)
    if not warm:
        env.pop(settings.WARM.name, None)
    if results == "off":
        env[settings.RESULTS.name] = "off"
    else:
        env.pop(settings.RESULTS.name, None)
    with open(log, "wb") as handle:
        return subprocess.Popen(serve.streamlit_command(HOST, port), env=env, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


async def visit(port: int, group: int, rounds: int) -> tuple[list[list[tuple[float, float]]], list[str]]:
    """One session visits every page ``rounds`` times, in sessions.PAGES order: per round, each page's
    (seconds, worker CPU seconds); and the problems seen."""
    measured: list[list[tuple[float, float]]] = []
    problems: list[str] = []
    async with websockets.connect(f"ws://{HOST}:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  origin=f"http://{HOST}:{port}", max_size=None) as socket_:  # fmt: skip
        for _ in range(rounds):
            row = []
            for page, query in sessions.PAGES.items():
                cpu = sessions.server_cpu_seconds(group)
                seconds, problem = await sessions.load_page(socket_, page, query)
                row.append((seconds, sessions.server_cpu_seconds(group) - cpu))
                if problem:
                    problems.append(f"{page or '(default)'}: {problem}")
            measured.append(row)
    return measured, problems


def run_mode(source: Path, scratch: Path, results: str) -> dict:
    folder = scratch / results
    db = folder / "balanza.duckdb"
    copy_database(source, db)
    processes: list[subprocess.Popen] = []
    try:
        port1, port2, port3 = sessions.free_port(), sessions.free_port(), sessions.free_port()
        first = start_worker(db, port1, folder / "worker1.log", warm=True, results=results)
        processes.append(first)
        sessions.wait_healthy(port1, first, folder / "worker1.log", timeout=120)
        serve.wake(HOST, port1)  # the first page run starts the warming thread
        time.sleep(1.0)
        sessions.wait_idle(first)
        _, problems = asyncio.run(visit(port1, first.pid, 1))  # worker 1's session: every page once
        sessions.wait_idle(first)

        second = start_worker(db, port2, folder / "worker2.log", warm=False, results=results)
        processes.append(second)
        sessions.wait_healthy(port2, second, folder / "worker2.log", timeout=120)
        serve.wake(
            HOST, port2
        )  # as `serve` wakes every worker it starts: the frame's imports, the default page
        sessions.wait_idle(second)
        rounds, more = asyncio.run(visit(port2, second.pid, 2))
        problems += more
        sessions.stop_server(second)

        started = time.monotonic()
        third = start_worker(db, port3, folder / "worker3.log", warm=True, results=results)
        processes.append(third)
        sessions.wait_healthy(port3, third, folder / "worker3.log", timeout=120)
        serve.wake(HOST, port3)
        time.sleep(1.0)
        waited = sessions.wait_idle(third)
        warm_seconds = time.monotonic() - started - min(waited, 2.0)  # the last idle window is not warming
        warm_cpu = sessions.server_cpu_seconds(third.pid)
        stored = (
            sum(path.stat().st_size for path in Path(f"{db}.results").rglob("*.pickle"))
            if results == "on"
            else 0
        )
        return {"first": rounds[0], "warm": rounds[1], "problems": problems, "warm_seconds": warm_seconds,
                "warm_cpu": warm_cpu, "stored_mb": stored / 1e6}  # fmt: skip
    finally:
        for process in processes:
            sessions.stop_server(process)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="database to copy (default: BALANZA_DB or data/)"
    )
    parser.add_argument("--modes", default="off,on", help="BALANZA_RESULTS modes, in order (off: before)")
    parser.add_argument("--logs", type=Path, default=None, help="copy the workers' logs into this folder")
    args = parser.parse_args()
    source = args.db or settings.db_path()
    print(
        f"started {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, load average {os.getloadavg()[0]:.2f}"
    )
    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="balanza-workers-") as scratch:
        for mode in args.modes.split(","):
            found[mode] = run_mode(source, Path(scratch), mode)
            if args.logs is not None:
                args.logs.mkdir(parents=True, exist_ok=True)
                for log in (Path(scratch) / mode).glob("worker*.log"):
                    shutil.copy(log, args.logs / f"{mode}-{log.name}")
            print(f"results {mode}: done {time.strftime('%H:%M:%S', time.gmtime())} UTC, load average "
                  f"{os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    modes = list(found)
    header = "page".ljust(12) + "".join(f" | {m}: 1st visit s (cpu) | {m}: warm s (cpu)" for m in modes)
    print(header)
    for index, page in enumerate(sessions.PAGES):
        cells = "".join(
            f" | {found[m]['first'][index][0]:8.2f} ({found[m]['first'][index][1]:5.2f})"
            f" | {found[m]['warm'][index][0]:8.2f} ({found[m]['warm'][index][1]:5.2f})"
            for m in modes
        )
        print((page or "(default)").ljust(12) + cells)
    for mode in modes:
        first = found[mode]["first"]
        warm = found[mode]["warm"]
        print(f"results {mode}: first visits {sum(s for s, _ in first):.2f} s ({sum(c for _, c in first):.2f} s CPU), "
              f"warm visits {sum(s for s, _ in warm):.2f} s ({sum(c for _, c in warm):.2f} s CPU); a new worker "
              f"warms in {found[mode]['warm_seconds']:.1f} s ({found[mode]['warm_cpu']:.1f} s CPU, start included); "
              f"stored {found[mode]['stored_mb']:.0f} MB; problems: {len(found[mode]['problems'])}")  # fmt: skip
        for problem in found[mode]["problems"][:5]:
            print("  problem:", problem)
    return 1 if any(found[m]["problems"] for m in modes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
