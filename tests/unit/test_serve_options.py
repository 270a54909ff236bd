"""The options `balanza serve` starts Streamlit with, and the project's .streamlit/config.toml, agree."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from dashboard.serve import streamlit_command
from etl import settings


def _option(command: list[str], name: str) -> str:
    return command[command.index(f"--{name}") + 1]


def test_no_full_garbage_collection_after_every_page_run() -> None:
    """Streamlit's default gc.collect(2) after each run cost about a third of a page load's server CPU."""
    command = streamlit_command("127.0.0.1", 8501)
    assert _option(command, "runner.postScriptGC") == "false"
    project = tomllib.loads(
        (settings.PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    )
    assert project["runner"]["postScriptGC"] is False


def test_no_deploy_button_nor_developer_menu() -> None:
    """The reader's toolbar only ("viewer"): Streamlit's "Deploy" button and developer menu are hidden, both under
    `balanza serve` and under a bare `streamlit run` from the project folder."""
    command = streamlit_command("127.0.0.1", 8501)
    assert _option(command, "client.toolbarMode") == "viewer"
    project = tomllib.loads(
        (settings.PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    )
    assert project["client"]["toolbarMode"] == "viewer"


def test_serve_help_explains_host_port_workers_and_the_public_address() -> None:
    help_text = " ".join(
        subprocess.run(
            [sys.executable, "-m", "balanza", "serve", "--help"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for flag, says in (("--host", "0.0.0.0"), ("--port", "8501"), ("--workers", "nginx")):
        described = help_text.split(flag, 2)[-1][:300]  # the flag's own entry, after the usage line
        assert says in described, (flag, described)
    assert "anyone who can reach" in help_text and "BALANZA_PUBLIC_URL" in help_text


def _dry_run(target: str, tmp_path: Path) -> str:
    """The commands `make TARGET` runs from a fresh clone (a venv that does not exist yet), without running them."""
    return subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}", f"BALANZA_DB={tmp_path / 'x.duckdb'}"],
        cwd=settings.PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def test_make_run_installs_only_what_running_needs_and_make_test_the_extras(tmp_path: Path) -> None:
    run = _dry_run("run", tmp_path)
    installs = [line for line in run.splitlines() if " pip install " in line]
    assert installs and all("[test]" not in line for line in installs), run
    assert "--quiet" in installs[0] and "build --quiet" in run and "serve" in run
    test = _dry_run("test", tmp_path)
    assert any("'.[test]'" in line for line in test.splitlines() if " pip install " in line), test


def test_only_loopback_addresses_count_as_this_machine_only() -> None:
    from dashboard.serve import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.1.2.3", "balanza.example.org"))
