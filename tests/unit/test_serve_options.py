"""The options `balanza serve` starts Streamlit with, and the project's .streamlit/config.toml, agree."""

from __future__ import annotations

import tomllib

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
