"""HTTP client for the UN Comtrade+ API: one query in, one validated raw response out.

Without a subscription key the public preview endpoint answers (at most 500 records per call); with
``COMTRADE_API_KEY`` the data endpoint answers (up to 100,000 records per call). The key travels only in
the ``Ocp-Apim-Subscription-Key`` header: never in a URL, never in a log line, and it is redacted from
every error message, including bodies a server echoes back.

Every ``fetch_*`` function takes a ``requests.Session``, sets explicit timeouts, paces its calls, honours
``Retry-After`` on 429, backs off with jitter, retries 5xx and timeouts a bounded number of times, and
raises a named error (never returns None) when the answer is not data.

The client is split by concern: `errors` (named errors, redaction of secrets), `mapping` (ISO3 areas, HS levels
and flows to the API's codes; one call's filters), `request` (one call: endpoint, key, timeouts, pacing, retries,
the body read within its bounds), `answer` (what an answer must be to be kept or reused from the cache) and
`pagination` (chunks per year, partner and flow; splitting a chunk that reaches the row cap). Everything public
is importable from here.
"""

from __future__ import annotations

from etl.sources.comtrade_api.answer import (
    ComtradeResponse,
    check_answer_matches,
    describe_non_json,
    validate_body,
)
from etl.sources.comtrade_api.errors import (
    MIN_REDACTED_PART,
    REDACTED,
    ComtradeAuthError,
    ComtradeBodyTooLarge,
    ComtradeCapReached,
    ComtradeCountMismatch,
    ComtradeDeadlineExceeded,
    ComtradeError,
    ComtradeErrorResponse,
    ComtradeHTTPError,
    ComtradeMismatch,
    ComtradeNotJSON,
    ComtradeRateLimited,
    ComtradeRetriesExhausted,
    ComtradeTruncatedResponse,
    redact,
    safe_url,
    snippet,
    url_secret,
)
from etl.sources.comtrade_api.mapping import (
    AREA_CODE_OVERRIDES,
    FLOW_CODES,
    HS_CODES_CSV,
    LEVEL_CMD_CODES,
    PARTNER_AREAS_CSV,
    REFERENCE_DIR,
    ComtradeQuery,
    area_code,
    area_label,
    hs_codes_by_chapter,
)
from etl.sources.comtrade_api.pagination import (
    MAX_CODES_PER_CALL,
    level_queries,
    split_query,
)
from etl.sources.comtrade_api.request import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DATA_PATH,
    DATA_ROW_CAP,
    DEFAULT_BASE_URL,
    KEY_HEADER,
    LOOPBACK_HOSTS,
    PREVIEW_PATH,
    PREVIEW_ROW_CAP,
    ClientConfig,
    Pacer,
    backoff_delay,
    check_key_transport,
    config_from_env,
    fetch_records,
    parse_retry_after,
)

__all__ = [
    "API_KEY_ENV",
    "AREA_CODE_OVERRIDES",
    "BASE_URL_ENV",
    "ClientConfig",
    "ComtradeAuthError",
    "ComtradeBodyTooLarge",
    "ComtradeCapReached",
    "ComtradeCountMismatch",
    "ComtradeDeadlineExceeded",
    "ComtradeError",
    "ComtradeErrorResponse",
    "ComtradeHTTPError",
    "ComtradeMismatch",
    "ComtradeNotJSON",
    "ComtradeQuery",
    "ComtradeRateLimited",
    "ComtradeResponse",
    "ComtradeRetriesExhausted",
    "ComtradeTruncatedResponse",
    "DATA_PATH",
    "DATA_ROW_CAP",
    "DEFAULT_BASE_URL",
    "FLOW_CODES",
    "HS_CODES_CSV",
    "KEY_HEADER",
    "LEVEL_CMD_CODES",
    "LOOPBACK_HOSTS",
    "MAX_CODES_PER_CALL",
    "MIN_REDACTED_PART",
    "PARTNER_AREAS_CSV",
    "PREVIEW_PATH",
    "PREVIEW_ROW_CAP",
    "Pacer",
    "REDACTED",
    "REFERENCE_DIR",
    "area_code",
    "area_label",
    "backoff_delay",
    "check_answer_matches",
    "check_key_transport",
    "config_from_env",
    "describe_non_json",
    "fetch_records",
    "hs_codes_by_chapter",
    "level_queries",
    "parse_retry_after",
    "redact",
    "safe_url",
    "snippet",
    "split_query",
    "url_secret",
    "validate_body",
]
