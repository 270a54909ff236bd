"""A copy of a catalogue with the files it lists, hard-linked where the file system allows (tests and
benchmarks; ``cp -a`` of the folder does the same for users)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from etl.store.checksum import catalogue_checksum, record_checksums
from etl.store.layout import (
    CHECKSUM_NAME,
    DROPPED_TABLE,
    FILES_TABLE,
    LOADED_TABLE,
    STAGED,
    _object_type,
    catalogue_folder,
    file_path,
    store_dir,
    use_folder,
)
from etl.store.loaded import loaded_copies
from etl.store.views import listed_files, publish


def copy_database(source: Path, target: Path, *, link: bool = True) -> Path:
    """Copy a catalogue and the files it lists (with its recorded checksum) to ``target`` and its own folder,
    ``target.name + '.trade'``; files the catalogue no longer lists are left behind. The store's files are
    immutable, so with ``link`` they are hard-linked where the file system allows (a copy that costs nothing
    and does not change when the original's files are removed); otherwise copied. The file list is relative,
    so the copy reads its own files. (``cp -a`` of the folder holding both does the same for users.)"""
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    con = duckdb.connect(str(source), read_only=True)
    try:
        listed = [*listed_files(con), *loaded_copies(con)]
    finally:
        con.close()
    old, new = store_dir(source), store_dir(target)
    for relative in [*listed, f"{old.name}/{CHECKSUM_NAME}"]:
        src = file_path(source, relative)
        if not src.exists():
            continue
        parts = Path(relative).parts
        dst = new.joinpath(*parts[1:]) if parts[0] == old.name else catalogue_folder(target) / relative
        dst.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(dst):  # copying over an earlier copy
            if os.path.samefile(src, dst):
                continue
            dst.unlink()
        try:
            if not link:
                raise OSError("copy asked for")
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    if listed and old.name != new.name:
        _rename_listing(target, old.name, new.name)
    return target


def _rename_listing(database: Path, old: str, new: str) -> None:
    """A copy under another file name keeps its files in its own folder: its listed paths follow (the checksum
    recorded for the catalogue is written again for the changed file)."""
    con = duckdb.connect(str(database))
    try:
        use_folder(con, database)
        if _object_type(con, FILES_TABLE) is None:
            return
        prefix = old + "/"
        for table in (FILES_TABLE, DROPPED_TABLE, LOADED_TABLE):
            if _object_type(con, table) is None:
                continue
            con.execute(f"UPDATE {table} SET path = ? || substr(path, ?) WHERE starts_with(path, ?)",
                        [new + "/", len(prefix) + 1, prefix])  # fmt: skip
        if _object_type(con, STAGED) == "VIEW":
            publish(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    record_checksums(database, [catalogue_checksum(database)])
