"""Garbage collection: after a swap, under the writer lock, the store's files no catalogue will read again, past
:data:`GRACE_SECONDS`, and never while a file the live catalogue lists is missing."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.store.layout import DROPPED_TABLE, FILES_TABLE, LOADED_DIR, catalogue_folder, store_dir
from etl.store.loaded import loaded_copies

logger = logging.getLogger("balanza.store")


GRACE_SECONDS = 15 * 60  # how long a file no catalogue lists any more stays for readers of an older catalogue


@dataclass(frozen=True)
class KeptFiles:
    """What a committed catalogue keeps: the files it lists (with their sizes) and the ones it stopped listing
    (with when). Read from the writer's own connection, so the clean-up after its swap goes by exactly it."""

    listed: dict[str, int]
    dropped: dict[str, float]
    copies: frozenset[str] = frozenset()  # kept copies of files loaded outside the manifest

    def keeps(self, relative: str) -> bool:
        return relative in self.listed or relative in self.copies


def kept_files(con: duckdb.DuckDBPyConnection) -> KeptFiles:
    listed = dict(con.execute(f"SELECT path, size_bytes FROM {FILES_TABLE}").fetchall())
    dropped = dict(con.execute(f"SELECT path, max(dropped_at) FROM {DROPPED_TABLE} GROUP BY path").fetchall())
    return KeptFiles(listed, dropped, frozenset(loaded_copies(con)))


def collect_garbage(live: Path, kept: KeptFiles) -> list[Path]:
    """After a swap, under the writer lock: remove the store's files no catalogue will read again. Only files
    the live catalogue (``kept``) does not list and that are past the grace period: since a commit stopped
    listing them, or, for files it never listed (a killed writer's, an older catalogue's), since they were
    written. Nothing is removed while a file it lists is missing or of another size (a store being restored or
    moved: never make it worse). Returns the files removed; never raises."""
    try:
        return _collect_garbage(live, kept)
    except Exception as exc:  # a failed clean-up must never fail a write that has been swapped in
        logger.warning("store clean-up skipped: %s", exc)
        return []


def _collect_garbage(live: Path, kept: KeptFiles) -> list[Path]:
    folder = Path(os.path.abspath(store_dir(live)))
    if not folder.is_dir():
        return []
    root = catalogue_folder(live)
    for relative, size in kept.listed.items():
        try:
            if (root / relative).stat().st_size != size:
                return []
        except OSError:
            return []
    now = time.time()
    removed = []
    for path in _store_files(folder):
        relative = path.relative_to(root).as_posix()
        if kept.keeps(relative):
            continue
        since = kept.dropped.get(relative)
        if since is None:
            try:
                since = path.stat().st_mtime
            except FileNotFoundError:
                continue
        if now - since < GRACE_SECONDS:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def _store_files(folder: Path) -> Iterator[Path]:
    yield from folder.glob("source=*/*.parquet")
    yield from (path for path in folder.glob(f"{LOADED_DIR}/*") if path.is_file())
