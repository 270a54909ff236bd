"""Concurrent-session benchmark: N sessions browse the dashboard at once on a real local server.

Starts `balanza serve` on 127.0.0.1 (a free port; with --workers N, N Streamlit processes behind nginx),
then opens sessions the way a browser does (a websocket to /_stcore/stream speaking Streamlit's protobuf
messages) and has each one visit every page, with URL filters, for a number of rounds. A page load is
timed from the rerun request to the server's script_finished message; an error is an exception element on
the page, a script that did not finish successfully, a dropped connection or a timeout.

Two phases in one run, on the same server: first ONE session browses alone (one unmeasured round, then
--rounds measured rounds: the floor, "the single-session median"), then N sessions browse at once. Prints
both phases' percentiles, the ratio p99(N sessions) / median(1 session) (target ≤ 10) and the error count;
exits non-zero when any page load failed. Loopback only; stops by itself (--budget seconds at most).

    .venv/bin/python bench/sessions.py [--sessions 20] [--rounds 2] [--workers 1] [--db PATH] [--rebuild-during]
                                [--no-gc-freeze]

In the same run, after the floor, a trivial Streamlit page (a title and a line of text, `TRIVIAL_PAGE`) is
served by one Streamlit process started with the same options as `balanza serve`'s workers and loaded the
same way by one session (`TRIVIAL_LOADS` unmeasured loads, then as many measured ones, the server's CPU read
from /proc around each): each page's mean server CPU per load (over the floor's measured loads) is printed
beside the trivial page's, with the ratio (target ≤ 2, issue 23). Means, not medians: /proc counts CPU in
clock ticks (10 ms), more than a trivial load costs, so only a mean over many loads resolves it.

With --rebuild-during, `balanza build` rewrites the served database while the N sessions browse (it builds
into a copy and swaps it in); the sessions keep browsing until the rebuild is done and then make one more
round each, so the figures include the loads that meet the freshly swapped database ("after the swap").
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import settings  # noqa: E402
from etl.store import copy_database  # noqa: E402

HOST = "127.0.0.1"
# page url_path ("" is the default page) → query string a user might arrive with.
PAGES = {
    "": "lang=en",
    "balances": "partners=CHN,USA,WLD&view=mirror&unit=constant",
    "products": "series=USA:COL:import:us_census_consumption&q=coffee",
    "dependence": "partners=CHN,USA",
    "claims": "claim=all",
    "scenarios": "",
    "coverage": "country=COL&with=CHN,USA",
    "data": "source=us_census_general&reporter=USA&partner=COL&flow=import&level=0&from=2015&to=2020",
    "overview": "lang=es&view=mirror",  # not a url_path of its own: the server falls back to the default page
}
PAGE_TIMEOUT = 180.0


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    after_swap: list[float] = field(default_factory=list)
    server_cpu: dict[str, list[float]] = field(default_factory=dict)  # the floor: server CPU seconds per load

    def add(self, page: str, seconds: float, *, after_swap: bool = False) -> None:
        self.latencies.setdefault(page or "(default)", []).append(seconds)
        if after_swap:
            self.after_swap.append(seconds)

    def all_latencies(self) -> list[float]:
        return sorted(value for values in self.latencies.values() for value in values)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# The frame with the runtime told not to gc.freeze after warming (for --no-gc-freeze): it runs the real frame,
# whose app_pages/ are linked beside it.
NO_FREEZE_FRAME = """from dashboard import components

components.RUNTIME.freeze_after_warming = False
with open({frame!r}, encoding="utf-8") as _file:
    exec(compile(_file.read(), {frame!r}, "exec"))
"""


# The floor of the floors: what Streamlit itself costs per page load, served and loaded the same way.
TRIVIAL_PAGE = """import streamlit as st

