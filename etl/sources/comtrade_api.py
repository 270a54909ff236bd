"""HTTP client for the UN Comtrade+ API: one query in, one validated raw response out.

Without a subscription key the public preview endpoint answers (at most 500 records per call); with
``COMTRADE_API_KEY`` the data endpoint answers (up to 100,000 records per call). The key travels only in
the ``Ocp-Apim-Subscription-Key`` header: never in a URL, never in a log line, and it is redacted from
every error message, including bodies a server echoes back.

Every ``fetch_*`` function takes a ``requests.Session``, sets explicit timeouts, paces its calls, honours
``Retry-After`` on 429, backs off with jitter, retries 5xx and timeouts a bounded number of times, and
raises a named error (never returns None) when the answer is not data.
"""

from __future__ import annotations

import csv
import email.utils
import functools
import hashlib
import json
import logging
import math
import random
import re
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3

from etl import settings
from etl.errors import FetchError
from etl.schema import CHINA, COLOMBIA, UNITED_STATES, WORLD

logger = logging.getLogger("balanza.fetch")

API_KEY_ENV = settings.COMTRADE_API_KEY.name
BASE_URL_ENV = settings.COMTRADE_BASE_URL.name
DEFAULT_BASE_URL = str(settings.COMTRADE_BASE_URL.default)
KEY_HEADER = "Ocp-Apim-Subscription-Key"
PREVIEW_PATH = "/public/v1/preview/C/A/HS"
DATA_PATH = "/data/v1/get/C/A/HS"
PREVIEW_ROW_CAP = 500
DATA_ROW_CAP = 100_000

# Balanza's HS levels → Comtrade's cmdCode for "every code at that level".
LEVEL_CMD_CODES = {"TOTAL": "TOTAL", "HS2": "AG2", "HS4": "AG4", "HS6": "AG6"}
FLOW_CODES = {"import": "M", "export": "X"}

# Codes that must not depend on the reference table: the USA reports as 842 (with Puerto Rico and the
# US Virgin Islands), not its M49 840; the World partner is 0.
AREA_CODE_OVERRIDES = {WORLD: 0, UNITED_STATES: 842, COLOMBIA: 170, CHINA: 156}
REFERENCE_DIR = settings.DATA_DIR / "raw" / "reference" / "uncomtrade-reference"
PARTNER_AREAS_CSV = REFERENCE_DIR / "comtrade_partner_areas.csv"
HS_CODES_CSV = REFERENCE_DIR / "comtrade_cmd_HS_combined.csv"

# Long cmdCode lists are sent in batches so the URL stays far below common proxy limits.
MAX_CODES_PER_CALL = 150
REDACTED = "[redacted]"
_KEY_PATTERN = re.compile(r"^[\x21-\x7e]+$")  # visible ASCII: anything else cannot travel in a header


# ---------------------------------------------------------------------------------------------- errors


class ComtradeError(FetchError):
    """Base of the Comtrade client's errors; the message never carries the API key."""

    def __init__(
        self, message: str, *, hint: str = "", secret: str | tuple[str | None, ...] | None = None
    ) -> None:
        super().__init__(redact(message, secret), hint=redact(hint, secret))


class ComtradeAuthError(ComtradeError):
    """The key is missing, malformed or refused (401/403)."""


class ComtradeHTTPError(ComtradeError):
    """An HTTP status that retrying will not fix (4xx other than 401/403/429)."""

    def __init__(self, status: int, message: str, *, hint: str = "",
                 secret: str | tuple[str | None, ...] | None = None) -> None:  # fmt: skip
        self.status = status
        super().__init__(message, hint=hint, secret=secret)


class ComtradeRetriesExhausted(ComtradeError):
    """5xx answers, timeouts or dropped connections outlasted the retry budget."""


class ComtradeRateLimited(ComtradeError):
    """429 outlasted the retry budget, or the server asked for a wait longer than we accept."""


class ComtradeErrorResponse(ComtradeError):
    """The body carries an error (even with HTTP 200), or has no `data` list."""


class ComtradeTruncatedResponse(ComtradeError):
    """The body is not complete, valid JSON."""


class ComtradeCountMismatch(ComtradeError):
    """`count` disagrees with the number of records in `data`."""


