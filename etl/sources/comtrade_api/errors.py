"""The Comtrade client's named errors, and the redaction that keeps the API key (and any password in the base URL)
out of every message, hint and log line."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from etl.errors import FetchError

REDACTED = "[redacted]"


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
    """The body is JSON cut short, or not valid JSON."""


class ComtradeNotJSON(ComtradeErrorResponse):
    """The body is not JSON at all: an HTML page (a login page, a captive portal, an error page), XML, plain text
    or nothing."""


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


def snippet(text: str, limit: int = 300) -> str:
    """A body or error text on one line, cut at ``limit`` characters (redact before cutting)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