st.title("Balanza")
st.write("A trivial page: what a page load costs Streamlit itself.")
"""


TRIVIAL_LOADS = 100


def start_trivial_server(port: int, log: Path) -> subprocess.Popen:
    """One Streamlit process serving ``TRIVIAL_PAGE`` with the options `balanza serve` gives its workers."""
    from dashboard import serve

    page = log.parent / "trivial" / "trivial_page.py"
    page.parent.mkdir()
    page.write_text(TRIVIAL_PAGE, encoding="utf-8")
    command = [str(page) if part == str(serve.APP) else part for part in serve.streamlit_command(HOST, port)]
    with open(log, "wb") as handle:
        return subprocess.Popen(
            command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, cwd=page.parent
        )


async def trivial_floor(port: int, loads: int, server_group: int) -> Results:
    """One session loads the trivial page ``loads`` times unmeasured, then ``loads`` times measured."""
    results = Results()
    async with websockets.connect(f"ws://{HOST}:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  origin=f"http://{HOST}:{port}", max_size=None) as socket_:  # fmt: skip
        for number in range(2 * loads):
            before = server_cpu_seconds(server_group)
            seconds, problem = await load_page(socket_, "", "")
            if number >= loads:
                results.add("trivial", seconds)
                results.server_cpu.setdefault("trivial", []).append(server_cpu_seconds(server_group) - before)
            if problem:
                results.errors.append(f"trivial page: {problem}")
    return results


def start_server(db: Path, port: int, log: Path, workers: int, gc_freeze: bool = True) -> subprocess.Popen:
    env = dict(os.environ, BALANZA_DB=str(db.resolve()))
    command = [str(Path(sys.executable).with_name("balanza")), "serve", "--db", str(db), "--host", HOST,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    # --no-gc-freeze: one Streamlit process as `balanza serve --workers 1` starts it, on the wrapping frame.
    if not gc_freeze:
        from dashboard import serve

        if workers != 1:
            raise SystemExit("--no-gc-freeze serves one process (--workers 1)")
        frame = log.parent / "no-freeze" / "streamlit_app.py"
        frame.parent.mkdir()
        (frame.parent / "app_pages").symlink_to(serve.APP.parent / "app_pages")
        frame.write_text(NO_FREEZE_FRAME.format(frame=str(serve.APP)), encoding="utf-8")
        command = [
            str(frame) if part == str(serve.APP) else part for part in serve.streamlit_command(HOST, port)
        ]
        env = serve.server_env(db)
    # The server's output goes to a file: an unread pipe fills up and blocks the server's logging threads.
    with open(log, "wb") as handle:
        return subprocess.Popen(
            command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_healthy(port: int, server: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not become healthy")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


async def load_page(socket_: websockets.ClientConnection, page: str, query: str) -> tuple[float, str | None]:
    """Ask for one page run; seconds until it finished and the first problem seen (None if clean)."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    started = time.perf_counter()
    await socket_.send(message.SerializeToString())
    problem = None
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(socket_.recv(), PAGE_TIMEOUT))
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            if forward.delta.new_element.WhichOneof("type") == "exception":
                problem = problem or f"exception: {forward.delta.new_element.exception.message[:200]}"
        elif kind == "script_finished":
            if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                problem = problem or f"script finished with status {forward.script_finished}"
            return time.perf_counter() - started, problem


