"""The Comtrade client's pure parts: area codes, query splitting, cache names, Retry-After, validation."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

import pytest

from etl.fetch import parse_years
from etl.sources.comtrade_api import (
    DATA_PATH,
    MAX_CODES_PER_CALL,
    PREVIEW_PATH,
    ClientConfig,
    ComtradeCapReached,
    ComtradeCountMismatch,
    ComtradeError,
    ComtradeErrorResponse,
    ComtradeQuery,
    ComtradeTruncatedResponse,
    area_code,
    config_from_env,
    hs_codes_by_chapter,
    level_queries,
    parse_retry_after,
    split_query,
    validate_body,
)

QUERY = ComtradeQuery(170, (156,), (2010,), ("M", "X"), ("TOTAL",))


def body(records: list[dict], **overrides: object) -> bytes:
    document = {"elapsedTime": "0.1 secs", "count": len(records), "data": records, "error": ""}
    document.update(overrides)
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("area", "code"),
    [("COL", 170), ("chn", 156), ("USA", 842), ("WLD", 0), ("DEU", 276), ("ARG", 32), ("170", 170)],
)
def test_area_codes(area: str, code: int) -> None:
    assert area_code(area) == code


def test_an_unknown_area_is_a_named_error() -> None:
    with pytest.raises(ComtradeError, match="unknown area 'XYZ'"):
        area_code("XYZ")


def test_chunks_are_one_year_one_partner_and_one_flow() -> None:
    queries = level_queries("COL", ["CHN", "USA", "WLD", "CHN"], [2010, 2011], "HS4", ["import", "export"])
    assert len(queries) == 12
    assert {q.partner_codes for q in queries} == {(156,), (842,), (0,)}
    assert {q.flow_codes for q in queries} == {("M",), ("X",)}
    assert all(q.cmd_codes == ("AG4",) for q in queries)
    params = queries[0].params()
    assert (
        params["reporterCode"] == "170" and params["customsCode"] == "C00" and params["partner2Code"] == "0"
    )
    with pytest.raises(ComtradeError, match="unknown level"):
        level_queries("COL", ["CHN"], [2010], "HS8", ["import"])


def test_split_order_is_flow_then_partner_then_year() -> None:
    wide = ComtradeQuery(170, (156, 842), (2010, 2011), ("M", "X"), ("TOTAL",))
    by_flow = split_query(wide)
    assert [q.flow_codes for q in by_flow] == [("M",), ("X",)]
    by_partner = split_query(by_flow[0])
    assert [q.partner_codes for q in by_partner] == [(156,), (842,)]
    assert [q.years for q in split_query(by_partner[0])] == [(2010,), (2011,)]


def test_hs6_splits_into_chapters_covering_every_code_in_small_batches() -> None:
    parts = split_query(ComtradeQuery(170, (156,), (2010,), ("M",), ("AG6",)))
    asked = [code for part in parts for code in part.cmd_codes]
    expected = [code for codes in hs_codes_by_chapter(6).values() for code in codes]
    assert asked == expected and len(set(asked)) == len(asked)
    assert all(len(part.cmd_codes) <= MAX_CODES_PER_CALL for part in parts)
    assert all(len({code[:2] for code in part.cmd_codes}) == 1 for part in parts)  # one chapter per call
    assert "090111" in asked and "2709" not in asked


def test_code_lists_split_in_halves_until_one_code_is_left() -> None:
    listed = ComtradeQuery(170, (156,), (2010,), ("M",), ("0101", "0102", "0103"))
    assert [q.cmd_codes for q in split_query(listed)] == [("0101",), ("0102", "0103")]
    with pytest.raises(ComtradeCapReached, match="cannot be split further"):
        split_query(ComtradeQuery(170, (156,), (2010,), ("M",), ("0101",)))


def test_cache_names_come_from_the_filters_alone() -> None:
    same = ComtradeQuery(170, (156,), (2010,), ("M", "X"), ("TOTAL",))
    assert QUERY.cache_name() == same.cache_name()
    assert QUERY.cache_name().startswith("C_A_HS-r170-p156-y2010-MX-TOTAL-")
    other = ComtradeQuery(170, (156,), (2011,), ("M", "X"), ("TOTAL",))
    assert other.cache_name() != QUERY.cache_name()
    assert QUERY.describe() == "COL→CHN 2010 M,X TOTAL"
    assert ComtradeQuery(842, (0, 9999), (2024,), ("X",), ("AG6",)).describe() == "USA→WLD,9999 2024 X AG6"


def test_the_key_picks_the_endpoint_and_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    monkeypatch.delenv("COMTRADE_BASE_URL", raising=False)
    preview = config_from_env()
    assert preview.url == "https://comtradeapi.un.org" + PREVIEW_PATH and preview.cap == 500

    monkeypatch.setenv("COMTRADE_API_KEY", "secret-key-123")
    monkeypatch.setenv("COMTRADE_BASE_URL", "http://mirror.example/")
    keyed = config_from_env()
    assert keyed.url == "http://mirror.example" + DATA_PATH and keyed.cap == 100_000
    assert config_from_env("http://other.example").base_url == "http://other.example"
    assert "secret-key-123" not in repr(keyed) and "secret-key-123" not in str(keyed)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now=now) == 7.0
    assert parse_retry_after(" 1.5 ", now=now) == 1.5
    assert parse_retry_after("Fri, 01 May 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Fri, 01 May 2026 11:00:00 GMT", now=now) == 0.0  # already past
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("nan") is None


def test_backoff_is_capped_and_jittered() -> None:
    from etl.sources.comtrade_api import backoff_delay

    config = ClientConfig(backoff_base=1.0, max_backoff=8.0)
    delays = [backoff_delay(attempt, config) for attempt in range(1, 8)]
    assert all(min(8.0, 2 ** (n - 1)) / 2 <= d <= min(8.0, 2 ** (n - 1)) for n, d in enumerate(delays, 1))
    assert len({round(backoff_delay(1, config), 9) for _ in range(20)}) > 1


def test_validation_names_each_problem() -> None:
    record = {"period": "2010"}
    assert validate_body(QUERY, body([record]), cap=500).row_count == 1
    assert validate_body(QUERY, body([]), cap=500).row_count == 0  # an empty year is an answer
    with pytest.raises(ComtradeTruncatedResponse, match="JSON cut short"):
        validate_body(QUERY, body([record])[:-5], cap=500)
    with pytest.raises(ComtradeErrorResponse, match="quota exceeded"):
        validate_body(QUERY, body([], error="quota exceeded"), cap=500)
    with pytest.raises(ComtradeErrorResponse, match="not a data answer"):
        validate_body(QUERY, b'{"statusCode": 500, "message": "Internal server error"}', cap=500)
    with pytest.raises(ComtradeCountMismatch, match="says 3 but `data` holds 1"):
        validate_body(QUERY, body([record], count=3), cap=500)
    with pytest.raises(ComtradeCapReached):
        validate_body(QUERY, body([record] * 5), cap=5)
    assert validate_body(QUERY, body([record] * 5), cap=None).row_count == 5


def test_secrets_are_redacted_from_error_text() -> None:
    with pytest.raises(ComtradeErrorResponse) as caught:
        validate_body(QUERY, body([], error="bad key abc123"), cap=500, secret="abc123")
    assert "abc123" not in str(caught.value) and "[redacted]" in str(caught.value)


def test_year_ranges() -> None:
    assert parse_years("2010-2013") == [2010, 2011, 2012, 2013]
    assert parse_years("2019, 2021,2015-2016") == [2015, 2016, 2019, 2021]
    for bad in ("2024-2010", "twenty", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_years(bad)


def test_the_key_is_never_sent_over_plain_http_to_another_machine() -> None:
    import requests

    from etl.sources.comtrade_api import ComtradeAuthError, fetch_records

    config = ClientConfig(base_url="http://mirror.example", api_key="secret-key-123", max_attempts=1)
    with pytest.raises(ComtradeAuthError, match="only over HTTPS") as caught:
        fetch_records(requests.Session(), QUERY, config)  # refused before any connection is made
    assert "secret-key-123" not in str(caught.value)