class ComtradeBodyTooLarge(ComtradeError):
    """The body (decompressed) is larger than ClientConfig.max_body_bytes."""


class ComtradeDeadlineExceeded(ComtradeError):
    """One request took longer than ClientConfig.request_deadline, however slowly its body kept coming."""


class ComtradeMismatch(ComtradeError):
    """The answer is about another reporter, partner, period, flow or product than the query asked for."""


class ComtradeCapReached(ComtradeError):
    """The answer holds as many records as the endpoint returns at most: it may be cut short."""


MIN_REDACTED_PART = 6  # a run of this many characters of the key is treated as the key


def redact(text: str, secret: str | tuple[str | None, ...] | None) -> str:
    """The text with the secret replaced in any form: whole, URL-encoded, in any letter case, and any part of
    it of MIN_REDACTED_PART or more characters (a snippet cut mid-key, a server echoing half of it)."""
    if isinstance(secret, tuple):
        for one in secret:
            text = redact(text, one)
        return text
    if not secret or not text:
        return text
    from urllib.parse import quote

    for form in {secret, quote(secret, safe="")}:
        text = re.sub(re.escape(form), REDACTED, text, flags=re.IGNORECASE)
    shortest = min(MIN_REDACTED_PART, len(secret))
    lowered, key = text.lower(), secret.lower()
    if not any(key[i : i + shortest] in lowered for i in range(len(key) - shortest + 1)):
        return text
    parts = sorted({secret[i:j] for i in range(len(secret)) for j in range(i + shortest, len(secret) + 1)},
                   key=len, reverse=True)  # fmt: skip
    for part in parts:
        text = re.sub(re.escape(part), REDACTED, text, flags=re.IGNORECASE)
    return text


def safe_url(url: str) -> str:
    """The URL without any user name or password in it (for logs and messages)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc="***@" + netloc).geturl()


def url_secret(url: str) -> str | None:
    """The password (or, without one, the user name) inside a URL: redacted from every message."""
    parts = urlsplit(url)
    return parts.password or parts.username or None


# --------------------------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class ComtradeQuery:
    """One call's filters. Fixed: goods, annual, HS; totals over customs procedure, transport mode, partner 2."""

    reporter_code: int
    partner_codes: tuple[int, ...]
    years: tuple[int, ...]
    flow_codes: tuple[str, ...]
    cmd_codes: tuple[str, ...]

    def params(self) -> dict[str, str]:
        return {
            "reporterCode": str(self.reporter_code),
            "partnerCode": ",".join(str(code) for code in self.partner_codes),
            "period": ",".join(str(year) for year in self.years),
            "cmdCode": ",".join(self.cmd_codes),
            "flowCode": ",".join(self.flow_codes),
            "customsCode": "C00",
            "motCode": "0",
            "partner2Code": "0",
            "includeDesc": "TRUE",
        }

    def cache_name(self) -> str:
        """A file name derived from the filters alone (never from the key or the endpoint)."""
        canonical = urlencode(sorted(self.params().items()))
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
        if len(self.cmd_codes) == 1:
            cmd = self.cmd_codes[0]
        else:
            cmd = f"{self.cmd_codes[0]}-{self.cmd_codes[-1]}x{len(self.cmd_codes)}"
        partners = "+".join(str(code) for code in self.partner_codes)
        years = "+".join(str(year) for year in self.years)
        return f"C_A_HS-r{self.reporter_code}-p{partners}-y{years}-{''.join(self.flow_codes)}-{cmd}-{digest}.json"

    def describe(self) -> str:
        """E.g. 'COL→CHN 2010 M,X TOTAL' (Comtrade codes shown where no ISO3 is known)."""
        if len(self.cmd_codes) <= 3:
            cmd = ",".join(self.cmd_codes)
        else:
            cmd = f"{len(self.cmd_codes)} codes {self.cmd_codes[0]}…{self.cmd_codes[-1]}"
        partners = ",".join(area_label(code) for code in self.partner_codes)
        years = ",".join(map(str, self.years))
        return f"{area_label(self.reporter_code)}→{partners} {years} {','.join(self.flow_codes)} {cmd}"