async def session(number: int, port: int, rounds: int, results: Results, seed: int,
                  rebuilt: asyncio.Event | None = None, warmup_rounds: int = 0,
                  server_group: int | None = None) -> None:  # fmt: skip
    """Browse every page in a shuffled order per round. With ``rebuilt``, keep going until it is set, then
    make one more round (the loads that meet the swapped-in database). With ``server_group`` (one session
    alone), the server's CPU seconds of each measured load are recorded too."""
    order = list(PAGES)
    rng = random.Random(seed + number)
    try:
        async with websockets.connect(f"ws://{HOST}:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      origin=f"http://{HOST}:{port}", max_size=None) as socket_:  # fmt: skip
            done, extra = 0, None
            while True:
                if done >= warmup_rounds + rounds:
                    if rebuilt is None or extra == 0:
                        break
                    if rebuilt.is_set() and extra is None:
                        extra = 1
                    elif extra is None:
                        await asyncio.sleep(0)  # still rebuilding: browse another round
                after_swap = extra is not None
                rng.shuffle(order)
                for page in order:
                    cpu_before = server_cpu_seconds(server_group) if server_group is not None else 0.0
                    seconds, problem = await load_page(socket_, page, PAGES[page])
                    if done >= warmup_rounds:
                        results.add(page, seconds, after_swap=after_swap)
                        if server_group is not None:
                            cpu = server_cpu_seconds(server_group) - cpu_before
                            results.server_cpu.setdefault(page or "(default)", []).append(cpu)
                    if problem:
                        results.errors.append(f"session {number}, page {page or '(default)'}: {problem}")
                done += 1
                if extra is not None:
                    extra -= 1
    except (OSError, TimeoutError, websockets.WebSocketException) as exc:
        results.errors.append(f"session {number}: {type(exc).__name__}: {exc}")


def _logged_errors(log: str) -> collections.Counter:
    """The last line of every traceback in the server log (the exception), counted."""
    counts: collections.Counter = collections.Counter()
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            tail = next(
                (later for later in lines[index + 1 :] if later and not later.startswith((" ", "\t"))), "?"
            )
            counts[tail] += 1
    return counts


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values: the smallest value with at least ``share`` of them at or
    below it (p99 of 360 loads is the 357th)."""
    rank = math.ceil(round(share * len(values), 9))  # round: 0.99 * 100 is 99.00000000000001 in floats
    return values[max(0, min(len(values) - 1, rank - 1))]


def server_cpu_seconds(group: int) -> float:
    """CPU seconds (user + system) used so far by the processes of the server's session (Linux /proc): the server
    is started in a session of its own (``group``, its pid); `balanza serve` puts each child in a process group
    of its own, inside that session."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == group:  # the session: `balanza serve`, its Streamlit workers, nginx
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_idle(
    server: subprocess.Popen, timeout: float = 600.0, window: float = 2.0, busy: float = 0.05
) -> float:
    """Wait until the server's processes use less than ``busy`` of a core over ``window`` seconds (every
    worker's warming thread has finished: the floor and the sessions then measure page loads, not warming);
    returns the seconds waited."""
    if not Path("/proc/self/stat").exists():
        return 0.0
    started = time.monotonic()
    before = server_cpu_seconds(server.pid)
    while time.monotonic() - started < timeout:
        time.sleep(window)
        now = server_cpu_seconds(server.pid)
        if now - before < busy * window:
            break
        before = now
    return time.monotonic() - started


async def run(sessions: int, rounds: int, port: int, seed: int, rebuild: tuple[Path, list] | None) -> Results:
    results = Results()
    rebuilt = asyncio.Event() if rebuild is not None else None
    tasks = [asyncio.create_task(session(n, port, rounds, results, seed, rebuilt)) for n in range(sessions)]
    if rebuild is not None:
        db, log = rebuild
        await asyncio.sleep(2.0)  # sessions are mid-way through their first pages
        process = await asyncio.create_subprocess_exec(str(Path(sys.executable).with_name("balanza")), "build",
                                                       "--db", str(db), stdout=asyncio.subprocess.DEVNULL,
                                                       stderr=asyncio.subprocess.PIPE)  # fmt: skip
        _, err = await process.communicate()
        log.append((process.returncode, err.decode()[-500:]))
        rebuilt.set()  # type: ignore[union-attr]
    await asyncio.gather(*tasks)
    return results


def measure_trivial(scratch: Path, loads: int, budget: float) -> Results:
    """The trivial page's floor on a server of its own (stopped before the sessions start)."""
    port = free_port()
    log = scratch / "trivial.log"
    server = start_trivial_server(port, log)
    try:
        wait_healthy(port, server, log)
        wait_idle(server)
        return asyncio.run(asyncio.wait_for(trivial_floor(port, max(loads, 1), server.pid), budget))
    finally:
        stop_server(server)


async def floor(port: int, rounds: int, seed: int, server_group: int | None = None) -> Results:
    """One session alone: one unmeasured round (its own first visit), then ``rounds`` measured ones."""
    results = Results()
    await session(-1, port, rounds, results, seed, warmup_rounds=1, server_group=server_group)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="passes over every page per session")
    parser.add_argument(
        "--db", type=Path, default=None, help="database to serve (default: a fresh build in a temp dir)"
    )
    parser.add_argument("--budget", type=float, default=900.0, help="seconds before the run is abandoned")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workers", type=int, default=1, help="`balanza serve --workers` (more than 1: nginx in front)"
    )
    parser.add_argument(
        "--rebuild-during", action="store_true", help="run `balanza build` on the served database meanwhile"
    )
    parser.add_argument(
        "--no-gc-freeze", action="store_true",
        help="the server does not gc.freeze what is alive after warming (to measure what the freeze does)",
    )  # fmt: skip
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="balanza-sessions-") as scratch:
        db = args.db
        if db is None or args.rebuild_during:
            # Never rebuild the user's own database: serve (and rebuild) a private one.
            db = Path(scratch) / "balanza.duckdb"
            source = args.db or settings.db_path()
            if source.exists():
                copy_database(source, db)  # the catalogue and its store folder
            else:
                subprocess.run([str(Path(sys.executable).with_name("balanza")), "build", "--db", str(db)], check=True,
                               capture_output=True)  # fmt: skip
        port = free_port()
        server_log = Path(scratch) / "server.log"
        server = start_server(db, port, server_log, args.workers, gc_freeze=not args.no_gc_freeze)
        rebuild_log: list = []
        try:
            wait_healthy(port, server, server_log)
            settled = wait_idle(server)
            cpu = [server_cpu_seconds(server.pid), time.process_time()]
            group = server.pid if Path("/proc/self/stat").exists() else None
            alone = asyncio.run(asyncio.wait_for(floor(port, args.rounds, args.seed, group), args.budget))
            cpu += [server_cpu_seconds(server.pid), time.process_time()]
            trivial = measure_trivial(Path(scratch), TRIVIAL_LOADS, args.budget)
            cpu += [server_cpu_seconds(server.pid), time.process_time()]  # the N sessions start from here
            started = time.perf_counter()
            results = asyncio.run(asyncio.wait_for(
                run(args.sessions, args.rounds, port, args.seed, (db, rebuild_log) if args.rebuild_during else None),
                args.budget,
            ))  # fmt: skip
            wall = time.perf_counter() - started
            cpu += [server_cpu_seconds(server.pid), time.process_time()]
        finally:
            stop_server(server)
            server_errors = _logged_errors(server_log.read_text(errors="replace"))

    values = results.all_latencies()
    expected = args.sessions * args.rounds * len(PAGES)
    single = alone.all_latencies()
    served = f"{args.workers} Streamlit process" + ("es behind nginx" if args.workers > 1 else "")
    served += ", no gc.freeze after warming" if args.no_gc_freeze else ", gc.freeze after warming"
    print(f"{args.sessions} concurrent sessions × {args.rounds} rounds × {len(PAGES)} pages on 127.0.0.1 "
          f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}), {served}, served from {db.name}")  # fmt: skip
    print(f"the server's processes were idle {settled:.0f}s after answering (warming done) before the floor")
    if single:
        print(f"one session alone: {len(single)} page loads, median {statistics.median(single):.3f}s  "
              f"p90 {percentile(single, 0.90):.3f}s  max {single[-1]:.3f}s; errors: {len(alone.errors)}")  # fmt: skip
        for page, page_values in sorted(alone.latencies.items()):
            page_cpu = alone.server_cpu.get(page)
            print(f"  {page:<12} n={len(page_values):<4} median {statistics.median(page_values):.3f}s"
                  + (f"  server CPU median {statistics.median(page_cpu):.3f}s" if page_cpu else ""))  # fmt: skip
        all_cpu = [value for values in alone.server_cpu.values() for value in values]
        if all_cpu:
            print(f"  server CPU per measured load: mean {statistics.mean(all_cpu):.3f}s  median "
                  f"{statistics.median(all_cpu):.3f}s  max {max(all_cpu):.3f}s (clock ticks of "
                  f"{1 / os.sysconf('SC_CLK_TCK'):.2f}s)")  # fmt: skip
    trivial_cpu = trivial.server_cpu.get("trivial", [])
    if trivial_cpu and alone.server_cpu:
        base = statistics.mean(trivial_cpu)
        print(f"trivial Streamlit page, one session: {len(trivial_cpu)} measured loads, median "
              f"{statistics.median(trivial.all_latencies()):.3f}s, server CPU per load mean {base * 1000:.1f} ms")  # fmt: skip
        for page, page_cpu in sorted(alone.server_cpu.items()):
            ratio = statistics.mean(page_cpu) / base if base else math.inf
            print(f"  {page:<12} server CPU per load mean {statistics.mean(page_cpu) * 1000:.0f} ms (n={len(page_cpu)}) "
                  f"= {ratio:.1f} × the trivial page's (target ≤ 2: {'met' if ratio <= 2 else 'NOT met'})")  # fmt: skip
        all_cpu = [value for values in alone.server_cpu.values() for value in values]
        print(f"  every page: mean {statistics.mean(all_cpu) * 1000:.0f} ms = "
              f"{statistics.mean(all_cpu) / base if base else math.inf:.1f} × the trivial page's")  # fmt: skip
    print(f"page loads: {len(values)} (at least {expected}) in {wall:.1f}s ({len(values) / wall:.1f}/s); "
          f"errors: {len(results.errors)}")  # fmt: skip
    # Server CPU per page load (every server process: workers, nginx, a rebuild's `balanza build` is not in
    # it) and this client's own CPU: what the cores were asked for, the numbers behind the queueing.
    floor_loads = len(single) + len(PAGES)  # the floor's unmeasured first round ran on the server too
    if floor_loads and values:
        print(f"server CPU per page load: one session {(cpu[2] - cpu[0]) / floor_loads:.3f}s, "
              f"{args.sessions} sessions {(cpu[6] - cpu[4]) / len(values):.3f}s "
              f"({(cpu[6] - cpu[4]) / wall:.2f} cores busy on average); this client's CPU "
              f"{(cpu[7] - cpu[5]) / wall:.2f} cores")  # fmt: skip
    if values:
        print(f"latency p50 {percentile(values, 0.50):.2f}s  p90 {percentile(values, 0.90):.2f}s  "
              f"p99 {percentile(values, 0.99):.2f}s  max {values[-1]:.2f}s")  # fmt: skip
        if single:
            ratio = percentile(values, 0.99) / statistics.median(single)
            print(f"p99 ({args.sessions} sessions) / median (one session) = {ratio:.1f} (target ≤ 10: "
                  f"{'met' if ratio <= 10 else 'NOT met'})")  # fmt: skip
        if results.after_swap:
            after = sorted(results.after_swap)
            print(f"after the swap: {len(after)} loads, p50 {percentile(after, 0.5):.2f}s  "
                  f"p99 {percentile(after, 0.99):.2f}s  max {after[-1]:.2f}s")  # fmt: skip
        for page, page_values in sorted(results.latencies.items()):
            print(f"  {page:<12} n={len(page_values):<4} median {statistics.median(page_values):.2f}s  "
                  f"max {max(page_values):.2f}s")  # fmt: skip
    for returncode, err in rebuild_log:
        print(
            f"balanza build during the run: exit {returncode}" + (f" ({err.strip()})" if returncode else "")
        )
    for error in (alone.errors + trivial.errors + results.errors)[:10]:
        print("  error:", error)
    if server_errors:
        print(f"server log: {sum(server_errors.values())} logged tracebacks (handled, the pages rendered):")
        for line, count in server_errors.most_common(3):
            print(f"  {count} × {line[:160]}")
    failed = (
        bool(results.errors or alone.errors or trivial.errors)
        or len(values) < expected
        or any(code != 0 for code, _ in rebuild_log)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
