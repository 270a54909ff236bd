"""`balanza fetch` against a real HTTP server on 127.0.0.1 that replays recorded Comtrade answers.

The server pools the records of tests/fixtures/comtrade_api/*.json and answers each query with the ones
matching its filters; faults (429, 5xx, slow, truncated, error-in-200, count mismatch) are injected per
test. After each run the database is either complete or unchanged, and the key is nowhere.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import random
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
import requests

from etl import settings
from etl.db import write_session
from etl.fetch import fetch_to_cache, run_fetch
from etl.sources.comtrade_api import (
    DATA_PATH,
    KEY_HEADER,
    PREVIEW_PATH,
    ClientConfig,
    ComtradeAuthError,
    ComtradeBodyTooLarge,
    ComtradeCapReached,
    ComtradeCountMismatch,
    ComtradeErrorResponse,
    ComtradeHTTPError,
    ComtradeMismatch,
    ComtradeNotJSON,
    ComtradeQuery,
    ComtradeRateLimited,
    ComtradeRetriesExhausted,
    ComtradeTruncatedResponse,
    config_from_env,
    fetch_records,
    level_queries,
)
from etl.store import copy_database

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "comtrade_api"
API_KEY = "k3y-Test-0123456789abcdef"  # a made-up key; it must never leave the header

# What the recorded answer says (see data/raw/comtrade-api-json/PROVENANCE.md).
CHN_IMPORTS_FROM_ARG_2010 = 6_804_128_143.0
CHN_EXPORTS_TO_DEU_2010 = 68_047_133_397.0


def load_files_available() -> bool:
    try:
        from etl.load import load_files  # noqa: F401
    except ImportError:
        return False
    return True


needs_load = pytest.mark.skipif(not load_files_available(), reason="etl.load.load_files is not there yet")


# ------------------------------------------------------------------------------------------ the server


@dataclass
class Fault:
    """What the server does instead of answering, `times` times, for requests matching `when`."""

    kind: str
    times: int = 1
    when: Callable[[dict[str, str]], bool] = lambda params: True
    retry_after: str | None = None
    delay: float = 0.0
    message: str = ""


@dataclass
class ReplayServer:
    url: str
    records: list[dict[str, Any]]
    cap: int = 500
    faults: list[Fault] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_fault(self, kind: str, **options: Any) -> Fault:
        fault = Fault(kind, **options)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, params: dict[str, str]) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times != 0 and fault.when(params):
                    fault.times -= 1
                    return fault
        return None

    def matching(self, params: dict[str, str]) -> list[dict[str, Any]]:
        def listed(name: str) -> set[str]:
            return set(params.get(name, "").split(","))

        cmd = params.get("cmdCode", "TOTAL")
        out = []
        for record in self.records:
            if str(record["reporterCode"]) not in listed("reporterCode"):
                continue
            if str(record["partnerCode"]) not in listed("partnerCode"):
                continue
            if record["period"] not in listed("period") or record["flowCode"] not in listed("flowCode"):
                continue
            if cmd in ("AG2", "AG4", "AG6"):
                if record["cmdCode"] == "TOTAL" or record["aggrLevel"] != int(cmd[2]):
                    continue
            elif record["cmdCode"] not in set(cmd.split(",")):
                continue
            out.append(record)
        return out


@functools.cache
def gzip_bomb() -> bytes:
    return gzip.compress(b'{"count": 0, "data": [], "x": "' + b" " * (64 * 1024 * 1024) + b'"}', 6)


def _make_handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
            pass

        def send_body(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout)

        def do_GET(self) -> None:
            split = urlsplit(self.path)
            params = {name: values[-1] for name, values in parse_qs(split.query).items()}
            with server.lock:
                server.requests.append(
                    {
                        "raw_path": self.path,
                        "path": split.path,
                        "params": params,
                        "headers": dict(self.headers),
                    }
                )
            if split.path not in (PREVIEW_PATH, DATA_PATH):
                self.send_body(404, b'{"statusCode": 404, "message": "Resource not found"}')
                return
            if split.path == DATA_PATH and self.headers.get(KEY_HEADER) != API_KEY:
                self.send_body(
                    401, b'{"statusCode": 401, "message": "Access denied due to invalid subscription key."}'
                )
                return
            records = server.matching(params)
            document: dict[str, Any] = {"elapsedTime": "0.01 secs", "count": 0, "data": [], "error": ""}
            document["data"] = records[: server.cap] if split.path == PREVIEW_PATH else records
            document["count"] = len(document["data"])
            fault = server.take_fault(params)
            if fault is None:
                self.send_body(200, json.dumps(document).encode())
                return
            if fault.kind in ("429", "500", "503"):
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                self.send_body(int(fault.kind), fault.message.encode() or b"busy", headers)
            elif fault.kind == "slow":
                time.sleep(fault.delay)
                self.send_body(200, json.dumps(document).encode())
            elif fault.kind == "cut":  # promises the whole body, sends half, hangs up
                whole = json.dumps(document).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(whole)))
                self.end_headers()
                self.wfile.write(whole[: len(whole) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif fault.kind == "truncated":
                self.send_body(200, json.dumps(document).encode()[:-40])
            elif fault.kind == "error200":
                body = {"elapsedTime": "0.0 secs", "count": 0, "data": [], "error": fault.message}
                self.send_body(200, json.dumps(body).encode())
            elif fault.kind == "count_mismatch":
                document["count"] = len(document["data"]) + 1
                self.send_body(200, json.dumps(document).encode())
            elif fault.kind == "redirect":
                self.send_body(
                    302, b"", {"Location": f"http://127.0.0.2:{self.server.server_address[1]}{self.path}"}
                )
            elif fault.kind == "echo_key":
                document["elapsedTime"] = f"0.01 secs for {self.headers.get(KEY_HEADER)}"
                self.send_body(200, json.dumps(document).encode())
            elif fault.kind == "other_answer":  # records of another reporter, partner, period or flow
                field_name, value = fault.message.split("=", 1)
                document["data"] = [
                    dict(record, **{field_name: json.loads(value)}) for record in document["data"]
                ]
                self.send_body(200, json.dumps(document).encode())
            elif (
                fault.kind == "gzip_bomb"
            ):  # 64 MB of JSON-ish padding in a small gzip body (made before the call)
                self.send_body(200, gzip_bomb(), {"Content-Encoding": "gzip"})
            elif fault.kind == "slow_body":  # a large declared body arriving a few bytes at a time
                self.send_response(200)
                self.send_header("Content-Length", str(10_000_000))
                self.end_headers()
                try:
                    for _ in range(int(fault.delay / 0.05)):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.05)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
            elif fault.kind == "html":  # a captive portal or a proxy answering with its own page
                page = (b"<!DOCTYPE html>\n<html><head><title>Sign in - Campus Wi-Fi</title></head><body>"
                        b"<form>Please sign in to continue</form></body></html>")  # fmt: skip
                self.send_response(int(fault.message or 200))
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            elif fault.kind == "error_with_key_at_cut":  # the key straddles the 300-character snippet cut
                body = ("x" * 290 + " key=" + self.headers.get(KEY_HEADER, "") + " end").encode()
                self.send_body(400, body)
            else:
                raise AssertionError(f"unknown fault {fault.kind}")

    return Handler


def _fixture_records() -> list[dict[str, Any]]:
    records = []
    for path in sorted(FIXTURES.glob("*.json")):
        records += json.loads(path.read_bytes())["data"]
    return records


@pytest.fixture()
def server() -> Iterator[ReplayServer]:
    replay = ReplayServer(url="", records=_fixture_records())
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(replay))
    httpd.daemon_threads = True
    replay.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield replay
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


# ----------------------------------------------------------------------------------------- the client


class SleepLog:
    """Records the waits the client asks for; sleeps only a token amount so tests stay fast."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(min(seconds, 0.001))


