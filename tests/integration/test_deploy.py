"""docs/deploy.md, as written: the systemd unit, the container file and the TLS proxy in front.

The unit's command and environment and the proxy's configuration are read from the guide's own code blocks,
not copied here: the service is started exactly as the unit says (paths moved into this checkout and a
temporary folder, the port to a free one, everything on 127.0.0.1) behind the proxy block with a throw-away
certificate, and every page is loaded through both. The container file cannot be built here (no container
engine); it is read instead: a Debian base, Debian and PyPI packages only, every file it copies present, and
the same command as the unit.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard import serve
from dashboard.components import URL_PATHS
from etl import settings
from etl.store import copy_database

ROOT = settings.PROJECT_ROOT
GUIDE = ROOT / "docs" / "deploy.md"
CONTAINERFILE = ROOT / "Containerfile"
INSTALL_DIR = "/opt/balanza"
STATE_DIR = "/var/lib/balanza"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VENV_BIN = Path(sys.executable).parent


def fenced_blocks(markdown: str, info: str) -> list[str]:
    return re.findall(rf"^```{info}\n(.*?)^```", markdown, re.S | re.M)


def guide_block(info: str, containing: str) -> str:
    blocks = [b for b in fenced_blocks(GUIDE.read_text(encoding="utf-8"), info) if containing in b]
    assert len(blocks) == 1, f"docs/deploy.md: expected one ```{info} block with {containing!r}"
    return blocks[0]


def unit_text() -> str:
    return guide_block("ini", "[Service]")


def service_settings(unit: str) -> list[tuple[str, str]]:
    """(key, value) lines of the unit's [Service] section, in order."""
    section = unit.split("[Service]", 1)[1].split("\n[", 1)[0]
    return [
        (key.strip(), value.strip())
        for line in section.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
        for key, value in [line.split("=", 1)]
    ]


def local(text: str, state_dir: Path) -> str:
    """The guide's paths moved here: the install folder is this checkout (its venv: the running one), the state
    folder a temporary one."""
    text = text.replace(f"{INSTALL_DIR}/.venv/bin/", f"{VENV_BIN}/")
    return text.replace(INSTALL_DIR, str(ROOT)).replace(STATE_DIR, str(state_dir))


def test_the_unit_file_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze not installed (Debian package systemd)")
    unit = tmp_path / "balanza.service"
    unit.write_text(local(unit_text(), tmp_path), encoding="utf-8")
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0 and not checked.stderr.strip() and not checked.stdout.strip(), (
        checked.stdout + checked.stderr
    )


def containerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines = [
        line for line in CONTAINERFILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in joined.splitlines()
        if line.strip()
    ]


def unit_command() -> list[str]:
    return shlex.split(dict(service_settings(unit_text()))["ExecStart"])


