"""BALANZA_TRACE=1: a page run logs the queries it ran (time, rows) and the shared results it computed or reused."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import components, trace
from etl import settings

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
SQL_LINE = re.compile(r"^\s+sql\s+(?P<ms>\d+\.\d) ms\s+(?P<rows>\d+) rows  (?P<label>.+)$")
CALL_LINE = re.compile(r"^\s+call\s+(?P<ms>\d+\.\d) ms\s+(?P<state>computed|reused)  (?P<name>\S+)$")


def _data_page(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv(settings.DB.name, str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _trace_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == trace.LOG.name]


def test_a_traced_page_run_logs_each_query_with_its_time_and_rows(
    small_bundle_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(settings.TRACE.name, "1")
    monkeypatch.setenv(settings.DB.name, str(small_bundle_db))
    # every query of the page runs now, none is served from an earlier test (nor from the results a server of
    # another test stored beside this database)
    components.clear_caches()
    with caplog.at_level(logging.INFO, logger=trace.LOG.name):
        at = _data_page(small_bundle_db, monkeypatch)
    lines = _trace_lines(caplog)
    summary = re.fullmatch(
        r"page data \(en\): [\d.]+ ms; (\d+) SQL queries, [\d.]+ ms; (\d+) shared results, (\d+) computed, 0 reused",
        lines[0],
    )
    assert summary, lines[0]
    queries = [m for m in map(SQL_LINE.match, lines[1:]) if m]
    calls = [m for m in map(CALL_LINE.match, lines[1:]) if m]
    assert len(lines) == 1 + len(queries) + len(calls)  # nothing else
    assert int(summary[1]) == len(queries) > 0 and int(summary[2]) == int(summary[3]) == len(calls)
    # the table the page shows is the trade-rows query's result (the SQL indented under its call): the trace
    # counts the same rows
    at_call = next(i for i, line in enumerate(lines) if line.endswith("computed  queries.query_trade_rows"))
    rows_query = SQL_LINE.match(lines[at_call + 1])
    assert rows_query and rows_query["label"].startswith("WITH ")
    assert int(rows_query["rows"]) == len(at.dataframe[0].value) > 0

    # run again: the shared results are reused, no SQL is sent
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=trace.LOG.name):
        at.run()
    again = _trace_lines(caplog)
    assert re.search(r"; 0 SQL queries, 0\.0 ms; (\d+) shared results, 0 computed, \1 reused$", again[0]), (
        again[0]
    )


def test_off_nothing_is_logged_and_pages_get_duckdbs_own_connection(
    small_bundle_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(settings.TRACE.name, raising=False)
    monkeypatch.setenv(settings.DB.name, str(small_bundle_db))
    components.clear_caches()
    with caplog.at_level(logging.INFO, logger=trace.LOG.name):
        _data_page(small_bundle_db, monkeypatch)
    assert _trace_lines(caplog) == []
    con = duckdb.connect()
    assert trace.connection(con) is con
    with trace.page_run("off"):
        assert trace.active() is None and trace.connection(con) is con
    con.close()


def test_the_traced_connection_times_every_way_of_fetching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.TRACE.name, "1")
    con = duckdb.connect()
    with trace.page_run("unit") as run:
        assert run is not None
        traced = trace.connection(con)
        cursor = traced.cursor()
        assert len(cursor.execute("SELECT * FROM range(7)").df()) == 7
        assert cursor.execute("SELECT * FROM range(?)", [5]).fetchall() == [(i,) for i in range(5)]
        assert traced.cursor().execute("SELECT 42").fetchone() == (42,)
        assert cursor.sql("SELECT * FROM range(3)").to_arrow_table().num_rows == 3
        with run.call("named") as call:
            call.computed = True
            cursor.execute("SELECT\n   1 AS one,\n   2 AS two").fetchall()
    con.close()
    assert [(e.kind, e.rows, e.depth) for e in run.events] == [
        ("sql", 7, 0), ("sql", 5, 0), ("sql", 1, 0), ("sql", 3, 0), ("call", None, 0), ("sql", 1, 1)
    ]  # fmt: skip
    assert run.events[-1].label == "SELECT 1 AS one, 2 AS two"
    assert all(event.ms >= 0 for event in run.events)
    assert trace.active() is None  # the run ended with the block
