"""dashboard.runtime: the object that owns the process's caches, warming thread and Streamlit patch.

The patch replaces a private Streamlit helper; these tests fail when it no longer applies (Streamlit renamed or
changed the helper), when Streamlit stops calling it to draw a table, or when close() cannot stop warming.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.elements.lib import pandas_styler_utils as styler_utils
from streamlit.testing.v1 import AppTest

from dashboard.runtime import PATCHED_HELPER, Runtime


def _streamlit_helper() -> Callable[..., None]:
    """Streamlit's own helper, whether or not a runtime of this process has patched it."""
    current = getattr(styler_utils, PATCHED_HELPER)
    return getattr(current, "original", current)


@pytest.fixture
def unpatched(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Streamlit's module as it ships (this process's own patch taken out until the test ends)."""
    original = _streamlit_helper()
    monkeypatch.setattr(styler_utils, PATCHED_HELPER, original)
    return original


def _table_script() -> None:
    import pandas as pd
    import streamlit as st

    from dashboard.runtime import Runtime

    frame = pd.DataFrame({"partner": ["China", "=1+1"], "value_usd": [1234567.891, None]})
    styler = Runtime().shared_styler(
        ("runtime test",), frame, lambda: frame.style.format(precision=1, na_rep="—")
    )
    st.dataframe(styler)
    st.session_state["rendering"] = styler._translate(False, False)


def test_streamlit_draws_a_shared_table_through_the_patched_helper(unpatched: Callable[..., None]) -> None:
    runtime = Runtime()
    runtime.start()
    try:
        assert runtime.patched and getattr(styler_utils, PATCHED_HELPER) is not unpatched
        at = AppTest.from_function(_table_script).run()
        assert not at.exception
        kept = at.session_state["rendering"].display_values
        assert isinstance(kept, bytes) and kept  # only the patched helper keeps what Streamlit sent
        assert at.dataframe[0].value["partner"].tolist() == ["China", "=1+1"]
    finally:
        runtime.close()
    assert getattr(styler_utils, PATCHED_HELPER) is unpatched  # close() takes the patch out
    at = AppTest.from_function(_table_script).run()
    assert not at.exception and at.session_state["rendering"].display_values is None


def test_start_says_so_loudly_when_streamlit_has_no_helper_to_patch(
    unpatched: Callable[..., None], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delattr(styler_utils, PATCHED_HELPER)  # as if Streamlit had renamed it
    runtime = Runtime()
    with caplog.at_level(logging.ERROR, logger="balanza.runtime"):
        runtime.start()
    runtime.close()
    assert not runtime.patched
    assert not hasattr(styler_utils, PATCHED_HELPER)  # nothing installed under the old name
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and PATCHED_HELPER in errors[0] and "marshalled afresh" in errors[0]


def test_start_leaves_a_helper_with_other_parameters_alone(
    unpatched: Callable[..., None], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def changed(proto: object, frame: object, styles: object, extra: object) -> None: ...

    monkeypatch.setattr(styler_utils, PATCHED_HELPER, changed)
    runtime = Runtime()
    with caplog.at_level(logging.ERROR, logger="balanza.runtime"):
        runtime.start()
    runtime.close()
    assert not runtime.patched and getattr(styler_utils, PATCHED_HELPER) is changed
    assert any("takes 4 parameters" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def test_the_installed_streamlit_takes_the_patch_without_a_word(
    unpatched: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    runtime = Runtime()
    with caplog.at_level(logging.WARNING, logger="balanza.runtime"):
        runtime.start()
        runtime.start()  # the frame calls it on every run: once is enough
    try:
        helper = getattr(styler_utils, PATCHED_HELPER)
        assert runtime.patched and helper.original is unpatched  # patched once, not wrapped twice
        assert not caplog.records
    finally:
        runtime.close()


def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "balanza.duckdb"
    db.write_bytes(b"")  # the watcher only reads the file's identity
    monkeypatch.setenv("BALANZA_DB", str(db))


def _wait_for(condition: Callable[[], object], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_close_stops_the_warming_thread_between_two_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database(tmp_path, monkeypatch)
    steps: list[int] = []

    def endless() -> Iterator[None]:
        while True:
            steps.append(1)
            time.sleep(0.01)
            yield

    runtime = Runtime(watch_seconds=0.05, freeze_after_warming=False, stop_timeout=10)
    runtime.start(warm=endless)
    _wait_for(lambda: steps)
    assert steps and runtime.warming
    runtime.close()
    assert not runtime.warming
    done = len(steps)
    time.sleep(0.1)
    assert len(steps) == done  # nothing warms after close()
    assert runtime.warmed is None  # stopped before the end: not counted as warmed


def test_warming_freezes_what_is_alive_and_close_unfreezes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database(tmp_path, monkeypatch)
    asked: list[str] = []

    def nothing() -> Iterator[None]:
        yield

    runtime = Runtime(watch_seconds=0.05)
    runtime.remember("key", lambda: lambda: asked.append("asked again"))
    runtime.start(warm=nothing)
    try:
        _wait_for(lambda: runtime.warmed is not None)
        assert runtime.warmed is not None and runtime.warmed[0] == str(tmp_path / "balanza.duckdb")
        assert asked == ["asked again"]  # what pages asked for is asked again after the fixed steps
        assert gc.get_freeze_count() > 0
    finally:
        runtime.close()
    assert gc.get_freeze_count() == 0 and not runtime.warming
