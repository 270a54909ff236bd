"""Loading files into DuckDB: detect → stage → validate → insert, all files in one transaction.

Loading the same file again changes nothing (same path and sha256); a changed file under the same path
replaces that file's earlier rows; the same content under another path is refused (it is the same file).
A file holding observations another file of the same source holds is refused, unless it is loaded as a
revision (``revision=True``: ``balanza load --revision``, ``balanza fetch``): its rows are then the newer
vintage of those observations and supersede the older ones in ``trade`` (etl/store/vintages.py). Any error leaves the
database exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import settings, store
from etl.db import first_row, live_target, write_session
from etl.errors import BalanzaError, DatabaseError, InputError, OverlapError, printable
from etl.manifest import FileMetadata, read_manifest
from etl.sources import Detected, detect
from etl.sources.base import LoadContext, locate_line
from etl.validate import check_overlap_with_loaded, validate_staged

HASH_CHUNK = 4 * 1024 * 1024


@dataclass
class LoadResult:
    path: str
    format: str
    rows: int
    status: str  # 'loaded', 'replaced', 'unchanged'
    table: str
    notes: list[str] = field(default_factory=list)  # rows set aside and why, number formats read
    superseded: int = 0  # rows of earlier vintages (other files, same source) this file's rows supersede
    superseded_from: list[str] = field(default_factory=list)  # those files

    def render(self) -> str:
        path = printable(self.path)  # a file name may hold terminal escape sequences
        if self.status == "unchanged":
            return f"{path}: unchanged ({self.format}; already loaded, 0 rows changed)"
        verb = "replaced earlier rows with" if self.status == "replaced" else "loaded"
        text = f"{path}: {verb} {self.rows:,} rows into {self.table} ({self.format})"
        if self.superseded:
            files = ", ".join(printable(name) for name in self.superseded_from[:3]) + (
                " …" if len(self.superseded_from) > 3 else ""
            )
            text += (f"\n  revision: a newer vintage of {self.superseded:,} observations loaded earlier from {files} "
                     "(those values stay readable with `balanza status --as-of`)")  # fmt: skip
        return "\n".join([text, *(f"  note: {printable(note)}" for note in self.notes)])


def display_path(path: Path) -> str:
    """Paths inside the project are stored relative to it, so a clone elsewhere recognises them."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(settings.PROJECT_ROOT))
    except ValueError:
        return str(resolved)