def make_config(server: ReplayServer, *, key: str | None = None, **overrides: Any) -> ClientConfig:
    options: dict[str, Any] = dict(
        base_url=server.url,
        api_key=key,
        connect_timeout=2.0,
        read_timeout=0.5,
        max_attempts=3,
        backoff_base=0.01,
        max_backoff=0.05,
        max_retry_after=30.0,
        pace_seconds=0.0,
        sleep=SleepLog(),
        rng=random.Random(6),
    )
    options.update(overrides)
    return ClientConfig(**options)


ARG_DEU_2010 = dict(
    reporter="CHN", partners=["ARG", "DEU"], years=[2010], level="TOTAL", flows=["import", "export"]
)
ARG_2010_QUERY = ComtradeQuery(156, (32,), (2010,), ("M", "X"), ("TOTAL",))


# ---------------------------------------------------------------------------------------- the database


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Country codes and Comtrade area codes (trade files are validated against them), plus one earlier row."""
    from etl.load import load_files

    reference = settings.DATA_DIR / "raw" / "reference"
    path = tmp_path_factory.mktemp("fetch") / "reference.duckdb"
    load_files(
        path,
        [reference / "country-codes" / "country-codes.csv",
         reference / "uncomtrade-reference" / "comtrade_partner_areas.csv"],
        fresh=True,
    )  # fmt: skip
    with write_session(path) as con:  # a row by hand, stored like any loaded row (etl/store/)
        con.execute(
            "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd,"
            " valuation, source, dataset_id) VALUES (2009, '2009', 'CHN', 'ARG', 'import', 'TOTAL', 0, 1.0, 'CIF',"
            " 'comtrade', 0)"
        )
    return path


@pytest.fixture()
def db_path(reference_db: Path, tmp_path: Path) -> Path:
    """A private copy of the reference database, so 'unchanged' means something."""
    path = tmp_path / "balanza.duckdb"
    copy_database(reference_db, path)
    return path


def db_state(path: Path) -> tuple[int, int, int]:
    """(trade rows, checksum of trade, datasets rows)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows, checksum = con.execute(
            "SELECT count(*), coalesce(sum(hash(year, period, reporter_iso3, partner_iso3, flow, hs_code,"
            " value_usd, valuation, source)), 0) FROM trade"
        ).fetchone()
        (datasets,) = con.execute("SELECT count(*) FROM datasets").fetchone()
    finally:
        con.close()
    return int(rows), int(checksum), int(datasets)


