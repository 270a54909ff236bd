"""The nginx `balanza serve --workers N` runs, with its real configuration, in front of a small 127.0.0.1 server
that stands in for a Streamlit worker (it answers every request with the number of body bytes it received).

Request bodies up to the upload bound pass: nginx writes the larger ones to its temporary folders inside serve's
private folder, which must work when serve runs as root (nginx's workers then run as nobody) and as an ordinary
user. Larger bodies are refused by nginx itself (413), with or without a Content-Length.
"""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dashboard import serve
from dashboard.scenarios.form import MAX_FILE_BYTES

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UNPRIVILEGED = "nobody"


class _Worker(BaseHTTPRequestHandler):
    """Stands in for a Streamlit worker: answers the length of the body it read."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        received = len(self.rfile.read(length)) if length else 0
        body = str(received).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _worker() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Worker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _nginx(port: int, worker_port: int, user: str | None) -> Iterator[Path]:
    """nginx with serve's configuration on ``port``; as ``user`` (None: as this process's user)."""
    run_dir = Path(tempfile.mkdtemp(prefix="balanza-serve-test-"))
    if user is None:
        process = subprocess.Popen(serve.nginx_command(NGINX, run_dir, "127.0.0.1", port, [worker_port]))
    else:
        # serve's private folder as that user would have it (its own, 0700, the configuration 0600), then nginx
        # started from that user. Nothing of the checkout is read as that user: a clean clone may sit in a
        # folder only its owner can enter (mktemp -d).
        account = pwd.getpwnam(user)
        command = serve.nginx_command(NGINX, run_dir, "127.0.0.1", port, [worker_port])
        for path in (run_dir, run_dir / "nginx.conf"):
            os.chown(path, account.pw_uid, account.pw_gid)
        run_dir.chmod(0o700)
        process = subprocess.Popen(
            ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", "--", *command],
            cwd="/", env=dict(os.environ, HOME="/"),
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/")
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                log = run_dir / "error.log"
                assert process.poll() is None and time.monotonic() < deadline, (
                    log.read_text() if log.exists() else "nginx did not start"
                )
                time.sleep(0.1)
        yield run_dir
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(run_dir, ignore_errors=True)


def _post(port: int, body: bytes, *, chunked: bool = False) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        if chunked:
            pieces = (body[i : i + 65536] for i in range(0, len(body), 65536))
            connection.request("POST", "/_stcore/upload_file/s/f", body=pieces, encode_chunked=True)
        else:
            connection.request("POST", "/_stcore/upload_file/s/f", body=body)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def _users() -> list[str | None]:
    """This process's user, and an unprivileged one when this process is root (the case that failed: nginx's
    workers run as nobody and could not write into root's private folder)."""
    return [None, UNPRIVILEGED] if os.geteuid() == 0 and shutil.which("setpriv") else [None]


@pytest.mark.parametrize("user", _users(), ids=lambda u: u or f"as uid {os.geteuid()}")
def test_bodies_up_to_the_upload_bound_pass_and_larger_ones_are_refused_by_nginx(user: str | None) -> None:
    assert Path(NGINX).exists(), "nginx missing: apt-get install nginx"
    port = serve.free_port()
    with _worker() as worker_port, _nginx(port, worker_port, user) as run_dir:
        for size in (
            20_000,
            200_000,
            MAX_FILE_BYTES,
        ):  # beyond nginx's in-memory buffer: written to its temp folder
            assert _post(port, b"x" * size) == (200, str(size).encode()), size
        assert _post(port, b"x" * 300_000, chunked=True) == (200, b"300000")
        assert _post(port, b"x" * (MAX_FILE_BYTES + 1))[0] == 413
        assert _post(port, b"x" * (MAX_FILE_BYTES + 1), chunked=True)[0] == 413
        # Its temporary folders are nginx's workers' own; serve's folder lets them through without a listing.
        body = run_dir / "body"
        assert body.stat().st_mode & 0o777 == 0o700
        if os.geteuid() == 0:
            assert body.stat().st_uid == pwd.getpwnam(UNPRIVILEGED).pw_uid
            assert run_dir.stat().st_mode & 0o777 == (0o711 if user is None else 0o700)
        assert (run_dir / "nginx.conf").stat().st_mode & 0o777 == 0o600


SECURITY_HEADERS = {
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": "frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body)
        answer = connection.getresponse()
        answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}
    finally:
        connection.close()


def test_answers_show_no_version_and_no_worker_and_forbid_framing_by_other_sites() -> None:
    port = serve.free_port()
    with _worker() as worker_port, _nginx(port, worker_port, None):
        link = "/scenarios?sc=" + "A" * 64_000 + "&lang=es"  # the longest link the Scenarios page reads
        answers = {
            "page": _request(port, "GET", "/"),
            "long link": _request(port, "GET", link),
            "too large": _request(port, "POST", "/_stcore/upload_file/s/f", b"x" * (MAX_FILE_BYTES + 1)),
        }
    answers["worker gone"] = _answer_without_worker(port)
    assert {what: status for what, (status, _) in answers.items()} == {
        "page": 200, "long link": 200, "too large": 413, "worker gone": 502,
    }  # fmt: skip
    for what, (_status, headers) in answers.items():
        assert headers["server"] == "nginx", what  # no version, and not the worker's own Server header
        assert {name: headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS, what
        leaked = [
            f"{k}: {v}" for k, v in headers.items() if str(worker_port) in v or k.startswith("x-balanza")
        ]
        assert not leaked, (what, leaked)


def _answer_without_worker(port: int) -> tuple[int, dict[str, str]]:
    """nginx's answer when its only worker is gone (a 502 page of its own)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # a closed port stands in for the dead worker
    dead_port = listener.getsockname()[1]
    listener.close()
    with _nginx(port, dead_port, None):
        return _request(port, "GET", "/")


@pytest.mark.slow
def test_a_client_that_sends_slowly_is_cut_off() -> None:
    """A client that never finishes its request line, or its body, is disconnected by nginx's timeouts (10 s
    between two reads of the headers, 20 s of the body), not kept forever."""
    port = serve.free_port()
    with _worker() as worker_port, _nginx(port, worker_port, None):
        results: dict[str, float] = {}

        def stall(what: str, first_bytes: bytes) -> None:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as client:
                client.sendall(first_bytes)
                started = time.monotonic()
                while client.recv(4096):  # nginx may answer 408 first; then it closes
                    pass
                results[what] = time.monotonic() - started

        threads = [
            threading.Thread(target=stall, args=("headers", b"GET / HTTP/1.1\r\nHost: x\r\n")),
            threading.Thread(
                target=stall,
                args=(
                    "body",
                    b"POST /_stcore/upload_file/s/f HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Length: 1000\r\n\r\n0123456789",
                ),
            ),  # fmt: skip
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
    assert 8 < results["headers"] < 20 and 18 < results["body"] < 35, results