class _BackgroundHash(threading.Thread):
    """sha256 of a file computed while DuckDB parses it (hashlib releases the GIL on large chunks)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.cancelled = threading.Event()  # set when the load failed: stop reading a file nobody will use
        self.digest = ""
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            digest = hashlib.sha256()
            with open(self.path, "rb") as handle:
                while not self.cancelled.is_set() and (chunk := handle.read(HASH_CHUNK)):
                    digest.update(chunk)
            self.digest = digest.hexdigest()
        except BaseException as exc:  # reported by the caller
            self.error = exc

    def result(self) -> str:
        self.join()
        if self.error:
            raise self.error
        return self.digest


def load_into(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    metadata: FileMetadata | None = None,
    *,
    revision: bool = False,
    stored_as: str | None = None,
) -> LoadResult:
    """Load one file into an open write transaction; ``revision``: as the newer vintage of observations of
    the same source that other files hold (otherwise such a file is refused). ``stored_as``: the path the
    dataset is recorded under, when ``path`` is a copy of it (a rebuild loading a kept copy again)."""
    metadata = metadata or FileMetadata()
    stored_path = stored_as or display_path(path)
    hasher = _BackgroundHash(path)
    hasher.start()
    try:
        return _load_into(con, path, metadata, stored_path, hasher, revision)
    finally:
        hasher.cancelled.set()


def _load_into(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    metadata: FileMetadata,
    stored_path: str,
    hasher: _BackgroundHash,
    revision: bool,
) -> LoadResult:
    detected = detect(path, con)
    previous = first_row(
        con,
        "SELECT dataset_id, sha256, revision FROM datasets WHERE path = ? ORDER BY dataset_id DESC LIMIT 1",
        [stored_path],
    )
    digest: str | None = None
    if previous is not None:
        digest = hasher.result()
        if previous[1] == digest:
            return LoadResult(stored_path, detected.name, 0, "unchanged", _table_of(detected))
    if revision:  # a newer release is never a copy of a loaded file: known before anything is staged
        digest = digest or hasher.result()
        twin = _same_content(con, stored_path, digest)
        if twin is not None:
            return LoadResult(stored_path, detected.name, 0, "unchanged", _table_of(detected),
                              [f"the same content as {twin[0]}, loaded on {twin[2]}: not a newer release"])  # fmt: skip
    dataset_id = con.execute("SELECT coalesce(max(dataset_id), 0) + 1 FROM datasets").fetchall()[0][0]
    ctx = LoadContext(con, path, detected.sniff, dataset_id, dict(metadata.options))
    replacing = previous[0] if previous else None
    revision = revision or bool(previous and previous[2])  # a new version of a revision is one too
    if replacing is not None:
        _forget_dataset(con, replacing)
    superseded: tuple[int, list[int]] = (0, [])
    try:
        if detected.trade:
            rows = _load_trade(ctx, detected, replacing, revision=revision)
            if revision:
                superseded = store.supersede(con, dataset_id)
        else:
            rows = detected.reference.load(ctx)  # type: ignore[union-attr]
    except OverlapError:
        # Hashing runs beside the parse; a file that repeats loaded observations may be a loaded file itself.
        _refuse_same_content(con, path, stored_path, digest or hasher.result())
        raise
    digest = digest or hasher.result()
    _refuse_same_content(con, path, stored_path, digest)
    trade_format = detected.trade
    con.execute(
        "INSERT INTO datasets (dataset_id, path, sha256, format, source, publisher, licence, origin, description, "
        "row_count, loaded_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            dataset_id,
            stored_path,
            digest,
            detected.name,
            trade_format.source if trade_format else None,
            metadata.publisher or (trade_format.publisher if trade_format else None),
            metadata.licence,
            metadata.origin,
            metadata.description,
            rows,
            datetime.now(UTC).replace(tzinfo=None),
            revision,
        ],
    )
    sources = [row[0] for row in con.execute(
        "SELECT path FROM datasets WHERE list_contains(?, dataset_id) ORDER BY dataset_id", [superseded[1]]).fetchall()]  # fmt: skip
    return LoadResult(stored_path, detected.name, rows, "replaced" if replacing else "loaded", _table_of(detected),
                      list(ctx.notes), superseded[0], sources)  # fmt: skip


def _same_content(con: duckdb.DuckDBPyConnection, stored_path: str, digest: str) -> tuple | None:
    """(path, dataset id, load time) of a file with the same content loaded under another path."""
    return first_row(
        con,
        "SELECT path, dataset_id, strftime(loaded_at, '%Y-%m-%d %H:%M UTC') FROM datasets "
        "WHERE sha256 = ? AND path <> ? ORDER BY dataset_id LIMIT 1",
        [digest, stored_path],
    )


def _refuse_same_content(con: duckdb.DuckDBPyConnection, path: Path, stored_path: str, digest: str) -> None:
    """The same bytes already loaded under another path are the same file: loading them twice would count
    every observation twice."""
    twin = _same_content(con, stored_path, digest)
    if twin is not None:
        raise InputError(
            path,
            f"it is the same file as {twin[0]} (same content, sha256 {digest[:12]}…), loaded as dataset {twin[1]} "
            f"on {twin[2]}",
            hint=f"nothing to do if you meant that file; to load a new version of it, save it under its path "
            f"({twin[0]}) and load that",
        )


def _table_of(detected: Detected) -> str:
    return "trade" if detected.trade else detected.reference.table  # type: ignore[union-attr]


def _forget_dataset(con: duckdb.DuckDBPyConnection, dataset_id: int) -> None:
    for table in ("trade", "published_figures", "provisional", "not_comparable", "currency_conversions", "us_tariff_exemptions",
                  "us_tariff_product_lists", "us_reciprocal_rates", "us_tariff_timeline", "import_demand_elasticities",
                  "substitution_elasticities"):  # fmt: skip
        con.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id])
    con.execute("DELETE FROM datasets WHERE dataset_id = ?", [dataset_id])
    store.forget(
        con, dataset_id
    )  # a stored dataset's file leaves the list (its rows leave `trade` at the swap)


def _load_trade(
    ctx: LoadContext, detected: Detected, replacing: int | None, *, revision: bool = False
) -> int:
    trade_format = detected.trade
    assert trade_format is not None
    _require_reference_tables(ctx)
    labels = trade_format.stage(ctx)
    finder = None
    if trade_format.text_lines:
        encoding = ctx.sniff.encoding

        def finder(column, predicate):
            return locate_line(ctx.path, encoding, ctx.sniff.delimiter, column, predicate)

    rows = validate_staged(ctx, labels, finder)
    if rows == 0 and not _stored_elsewhere(ctx):
        why = "; ".join(ctx.notes)
        raise ctx.error(
            "nothing to load: the file yields no observations" + (f" ({why})" if why else ""),
            hint="check that this is the file you meant: it holds no data rows, or only rows Balanza sets aside "
            "(breakdowns of a total); an answer with no records is not loaded",
        )
    if not revision:  # a revision's overlaps are superseded instead (etl.store.supersede)
        try:
            check_overlap_with_loaded(ctx, replacing)
        except OverlapError as exc:
            raise OverlapError(
                exc.path,
                exc.message,
                line=exc.line,
                column=exc.column,
                hint=exc.hint
                + "; if this file is a newer release of the same publisher's figures, load it as "
                "a revision: `balanza load --revision` (the older values stay readable with `balanza status --as-of`)",
            ) from None
    return rows


def _stored_elsewhere(ctx: LoadContext) -> bool:
    """True when the file's rows went to a table besides `trade` (printed balances go to published_figures)."""
    row = ctx.con.execute(
        "SELECT count(*) FROM published_figures WHERE dataset_id = ?", [ctx.dataset_id]
    ).fetchone()
    return bool(row and row[0])