def comtrade_values(path: Path) -> dict[tuple[str, str, str, str], float]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT period, partner_iso3, flow, hs_code, value_usd FROM trade"
            " WHERE source = 'comtrade' AND reporter_iso3 = 'CHN' AND year >= 2010"
        ).fetchall()
    finally:
        con.close()
    return {(period, partner, flow, hs): value for period, partner, flow, hs, value in rows}


def assert_key_nowhere(*texts: str, paths: list[Path] = ()) -> None:  # type: ignore[assignment]
    for text in texts:
        assert API_KEY not in text
    for root in paths:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for file in files:
            assert API_KEY.encode() not in file.read_bytes(), f"key found in {file}"


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*.json")) if cache_dir.exists() else []


# ------------------------------------------------------------------------------------------ happy path


@needs_load
def test_fetch_preview_caches_every_chunk_and_loads_all(server: ReplayServer, db_path: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    before = db_state(db_path)

    summary = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=make_config(server))

    assert summary.complete, summary.render()
    assert len(summary.fetched) == 4 and not summary.from_cache
    assert len(cache_files(cache_dir)) == 4
    assert {r["path"] for r in server.requests} == {PREVIEW_PATH}
    assert all(KEY_HEADER not in r["headers"] for r in server.requests)
    assert {r["params"]["partnerCode"] for r in server.requests} == {"32", "276"}  # chunked by partner
    assert {r["params"]["flowCode"] for r in server.requests} == {"M", "X"}  # and by flow
    assert all(r["params"]["customsCode"] == "C00" and r["params"]["motCode"] == "0" for r in server.requests)
    after = db_state(db_path)
    assert after[0] == before[0] + 4
    assert summary.loaded_rows == 4
    values = comtrade_values(db_path)
    assert values[("2010", "ARG", "import", "TOTAL")] == CHN_IMPORTS_FROM_ARG_2010
    assert values[("2010", "DEU", "export", "TOTAL")] == CHN_EXPORTS_TO_DEU_2010
    assert "loaded:     4 rows" in summary.render()


