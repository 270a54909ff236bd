"""`balanza serve`: one Streamlit server, or several behind nginx with sticky sessions.

One Streamlit process runs every page script under one interpreter lock. With ``--workers N`` (N > 1),
N Streamlit processes listen on private loopback ports and nginx (Debian package ``nginx``) listens on the
public address: each browser gets a cookie naming its worker on its first request, so its websocket, uploads
and downloads all reach the process that holds its session; a client without the cookie (a first visit, a
script) is placed by a hash of a random request id. Every worker is woken once it answers its health check:
the wake-up runs the default page, which starts the worker's warming thread (dashboard.components).

`serve` supervises what it starts: a worker or nginx that exits is started again (at most RESTART_LIMIT times a
minute), each child runs in its own process group and dies with `serve` even when `serve` is killed (a
parent-death signal), and a port already in use is refused before anything starts. nginx shows no version and
nothing about the workers, forbids framing by other sites and bounds what clients send (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import ctypes
import errno
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from etl import settings
from etl.errors import BalanzaError

APP = settings.PROJECT_ROOT / "dashboard" / "streamlit_app.py"
WORKER_HOST = "127.0.0.1"
COOKIE = "balanza_worker"
HEALTH_TIMEOUT = 90.0
# nginx's buffer for a request line: the Scenarios page's link (model.scenario_link.MAX_LINK_CHARS) and the rest of
# the address.
HEADER_BUFFER_KB = 80

NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    # What a client may send, and how slowly: the largest upload (a scenario file), a request line that holds the
    # Scenarios page's link (its sc= parameter is up to 64,000 characters), and timeouts between two reads.
    client_max_body_size {max_upload_mb}m;
    large_client_header_buffers 4 {header_kb}k;
    client_header_timeout 10s;
    client_body_timeout 20s;
    send_timeout 30s;
    keepalive_timeout 30s;
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
        listen {listen};
        # Framed only by its own pages (not by another site), no content-type sniffing, no address sent to other
        # sites: on every answer, errors included. Nothing about the workers is sent (nginx hides their Server).
        add_header X-Frame-Options SAMEORIGIN always;
        add_header Content-Security-Policy "frame-ancestors 'self'" always;
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy same-origin always;
        add_header Set-Cookie $balanza_set_cookie;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_connect_timeout 5s;
        proxy_buffering off;
        location / {{
            proxy_pass http://balanza;
            proxy_read_timeout 60s;
        }}
        # The page's websocket stays open while the page is open; Streamlit pings it meanwhile.
        location /_stcore/stream {{
            proxy_pass http://balanza;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
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
        # The reader's toolbar only: no "Deploy" button (as .streamlit/config.toml says for `streamlit run`).
        "--client.toolbarMode", "viewer",
        # Streamlit runs a full garbage collection (gc.collect(2)) after every page run by default: with the
        # shared results in memory that was about a third of the server's CPU per page load. Python's own
        # generational collector still runs; the warming thread freezes the shared results (dashboard/runtime.py).
        "--runner.postScriptGC", "false",
        # The largest upload (a scenario file), refused by Streamlit's upload handler beyond it; nginx's body limit
        # is the same (settings.MAX_UPLOAD_MB).
        "--server.maxUploadSize", str(settings.MAX_UPLOAD_MB),
    ]  # fmt: skip


def server_env(db: Path) -> dict[str, str]:
    return dict(os.environ, BALANZA_DB=str(db.resolve()), **{settings.WARM.name: "1"})


def nginx_config(run_dir: Path, host: str, port: int, worker_ports: Sequence[int]) -> str:
    servers = "\n".join(f"        server {WORKER_HOST}:{p} max_fails=0;" for p in worker_ports)
    listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # an IPv6 address in brackets
    return NGINX_CONF.format(run=run_dir, cookie=COOKIE, servers=servers, listen=listen, header_kb=HEADER_BUFFER_KB,
                             max_upload_mb=settings.MAX_UPLOAD_MB)  # fmt: skip


def nginx_command(nginx: str, run_dir: Path, host: str, port: int, worker_ports: Sequence[int]) -> list[str]:
    """Write nginx's configuration into ``run_dir`` (serve's private folder) and return the command that runs it.

    Request bodies larger than nginx's buffer go to temporary folders nginx creates inside ``run_dir``, mode 0700,
    owned by the user its worker processes run as. Started by root, nginx runs them as an unprivileged user (its
    built-in default, nobody): ``run_dir`` then lets others through (0711) without letting them list it, and the
    configuration is root's alone (0600). Started by any other user, everything is that user's (0700)."""
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx_config(run_dir, host, port, worker_ports), encoding="utf-8")
    conf.chmod(0o600)
    run_dir.chmod(0o711 if os.geteuid() == 0 else 0o700)
    return [nginx, "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-g", "daemon off;"]


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if not found:
        raise BalanzaError("nginx not found: `balanza serve --workers N` (N > 1) puts nginx in front of the workers",
                           hint="install Debian's package: apt-get install nginx-light (or nginx), or serve with --workers 1")  # fmt: skip
    return found


def base_url(host: str, port: int) -> str:
    """http://host:port, an IPv6 address in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


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
            with urllib.request.urlopen(f"{base_url(host, port)}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise BalanzaError(f"the server on port {port} did not answer its health check within {timeout:.0f}s")


def run_page(
    base_url: str, page: str = "", *, timeout: float = 120.0, ssl_context: ssl.SSLContext | None = None
) -> list[str]:
    """Run one page (its URL path; "" the default page) in a throw-away session over the dashboard's websocket,
    as a browser does; returns the messages of the exceptions the page showed (none: []).

    ``base_url``: http(s)://host:port[/path] of the dashboard (a proxy's address works the same way)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.exceptions import InvalidMessage
    from websockets.sync.client import ClientConnection, connect
    from websockets.typing import Origin, Subprotocol

    address = urlsplit(base_url)
    socket_url = urlunsplit(("wss" if address.scheme == "https" else "ws", address.netloc,
                             address.path.rstrip("/") + "/_stcore/stream", "", ""))  # fmt: skip
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_name = page
    problems: list[str] = []

    def open_socket() -> ClientConnection:
        return connect(
            socket_url,
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"{address.scheme}://{address.netloc}"),
            max_size=None,
            open_timeout=timeout,
            ssl=ssl_context,
        )

    try:
        socket = open_socket()
    except (InvalidMessage, ConnectionResetError):
        # A connection dropped before the handshake's answer (seen once through two proxies on a loaded
        # machine): connect again once, as Streamlit's own page does when its socket drops.
        time.sleep(1.0)
        socket = open_socket()
    with socket as ws:
        ws.send(message.SerializeToString())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            forward = ForwardMsg()
            forward.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.new_element.WhichOneof("type") == "exception":
                problems.append(forward.delta.new_element.exception.message)
            elif kind == "page_not_found":
                problems.append(f"no page {page!r}")
            elif kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problems.append("the page script does not compile")
                return problems
    raise TimeoutError(f"the page {page or '(default)'!r} did not finish within {timeout:.0f}s")


def wake(host: str, port: int, timeout: float = 120.0) -> None:
    """Run the default page once in a throw-away session (starts the worker's warming thread)."""
    run_page(base_url(host, port), timeout=timeout)


def log(message: str) -> None:
    """One line on stderr (the service's journal)."""
    print(f"balanza serve: {message}", file=sys.stderr, flush=True)


def _wake_quietly(host: str, port: int) -> None:
    try:
        wake(host, port)
    except Exception as exc:  # the server still serves; its first visitor warms it instead
        log(f"could not wake the server on port {port} ({type(exc).__name__}: {exc})")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.0.0.1, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class PortInUseError(BalanzaError):
    """The address `serve` should listen on is taken (another server, or an earlier `serve` still running)."""


def check_can_listen(host: str, port: int) -> None:
    """Raise a named error at once when ``host``:``port`` cannot be listened on (before any process starts)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise BalanzaError(
            f"cannot listen on {host}: {exc.strerror}", hint="give --host an address of this machine"
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers themselves do
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    f"port {port} on {host} is already in use",
                    hint="stop what listens there (another `balanza serve`?) or choose another --port",
                ) from None
            raise BalanzaError(f"cannot listen on {host}:{port}: {exc.strerror}",
                               hint="choose another --host or --port (ports below 1024 need root)") from None  # fmt: skip


# Supervision: a child that exits is started again, at most RESTART_LIMIT times within RESTART_WINDOW seconds
# (then serve stops and exits 1, and its own supervisor, systemd or the container engine, takes over).
RESTART_LIMIT = 5
RESTART_WINDOW = 60.0
STOP_TIMEOUT = 15.0  # seconds a child gets to stop after SIGTERM, then SIGKILL
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Looked up once here: the child calls it between fork and exec, where nothing should be loaded or allocated.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


class RestartBudget:
    """At most ``limit`` restarts within any ``window`` seconds."""

    def __init__(self, limit: int = RESTART_LIMIT, window: float = RESTART_WINDOW) -> None:
        self.limit, self.window = limit, window
        self.times: collections.deque[float] = collections.deque()

    def allow(self, now: float) -> bool:
        """Whether a restart at ``now`` is within the budget (and if so, count it)."""
        while self.times and now - self.times[0] >= self.window:
            self.times.popleft()
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        return True


def _die_with(parent: int, death_signal: int) -> Callable[[], None]:
    """Run in a child between fork and exec: the kernel sends it ``death_signal`` when ``parent`` (this
    process's thread that started it) dies, even by SIGKILL; a child whose parent is already gone stops."""

    def setup() -> None:
        if _PRCTL is not None:
            _PRCTL(PR_SET_PDEATHSIG, death_signal, 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), death_signal)

    return setup


@dataclass
class Child:
    """A process `serve` keeps running: a Streamlit worker or nginx."""

    name: str
    command: list[str]
    env: dict[str, str] | None
    death_signal: int
    port: int | None = None  # where a Streamlit server answers its health check
    host: str = WORKER_HOST
    process: subprocess.Popen | None = None
    budget: RestartBudget = field(default_factory=RestartBudget)

    def start(self) -> None:
        # Its own process group: a terminal's Ctrl-C reaches serve alone, which stops the children in order,
        # and nginx's workers go with their master (killpg).
        self.process = subprocess.Popen(self.command, env=self.env, process_group=0,
                                        preexec_fn=_die_with(os.getpid(), self.death_signal))  # fmt: skip

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signum)


def describe_exit(code: int) -> str:
    return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"


def _recover(name: str, host: str, port: int, process: subprocess.Popen) -> None:
    """After a restart: wait until the server answers, log it, and wake it (a thread: serve keeps supervising)."""
    try:
        wait_healthy(host, port, process)
    except BalanzaError:
        return  # it died again: the supervision loop sees it
    log(f"{name} answers again")
    _wake_quietly(host, port)


def supervise(children: Sequence[Child], poll: float = 0.2) -> int:
    """Restart every child that exits, within its restart budget; returns 1 when one exhausts it."""
    while True:
        for child in children:
            assert child.process is not None
            code = child.process.poll()
            if code is None:
                continue
            if not child.budget.allow(time.monotonic()):
                log(f"{child.name} exited ({describe_exit(code)}) after {child.budget.limit} restarts within "
                    f"{child.budget.window:.0f} s; stopping")  # fmt: skip
                return 1
            log(f"{child.name} exited ({describe_exit(code)}); restarting it "
                f"(restart {len(child.budget.times)} of at most {child.budget.limit} a minute)")  # fmt: skip
            child.start()
            if child.port is not None:
                recover = (child.name, child.host, child.port, child.process)
                threading.Thread(target=_recover, args=recover, name="balanza-recover", daemon=True).start()
        time.sleep(poll)


def stop_children(children: Sequence[Child], timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM to every child's process group (nginx first: no new requests), then SIGKILL what is left."""
    for child in children:
        if child.alive():
            child.signal_group(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{child.name} did not stop within {timeout:.0f} s; killing it")
        child.signal_group(signal.SIGKILL)  # what is left of its group (nginx's own workers)
        child.process.wait()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def serve(
    db: Path, host: str = settings.SERVE_HOST, port: int = settings.SERVE_PORT, workers: int = 1
) -> int:
    """Serve until SIGTERM, SIGINT or SIGHUP (returns 0), restarting a worker or nginx that exits; returns 1
    when one exits more than RESTART_LIMIT times a minute. Children die with serve, even on SIGKILL."""
    check_can_listen(host, port)
    env = server_env(db)
    children: list[Child] = []
    run_dir = Path(tempfile.mkdtemp(prefix="balanza-serve-"))

    def stop(signum: int, _frame: object) -> None:
        log(f"{signal.Signals(signum).name} received; stopping")
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        if workers <= 1:
            # A worker dies with serve by SIGKILL: nothing in it needs a clean stop (the database is read-only).
            children.append(
                Child(f"the server on port {port}", streamlit_command(host, port), env, signal.SIGKILL,
                      port=port, host=host)
            )  # fmt: skip
            children[0].start()
            assert children[0].process is not None
            wait_healthy(host, port, children[0].process)
            _wake_quietly(host, port)
            log(f"serving on {base_url(host, port)}/")
            if not is_loopback(host):
                log(f"Streamlit's own server faces the network on {host}: no anti-framing headers, no limits on "
                    "slow clients; for a team use --workers 2 (nginx in front) behind TLS (docs/deploy.md)")  # fmt: skip
        else:
            # One cookie secret for all workers (Streamlit's XSRF cookie), passed the only way it accepts.
            worker_env = dict(env, STREAMLIT_SERVER_COOKIE_SECRET=secrets.token_hex(16))
            worker_ports = [free_port() for _ in range(workers)]
            for worker_port in worker_ports:
                children.append(Child(f"the worker on port {worker_port}", streamlit_command(WORKER_HOST, worker_port),
                                      worker_env, signal.SIGKILL, port=worker_port))  # fmt: skip
            # nginx gets SIGTERM when serve dies: its fast shutdown stops its own worker processes too.
            command = nginx_command(nginx_binary(), run_dir, host, port, worker_ports)
            children.insert(0, Child("nginx", command, None, signal.SIGTERM))
            for child in children:
                child.start()
            for child in children[1:]:
                assert child.process is not None and child.port is not None
                wait_healthy(WORKER_HOST, child.port, child.process)
                _wake_quietly(WORKER_HOST, child.port)
            assert children[0].process is not None
            wait_healthy(host, port, children[0].process)
            print(f"balanza: {workers} workers behind nginx on {base_url(host, port)}/ (ports {worker_ports})",
                  flush=True)  # fmt: skip
        return supervise(children)
    except KeyboardInterrupt:
        return 0
    finally:
        for signum in STOP_SIGNALS:  # a second Ctrl-C cannot cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        stop_children(children)
        shutil.rmtree(run_dir, ignore_errors=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


SERVE_DESCRIPTION = """\
Serve the dashboard. One worker: Streamlit itself listens on HOST:PORT. Several (--workers N): N Streamlit
processes on private loopback ports and nginx on HOST:PORT in front, sticky sessions (docs/deploy.md).
Links in CSV files and scenario reports point to the address the dashboard was opened at; behind a reverse
proxy set BALANZA_PUBLIC_URL to the public address (e.g. https://balanza.example.org/)."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `balanza serve` to the command line."""
    parser = sub.add_parser("serve", help="serve the dashboard (Streamlit)", description=SERVE_DESCRIPTION)
    settings.add_db_flag(parser)
    parser.add_argument(
        "--host",
        default=settings.SERVE_HOST,
        help=f"address to listen on (default {settings.SERVE_HOST}: this machine only). 0.0.0.0 listens on every "
        "network interface: anyone who can reach this machine can open the dashboard, with no login",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=settings.SERVE_PORT,
        help=f"port to listen on (default {settings.SERVE_PORT})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Streamlit processes (default 1). More than 1 puts nginx (Debian package) in front, with sticky "
        "sessions: one process runs every page under one interpreter lock, so N workers use N cores",
    )
    parser.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    return serve(settings.db_path(args.db), args.host, args.port, workers=args.workers)