def _require_reference_tables(ctx: LoadContext) -> None:
    if ctx.con.execute("SELECT count(*) FROM comtrade_areas").fetchall()[0][0] == 0:
        raise DatabaseError(
            f"{ctx.path}: the database has no reference tables (country codes) to validate against",
            hint="run `balanza build` first, then load files into that database",
        )


def check_input_file(path: Path) -> None:
    """Refuse, before the writer starts, an input that is not a regular file (a FIFO would block the writer
    forever while it holds the lock; a device or socket never ends)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, "file not found", hint="check the path") from None
    except OSError as exc:
        raise InputError(
            path, f"cannot read the file ({exc.strerror})", hint="check the path and its permissions"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file", hint="name the files inside it")
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(info.st_mode)
            else ("a socket" if stat.S_ISSOCK(info.st_mode) else "a device or other special file")
        )
        raise InputError(path, f"is {kind}, not a regular file",
                         hint="save the data to a regular file first, then load that file")  # fmt: skip
    if not os.access(path, os.R_OK):
        raise InputError(
            path, "the file is not readable (permission denied)", hint="check the file's permissions"
        )


def initialise_reference_tables(con: duckdb.DuckDBPyConnection) -> list[LoadResult]:
    """Load the bundled reference tables (countries, code maps, HS names, …) listed in data/sources.toml into a
    brand-new database, so `balanza load` and `balanza fetch` work on a new --db path without a build first."""
    results = []
    for entry in read_manifest(settings.MANIFEST_PATH):
        if detect(entry.path, con).reference is not None:
            results.append(load_into(con, entry.path, entry.metadata))
    return results


def load_files(
    db_path: Path,
    paths: Sequence[Path],
    *,
    progress: bool = False,
    metadata: Iterable[FileMetadata | None] | None = None,
    fresh: bool = False,
    revision: bool = False,
) -> list[LoadResult]:
    """Load every file in one transaction: all of them, or (on any error) none. ``revision``: each file's
    observations that other files of the same source hold are loaded as their newer vintage.

    A file the manifest does not list is kept as a copy beside the store (etl.store.keep_loaded_file), so
    `balanza build` loads it again, with its load date, after the manifest's files (etl/build.py)."""
    metadata_list = (
        [meta or FileMetadata() for meta in metadata]
        if metadata is not None
        else [FileMetadata() for _ in paths]
    )
    for path in paths:
        check_input_file(path)
    results: list[LoadResult] = []
    target = live_target(db_path)
    new_database = not target.exists()
    bundled = manifest_paths(settings.MANIFEST_PATH)
    copies: list[Path] = []
    try:
        with write_session(db_path, fresh=fresh) as con:
            if new_database and not fresh:
                results += initialise_reference_tables(con)
            bar = ProgressBar(len(paths), enabled=progress)
            if progress and sys.stderr.isatty():
                con.execute("SET enable_progress_bar = true")
            for path, meta in zip(paths, metadata_list, strict=True):
                bar.step(display_path(path))
                results.append(load_into(con, path, meta, revision=revision))
                if display_path(path) not in bundled:
                    copies += keep_copy(con, target, path, meta.options)
            bar.done()
    except BaseException:
        store.remove_files(copies)  # written for a swap that did not happen
        raise
    return results