def test_rerun_takes_everything_from_the_cache(server: ReplayServer, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    queries = level_queries("CHN", ["ARG", "DEU"], [2010, 2011], "TOTAL", ["import", "export"])
    first = fetch_to_cache(
        queries, config=make_config(server), cache_dir=cache_dir, session=requests.Session()
    )
    assert first.complete and len(first.fetched) == 8
    calls = len(server.requests)

    second = fetch_to_cache(
        queries, config=make_config(server), cache_dir=cache_dir, session=requests.Session()
    )

    assert second.complete and len(second.from_cache) == 8 and not second.fetched
    assert len(server.requests) == calls  # nothing asked twice
    assert sorted(second.from_cache) == cache_files(cache_dir)
    assert not list(cache_dir.glob(".*.tmp"))  # no temporary file left behind


def test_a_damaged_cache_file_is_fetched_again(server: ReplayServer, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    queries = [ARG_2010_QUERY]
    fetch_to_cache(queries, config=make_config(server), cache_dir=cache_dir, session=requests.Session())
    (cached,) = cache_files(cache_dir)
    cached.write_bytes(cached.read_bytes()[:100])

    summary = fetch_to_cache(
        queries, config=make_config(server), cache_dir=cache_dir, session=requests.Session()
    )

    assert summary.complete and len(summary.fetched) == 1
    assert json.loads(cached.read_bytes())["count"] == 2


@needs_load
def test_offline_loads_only_from_the_cache(server: ReplayServer, db_path: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    fetch_to_cache(
        level_queries("CHN", ["ARG"], [2010], "TOTAL", ["import", "export"]),
        config=make_config(server), cache_dir=cache_dir, session=requests.Session(),
    )  # fmt: skip
    calls = len(server.requests)
    before = db_state(db_path)

    missing = run_fetch(
        **ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=make_config(server), offline=True
    )

    assert len(server.requests) == calls
    assert [why for _, why in missing.missing] == ["not in the cache (offline)"] * 2  # DEU was never fetched
    assert db_state(db_path) == before

    partial = dict(ARG_DEU_2010, partners=["ARG"])
    loaded = run_fetch(
        **partial, db_path=db_path, cache_dir=cache_dir, config=make_config(server), offline=True
    )
    assert loaded.complete and len(loaded.from_cache) == 2 and len(server.requests) == calls
    assert db_state(db_path)[0] == before[0] + 2


# ---------------------------------------------------------------------------------- faults and retries


@needs_load
@pytest.mark.parametrize(
    "fault",
    [
        dict(kind="429", retry_after="2"),
        dict(kind="429"),
        dict(kind="500"),
        dict(kind="503", times=2),
        dict(kind="slow", delay=1.0),
    ],
    ids=["429-retry-after", "429-no-header", "500", "503-twice", "slow"],
)
def test_transient_faults_are_retried_and_the_load_is_complete(
    server: ReplayServer, db_path: Path, tmp_path: Path, fault: dict[str, Any]
):
    server.add_fault(**fault)
    config = make_config(server)
    before = db_state(db_path)

    summary = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=tmp_path / "cache", config=config)

    assert summary.complete, summary.render()
    assert db_state(db_path)[0] == before[0] + 4
    assert len(server.requests) == 4 + fault.get("times", 1)
    waits = config.sleep.waits  # type: ignore[attr-defined]
    if fault.get("retry_after"):
        assert waits == [2.0]
    else:
        assert all(0.005 <= wait <= 0.05 for wait in waits) and len(waits) == fault.get("times", 1)


def test_retry_after_as_an_http_date_is_honoured(server: ReplayServer):
    when = datetime.now(UTC) + timedelta(seconds=20)
    server.add_fault("429", retry_after=format_datetime(when, usegmt=True))
    config = make_config(server)

    response = fetch_records(requests.Session(), ARG_2010_QUERY, config)

    assert response.row_count == 2
    (wait,) = config.sleep.waits  # type: ignore[attr-defined]
    assert 17 <= wait <= 20


def test_backoff_grows_exponentially_with_jitter(server: ReplayServer):
    server.add_fault("503", times=3)
    config = make_config(server, max_attempts=4, backoff_base=1.0, max_backoff=100.0)

    fetch_records(requests.Session(), ARG_2010_QUERY, config)

    waits = config.sleep.waits  # type: ignore[attr-defined]
    assert len(waits) == 3
    for attempt, wait in enumerate(waits, start=1):
        step = 2 ** (attempt - 1)
        assert step / 2 <= wait <= step


def test_calls_are_paced(server: ReplayServer, tmp_path: Path):
    config = make_config(server, pace_seconds=5.0)
    queries = level_queries("CHN", ["ARG", "DEU"], [2010, 2011], "TOTAL", ["import", "export"])

    fetch_to_cache(queries, config=config, cache_dir=tmp_path / "cache", session=requests.Session())

    waits = config.sleep.waits  # type: ignore[attr-defined]
    assert len(server.requests) == 8 and len(waits) == 7  # every call but the first waits its turn
    assert all(4.0 < wait <= 5.0 for wait in waits)


@needs_load
def test_persistent_429_stops_the_run_and_loads_nothing(server: ReplayServer, db_path: Path, tmp_path: Path):
    server.add_fault("429", times=-1, when=lambda p: p["partnerCode"] == "276")
    before = db_state(db_path)
    cache_dir = tmp_path / "cache"

    summary = run_fetch(
        **dict(ARG_DEU_2010, years=[2010, 2011]),
        db_path=db_path,
        cache_dir=cache_dir,
        config=make_config(server),
    )

    assert not summary.complete
    assert db_state(db_path) == before
    assert len(summary.fetched) == 2  # 2010 ARG, both flows, kept for the rerun
    assert len(cache_files(cache_dir)) == 2
    assert "still rate limited after 3 attempts" in summary.missing[0][1]
    assert [why for _, why in summary.missing[1:]] == ["not attempted"] * 5
    assert "nothing was loaded" in summary.render()


def test_a_retry_after_longer_than_accepted_is_reported_not_slept(server: ReplayServer):
    server.add_fault("429", retry_after="3600")
    config = make_config(server)

    with pytest.raises(ComtradeRateLimited, match="wait 3600 s"):
        fetch_records(requests.Session(), ARG_2010_QUERY, config)
    assert config.sleep.waits == []  # type: ignore[attr-defined]
    assert len(server.requests) == 1


@needs_load
@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (dict(kind="500", times=-1), ComtradeRetriesExhausted),
        (dict(kind="503", times=-1), ComtradeRetriesExhausted),
        (dict(kind="slow", times=-1, delay=1.0), ComtradeRetriesExhausted),
        (dict(kind="truncated"), ComtradeTruncatedResponse),
        (dict(kind="cut"), ComtradeTruncatedResponse),
        (dict(kind="error200", message="Invalid query: period 2010 not available"), ComtradeErrorResponse),
        (dict(kind="count_mismatch"), ComtradeCountMismatch),
    ],
    ids=["500", "503", "timeout", "truncated", "connection-cut", "error-in-200", "count-mismatch"],
)
def test_a_failed_chunk_loads_nothing_and_a_rerun_completes(
    server: ReplayServer, db_path: Path, tmp_path: Path, fault: dict[str, Any], error: type[Exception]
):
    only_deu = lambda params: params["partnerCode"] == "276"  # noqa: E731
    injected = server.add_fault(**fault, when=only_deu)
    cache_dir = tmp_path / "cache"
    before = db_state(db_path)

    # The named error, straight from the client.
    deu_query = ComtradeQuery(156, (276,), (2010,), ("M", "X"), ("TOTAL",))
    with pytest.raises(error):
        fetch_records(requests.Session(), deu_query, make_config(server))
    injected.times = fault.get("times", 1)

    failed = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=make_config(server))

    failing_chunks = 2 if fault.get("times") == -1 else 1  # a one-off fault hits DEU imports only
    assert not failed.complete and len(failed.missing) == failing_chunks
    assert failed.missing[0][0] == "CHN→DEU 2010 M TOTAL"
    assert db_state(db_path) == before  # unchanged: all or nothing
    assert len(cache_files(cache_dir)) == 4 - failing_chunks  # the bad answers were not cached
    assert "MISSING" in failed.render()

    injected.times = 0  # the server recovers
    calls = len(server.requests)
    rerun = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=make_config(server))

    assert rerun.complete, rerun.render()
    assert len(rerun.fetched) == failing_chunks and len(rerun.from_cache) == 4 - failing_chunks
    assert len(server.requests) == calls + failing_chunks  # only the missing chunks were asked for
    assert db_state(db_path)[0] == before[0] + 4