def test_the_container_file_uses_debian_and_pypi_packages_only_and_the_units_command() -> None:
    instructions = containerfile_instructions()
    kinds = [kind for kind, _ in instructions]
    assert kinds[0] == "FROM" and instructions[0][1].startswith("debian:"), instructions[0]
    assert "ADD" not in kinds  # ADD can fetch a URL; COPY only copies the build context
    for kind, arguments in instructions:
        if kind == "COPY":
            *sources, _target = [a for a in arguments.split() if not a.startswith("--")]
            assert all((ROOT / source).exists() for source in sources), arguments
        if kind == "RUN":
            assert not re.search(r"\b(curl|wget|git|https?://)", arguments), (
                f"downloads outside apt/pip: {arguments}"
            )
            for command in re.split(r"&&|;", arguments):
                words = command.split()
                if words[:1] and words[0].endswith("pip"):
                    assert words[1] == "install" and words[-1] == INSTALL_DIR and "[" not in command, command
                    continue  # the project from the copied tree: its runtime dependencies from PyPI
                if words[:2] == ["apt-get", "install"]:
                    continue  # Debian's packages
                for word in words:  # anything else names files of the image: the project's own, or the venv
                    if word.startswith(f"{INSTALL_DIR}/") and "/.venv/" not in word:
                        assert (ROOT / word.removeprefix(f"{INSTALL_DIR}/")).exists(), word
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    # The image builds its own venv and database (a catalogue and its store folder).
    assert {".git", ".venv", "**/*.duckdb", "**/*.duckdb.*"} <= set(ignored)
    # It runs what the unit runs, listening on the container's interface instead of the loopback one.
    command = json.loads(dict(instructions)["CMD"])
    expected = unit_command()
    expected[expected.index("--host") + 1] = "0.0.0.0"
    assert command == expected
    # ... and the state folder the unit uses is where the image builds the database.
    env = dict(instructions)["ENV"]
    assert f"BALANZA_DB={STATE_DIR}/balanza.duckdb" in env.split()
    assert f"BALANZA_DB={STATE_DIR}/balanza.duckdb" in [
        v for k, v in service_settings(unit_text()) if k == "Environment"
    ]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=balanza.example.org",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def proxy_config(
    folder: Path, service_port: int, https_port: int, http_port: int, cert: Path, key: Path
) -> str:
    """The guide's proxy block inside a minimal nginx configuration of its own (temporary folders, no root)."""
    block = guide_block("nginx", "ssl_certificate")
    block = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", block)
    block = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", block)
    block = re.sub(r"ssl_certificate \S+;", f"ssl_certificate {cert};", block)
    block = re.sub(r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", block)
    assert "proxy_pass http://127.0.0.1:8501;" in block
    block = block.replace("proxy_pass http://127.0.0.1:8501;", f"proxy_pass http://127.0.0.1:{service_port};")
    temp = " ".join(
        f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"pid {folder}/nginx.pid;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n access_log off;\n {temp}\n{block}\n}}\n"
    )


def _get(url: str, context: ssl.SSLContext | None = None) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(url, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, {k.lower(): v for k, v in answer.headers.items()}, b""


def _stop(process: subprocess.Popen, timeout: float) -> int:
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


@pytest.mark.slow
def test_the_service_started_as_the_guide_says_serves_every_page_through_the_tls_proxy(
    bundled_db: Path, tmp_path: Path
) -> None:
    assert Path(NGINX).exists(), "nginx missing: apt-get install nginx"
    if not shutil.which("openssl"):
        pytest.skip("openssl missing (Debian package openssl): needed for the proxy's test certificate")
    state = tmp_path / "state"
    state.mkdir()
    unit = service_settings(local(unit_text(), state))
    values = dict(unit)
    env = dict(os.environ)
    env.update(v.split("=", 1) for k, v in unit if k == "Environment")
    copy_database(bundled_db, Path(env["BALANZA_DB"]))  # the database the install steps build, with its store
    command = shlex.split(values["ExecStart"])
    assert command[command.index("--host") + 1] == "127.0.0.1"  # behind the proxy, never on every interface
    assert command[command.index("--port") + 1] == "8501"
    port = serve.free_port()
    command[command.index("--port") + 1] = str(port)
    stop_timeout = float(values["TimeoutStopSec"])
    log = tmp_path / "service.log"
    with open(log, "wb") as handle:
        service = subprocess.Popen(command, cwd=values["WorkingDirectory"], env=env, stdout=handle,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    proxy: subprocess.Popen | None = None
    try:
        deadline = time.monotonic() + 240
        while b"workers behind nginx" not in log.read_bytes():
            assert service.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the service did not come up"
            time.sleep(0.5)

        cert, key = self_signed_certificate(tmp_path)
        https_port, http_port = serve.free_port(), serve.free_port()
        (tmp_path / "proxy").mkdir()
        conf = tmp_path / "proxy" / "nginx.conf"
        conf.write_text(
            proxy_config(tmp_path / "proxy", port, https_port, http_port, cert, key), encoding="utf-8"
        )
        proxy = subprocess.Popen([NGINX, "-p", str(tmp_path / "proxy"), "-c", str(conf), "-e", str(tmp_path / "proxy" / "error.log"),
                                  "-g", "daemon off;"], start_new_session=True)  # fmt: skip
        tls = ssl.create_default_context(cafile=str(cert))
        tls.check_hostname = False  # the certificate names balanza.example.org; the test reaches 127.0.0.1
        base = f"https://127.0.0.1:{https_port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = _get(f"{base}/", tls)
                break
            except OSError:
                assert proxy.poll() is None and time.monotonic() < deadline, "the proxy did not start"
                time.sleep(0.2)
        assert status == 200 and b"<html" in body.lower()
        assert headers["strict-transport-security"].startswith("max-age=")
        assert (
            headers["server"] == "nginx" and headers["x-frame-options"] == "SAMEORIGIN"
        )  # both proxies' headers
        long_link = f"{base}/scenarios?sc={'A' * 64_000}"  # the longest link the Scenarios page reads
        assert _get(long_link, tls)[0] == 200
        redirect = _get(f"http://127.0.0.1:{http_port}/balances?lang=es")
        assert redirect[0] == 301 and redirect[1]["location"] == "https://127.0.0.1/balances?lang=es"

        pages = ["", *URL_PATHS[1:]]  # the first is the default page, served at the root
        problems = {page or "(default)": serve.run_page(base, page, ssl_context=tls) for page in pages}
        assert problems == {page or "(default)": [] for page in pages}
    finally:
        if proxy is not None:
            _stop(proxy, 10)
        # systemd stops it with SIGTERM to the main process (KillMode=mixed) and waits TimeoutStopSec.
        code = _stop(service, stop_timeout)
    assert code == 0, log.read_text(errors="replace")[-3000:]
    leftovers = subprocess.run(
        ["pgrep", "-s", str(service.pid)], capture_output=True, text=True
    ).stdout.split()
    assert not leftovers, f"the service left processes behind: {leftovers}"


# The PATH systemd gives a service (systemd.exec(5)), not the test runner's.
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"

DRAW_AND_PRINT = """
import json
import plotly.graph_objects as go
from dashboard.deck import browser_path, html_to_pdf, render_images
drawn = render_images([go.Figure(go.Bar(x=["2023", "2024"], y=[-12.8, -14.1]))])
pdf = html_to_pdf("<!doctype html><html><body><p>Balanza</p></body></html>")
png = drawn.images[0] or b""
print(json.dumps({"browser": browser_path(), "problem": drawn.problem, "png": png[:8].hex(), "pdf": pdf[:5].hex()}))
"""


@pytest.mark.slow
def test_the_guide_installs_the_chromium_that_draws_decks_and_prints_reports_in_the_units_environment(
    tmp_path: Path,
) -> None:
    """The server's install line and the image both take Debian's `chromium`; a worker started with the unit's
    working directory and environment (its HOME, systemd's PATH) finds it, draws a chart for a slide and prints
    a PDF report."""
    assert "chromium" in guide_block("sh", "apt-get install").split()
    apt = [a for kind, a in containerfile_instructions() if kind == "RUN" and "apt-get install" in a]
    assert apt and "chromium" in apt[0].split()
    assert Path("/usr/bin/chromium").exists(), "chromium missing: apt-get install chromium"
    state = tmp_path / "state"
    state.mkdir()
    unit = service_settings(local(unit_text(), state))
    env = {"PATH": SYSTEMD_PATH, **dict(v.split("=", 1) for k, v in unit if k == "Environment")}
    done = subprocess.run([sys.executable, "-c", DRAW_AND_PRINT], cwd=dict(unit)["WorkingDirectory"], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["browser"] == "/usr/bin/chromium"
    assert result["problem"] is None and bytes.fromhex(result["png"]) == b"\x89PNG\r\n\x1a\n"
    assert bytes.fromhex(result["pdf"]) == b"%PDF-"
