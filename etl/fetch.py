"""`balanza fetch`: fresh statistics from the UN Comtrade API, cached raw, loaded all-or-nothing.

An answer is the publisher's current release: observations already loaded from another file of the same
source (a bundled file, an earlier fetch) load as their newer vintage (etl.load with ``revision``): ``trade``
holds the new value, the older stays readable as of its load date (``balanza status --as-of``).

Each chunk (one year, one partner, one flow) is answered from the cache when a validated copy is there, otherwise
fetched, validated and cached atomically, so an interrupted or failed run resumes without refetching.
Chunks that reach the endpoint's row cap are split (flow, partner, year, HS chapter) and the split is
remembered. Only when every chunk is present are all files of the run loaded, in one transaction.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from etl import settings
from etl.errors import BalanzaError, InputError, OverlapError
from etl.sources.comtrade_api import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    FLOW_CODES,
    LEVEL_CMD_CODES,
    ClientConfig,
    ComtradeAuthError,
    ComtradeCapReached,
    ComtradeError,
    ComtradeQuery,
    ComtradeRateLimited,
    ComtradeResponse,
    Pacer,
    check_answer_matches,
    config_from_env,
    fetch_records,
    level_queries,
    split_query,
    validate_body,
)

logger = logging.getLogger("balanza.fetch")

DEFAULT_CACHE_DIR = settings.DATA_DIR / "cache" / "comtrade"
OVER_CAP_SUFFIX = ".over-cap"
QUARANTINE_SUFFIX = ".quarantined"
DATA_CALLS_PER_DAY = 500  # the data endpoint's daily quota per key


class ResponseCache:
    """Raw answers on disk, one file per query, written only after validation."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, query: ComtradeQuery) -> Path:
        return self.directory / query.cache_name()

    def read(self, query: ComtradeQuery) -> ComtradeResponse | None:
        """The cached answer if present and still valid; a damaged file is set aside and ignored.

        No cap check here: a file was cached only after passing the cap of the endpoint that answered it,
        so an answer fetched with a key (100,000 rows per call) stays good for a run without one.
        """
        path = self.path_for(query)
        if not path.exists():
            return None
        try:
            response = validate_body(query, path.read_bytes(), cap=None)
            check_answer_matches(query, response.records)
            return response
        except ComtradeError as exc:
            logger.warning("%s: cached file is not valid (%s); it was moved aside to %s and is fetched again",
                           path.name, exc, path.name + QUARANTINE_SUFFIX)  # fmt: skip
            self.quarantine(path)
            return None

    def quarantine(self, path: Path) -> Path:
        """Move a cached answer aside (``.quarantined``): the next run fetches it again instead of reusing it."""
        target = path.with_name(path.name + QUARANTINE_SUFFIX)
        with contextlib.suppress(OSError):
            path.replace(target)
        return target

    def write(self, response: ComtradeResponse) -> Path:
        """Write atomically (temporary file, fsync, rename): a reader never sees half a file."""
        path = self.path_for(response.query)
        _write_atomically(path, response.body)
        return path

    def is_over_cap(self, query: ComtradeQuery) -> bool:
        return self.path_for(query).with_suffix(OVER_CAP_SUFFIX).exists()

    def mark_over_cap(self, query: ComtradeQuery) -> None:
        _write_atomically(self.path_for(query).with_suffix(OVER_CAP_SUFFIX), b"")


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


@dataclass
class FetchSummary:
    """What a run fetched, took from the cache, loaded, and what is missing."""

    endpoint: str = ""
    chunks: int = 0
    fetched: list[Path] = field(default_factory=list)
    from_cache: list[Path] = field(default_factory=list)
    # Queries answered with no records (e.g. a year the reporter has not reported yet).
    empty: list[str] = field(default_factory=list)
    empty_files: list[Path] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (query, why)
    api_calls: int = 0  # HTTP requests made, retries included
    loaded_files: int = 0
    unchanged_files: int = 0  # already loaded with the same content
    loaded_rows: int = 0
    superseded_rows: int = 0  # observations loaded earlier that the answers revise (newer vintage)
    load_error: str = ""

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def files(self) -> list[Path]:
        return self.fetched + self.from_cache

    def render(self) -> str:
        lines = [
            f"Comtrade fetch via the {self.endpoint}: {self.chunks} chunks",
            f"  fetched:    {len(self.fetched)} responses ({self.api_calls} API calls)",
            f"  from cache: {len(self.from_cache)} responses",
        ]
        if self.empty:
            lines.append(f"  empty:      {len(self.empty)} queries returned no records (not reported yet?):")
            lines += [f"    - {query}" for query in self.empty]
        if self.missing:
            lines.append(f"  MISSING:    {len(self.missing)} queries; nothing was loaded:")
            lines += [f"    - {query}: {why}" for query, why in self.missing]
            lines.append("  rerun the same command to fetch only what is missing (the rest is cached)")
        elif self.load_error:
            lines.append(f"  NOT LOADED: {self.load_error}")
        else:
            lines.append(
                f"  loaded:     {self.loaded_rows} rows from {self.loaded_files} files, in one transaction"
            )
            if self.superseded_rows:
                lines.append(f"  revised:    {self.superseded_rows} observations loaded earlier now have this newer "
                             "release (the older values stay readable with `balanza status --as-of`)")  # fmt: skip
            if self.unchanged_files:
                lines.append(f"  unchanged:  {self.unchanged_files} files were already loaded")
        return "\n".join(lines)


