"""`balanza serve --workers 2`: two Streamlit processes behind a real nginx, sticky by cookie.

Needs Debian's nginx (.ci/run installs it). Checks what a browser relies on: the first answer sets the
worker cookie, every request carrying that cookie reaches the same worker, different cookies spread over
both workers, and a page runs through the proxy's websocket.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard import serve
from etl.store import copy_database

pytestmark = pytest.mark.slow
BALANZA = Path(sys.executable).with_name("balanza")


def _get(url: str, cookie: str | None = None) -> tuple[dict[str, str], int]:
    """Headers (Set-Cookie lines joined by newlines) and status."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        headers = {k.lower(): v for k, v in answer.headers.items()}
        headers["set-cookie"] = "\n".join(answer.headers.get_all("Set-Cookie") or [])
        return headers, answer.status


def test_two_workers_behind_nginx_with_sticky_sessions(bundled_db: Path, tmp_path: Path) -> None:
    assert shutil.which("nginx") or Path("/usr/sbin/nginx").exists(), (
        "nginx missing: apt-get install nginx-light"
    )
    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    port = serve.free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as handle:
        server = subprocess.Popen([str(BALANZA), "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
                                  stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while b"workers behind nginx" not in log.read_bytes():
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the workers did not come up"
            time.sleep(0.5)
        url = f"http://127.0.0.1:{port}/_stcore/health"

        headers, status = _get(url)
        assert status == 200
        cookie = re.search(r"(balanza_worker=[^;]+)", headers["set-cookie"]).group(1)  # type: ignore[union-attr]
        sticky = {_get(url, cookie)[0]["x-balanza-worker"] for _ in range(10)}
        assert len(sticky) == 1
        assert "balanza_worker" not in _get(url, cookie)[0]["set-cookie"]  # the browser keeps its cookie
        spread = {_get(url, f"balanza_worker=client-{n}")[0]["x-balanza-worker"] for n in range(40)}
        assert len(spread) == 2

        serve.wake("127.0.0.1", port)  # a page runs through nginx's websocket proxying
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(server.pid, signal.SIGTERM)  # as a service manager stops it: serve stops its children
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    time.sleep(1.0)
    leftovers = subprocess.run(
        ["pgrep", "-g", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    if leftovers:
        os.killpg(server.pid, signal.SIGKILL)
    assert not leftovers, "serve left processes behind"
