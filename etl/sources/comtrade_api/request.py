"""One call to the API: where (endpoint and key), how patiently (timeouts, pacing, Retry-After, backoff with
jitter, a bounded number of retries), and the body read within a byte bound and a deadline."""

from __future__ import annotations

import email.utils
import logging
import math
import random
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3

from etl import settings
from etl.sources.comtrade_api.answer import (
    ComtradeResponse,
    check_answer_matches,
    describe_non_json,
    validate_body,
)
from etl.sources.comtrade_api.errors import (
    ComtradeAuthError,
    ComtradeBodyTooLarge,
    ComtradeDeadlineExceeded,
    ComtradeError,
    ComtradeHTTPError,
    ComtradeRateLimited,
    ComtradeRetriesExhausted,
    ComtradeTruncatedResponse,
    redact,
    safe_url,
    snippet,
    url_secret,
)
from etl.sources.comtrade_api.mapping import ComtradeQuery

logger = logging.getLogger("balanza.fetch")

API_KEY_ENV = settings.COMTRADE_API_KEY.name
BASE_URL_ENV = settings.COMTRADE_BASE_URL.name
DEFAULT_BASE_URL = str(settings.COMTRADE_BASE_URL.default)
KEY_HEADER = "Ocp-Apim-Subscription-Key"
PREVIEW_PATH = "/public/v1/preview/C/A/HS"
DATA_PATH = "/data/v1/get/C/A/HS"
PREVIEW_ROW_CAP = 500
DATA_ROW_CAP = 100_000
_KEY_PATTERN = re.compile(r"^[\x21-\x7e]+$")  # visible ASCII: anything else cannot travel in a header


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
        # Redact before cutting: a snippet cut mid-key would otherwise keep the part before the cut. An HTML error
        # page is named (with its title) rather than dumped as markup.
        text = snippet(redact(body.decode("utf-8", errors="replace"), config.secrets))
        not_json = describe_non_json(body)
        if not_json is not None and not_json[0].startswith("an HTML page"):
            text = redact(not_json[0], config.secrets)
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


def _retry_or_give_up(attempt: int, config: ClientConfig, where: str, problem: str, delay: float) -> None:
    if attempt >= config.max_attempts:
        raise ComtradeRetriesExhausted(
            f"{where}: gave up after {attempt} attempts; last: {problem}",
            hint="rerun later: chunks already fetched are cached and will not be fetched again",
            secret=config.secrets,
        )
    logger.warning("%s: %s; retrying in %.2f s", where, redact(problem, config.secrets), delay)
    config.sleep(delay)