@needs_load
def test_an_empty_year_is_reported_not_an_error(server: ReplayServer, db_path: Path, tmp_path: Path):
    before = db_state(db_path)

    summary = run_fetch(
        **dict(ARG_DEU_2010, years=[2010, 2011, 2012]), db_path=db_path, cache_dir=tmp_path / "cache",
        config=make_config(server),
    )  # fmt: skip

    assert summary.complete, summary.render()
    assert len(summary.empty) == 4 and all("2012" in query for query in summary.empty)
    assert len(cache_files(tmp_path / "cache")) == 12  # empty answers are cached too: no need to ask again
    assert db_state(db_path)[0] == before[0] + 8
    values = comtrade_values(db_path)
    assert values[("2011", "ARG", "import", "TOTAL")] == round(CHN_IMPORTS_FROM_ARG_2010 * 1.1)
    assert "returned no records" in summary.render()


# ------------------------------------------------------------------------------------------ the row cap


def test_reaching_the_cap_splits_by_flow(server: ReplayServer, tmp_path: Path):
    server.cap = 2
    config = make_config(server, row_cap=2)
    cache_dir = tmp_path / "cache"

    summary = fetch_to_cache([ARG_2010_QUERY], config=config, cache_dir=cache_dir, session=requests.Session())

    assert summary.complete
    assert [r["params"]["flowCode"] for r in server.requests] == ["M,X", "M", "X"]
    assert len(cache_files(cache_dir)) == 2
    assert len(list(cache_dir.glob("*.over-cap"))) == 1

    calls = len(server.requests)
    again = fetch_to_cache([ARG_2010_QUERY], config=config, cache_dir=cache_dir, session=requests.Session())
    assert again.complete and len(again.from_cache) == 2 and len(server.requests) == calls


@needs_load
def test_reaching_the_cap_at_hs4_splits_by_chapter_and_loads_every_heading(
    server: ReplayServer, db_path: Path, tmp_path: Path
):
    server.cap = 4
    config = make_config(server, row_cap=4)
    before = db_state(db_path)

    summary = run_fetch(
        **dict(ARG_DEU_2010, partners=["ARG"], level="HS4"), db_path=db_path, cache_dir=tmp_path / "cache",
        config=config,
    )  # fmt: skip

    assert summary.complete, summary.render()
    chapter_calls = [r for r in server.requests if r["params"]["cmdCode"] not in ("AG4",)]
    assert chapter_calls and all(r["params"]["flowCode"] in ("M", "X") for r in chapter_calls)
    assert any(r["params"]["cmdCode"].startswith("0101,0102,0103") for r in chapter_calls)
    # Headings 0101, 0102, 0106, 0201, 0202 for both flows; chapters (AG2) are not asked for.
    assert db_state(db_path)[0] == before[0] + 10
    hs = {key[3] for key in comtrade_values(db_path)}
    assert hs == {"0101", "0102", "0106", "0201", "0202"}


def test_a_query_that_cannot_be_split_is_a_named_error(server: ReplayServer, tmp_path: Path):
    server.cap = 1
    single = ComtradeQuery(156, (32,), (2010,), ("M",), ("TOTAL",))
    with pytest.raises(ComtradeCapReached):
        fetch_records(requests.Session(), single, make_config(server, row_cap=1))

    summary = fetch_to_cache(
        [single],
        config=make_config(server, row_cap=1),
        cache_dir=tmp_path / "cache",
        session=requests.Session(),
    )
    assert not summary.complete and "cannot be split further" in summary.missing[0][1]
    assert "COMTRADE_API_KEY" in summary.missing[0][1]  # the hint says how to get a bigger cap


# --------------------------------------------------------------------------------------------- the key


@needs_load
def test_the_key_travels_only_in_the_header(
    server: ReplayServer, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
):
    monkeypatch.setenv("COMTRADE_API_KEY", API_KEY)
    monkeypatch.setenv("COMTRADE_BASE_URL", server.url)
    caplog.set_level(logging.DEBUG)
    config = config_from_env(
        **{k: v for k, v in vars(make_config(server)).items() if k not in ("base_url", "api_key")}
    )
    assert config.api_key == API_KEY and config.base_url == server.url
    cache_dir = tmp_path / "cache"

    summary = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=config)

    assert summary.complete, summary.render()
    assert {r["path"] for r in server.requests} == {DATA_PATH}
    for request in server.requests:
        assert request["headers"][KEY_HEADER] == API_KEY
        assert API_KEY not in request["raw_path"]
        assert API_KEY not in json.dumps(request["params"])
    assert_key_nowhere(summary.render(), caplog.text, repr(config), paths=[cache_dir, db_path, tmp_path])


@needs_load
def test_a_key_echoed_by_the_server_is_redacted_everywhere(
    server: ReplayServer, db_path: Path, tmp_path: Path, caplog
):
    caplog.set_level(logging.DEBUG)
    server.add_fault("echo_key", when=lambda p: p["partnerCode"] == "32")
    server.add_fault(
        "error200",
        message=f"subscription {API_KEY} is over its quota",
        when=lambda p: p["partnerCode"] == "276",
    )
    config = make_config(server, key=API_KEY)
    cache_dir = tmp_path / "cache"

    failed = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=config)
    assert not failed.complete
    assert "[redacted] is over its quota" in failed.render()

    completed = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=config)
    assert completed.complete, completed.render()
    (arg_file,) = [p for p in cache_files(cache_dir) if "-p32-y2010-M-" in p.name]
    assert "[redacted]" in json.loads(arg_file.read_bytes())["elapsedTime"]
    assert_key_nowhere(failed.render(), completed.render(), caplog.text, paths=[tmp_path])


