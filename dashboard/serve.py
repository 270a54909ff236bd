"""`balanza serve`: one Streamlit server, or several behind nginx with sticky sessions.

One Streamlit process runs every page script under one interpreter lock. With ``--workers N`` (N > 1),
N Streamlit processes listen on private loopback ports and nginx (Debian package ``nginx``) listens on the
public address: each browser gets a cookie naming its worker on its first request, so its websocket, uploads
and downloads all reach the process that holds its session; a client without the cookie (a first visit, a
script) is placed by a hash of a random request id. Every worker is woken once it answers its health check:
the wake-up runs the default page, which starts the worker's warming thread (dashboard.components).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from etl import settings
from etl.errors import BalanzaError

APP = settings.PROJECT_ROOT / "dashboard" / "streamlit_app.py"
WORKER_HOST = "127.0.0.1"
COOKIE = "balanza_worker"
HEALTH_TIMEOUT = 90.0

NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 200m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    # Sticky sessions: the cookie names the worker; without one, a random request id places the client.
    map $cookie_{cookie} $balanza_route {{ "" $request_id; default $cookie_{cookie}; }}
    map $cookie_{cookie} $balanza_set_cookie {{
        "" "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    upstream balanza {{
        hash $balanza_route consistent;
{servers}
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://balanza;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie $balanza_set_cookie;
            add_header X-Balanza-Worker $upstream_addr;
        }}
    }}
}}
"""


def streamlit_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", host, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        # The grid's own toolbar "Download as CSV" exports text cells as they are (live =HYPERLINK(…)): hidden;
        # every table has the page's own CSV download, which neutralises formulas (dashboard/csv_export.py).
        "--client.disableDataExport", "true",
        # Streamlit runs a full garbage collection (gc.collect(2)) after every page run by default: with the
        # shared results in memory that was about a third of the server's CPU per page load. Python's own
        # generational collector still runs; the warming thread freezes the shared results (dashboard/runtime.py).
        "--runner.postScriptGC", "false",
    ]  # fmt: skip


def server_env(db: Path) -> dict[str, str]:
    return dict(os.environ, BALANZA_DB=str(db.resolve()), **{settings.WARM.name: "1"})


def nginx_config(run_dir: Path, host: str, port: int, worker_ports: Sequence[int]) -> str:
    servers = "\n".join(f"        server {WORKER_HOST}:{p} max_fails=0;" for p in worker_ports)
    return NGINX_CONF.format(run=run_dir, cookie=COOKIE, servers=servers, host=host, port=port)


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if not found:
        raise BalanzaError("nginx not found: `balanza serve --workers N` (N > 1) puts nginx in front of the workers",
                           hint="install Debian's package: apt-get install nginx-light (or nginx), or serve with --workers 1")  # fmt: skip
    return found


def free_port(host: str = WORKER_HOST) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def wait_healthy(
    host: str, port: int, process: subprocess.Popen | None = None, timeout: float = HEALTH_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise BalanzaError(f"the server on port {port} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise BalanzaError(f"the server on port {port} did not answer its health check within {timeout:.0f}s")


def wake(host: str, port: int, timeout: float = 120.0) -> None:
    """Run the default page once in a throw-away session (starts the worker's warming thread)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect
    from websockets.typing import Origin, Subprotocol

    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_name = ""
    with connect(
        f"ws://{host}:{port}/_stcore/stream",
        subprotocols=[Subprotocol("streamlit")],
        origin=Origin(f"http://{host}:{port}"),
        max_size=None,
        open_timeout=timeout,
    ) as ws:
        ws.send(message.SerializeToString())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            forward = ForwardMsg()
            forward.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if forward.WhichOneof("type") == "script_finished":
                return


def _wake_quietly(host: str, port: int) -> None:
    try:
        wake(host, port)
    except Exception as exc:  # the server still serves; its first visitor warms it instead
        print(
            f"balanza: could not wake the server on port {port} ({type(exc).__name__}: {exc})",
            file=sys.stderr,
        )


def serve(
    db: Path, host: str = settings.SERVE_HOST, port: int = settings.SERVE_PORT, workers: int = 1
) -> int:
    """Serve until interrupted; returns the exit status."""
    env = server_env(db)
    processes: list[subprocess.Popen] = []
    run_dir = Path(tempfile.mkdtemp(prefix="balanza-serve-"))
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if workers <= 1:
            processes.append(subprocess.Popen(streamlit_command(host, port), env=env))
            wait_healthy(host, port, processes[0])
            _wake_quietly(host, port)
        else:
            nginx = nginx_binary()
            # One cookie secret for all workers (Streamlit's XSRF cookie), passed the only way it accepts.
            worker_env = dict(env, STREAMLIT_SERVER_COOKIE_SECRET=secrets.token_hex(16))
            worker_ports = [free_port() for _ in range(workers)]
            for worker_port in worker_ports:
                processes.append(
                    subprocess.Popen(streamlit_command(WORKER_HOST, worker_port), env=worker_env)
                )
            conf = run_dir / "nginx.conf"
            conf.write_text(nginx_config(run_dir, host, port, worker_ports), encoding="utf-8")
            processes.append(
                subprocess.Popen([nginx, "-c", str(conf), "-p", str(run_dir), "-g", "daemon off;"])
            )
            for process, worker_port in zip(processes, worker_ports, strict=False):
                wait_healthy(WORKER_HOST, worker_port, process)
                _wake_quietly(WORKER_HOST, worker_port)
            wait_healthy(host, port, processes[-1])
            print(f"balanza: {workers} workers behind nginx on http://{host}:{port}/ (ports {worker_ports})",
                  flush=True)  # fmt: skip
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        failed = next(p for p in processes if p.poll() is not None)
        return 0 if stopping else (failed.returncode or 1)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(run_dir, ignore_errors=True)


def register(sub: argparse._SubParsersAction) -> None:
    """Add `balanza serve` to the command line."""
    parser = sub.add_parser("serve", help="serve the dashboard (Streamlit)")
    settings.add_db_flag(parser)
    parser.add_argument("--host", default=settings.SERVE_HOST)
    parser.add_argument("--port", type=int, default=settings.SERVE_PORT)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Streamlit processes; more than 1 puts nginx (Debian package) in front, sticky sessions",
    )
    parser.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    return serve(settings.db_path(args.db), args.host, args.port, workers=args.workers)