@functools.cache
def _area_codes_from_reference(path: Path = PARTNER_AREAS_CSV) -> dict[str, int]:
    codes: dict[str, int] = {}
    if not path.exists():
        return codes
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            iso3 = (row.get("iso_3") or "").strip().upper()
            if len(iso3) != 3 or (row.get("exit_year") or "").strip():
                continue  # areas that no longer exist (e.g. the former Fed. Rep. of Germany) are not asked for
            codes.setdefault(iso3, int(row["id"]))
    return codes


def area_label(code: int) -> str:
    """The ISO3 code for a Comtrade area code, or the number itself when none is known."""
    for iso3, known in AREA_CODE_OVERRIDES.items():
        if known == code:
            return iso3
    for iso3, known in _area_codes_from_reference().items():
        if known == code:
            return iso3
    return str(code)


def area_code(area: str) -> int:
    """Comtrade's numeric area code for an ISO3 code (COL → 170, USA → 842, WLD → 0) or a numeric code."""
    text = area.strip().upper()
    if text.isdigit():
        return int(text)
    if text in AREA_CODE_OVERRIDES:
        return AREA_CODE_OVERRIDES[text]
    codes = _area_codes_from_reference()
    if text not in codes:
        raise ComtradeError(
            f"unknown area '{area}'",
            hint=f"use an ISO3 code listed in {PARTNER_AREAS_CSV.name} or a Comtrade numeric code",
        )
    return codes[text]


@functools.cache
def hs_codes_by_chapter(level: int, path: Path = HS_CODES_CSV) -> dict[str, tuple[str, ...]]:
    """HS codes of one level (4 or 6) grouped by chapter, from Comtrade's combined list (all HS editions)."""
    grouped: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["id"].strip()
            if len(code) == level and code.isdigit():
                grouped.setdefault(code[:2], []).append(code)
    return {chapter: tuple(sorted(codes)) for chapter, codes in sorted(grouped.items())}


def split_query(query: ComtradeQuery) -> list[ComtradeQuery]:
    """Smaller queries that together ask for exactly what ``query`` asks for.

    Splits by flow first, then by partner, then by year, then HS level codes (AG4, AG6) into chapters,
    then explicit code lists in halves. Raises ComtradeCapReached when nothing is left to split.
    """

    def with_(**changes: Any) -> ComtradeQuery:
        values: dict[str, Any] = {
            "reporter_code": query.reporter_code,
            "partner_codes": query.partner_codes,
            "years": query.years,
            "flow_codes": query.flow_codes,
            "cmd_codes": query.cmd_codes,
        }
        values.update(changes)
        return ComtradeQuery(**values)

    if len(query.flow_codes) > 1:
        return [with_(flow_codes=(flow,)) for flow in query.flow_codes]
    if len(query.partner_codes) > 1:
        return [with_(partner_codes=(partner,)) for partner in query.partner_codes]
    if len(query.years) > 1:
        return [with_(years=(year,)) for year in query.years]
    if query.cmd_codes in (("AG4",), ("AG6",)):
        level = int(query.cmd_codes[0][2])
        parts = []
        for codes in hs_codes_by_chapter(level).values():
            for start in range(0, len(codes), MAX_CODES_PER_CALL):
                parts.append(with_(cmd_codes=codes[start : start + MAX_CODES_PER_CALL]))
        return parts
    if len(query.cmd_codes) > 1:
        middle = len(query.cmd_codes) // 2
        return [with_(cmd_codes=query.cmd_codes[:middle]), with_(cmd_codes=query.cmd_codes[middle:])]
    raise ComtradeCapReached(
        f"{query.describe()}: the answer reached the row cap and the query cannot be split further",
        hint=f"set {API_KEY_ENV} to use the data endpoint (100,000 records per call)",
    )


# -------------------------------------------------------------------------------------------- the call