class _Run:
    """One fetch run: resolves queries to cached files, fetching and splitting as needed."""

    def __init__(
        self,
        session: requests.Session | None,
        config: ClientConfig,
        cache: ResponseCache,
        offline: bool,
        summary: FetchSummary,
    ) -> None:
        self.session = session
        self.config = config
        self.cache = cache
        self.offline = offline
        self.summary = summary
        self.pacer = Pacer()

    def resolve(self, query: ComtradeQuery) -> int:
        """Make the answer to ``query`` (or to its parts) present in the cache; return its record count."""
        cached = self.cache.read(query)
        if cached is not None:
            logger.info("%s: from cache (%d records)", query.describe(), cached.row_count)
            return self._record(cached, self.cache.path_for(query), self.summary.from_cache)
        if self.cache.is_over_cap(query):
            return self._resolve_parts(query)
        if self.offline or self.session is None:
            raise _NotCached()
        try:
            response = fetch_records(self.session, query, self.config, self.pacer)
        except ComtradeCapReached:
            logger.info("%s: reached the row cap; splitting", query.describe())
            self.cache.mark_over_cap(query)
            return self._resolve_parts(query)
        path = self.cache.write(response)
        logger.info("%s: fetched %d records → %s", query.describe(), response.row_count, path.name)
        return self._record(response, path, self.summary.fetched)

    def _resolve_parts(self, query: ComtradeQuery) -> int:
        return sum(self.resolve(part) for part in split_query(query))

    def _record(self, response: ComtradeResponse, path: Path, bucket: list[Path]) -> int:
        bucket.append(path)
        if response.row_count == 0:
            self.summary.empty_files.append(path)
        return response.row_count


class _NotCached(ComtradeError):
    def __init__(self) -> None:
        super().__init__("not in the cache (offline)")


def fetch_to_cache(
    queries: Iterable[ComtradeQuery],
    *,
    config: ClientConfig,
    cache_dir: Path,
    session: requests.Session | None = None,
    offline: bool = False,
) -> FetchSummary:
    """Make every query's answer present in the cache; record what is missing instead of raising.

    A refused key or an exhausted rate limit stops the run (the remaining chunks are listed as missing);
    other failures are per chunk, so the rest is still fetched and cached for the rerun.
    """
    queries = list(queries)
    if config.api_key and not offline and len(queries) > DATA_CALLS_PER_DAY:
        logger.warning(
            "%d chunks exceed the data endpoint's %d calls a day: expect a 429 part way; rerun later to resume",
            len(queries),
            DATA_CALLS_PER_DAY,
        )
    summary = FetchSummary(
        endpoint="cache only (offline)" if offline else config.endpoint_name, chunks=len(queries)
    )
    own_session = session is None and not offline
    if own_session:
        session = requests.Session()
    try:
        _resolve_all(queries, _Run(session, config, ResponseCache(cache_dir), offline, summary))
    finally:
        if own_session and session is not None:
            session.close()
    return summary


def _resolve_all(queries: list[ComtradeQuery], run: _Run) -> None:
    summary = run.summary
    for index, query in enumerate(queries):
        try:
            if run.resolve(query) == 0:
                summary.empty.append(query.describe())
        except (ComtradeAuthError, ComtradeRateLimited) as exc:
            summary.missing.append((query.describe(), _one_line(exc, query)))
            summary.missing += [(rest.describe(), "not attempted") for rest in queries[index + 1 :]]
            logger.error("stopping: %s", _one_line(exc))
            break
        except ComtradeError as exc:
            summary.missing.append((query.describe(), _one_line(exc, query)))
            logger.error("%s", _one_line(exc))
    summary.api_calls = run.pacer.calls