def test_the_key_never_appears_in_exception_text(server: ReplayServer, caplog):
    caplog.set_level(logging.DEBUG)
    texts = []
    cases = [
        ("error200", dict(message=f"bad key {API_KEY}"), ComtradeErrorResponse),
        ("500", dict(times=-1, message=f"upstream said {API_KEY}"), ComtradeRetriesExhausted),
        ("429", dict(times=-1, message=f"quota for {API_KEY}"), ComtradeRateLimited),
    ]
    for kind, options, error in cases:
        server.faults.clear()
        server.add_fault(kind, **options)
        with pytest.raises(error) as caught:
            fetch_records(requests.Session(), ARG_2010_QUERY, make_config(server, key=API_KEY))
        texts.append("".join(traceback.format_exception(caught.value)))

    # A refused key (401 from the data endpoint) is an auth error, also without the key.
    server.faults.clear()
    with pytest.raises(ComtradeAuthError) as refused:
        fetch_records(requests.Session(), ARG_2010_QUERY, make_config(server, key=API_KEY + "x"))
    texts.append("".join(traceback.format_exception(refused.value)))
    assert "COMTRADE_API_KEY" in str(refused.value)

    assert any("[redacted]" in text for text in texts)
    assert_key_nowhere(*texts, caplog.text)


def test_redirects_are_not_followed_so_the_key_cannot_travel_on(server: ReplayServer):
    server.add_fault("redirect")
    with pytest.raises(ComtradeHTTPError, match="HTTP 302 redirect to http://127.0.0.2") as caught:
        fetch_records(requests.Session(), ARG_2010_QUERY, make_config(server, key=API_KEY))
    assert len(server.requests) == 1
    assert API_KEY not in str(caught.value)


def test_a_key_that_cannot_be_a_header_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COMTRADE_API_KEY", "abc def\nInjected: 1")
    with pytest.raises(ComtradeAuthError) as caught:
        config_from_env()
    assert "abc def" not in str(caught.value)


@needs_load
def test_a_refused_key_stops_the_run(server: ReplayServer, db_path: Path, tmp_path: Path):
    before = db_state(db_path)
    summary = run_fetch(
        **dict(ARG_DEU_2010, years=[2010, 2011]), db_path=db_path, cache_dir=tmp_path / "cache",
        config=make_config(server, key="not-the-key"),
    )  # fmt: skip
    assert len(server.requests) == 1
    assert len(summary.missing) == 8 and "HTTP 401" in summary.missing[0][1]
    assert db_state(db_path) == before


# ----------------------------------------------------------------------------------------- the command


@needs_load
def test_balanza_fetch_command(server: ReplayServer, db_path: Path, tmp_path: Path, monkeypatch, capsys):
    from balanza.cli import main

    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    monkeypatch.setenv("COMTRADE_BASE_URL", "http://127.0.0.1:9")  # --base-url wins over the environment
    argv = [
        "fetch", "--reporter", "CHN", "--partners", "ARG", "--years", "2010", "--level", "TOTAL",
        "--flows", "import,export", "--base-url", server.url, "--db", str(db_path),
        "--cache-dir", str(tmp_path / "cache"),
    ]  # fmt: skip
    before = db_state(db_path)

    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "fetched:    2 responses (2 API calls)" in out and "loaded:     2 rows" in out
    assert db_state(db_path)[0] == before[0] + 2

    calls = len(server.requests)
    assert main([*argv, "--offline"]) == 0
    assert len(server.requests) == calls
    assert "from cache: 2 responses" in capsys.readouterr().out


@needs_load
def test_fetch_into_the_bundled_database_is_all_or_nothing(
    server: ReplayServer, small_bundle_db: Path, tmp_path: Path
):
    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    before = db_state(db)
    server.add_fault("truncated", when=lambda params: params["partnerCode"] == "276")

    failed = run_fetch(**ARG_DEU_2010, db_path=db, cache_dir=tmp_path / "cache", config=make_config(server))
    assert not failed.complete
    assert db_state(db) == before

    rerun = run_fetch(**ARG_DEU_2010, db_path=db, cache_dir=tmp_path / "cache", config=make_config(server))
    assert rerun.complete, rerun.render()
    rows, _, datasets = db_state(db)
    assert (rows, datasets) == (before[0] + 4, before[2] + 4)
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("SELECT path FROM datasets WHERE format = 'comtrade_plus_json'").fetchall()
    finally:
        con.close()
    assert len(stored) == 4 and all("C_A_HS-r156-" in path for (path,) in stored)


@needs_load
def test_only_empty_years_load_nothing_and_are_not_a_failure(
    server: ReplayServer, db_path: Path, tmp_path: Path
):
    before = db_state(db_path)
    summary = run_fetch(
        **dict(ARG_DEU_2010, years=[2013]),
        db_path=db_path,
        cache_dir=tmp_path / "cache",
        config=make_config(server),
    )
    assert summary.complete and not summary.load_error
    assert len(summary.empty) == 4 and summary.loaded_rows == 0
    assert db_state(db_path) == before