@dataclass(frozen=True)
class ClientConfig:
    """Where to call, with which key, and how patiently. Tests shrink the timeouts and sleeps."""

    base_url: str = DEFAULT_BASE_URL
    api_key: str | None = field(default=None, repr=False)
    connect_timeout: float = 10.0
    read_timeout: float = 90.0
    max_attempts: int = 5
    backoff_base: float = 2.0
    max_backoff: float = 60.0
    max_retry_after: float = 600.0  # a longer wait is reported, not slept through
    pace_seconds: float = 1.0  # minimum gap between two calls
    row_cap: int | None = None  # default: 500 on the preview endpoint, 100,000 with a key
    max_body_bytes: int = 256 * 1024 * 1024  # decompressed; 100,000 records are about 150 MB of JSON
    request_deadline: float = 600.0  # seconds for one whole request, however slowly the body arrives
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + (DATA_PATH if self.api_key else PREVIEW_PATH)

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """What never appears in a message or a log: the key, and any password in the base URL."""
        return (self.api_key, url_secret(self.base_url))

    @property
    def cap(self) -> int:
        if self.row_cap is not None:
            return self.row_cap
        return DATA_ROW_CAP if self.api_key else PREVIEW_ROW_CAP

    @property
    def endpoint_name(self) -> str:
        return "data endpoint (with key)" if self.api_key else "public preview endpoint"


def config_from_env(base_url: str | None = None, **overrides: Any) -> ClientConfig:
    """A ClientConfig reading COMTRADE_API_KEY and COMTRADE_BASE_URL (an explicit base_url wins)."""
    key = settings.COMTRADE_API_KEY.get()
    if key is not None and not _KEY_PATTERN.match(key):
        raise ComtradeAuthError(
            f"{API_KEY_ENV} contains spaces or characters that cannot be sent in an HTTP header",
            hint=f"copy the key again from the Comtrade portal into {API_KEY_ENV}",
            secret=key,
        )
    url = base_url or settings.COMTRADE_BASE_URL.require()
    return ClientConfig(base_url=url, api_key=key, **overrides)


class Pacer:
    """Keeps at least ``pace_seconds`` between the starts of two calls."""

    def __init__(self) -> None:
        self._last_call: float | None = None
        self.calls = 0

    def wait(self, config: ClientConfig) -> None:
        self.calls += 1
        if self._last_call is not None and config.pace_seconds > 0:
            gap = time.monotonic() - self._last_call
            if gap < config.pace_seconds:
                config.sleep(config.pace_seconds - gap)
        self._last_call = time.monotonic()


@dataclass(frozen=True)
class ComtradeResponse:
    """A validated answer: the raw body (what the cache keeps) and its records."""

    query: ComtradeQuery
    body: bytes
    records: list[dict[str, Any]]

    @property
    def row_count(self) -> int:
        return len(self.records)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def backoff_delay(attempt: int, config: ClientConfig) -> float:
    """Exponential backoff with jitter: half the step fixed, half random, capped at max_backoff."""
    step = min(config.max_backoff, config.backoff_base * 2 ** (attempt - 1))
    return step / 2 + config.rng.uniform(0, step / 2)


def validate_body(
    query: ComtradeQuery, body: bytes, *, cap: int | None, secret: str | tuple[str | None, ...] | None = None
) -> ComtradeResponse:
    """Parse and check one body: complete JSON, no error, a data list, count = rows, below the cap (if given)."""
    where = query.describe()
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ComtradeTruncatedResponse(
            f"{where}: the body is not complete JSON ({len(body)} bytes; {exc.msg} at char {exc.pos})"
            if isinstance(exc, json.JSONDecodeError)
            else f"{where}: the body is not UTF-8 JSON ({len(body)} bytes)",
            hint="retry later; a proxy or the connection may have cut the answer short",
            secret=secret,
        ) from None
    if not isinstance(document, dict):
        raise ComtradeErrorResponse(f"{where}: expected a JSON object, got {type(document).__name__}")
    error = document.get("error")
    if error:
        raise ComtradeErrorResponse(
            f"{where}: the API answered with an error: {_snippet(str(error))}", secret=secret
        )
    records = document.get("data")
    if not isinstance(records, list):
        message = document.get("message") or document.get("statusCode") or "no `data` list"
        raise ComtradeErrorResponse(f"{where}: not a data answer: {_snippet(str(message))}", secret=secret)
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