def run_fetch(
    *,
    reporter: str,
    partners: list[str],
    years: list[int],
    level: str,
    flows: list[str],
    db_path: Path,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    config: ClientConfig | None = None,
    session: requests.Session | None = None,
    offline: bool = False,
    progress: bool = False,
) -> FetchSummary:
    """Fetch (or take from the cache) every chunk, then load all files in one transaction, or none."""
    config = config or config_from_env()
    queries = level_queries(reporter, partners, years, level, flows)
    summary = fetch_to_cache(queries, config=config, cache_dir=cache_dir, session=session, offline=offline)
    if not summary.complete:
        return summary
    # Answers with no records add nothing to the database; they stay cached so a rerun need not ask again.
    paths = [path for path in dict.fromkeys(summary.files) if path not in summary.empty_files]
    if not paths:
        return summary  # every answer was empty: nothing to load, nothing failed
    from etl.load import load_files

    try:
        results = load_files(db_path, paths, progress=progress, revision=True)
    except InputError as exc:
        # A cached answer that validation refuses must not be reused forever: set it aside, say how to refetch.
        summary.load_error = f"{_one_line(exc)} (the database is unchanged)"
        bad = Path(exc.path)
        content_fault = not isinstance(
            exc, OverlapError
        )  # an overlap with another file is not this answer's fault
        if (
            content_fault
            and bad.resolve() in {p.resolve() for p in paths}
            and bad.resolve().parent == cache_dir.resolve()
        ):
            moved = ResponseCache(cache_dir).quarantine(bad)
            summary.load_error += (f"; the cached answer was moved aside to {moved.name}: run the same command "
                                   "again to fetch it afresh")  # fmt: skip
        return summary
    except BalanzaError as exc:
        summary.load_error = f"{_one_line(exc)} (the database is unchanged)"
        return summary
    summary.unchanged_files = sum(result.status == "unchanged" for result in results)
    summary.loaded_files = len(results) - summary.unchanged_files
    summary.loaded_rows = sum(result.rows for result in results)
    summary.superseded_rows = sum(result.superseded for result in results)
    return summary


def _one_line(exc: BaseException, query: ComtradeQuery | None = None) -> str:
    text = " ".join(str(exc).split())
    prefix = f"{query.describe()}: " if query is not None else ""
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


# ------------------------------------------------------------------------------------------ the command


def parse_years(text: str) -> list[int]:
    """'2010-2024' or '2010,2012,2015-2016' → sorted distinct years."""
    years: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            if "-" in part:
                first, last = (int(bound) for bound in part.split("-", 1))
                if last < first:
                    raise ValueError
                years.update(range(first, last + 1))
            else:
                years.add(int(part))
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{part}' is not a year or a range like 2010-2024") from None
    if not years:
        raise argparse.ArgumentTypeError("no years given")
    return sorted(years)


def _comma_list(text: str) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError("expected a comma-separated list")
    return items


def _flows(text: str) -> list[str]:
    flows = _comma_list(text.lower())
    unknown = [flow for flow in flows if flow not in FLOW_CODES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown flow(s) {', '.join(unknown)}; use import,export")
    return flows


def register(subparsers: Any) -> None:
    """Add `balanza fetch` to the command line."""
    parser = subparsers.add_parser(
        "fetch",
        help="fetch UN Comtrade data (cached, resumable) and load it in one transaction",
        description=(
            f"Without {API_KEY_ENV} the public preview endpoint is used (500 records per call; queries are "
            f"split to stay under it); with the key, the data endpoint. The key is read only from the "
            f"environment and is never written anywhere."
        ),
    )
    parser.add_argument("--reporter", required=True, help="reporter: ISO3 (COL) or Comtrade code (170)")
    parser.add_argument("--partners", required=True, type=_comma_list, help="partners, e.g. CHN,USA,WLD")
    parser.add_argument("--years", required=True, type=parse_years, help="e.g. 2010-2024 or 2019,2021")
    parser.add_argument("--level", default="TOTAL", choices=list(LEVEL_CMD_CODES), help="HS detail")
    parser.add_argument("--flows", default=["import", "export"], type=_flows, help="import,export")
    parser.add_argument(
        "--base-url", default=None, help=f"API root (default: ${BASE_URL_ENV} or {DEFAULT_BASE_URL})"
    )
    settings.add_db_flag(parser)
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR), help="where raw answers are kept")
    parser.add_argument("--offline", action="store_true", help="use only the cache; never call the API")
    parser.set_defaults(func=cmd_fetch)


def cmd_fetch(args: argparse.Namespace) -> int:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = config_from_env(args.base_url)
    summary = run_fetch(
        reporter=args.reporter,
        partners=args.partners,
        years=args.years,
        level=args.level,
        flows=args.flows,
        db_path=settings.db_path(args.db),
        cache_dir=Path(args.cache_dir),
        config=config,
        offline=args.offline,
        progress=True,
    )
    print(summary.render())
    return 0 if summary.complete and not summary.load_error else 1
