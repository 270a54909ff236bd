"""`balanza build`: a fresh database from the manifest data/sources.toml, swapped in atomically.

A rebuild never drops what was loaded by hand without saying so. Every file the live catalogue holds that the
manifest does not list (loaded with `balanza load` or `balanza fetch`) is loaded again after the manifest's
files, in its original order, as a revision if it was one, under its original path: from the copy kept beside
the store (etl.store.keep_loaded_file), or from its own path when no copy is kept (a catalogue written before
copies were kept) and the file there is the one loaded (same sha256). A file found in neither place stops the
build by name before anything is written; ``manifest_only`` (`balanza build --manifest-only`) drops such files
instead and lists them. Every file loaded again with the content it had keeps its load date (its vintage), the
manifest's files included, so `balanza status --as-of` reads the same past after a rebuild.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl import settings, store
from etl.db import live_target, write_session
from etl.errors import DatabaseError, InputError
from etl.load import LoadResult, ProgressBar, display_path, load_into
from etl.manifest import FileMetadata, ManifestEntry, read_manifest

DROP_FLAG = "--manifest-only"


@dataclass(frozen=True)
class LoadedBefore:
    """A file the live catalogue holds: what a rebuild needs to load it again as it was loaded."""

    dataset_id: int
    path: str  # as the catalogue records it (relative to the project, or absolute)
    sha256: str
    loaded_at: datetime
    revision: bool
    metadata: FileMetadata
    copy: str | None  # the kept copy, relative to the catalogue's folder

    def describe(self) -> str:
        kind = "revision" if self.revision else "file"
        return f"{self.path} ({kind} loaded {self.loaded_at:%Y-%m-%d %H:%M} UTC)"


@dataclass
class BuildSummary:
    db_path: Path
    results: list[LoadResult] = field(default_factory=list)
    carried: list[LoadedBefore] = field(default_factory=list)  # loaded again after the manifest
    in_manifest_now: list[tuple[LoadedBefore, str]] = field(
        default_factory=list
    )  # same content, a manifest path
    dropped: list[LoadedBefore] = field(default_factory=list)  # --manifest-only
    unreadable: str = ""  # the live catalogue could not be read: nothing could be carried over

    def render(self, *, per_file: bool = True) -> str:
        lines = [result.render() for result in self.results] if per_file else []
        trade_rows = sum(r.rows for r in self.results if r.table == "trade")
        lines.append(f"built {self.db_path}: {len(self.results)} files, {trade_rows:,} trade rows")
        if self.carried:
            lines.append(f"kept {len(self.carried)} file(s) loaded outside the manifest (loaded again after it, with "
                         f"their load dates; `balanza build {DROP_FLAG}` drops them):")  # fmt: skip
            lines += [f"  {item.describe()}" for item in self.carried]
        lines += [f"  {item.path}: its content is now the manifest's {path}; loaded from there"
                  for item, path in self.in_manifest_now]  # fmt: skip
        if self.dropped:
            lines.append(f"dropped {len(self.dropped)} file(s) loaded outside the manifest ({DROP_FLAG}); load them "
                         "again with `balanza load` if you need them:")  # fmt: skip
            lines += [f"  {item.describe()}" for item in self.dropped]
        if self.unreadable:
            lines.append(f"note: the previous catalogue could not be read ({self.unreadable}): files loaded into it "
                         "outside the manifest, if any, are not in the rebuilt one")  # fmt: skip
        return "\n".join(lines)


def build_database(
    db_path: Path,
    *,
    manifest: Path = settings.MANIFEST_PATH,
    progress: bool = False,
    keep: Callable[[ManifestEntry], bool] | None = None,
    manifest_only: bool = False,
) -> BuildSummary:
    """A fresh database from the manifest's files, in order, then the files the live catalogue holds that
    the manifest does not list (see the module's docstring); ``keep`` (tests' small databases) skips the
    entries it returns False for (they are the manifest's: never carried over); ``manifest_only`` drops the
    files loaded outside the manifest."""
    listed = read_manifest(manifest)
    entries = [entry for entry in listed if keep is None or keep(entry)]
    in_manifest = {display_path(entry.path) for entry in listed}
    summary = BuildSummary(db_path)
    target = live_target(db_path)
    copies: list[Path] = []
    try:
        with write_session(db_path, fresh=True) as con:
            before: list[LoadedBefore] = []
            if target.exists():  # read under the writer lock: no load can slip in between
                try:
                    before = loaded_before(target)
                except duckdb.Error as exc:
                    summary.unreadable = " ".join(str(exc).split())[:160]
            outside = [item for item in before if item.path not in in_manifest]
            if manifest_only:
                summary.dropped, outside = outside, []
            sources = _sources(target, outside)
            bar = ProgressBar(len(entries) + len(outside), enabled=progress)
            for entry in entries:
                bar.step(entry.path.name)
                summary.results.append(load_into(con, entry.path, entry.metadata))
            bundled = dict(con.execute("SELECT sha256, path FROM datasets").fetchall())
            for item in outside:
                bar.step(item.path)
                if item.sha256 in bundled:
                    summary.in_manifest_now.append((item, str(bundled[item.sha256])))
                    continue
                copies += _load_again(con, target, item, sources[item.dataset_id])
                summary.carried.append(item)
            bar.done()
            for item in before:  # the same file, the same content: the same vintage
                con.execute("UPDATE datasets SET loaded_at = ? WHERE path = ? AND sha256 = ?",
                            [item.loaded_at, item.path, item.sha256])  # fmt: skip
    except BaseException:
        store.remove_files(copies)  # written for a swap that did not happen
        raise
    return summary


def loaded_before(database: Path) -> list[LoadedBefore]:
    """Every file the catalogue at ``database`` holds, in load order, with its kept copy where there is one
    (a catalogue of any schema version since the store's first: older ones lack ``revision`` and copies)."""
    con = store.open_private(database)
    try:
        columns = {row[0] for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'datasets'").fetchall()}  # fmt: skip
        if not columns:
            return []
        revision = "d.revision" if "revision" in columns else "FALSE"
        kept = {row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name = ?", [store.LOADED_TABLE]).fetchall()}  # fmt: skip
        copy, options, join = ("k.path", "k.options", f"LEFT JOIN {store.LOADED_TABLE} k USING (dataset_id)") if kept \
            else ("NULL", "NULL", "")  # fmt: skip
        rows = con.execute(
            f"SELECT d.dataset_id, d.path, d.sha256, d.loaded_at, {revision}, d.publisher, d.licence, d.origin, "
            f"d.description, {copy}, {options} FROM datasets d {join} ORDER BY d.dataset_id"
        ).fetchall()
    finally:
        con.close()
    return [
        LoadedBefore(int(row[0]), str(row[1]), str(row[2]), row[3], bool(row[4]),
                     FileMetadata(publisher=row[5], licence=row[6], origin=row[7], description=row[8],
                                  options=json.loads(row[10]) if row[10] else {}),
                     row[9])
        for row in rows
    ]  # fmt: skip


def _sources(database: Path, outside: list[LoadedBefore]) -> dict[int, tuple[Path, bool]]:
    """Where each file loaded outside the manifest is read from: (path, is the kept copy). The kept copy when it
    is intact, else the file at its own path when it is the one loaded; any other case stops the build here,
    before anything is written, naming every such file."""
    found: dict[int, tuple[Path, bool]] = {}
    missing: list[str] = []
    for item in outside:
        copy = store.file_path(database, item.copy) if item.copy else None
        own = Path(item.path) if Path(item.path).is_absolute() else settings.PROJECT_ROOT / item.path
        if copy is not None and _holds(copy, item.sha256):
            found[item.dataset_id] = (copy, True)
        elif _holds(own, item.sha256):
            found[item.dataset_id] = (own, False)
        else:
            where = (
                f"its kept copy {item.copy} is missing or changed, and "
                if item.copy
                else "no copy of it is kept, and "
            )
            state = "changed since" if own.is_file() else "gone"
            missing.append(f"{item.describe()}: {where}the file itself is {state}")
    if missing:
        raise DatabaseError(
            f"{database}: the rebuild would drop {len(missing)} file(s) loaded outside the manifest, which it "
            f"cannot load again: " + "; ".join(missing[:5]) + (f"; and {len(missing) - 5} more" if len(missing) > 5 else ""),
            hint=f"put each file back at its path (the same content) and run the build again, or rebuild without "
            f"the files loaded outside the manifest: `balanza build {DROP_FLAG}` (it lists what it drops); nothing "
            "was changed",
        )  # fmt: skip
    return found


def _holds(path: Path, digest: str) -> bool:
    try:
        return path.is_file() and store.file_sha256(path) == digest
    except OSError:
        return False


def _load_again(con: duckdb.DuckDBPyConnection, database: Path, item: LoadedBefore,
                source: tuple[Path, bool]) -> list[Path]:  # fmt: skip
    """Load a file again as it was loaded (its path, revision flag, metadata and options) and list its copy;
    returns the copy written, if one had to be made."""
    path, is_copy = source
    try:
        result = load_into(con, path, item.metadata, revision=item.revision, stored_as=item.path)
    except InputError as exc:
        where = f" (read from its kept copy {path})" if is_copy else ""
        raise InputError(
            item.path, f"loaded {item.loaded_at:%Y-%m-%d %H:%M} UTC outside the manifest, it cannot be loaded again "
            f"on the rebuilt database{where}: {exc.message}", line=exc.line, column=exc.column,
            hint=f"{exc.hint}; or rebuild without the files loaded outside the manifest: `balanza build {DROP_FLAG}` "
            "(it lists what it drops); nothing was changed",
        ) from None  # fmt: skip
    dataset_id = con.execute("SELECT max(dataset_id) FROM datasets WHERE path = ?", [item.path]).fetchall()[
        0
    ][0]
    if result.status == "unchanged" or dataset_id is None:
        return []
    if is_copy:
        store.list_loaded_copy(
            con, int(dataset_id), str(item.copy), path.stat().st_size, item.metadata.options
        )
        return []
    written = store.keep_loaded_file(con, database, int(dataset_id), path, item.sha256, item.metadata.options)
    return [written] if written is not None else []
