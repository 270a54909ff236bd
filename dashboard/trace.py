"""The query trace: with ``BALANZA_TRACE=1`` every page run logs the queries it ran, so a slow page explains itself.

For each page run (the frame wraps it in :func:`page_run`) the log ``balanza.trace`` gets one line for the run
(page, language, milliseconds, how many SQL queries and how long they took, how many shared results were
computed and how many reused) and one line per event, in order:

- ``sql``: a query sent to DuckDB — the start of its text, milliseconds from sending it to the last row fetched,
  rows fetched;
- ``call``: a shared result or cached query a page asked for (dashboard.components ``cached_query`` and
  ``shared``) — its name, milliseconds, ``computed`` or ``reused``; the SQL it ran is indented under it.

Off (the default), nothing is wrapped or timed: pages get DuckDB's own connection, and the only cost is reading
one thread-local attribute per connection request and per shared result (tens of nanoseconds). Queries run
outside a page run (the warming thread) are not traced.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import duckdb

from etl import settings

LOG = logging.getLogger("balanza.trace")
LABEL_CHARS = 120  # of a query's text, blanks collapsed


@dataclass
class Event:
    kind: str  # "sql" or "call"
    label: str  # the start of the SQL (blanks collapsed), or the call's name
    depth: int
    ms: float = 0.0
    rows: int | None = None
    computed: bool | None = None

    def line(self) -> str:
        detail = f"{self.rows} rows" if self.kind == "sql" else ("computed" if self.computed else "reused")
        return f"{'  ' * (self.depth + 1)}{self.kind} {self.ms:9.1f} ms  {detail:>12}  {self.label}"


@dataclass
class Trace:
    """The events of one page run, in the order they began."""

    page: str
    events: list[Event] = field(default_factory=list)
    depth: int = 0

    def sql(self, statement: str) -> Event:
        event = Event("sql", " ".join(statement.split())[:LABEL_CHARS], self.depth)
        self.events.append(event)
        return event

    @contextmanager
    def call(self, name: str) -> Iterator[Event]:
        event = Event("call", name, self.depth, computed=False)
        self.events.append(event)
        self.depth += 1
        started = time.perf_counter()
        try:
            yield event
        finally:
            event.ms = (time.perf_counter() - started) * 1000
            self.depth -= 1

    def summary(self, ms: float) -> str:
        queries = [event for event in self.events if event.kind == "sql"]
        calls = [event for event in self.events if event.kind == "call"]
        computed = sum(1 for event in calls if event.computed)
        return (
            f"page {self.page}: {ms:.1f} ms; {len(queries)} SQL queries, {sum(q.ms for q in queries):.1f} ms; "
            f"{len(calls)} shared results, {computed} computed, {len(calls) - computed} reused"
        )


class _PageRun(threading.local):
    trace: Trace | None = None  # the trace of the page run on this thread (a class default: a cheap read)


_local = _PageRun()


def enabled() -> bool:
    return settings.TRACE.get() == "1"


def active() -> Trace | None:
    """The trace of the page run on this thread, or None (trace off, or not in a page run)."""
    return _local.trace


@contextmanager
def page_run(page: str) -> Iterator[Trace | None]:
    """Trace the page run inside the block when ``BALANZA_TRACE=1`` (and log it at the end, also when the page
    stops or raises); otherwise do nothing."""
    if not enabled() or active() is not None:
        yield None
        return
    _ensure_handler()
    trace = _local.trace = Trace(page)
    started = time.perf_counter()
    try:
        yield trace
    finally:
        _local.trace = None
        LOG.info("%s", trace.summary((time.perf_counter() - started) * 1000))
        for event in trace.events:
            LOG.info("%s", event.line())


def connection(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` itself, or while a page run is traced, ``con`` with its queries timed into the trace."""
    trace = active()
    if trace is None:
        return con
    return cast(duckdb.DuckDBPyConnection, _TracedConnection(con, trace))


def _ensure_handler() -> None:
    # Streamlit configures only its own loggers: without a handler of its own, INFO lines would go nowhere.
    if not LOG.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s balanza.trace %(message)s"))
        LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)


def _rows(result: Any) -> int:
    if result is None:
        return 0
    for attribute in ("num_rows", "shape"):
        value = getattr(result, attribute, None)
        if value is not None:
            return int(value if attribute == "num_rows" else value[0])
    if isinstance(result, dict):  # fetchnumpy: column name → array
        return len(next(iter(result.values()), ()))
    if isinstance(result, tuple):  # fetchone
        return 1
    return len(result)


class _Fetching:
    """What a traced query's fetch methods share: the event is completed when the rows are fetched."""

    _FETCHES = frozenset(
        {"df", "fetch_df", "fetchall", "fetchone", "fetchmany", "fetchnumpy", "arrow", "fetch_arrow_table",
         "to_arrow_table", "pl"}
    )  # fmt: skip

    def __init__(self, target: Any, trace: Trace) -> None:
        self._target = target
        self._trace = trace
        self._pending: tuple[Event, float] | None = None

    def _fetch(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self._target, name)(*args, **kwargs)
        if self._pending is not None:
            event, started = self._pending
            event.ms = (time.perf_counter() - started) * 1000
            event.rows = (event.rows or 0) + _rows(result)
            if name != "fetchmany":
                self._pending = None
        return result

    def __getattr__(self, name: str) -> Any:
        if name in self._FETCHES:
            return lambda *args, **kwargs: self._fetch(name, *args, **kwargs)
        return getattr(self._target, name)


class _TracedConnection(_Fetching):
    """A DuckDB connection or cursor whose queries are timed into a trace (everything else passes through)."""

    def cursor(self) -> _TracedConnection:
        return _TracedConnection(self._target.cursor(), self._trace)

    def execute(self, query: str, *args: Any, **kwargs: Any) -> _TracedConnection:
        event = self._trace.sql(query)
        started = time.perf_counter()
        self._target.execute(query, *args, **kwargs)
        event.ms = (time.perf_counter() - started) * 1000
        event.rows = 0
        self._pending = (event, started)
        return self

    def sql(self, query: str, *args: Any, **kwargs: Any) -> _Fetching:
        event = self._trace.sql(query)
        started = time.perf_counter()
        relation = _Fetching(self._target.sql(query, *args, **kwargs), self._trace)
        event.rows = 0
        relation._pending = (event, started)
        return relation