@needs_load
def test_a_fetch_of_observations_another_file_holds_loads_the_newer_vintage(
    server: ReplayServer, db_path: Path, tmp_path: Path
):
    """Issue 19: a fetch of observations already loaded from another file was refused ("already loaded from
    …"). Publishers revise their figures: the answer loads as the newer vintage, `trade` holds its values, and
    the earlier release stays readable as of its load date."""
    from etl.load import load_files

    earlier = json.loads((FIXTURES / "recorded_chn_2010_total.json").read_bytes())
    for item in earlier["data"]:
        item["primaryValue"] = round(item["primaryValue"] * 0.9, 2)  # an earlier release, 10 % lower
    earlier_path = tmp_path / "earlier_release.json"
    earlier_path.write_text(json.dumps(earlier), encoding="utf-8")
    load_files(db_path, [earlier_path])
    released = {
        (str(r["period"]), r["partnerCode"], r["flowCode"]): r["primaryValue"] for r in earlier["data"]
    }

    summary = run_fetch(
        **ARG_DEU_2010, db_path=db_path, cache_dir=tmp_path / "cache", config=make_config(server)
    )

    assert summary.complete and not summary.load_error, summary.render()
    assert summary.loaded_rows == 4 and summary.superseded_rows == 4
    assert "revised:    4 observations" in summary.render()
    served = {
        (str(r["period"]), r["partnerCode"], r["flowCode"]): r["primaryValue"]
        for r in json.loads((FIXTURES / "recorded_chn_2010_total.json").read_bytes())["data"]
    }
    partners, flows = {32: "ARG", 276: "DEU"}, {"M": "import", "X": "export"}
    assert comtrade_values(db_path) == {
        (period, partners[partner], flows[flow], "TOTAL"): value
        for (period, partner, flow), value in served.items()
    }
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (fetched_at,) = con.execute("SELECT min(loaded_at) FROM datasets WHERE format = 'comtrade_plus_json' "
                                    "AND path <> ?", [str(earlier_path.resolve())]).fetchone()  # fmt: skip
        then = con.execute(
            "SELECT period, partner_iso3, flow, value_usd FROM trade_as_of(?) WHERE source = 'comtrade' "
            "AND reporter_iso3 = 'CHN' AND year = 2010",
            [fetched_at - timedelta(microseconds=1)],
        ).fetchall()
    finally:
        con.close()
    assert {(p, r, f): v for p, r, f, v in then} == {
        (period, partners[partner], flows[flow]): value for (period, partner, flow), value in released.items()
    }


@needs_load
def test_runs_with_different_flows_reuse_files_and_never_double_load(
    server: ReplayServer, db_path: Path, tmp_path: Path
):
    cache_dir = tmp_path / "cache"
    before = db_state(db_path)
    exports = run_fetch(
        **dict(ARG_DEU_2010, flows=["export"]),
        db_path=db_path,
        cache_dir=cache_dir,
        config=make_config(server),
    )
    assert exports.complete and exports.loaded_rows == 2

    both = run_fetch(**ARG_DEU_2010, db_path=db_path, cache_dir=cache_dir, config=make_config(server))

    assert both.complete, both.render()
    assert len(both.from_cache) == 2 and len(both.fetched) == 2  # exports reused, imports fetched
    assert both.loaded_rows == 2 and both.unchanged_files == 2
    assert db_state(db_path)[0] == before[0] + 4


# ---------------------------------------------------------------- issue 11: answers, bounds, secrets


@pytest.mark.parametrize(
    ("field_name", "value"),
    [("partnerCode", "76"), ("reporterCode", "170"), ("period", "2011"), ("refYear", "2011"), ("flowCode", '"RX"'),
     ("cmdCode", '"01"')],
    ids=["partner", "reporter", "period", "refYear", "flow", "product"],
)  # fmt: skip
def test_an_answer_to_another_query_is_refused_and_never_cached(
    server: ReplayServer, tmp_path: Path, field_name: str, value: str
):
    server.add_fault("other_answer", message=f"{field_name}={value}", times=-1)
    with pytest.raises(ComtradeMismatch, match=f"record 1 has {field_name}"):
        fetch_records(requests.Session(), ARG_2010_QUERY, make_config(server))
    cache_dir = tmp_path / "cache"
    summary = fetch_to_cache([ARG_2010_QUERY], config=make_config(server), cache_dir=cache_dir,
                             session=requests.Session())  # fmt: skip
    assert not summary.complete and "does not match the query" in summary.render()
    assert cache_files(cache_dir) == []


def test_a_cached_answer_for_another_query_is_quarantined_and_fetched_again(
    server: ReplayServer, tmp_path: Path
):
    cache_dir = tmp_path / "cache"
    fetch_to_cache(
        [ARG_2010_QUERY], config=make_config(server), cache_dir=cache_dir, session=requests.Session()
    )
    (cached,) = cache_files(cache_dir)
    document = json.loads(cached.read_bytes())
    document["data"] = [dict(record, partnerCode=76) for record in document["data"]]
    cached.write_text(json.dumps(document))
    summary = fetch_to_cache([ARG_2010_QUERY], config=make_config(server), cache_dir=cache_dir,
                             session=requests.Session())  # fmt: skip
    assert summary.complete and len(summary.fetched) == 1
    assert cached.with_name(cached.name + ".quarantined").exists()
    assert {r["partnerCode"] for r in json.loads(cached.read_bytes())["data"]} == {32}