def fetch_records(
    session: requests.Session,
    query: ComtradeQuery,
    config: ClientConfig,
    pacer: Pacer | None = None,
) -> ComtradeResponse:
    """Call the API once for ``query`` (retrying what is worth retrying) and return the validated answer."""
    pacer = pacer or Pacer()
    key = config.api_key
    check_key_transport(config)
    headers = {"Accept": "application/json", "User-Agent": "balanza-fetch"}
    if key:
        headers[KEY_HEADER] = key
    where = query.describe()
    last_problem = ""
    for attempt in range(1, config.max_attempts + 1):
        pacer.wait(config)
        logger.info("GET %s?%s (attempt %d)", safe_url(config.url), urlencode(query.params()), attempt)
        started = time.monotonic()
        try:
            response = session.get(
                config.url,
                params=query.params(),
                headers=headers,
                timeout=(config.connect_timeout, config.read_timeout),
                # requests keeps custom headers across redirects, even to another host: never follow one.
                allow_redirects=False,
                stream=True,  # the body is read by _read_body, within its byte bound and the request deadline
            )
            try:
                body = _read_body(response, config, where, started)
            finally:
                response.close()
        except ComtradeDeadlineExceeded as exc:
            last_problem = str(exc)
            _retry_or_give_up(attempt, config, where, last_problem, backoff_delay(attempt, config))
            continue
        except (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError) as exc:
            raise ComtradeTruncatedResponse(
                f"{where}: the connection closed before the body was complete ({type(exc).__name__})",
                hint="retry later; the cached chunks are kept",
            ) from None
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError,
                urllib3.exceptions.ReadTimeoutError) as exc:  # fmt: skip
            last_problem = f"{type(exc).__name__}: {redact(str(exc), config.secrets)}"
            _retry_or_give_up(attempt, config, where, last_problem, backoff_delay(attempt, config))
            continue
        except requests.exceptions.RequestException as exc:
            raise ComtradeError(f"{where}: request failed: {type(exc).__name__}: {exc}",
                                secret=config.secrets) from None  # fmt: skip

        status = response.status_code
        if status == 200:
            if key and redact(body.decode("utf-8", errors="replace"), key) != body.decode(
                "utf-8", errors="replace"
            ):
                # A server or proxy echoed the key (or part of it): never keep it, not even in the cache.
                logger.warning("%s: the answer contained the API key; it was redacted", where)
                body = redact(body.decode("utf-8", errors="replace"), key).encode()
            response_ = validate_body(query, body, cap=config.cap, secret=config.secrets)
            check_answer_matches(query, response_.records, secret=config.secrets)
            return response_
        # Redact before cutting: a snippet cut mid-key would otherwise keep the part before the cut.
        text = _snippet(redact(body.decode("utf-8", errors="replace"), config.secrets))
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > config.max_retry_after:
                raise ComtradeRateLimited(
                    f"{where}: rate limited; the server asks to wait {retry_after:.0f} s",
                    hint="rerun later: chunks already fetched are cached and will not be fetched again",
                )
            delay = retry_after if retry_after is not None else backoff_delay(attempt, config)
            last_problem = redact(
                f"HTTP 429 (Retry-After: {response.headers.get('Retry-After', 'absent')})", key
            )
            if attempt == config.max_attempts:
                raise ComtradeRateLimited(
                    f"{where}: still rate limited after {attempt} attempts ({last_problem})",
                    hint="rerun later: chunks already fetched are cached and will not be fetched again",
                    secret=config.secrets,
                )
            logger.warning("%s: %s; waiting %.2f s", where, last_problem, delay)
            config.sleep(delay)
            continue
        if status >= 500:
            last_problem = f"HTTP {status}: {text}"
            _retry_or_give_up(
                attempt, config, where, redact(last_problem, config.secrets), backoff_delay(attempt, config)
            )
            continue
        if 300 <= status < 400:
            raise ComtradeHTTPError(
                status,
                f"{where}: HTTP {status} redirect to {safe_url(response.headers.get('Location', '?'))}; not followed",
                hint="point --base-url (or COMTRADE_BASE_URL) at the final address",
                secret=config.secrets,
            )
        if status in (401, 403):
            raise ComtradeAuthError(
                f"{where}: HTTP {status} from the {config.endpoint_name}: {text}",
                hint=f"check {API_KEY_ENV} (or unset it to use the public preview endpoint)",
                secret=config.secrets,
            )
        raise ComtradeHTTPError(status, f"{where}: HTTP {status}: {text}", secret=config.secrets)
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def check_key_transport(config: ClientConfig) -> None:
    """Refuse to send the key over plain HTTP, except to this machine (a local mirror or a test server)."""
    if not config.api_key:
        return
    parts = urlsplit(config.url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return
    raise ComtradeAuthError(
        f"refusing to send {API_KEY_ENV} to {parts.scheme}://{parts.hostname}: the key travels only over HTTPS",
        hint="use an https:// base URL, or unset the key to use the public preview endpoint",
        secret=config.api_key,
    )


def _read_body(response: requests.Response, config: ClientConfig, where: str, started: float) -> bytes:
    """The body, decompressed here (never past config.max_body_bytes) and read within config.request_deadline."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding in ("", "identity"):
        inflater = None
    else:
        raise ComtradeError(f"{where}: the answer is {encoding}-encoded, which this client does not read",
                            hint="ask for gzip, deflate or no encoding (check any proxy in between)")  # fmt: skip
    limit = config.max_body_bytes
    declared = response.headers.get("Content-Length", "")
    if inflater is None and declared.isdigit() and int(declared) > limit:
        raise _too_large(where, limit, f"it declares {int(declared):,} bytes")
    body = bytearray()
    while True:
        if time.monotonic() - started > config.request_deadline:
            raise ComtradeDeadlineExceeded(
                f"{where}: the answer took longer than the {config.request_deadline:g}-second deadline per request "
                f"({len(body):,} bytes received)",
                hint="the server or a proxy is sending the body very slowly; retry later",
            )
        chunk = response.raw.read1(64 * 1024, decode_content=False) if hasattr(response.raw, "read1") \
            else response.raw.read(64 * 1024, decode_content=False)  # fmt: skip
        if not chunk:
            break
        if inflater is not None:
            chunk = inflater.decompress(chunk, limit + 1 - len(body))
            if inflater.unconsumed_tail:
                raise _too_large(where, limit, "once decompressed")
        body += chunk
        if len(body) > limit:
            raise _too_large(where, limit, "once decompressed" if inflater is not None else "")
    if inflater is not None:
        body += inflater.flush(limit + 1 - len(body)) if hasattr(inflater, "flush") else b""
        if len(body) > limit:
            raise _too_large(where, limit, "once decompressed")
    return bytes(body)


def _too_large(where: str, limit: int, how: str) -> ComtradeBodyTooLarge:
    return ComtradeBodyTooLarge(
        f"{where}: the answer is larger than the {limit:,}-byte bound on a downloaded body"
        + (f" ({how})" if how else ""),
        hint="ask for less per call (balanza fetch splits by year, partner and flow), or check the server",
    )


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


def _retry_or_give_up(attempt: int, config: ClientConfig, where: str, problem: str, delay: float) -> None:
    if attempt >= config.max_attempts:
        raise ComtradeRetriesExhausted(
            f"{where}: gave up after {attempt} attempts; last: {problem}",
            hint="rerun later: chunks already fetched are cached and will not be fetched again",
            secret=config.secrets,
        )
    logger.warning("%s: %s; retrying in %.2f s", where, redact(problem, config.secrets), delay)
    config.sleep(delay)


def _snippet(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def level_queries(
    reporter: str,
    partners: Iterable[str],
    years: Iterable[int],
    level: str,
    flows: Iterable[str],
) -> list[ComtradeQuery]:
    """The chunks of a fetch: one query per year, partner and flow.

    One flow per chunk costs a call more than asking for both, but every cached file then holds one
    (reporter, partner, year, flow, level) block: runs with different --flows or --partners reuse the
    same files and never load the same observation from two files.
    """
    if level not in LEVEL_CMD_CODES:
        raise ComtradeError(f"unknown level '{level}'", hint=f"use one of {', '.join(LEVEL_CMD_CODES)}")
    flow_codes = []
    for flow in flows:
        if flow not in FLOW_CODES:
            raise ComtradeError(f"unknown flow '{flow}'", hint=f"use {' or '.join(FLOW_CODES)}")
        flow_codes.append(FLOW_CODES[flow])
    reporter_code = area_code(reporter)
    partner_codes = list(dict.fromkeys(area_code(partner) for partner in partners))
    flow_codes = list(dict.fromkeys(flow_codes))
    return [
        ComtradeQuery(
            reporter_code=reporter_code,
            partner_codes=(partner_code,),
            years=(year,),
            flow_codes=(flow_code,),
            cmd_codes=(LEVEL_CMD_CODES[level],),
        )
        for year in years
        for partner_code in partner_codes
        for flow_code in flow_codes
    ]