def keep_copy(con: duckdb.DuckDBPyConnection, database: Path, path: Path, options: dict) -> list[Path]:
    """In a write session, after ``path`` loaded: keep a copy of it for rebuilds unless one is kept already
    (the file loaded again unchanged). Returns the file written, if any."""
    row = first_row(
        con,
        f"SELECT d.dataset_id, d.sha256, count(k.path) FROM datasets d LEFT JOIN {store.LOADED_TABLE} k "
        "USING (dataset_id) WHERE d.path = ? GROUP BY ALL ORDER BY d.dataset_id DESC LIMIT 1",
        [display_path(path)],
    )
    if row is None or row[2]:
        return []  # the same content under another path (nothing loaded), or kept already
    written = store.keep_loaded_file(con, database, int(row[0]), path, str(row[1]), options)
    return [written] if written is not None else []


def manifest_paths(manifest: Path) -> set[str]:
    """The paths (as datasets records them) of every file the manifest lists; none when it cannot be read
    (then every loaded file is kept: the safe side)."""
    return set(manifest_entries(manifest))


def manifest_entries(manifest: Path) -> dict[str, dict]:
    """Path (as datasets records it) → options, for every file the manifest lists; empty when it cannot be read."""
    try:
        return {display_path(entry.path): entry.metadata.options for entry in read_manifest(manifest)}
    except BalanzaError:
        return {}


class ProgressBar:
    """A one-line progress bar on stderr (files done / files to do); silent when not wanted."""

    def __init__(self, total: int, *, enabled: bool, width: int = 30) -> None:
        self.total = max(total, 1)
        self.enabled = enabled and total > 1 and sys.stderr.isatty()
        self.width = width
        self.done_count = 0

    def step(self, label: str) -> None:
        if not self.enabled:
            return
        filled = int(self.width * self.done_count / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        sys.stderr.write(f"\r[{bar}] {self.done_count}/{self.total} {printable(label)[-60:]:<60}")
        sys.stderr.flush()
        self.done_count += 1

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write(f"\r[{'#' * self.width}] {self.total}/{self.total} done{' ' * 60}\n")
            sys.stderr.flush()
