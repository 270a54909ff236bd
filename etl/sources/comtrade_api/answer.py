"""What an answer must be to be kept: complete JSON with no error, a `data` list as long as `count` says, below
the endpoint's row cap, and about what the query asked. A fresh answer passes here before it is cached; a cached
one passes here again before it is reused (etl/fetch.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from etl.detect import html_title, is_html
from etl.sources.comtrade_api.errors import (
    ComtradeCapReached,
    ComtradeCountMismatch,
    ComtradeErrorResponse,
    ComtradeMismatch,
    ComtradeNotJSON,
    ComtradeTruncatedResponse,
    snippet,
)
from etl.sources.comtrade_api.mapping import ComtradeQuery


@dataclass(frozen=True)
class ComtradeResponse:
    """A validated answer: the raw body (what the cache keeps) and its records."""

    query: ComtradeQuery
    body: bytes
    records: list[dict[str, Any]]

    @property
    def row_count(self) -> int:
        return len(self.records)


API_HTML_HINT = (
    "open the request's address in a browser to see the page: a login page, a network's sign-in (captive) portal "
    "or a server's error page answered instead of the API; sign in (or use another network), check --base-url "
    "(or COMTRADE_BASE_URL) and run the same command again (nothing was cached)"
)


def describe_non_json(body: bytes) -> tuple[str, str] | None:
    """(what the body is, what to do) when it is plainly not JSON (an HTML page, XML, plain text, nothing);
    None when it starts like JSON (complete or not)."""
    text = body[:8192].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text:
        return "empty", "retry later; the server answered with no content"
    if text.startswith(("{", "[")):
        return None
    if is_html(text):
        title = html_title(text)
        page = f"an HTML page{f' (title {title!r})' if title else ''}"
        return page, API_HTML_HINT
    if text.startswith("<"):
        return (
            "an XML document",
            "check --base-url (or COMTRADE_BASE_URL): it does not point at the Comtrade API",
        )
    return (
        f"plain text ({snippet(text, 80)!r})",
        "retry later; if it persists, check --base-url (or COMTRADE_BASE_URL)",
    )


def validate_body(
    query: ComtradeQuery, body: bytes, *, cap: int | None, secret: str | tuple[str | None, ...] | None = None
) -> ComtradeResponse:
    """Parse and check one body: complete JSON, no error, a data list, count = rows, below the cap (if given)."""
    where = query.describe()
    not_json = describe_non_json(body)
    if not_json is not None:
        what, hint = not_json
        raise ComtradeNotJSON(f"{where}: the answer is {what}, not JSON data", hint=hint, secret=secret)
    try:
        document = json.loads(body)
    except UnicodeDecodeError:
        raise ComtradeTruncatedResponse(
            f"{where}: the body is not UTF-8 JSON ({len(body):,} bytes)",
            hint="retry later; if it persists, check --base-url (or COMTRADE_BASE_URL)",
            secret=secret,
        ) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(body.rstrip()) - 1:  # the text ends before the JSON does
            raise ComtradeTruncatedResponse(
                f"{where}: the body is JSON cut short ({len(body):,} bytes; {exc.msg} at its end)",
                hint="retry later; the connection (or a proxy) cut the answer short",
                secret=secret,
            ) from None
        raise ComtradeTruncatedResponse(
            f"{where}: the body is not valid JSON ({len(body):,} bytes; {exc.msg} at char {exc.pos})",
            hint="retry later; if it persists, check --base-url (or COMTRADE_BASE_URL)",
            secret=secret,
        ) from None
    if not isinstance(document, dict):
        raise ComtradeErrorResponse(f"{where}: expected a JSON object, got {type(document).__name__}")
    error = document.get("error")
    if error:
        raise ComtradeErrorResponse(
            f"{where}: the API answered with an error: {snippet(str(error))}", secret=secret
        )
    records = document.get("data")
    if not isinstance(records, list):
        message = document.get("message") or document.get("statusCode") or "no `data` list"
        raise ComtradeErrorResponse(f"{where}: not a data answer: {snippet(str(message))}", secret=secret)
    if cap is not None and len(records) >= cap:
        raise ComtradeCapReached(
            f"{where}: {len(records)} records, the most this endpoint returns per call",
            hint="split the query (by flow, partner, year or HS chapter)",
        )
    count = document.get("count")
    if count is not None and count != len(records):
        raise ComtradeCountMismatch(
            f"{where}: `count` says {count} but `data` holds {len(records)} records",
            hint="retry later; the answer is inconsistent and was not kept",
        )
    return ComtradeResponse(query=query, body=body, records=records)


def check_answer_matches(
    query: ComtradeQuery, records: list[dict[str, Any]], *, secret: str | tuple[str | None, ...] | None = None
) -> None:
    """Every record answers the query: its reporter, partner, period, flow and product are among those asked for.

    An answer for a different reporter, partner, year or flow would otherwise be cached under this query's name.
    """
    where = query.describe()
    cmd = query.cmd_codes
    level = {"AG2": 2, "AG4": 4, "AG6": 6}.get(cmd[0]) if len(cmd) == 1 else None
    checks: list[tuple[str, Callable[[Any], bool], str]] = [
        ("reporterCode", lambda v: _as_int(v) == query.reporter_code, str(query.reporter_code)),
        ("partnerCode", lambda v: _as_int(v) in query.partner_codes, ",".join(map(str, query.partner_codes))),
        ("period", lambda v: _as_int(v) in query.years, ",".join(map(str, query.years))),
        ("refYear", lambda v: v is None or _as_int(v) in query.years, ",".join(map(str, query.years))),
        ("flowCode", lambda v: str(v).strip().upper() in query.flow_codes, ",".join(query.flow_codes)),
    ]
    if cmd == ("TOTAL",):
        checks.append(("cmdCode", lambda v: str(v).strip().upper() == "TOTAL", "TOTAL"))
    elif level is not None:
        checks.append(
            ("cmdCode", lambda v: len(str(v).strip()) == level and str(v).strip().isdigit(), cmd[0])
        )
    else:
        checks.append(
            ("cmdCode", lambda v: str(v).strip() in cmd, ",".join(cmd[:5]) + ("…" if len(cmd) > 5 else ""))
        )
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise ComtradeMismatch(f"{where}: record {position} is not an object", secret=secret)
        for name, ok, asked in checks:
            if name == "refYear" and name not in record:
                continue
            if not ok(record.get(name)):
                raise ComtradeMismatch(
                    f"{where}: the answer does not match the query: record {position} has {name} "
                    f"{record.get(name)!r}, the query asked for {asked}",
                    hint="the server answered another question (a proxy cache, or a changed API); nothing was "
                    "cached; retry later",
                    secret=secret,
                )


def _as_int(value: Any) -> int | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None
