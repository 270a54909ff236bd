"""`balanza serve`: Streamlit workers behind a real nginx, sticky by cookie, supervised.

Needs Debian's nginx (.ci/run installs it). Checks what a browser relies on (the first answer sets the worker
cookie; every request carrying that cookie reaches the same worker; different cookies spread over the workers;
a page runs through the proxy's websocket) and what a host relies on: a worker that dies is started again and
the service answers meanwhile; a worker that keeps dying makes serve give up with a named line; SIGTERM, SIGINT
and SIGKILL of serve leave no process behind and the port free; a port already in use is refused at once.
Which worker served a request is read from the kernel's table of open TCP connections (/proc/net/tcp), not
from anything the server tells the client.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from dashboard import serve
from etl.store import copy_database

BALANZA = Path(sys.executable).with_name("balanza")


def _get(url: str, cookie: str | None = None) -> tuple[dict[str, str], int]:
    """Headers (Set-Cookie lines joined by newlines) and status."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        headers = {k.lower(): v for k, v in answer.headers.items()}
        headers["set-cookie"] = "\n".join(answer.headers.get_all("Set-Cookie") or [])
        return headers, answer.status


def _start(db: Path, port: int, workers: int, log: Path) -> subprocess.Popen:
    with open(log, "wb") as handle:
        return subprocess.Popen([str(BALANZA), "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)],
                                stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def _wait_for(log: Path, text: str, server: subprocess.Popen, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while text not in (seen := log.read_text(errors="replace")):
        assert server.poll() is None, seen[-3000:]
        assert time.monotonic() < deadline, f"{text!r} not logged within {timeout:.0f} s:\n{seen[-3000:]}"
        time.sleep(0.2)
    return seen


def _session_processes(session: int) -> dict[int, str]:
    """Live processes of a session (serve and everything it started), by pid: their command lines. Zombies
    (exited, not yet reaped) do not count."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state, _ppid, _pgrp, sid = stat.rsplit(")", 1)[1].split()[:4]
        if int(sid) == session and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _wait_all_gone(session: int, ports: list[int], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while (left := _session_processes(session)) or not all(_port_free(p) for p in ports):
        if time.monotonic() > deadline:
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            busy = [p for p in ports if not _port_free(p)]
            raise AssertionError(f"left behind after {timeout:.0f} s: {left}, ports in use: {busy}")
        time.sleep(0.2)


def _kill_session(session: int) -> None:
    for pid in _session_processes(session):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _established(ports: list[int]) -> set[tuple[int, str]]:
    """Open TCP connections accepted on ``ports`` (IPv4 loopback) as (port, peer), from /proc/net/tcp."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, remote, state = line.split()[1:4]
        port = int(local.split(":")[1], 16)
        if state == "01" and port in ports:  # 01: ESTABLISHED
            found.add((port, remote))
    return found


def _worker_serving(cookie: str, port: int, worker_ports: list[int]) -> int:
    """The worker a browser with ``cookie`` reaches through nginx: its websocket is the connection that opens
    on that worker's port while the socket is open."""
    before = _established(worker_ports)
    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=[Subprotocol("streamlit")],
        origin=Origin(f"http://127.0.0.1:{port}"),
        additional_headers={"Cookie": cookie},
        open_timeout=60,
    ):
        time.sleep(0.1)
        opened = {worker for worker, _peer in _established(worker_ports) - before}
    assert len(opened) == 1, (opened, before)
    return opened.pop()


def _streamlit_pids(session: int) -> dict[int, str]:
    return {pid: cmd for pid, cmd in _session_processes(session).items() if "streamlit run" in cmd}


@pytest.mark.slow
def test_two_workers_sticky_a_killed_worker_comes_back_and_sigkill_of_serve_leaves_nothing(
    bundled_db: Path, tmp_path: Path
) -> None:
    assert shutil.which("nginx") or Path("/usr/sbin/nginx").exists(), "nginx missing: apt-get install nginx"
    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    port = serve.free_port()
    log = tmp_path / "serve.log"
    server = _start(db, port, 2, log)
    worker_ports: list[int] = []
    try:
        seen = _wait_for(log, "workers behind nginx", server)
        worker_ports = [int(p) for p in re.search(r"\(ports \[(\d+), (\d+)\]\)", seen).groups()]  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}/_stcore/health"

        headers, status = _get(url)
        assert status == 200
        # Nothing about nginx's version or the workers reaches the client; no other site may frame the pages.
        assert headers["server"] == "nginx" and not [h for h in headers if h.startswith("x-balanza")]
        assert not [v for v in headers.values() if any(str(p) in v for p in worker_ports)]
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert headers["content-security-policy"] == "frame-ancestors 'self'"
        cookie = re.search(r"(balanza_worker=[^;]+)", headers["set-cookie"]).group(1)  # type: ignore[union-attr]
        assert "balanza_worker" not in _get(url, cookie)[0]["set-cookie"]  # the browser keeps its cookie
        sticky = {_worker_serving(cookie, port, worker_ports) for _ in range(5)}
        assert len(sticky) == 1
        spread = Counter(_worker_serving(f"balanza_worker=client-{n}", port, worker_ports) for n in range(24))
        assert set(spread) == set(worker_ports), spread
        serve.wake("127.0.0.1", port)  # a page runs through nginx's websocket proxying

        # A worker dies: serve starts it again, and the service answers meanwhile, even for its browsers.
        victim = sticky.pop()
        victim_pid = next(
            pid for pid, cmd in _streamlit_pids(server.pid).items() if f"--server.port {victim}" in cmd
        )
        killed_at = time.monotonic()
        os.kill(victim_pid, signal.SIGKILL)
        answered = False
        while time.monotonic() - killed_at < 10 and not answered:
            with contextlib.suppress(OSError):
                answered = _get(url, cookie)[1] == 200
            time.sleep(0.2)
        assert answered, "the service did not answer within 10 s of a worker's death"
        _wait_for(log, f"the worker on port {victim} exited (killed by SIGKILL); restarting it", server, 10)
        _wait_for(log, f"the worker on port {victim} answers again", server, 120)
        assert _worker_serving(cookie, port, worker_ports) == victim  # its browsers are back on it
        assert serve.run_page(f"http://127.0.0.1:{port}", "balances") == []

        # Another serve on the same port is refused at once, with a named error.
        started = time.monotonic()
        second = subprocess.run([str(BALANZA), "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        assert second.returncode == 1 and f"port {port} on 127.0.0.1 is already in use" in second.stderr
        assert time.monotonic() - started < 30 and "Traceback" not in second.stderr

        # SIGKILL of serve: nginx and the workers go with it (parent-death signal), the ports are free.
        assert len(_session_processes(server.pid)) >= 4  # serve, nginx (master and worker), two Streamlit
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        _wait_all_gone(server.pid, [port, *worker_ports])
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
        _kill_session(server.pid)


@pytest.mark.slow
def test_one_worker_is_restarted_and_sigint_stops_everything(bundled_db: Path, tmp_path: Path) -> None:
    port = serve.free_port()
    log = tmp_path / "serve.log"
    server = _start(bundled_db, port, 1, log)
    try:
        _wait_for(log, f"serving on http://127.0.0.1:{port}/", server)
        (pid,) = _streamlit_pids(server.pid)
        os.kill(pid, signal.SIGKILL)
        _wait_for(log, f"the server on port {port} exited (killed by SIGKILL); restarting it", server, 10)
        _wait_for(log, f"the server on port {port} answers again", server, 120)
        assert serve.run_page(f"http://127.0.0.1:{port}", "claims") == []
        os.kill(server.pid, signal.SIGINT)  # Ctrl-C
        assert server.wait(timeout=30) == 0
        _wait_all_gone(server.pid, [port])
        assert "SIGINT received; stopping" in log.read_text()
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
        _kill_session(server.pid)


@pytest.mark.slow
def test_a_worker_that_keeps_dying_makes_serve_stop_with_a_named_line(
    bundled_db: Path, tmp_path: Path
) -> None:
    port = serve.free_port()
    log = tmp_path / "serve.log"
    server = _start(bundled_db, port, 1, log)
    try:
        _wait_for(log, f"serving on http://127.0.0.1:{port}/", server)
        killed: set[int] = set()
        deadline = time.monotonic() + 50  # all within one restart window (60 s)
        while server.poll() is None:
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            for pid in set(_streamlit_pids(server.pid)) - killed:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            time.sleep(0.05)
        assert server.returncode == 1
        assert len(killed) == serve.RESTART_LIMIT + 1
        text = log.read_text(errors="replace")
        assert f"after {serve.RESTART_LIMIT} restarts within {serve.RESTART_WINDOW:.0f} s; stopping" in text
        assert "Traceback" not in text
        _wait_all_gone(server.pid, [port])
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
        _kill_session(server.pid)


def test_a_port_in_use_is_refused_at_once_by_name(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            answer = subprocess.run([str(BALANZA), "serve", "--db", str(tmp_path / "none.duckdb"), "--port",
                                     str(port), "--workers", workers], capture_output=True, text=True, timeout=60)  # fmt: skip
            assert answer.returncode == 1
            assert answer.stderr.startswith(
                f"balanza serve: error: port {port} on 127.0.0.1 is already in use"
            )
            assert "choose another --port" in answer.stderr


def test_the_restart_budget_counts_restarts_within_a_sliding_minute() -> None:
    budget = serve.RestartBudget(limit=3, window=60.0)
    assert [budget.allow(t) for t in (0.0, 10.0, 20.0)] == [True, True, True]
    assert not budget.allow(59.0)  # a fourth within a minute of the first
    assert budget.allow(60.0)  # the first has left the window
    assert not budget.allow(61.0)
    assert budget.allow(200.0)