@needs_load
def test_a_cached_answer_that_fails_to_load_is_quarantined_with_how_to_refetch(
    server: ReplayServer, db_path: Path, tmp_path: Path
):
    cache_dir = tmp_path / "cache"
    queries = level_queries("CHN", ["ARG"], [2010], "TOTAL", ["import", "export"])
    fetch_to_cache(queries, config=make_config(server), cache_dir=cache_dir, session=requests.Session())
    cached = next(p for p in cache_files(cache_dir) if "-M-" in p.name)
    document = json.loads(cached.read_bytes())
    document["data"][0]["primaryValue"] = -5  # valid JSON for this query, refused by the loader
    cached.write_text(json.dumps(document))
    before = db_path.read_bytes()
    failed = run_fetch(reporter="CHN", partners=["ARG"], years=[2010], level="TOTAL", flows=["import", "export"],
                       db_path=db_path, cache_dir=cache_dir, config=make_config(server), offline=True)  # fmt: skip
    assert "negative trade value" in failed.load_error
    assert "moved aside to" in failed.load_error and "run the same command again" in failed.load_error
    assert not cached.exists() and cached.with_name(cached.name + ".quarantined").exists()
    assert db_path.read_bytes() == before
    again = run_fetch(reporter="CHN", partners=["ARG"], years=[2010], level="TOTAL", flows=["import", "export"],
                      db_path=db_path, cache_dir=cache_dir, config=make_config(server))  # fmt: skip
    assert again.complete and not again.load_error, again.render()
    assert again.loaded_rows == 2


def test_a_gzip_bomb_stops_at_the_body_bound(server: ReplayServer):
    gzip_bomb()  # compressed before the request, so a loaded machine does not turn it into a read timeout
    server.add_fault("gzip_bomb")
    config = make_config(server, max_body_bytes=1024 * 1024, read_timeout=10.0)
    with pytest.raises(ComtradeBodyTooLarge, match="1,048,576-byte bound on a downloaded body"):
        fetch_records(requests.Session(), ARG_2010_QUERY, config)


def test_a_body_that_never_ends_is_cut_at_the_per_request_deadline(server: ReplayServer):
    server.add_fault("slow_body", times=-1, delay=3.0)
    config = make_config(server, request_deadline=0.6, max_attempts=2)
    started = time.monotonic()
    with pytest.raises(ComtradeRetriesExhausted, match="0.6-second deadline per request"):
        fetch_records(requests.Session(), ARG_2010_QUERY, config)
    assert time.monotonic() - started < 2.9  # each attempt stopped at its deadline, not at the body's end


def test_a_key_cut_by_the_error_snippet_leaves_no_part_of_it(server: ReplayServer, caplog):
    caplog.set_level(logging.DEBUG)
    server.add_fault("error_with_key_at_cut")
    with pytest.raises(ComtradeHTTPError) as caught:
        fetch_records(requests.Session(), ARG_2010_QUERY, make_config(server, key=API_KEY))
    text = "".join(traceback.format_exception(caught.value)) + caplog.text
    for start in range(len(API_KEY) - 6):
        assert API_KEY[start : start + 6] not in text, API_KEY[start : start + 6]


def test_credentials_in_the_base_url_are_never_logged(server: ReplayServer, tmp_path: Path, caplog):
    caplog.set_level(logging.DEBUG)
    password = "Pw-s3cret-9911"
    base = server.url.replace("http://", f"http://alice:{password}@")
    server.add_fault("500", times=-1, message=f"upstream saw {password}")
    config = make_config(server, base_url=base)
    with pytest.raises(ComtradeRetriesExhausted) as caught:
        fetch_records(requests.Session(), ARG_2010_QUERY, config)
    text = "".join(traceback.format_exception(caught.value)) + caplog.text
    assert password not in text and "s3cret" not in text
    assert "***@127.0.0.1" in caplog.text


@pytest.mark.parametrize(
    ("status", "error"),
    [(200, ComtradeNotJSON), (403, ComtradeAuthError), (502, ComtradeRetriesExhausted)],
    ids=["200", "403", "502"],
)
def test_an_html_page_instead_of_the_api_is_named_as_such(
    server: ReplayServer, tmp_path: Path, status: int, error: type[Exception]
):
    """A login page, a captive portal or a proxy's error page is said to be an HTML page (with its title), not
    "cut short by a proxy", and never cached."""
    server.add_fault("html", times=-1, message=str(status))
    with pytest.raises(error) as caught:
        fetch_records(requests.Session(), ARG_2010_QUERY, make_config(server))
    text = str(caught.value)
    assert "an HTML page (title 'Sign in - Campus Wi-Fi')" in text, text
    assert "cut short" not in text and "<html" not in text.lower() and "<form" not in text
    cache_dir = tmp_path / "cache"
    summary = fetch_to_cache([ARG_2010_QUERY], config=make_config(server), cache_dir=cache_dir)
    assert summary.missing and cache_files(cache_dir) == []
