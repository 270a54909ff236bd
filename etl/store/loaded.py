"""Files loaded outside the manifest: a copy kept beside the store (``loaded/``), hashed as it is written and listed
in ``loaded_files``, so a rebuild loads them again (etl/build.py)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import BinaryIO

import duckdb

from etl.errors import InputError
from etl.store.footer import file_sha256
from etl.store.layout import (
    HASH_CHUNK,
    LOADED_DIR,
    LOADED_TABLE,
    _fsync,
    _make_dirs,
    _object_type,
    catalogue_permissions,
    store_dir,
)


def loaded_copy_name(digest: str, original: Path) -> str:
    """The kept copy's name: its content's sha256 (a prefix) and the file's own name, made safe."""
    name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in original.name)[-120:].lstrip(".")
    return f"{digest[:16]}-{name or 'file'}"


def keep_loaded_file(con: duckdb.DuckDBPyConnection, database: Path, dataset_id: int, original: Path, digest: str,
                     options: dict) -> Path | None:  # fmt: skip
    """In a write session: keep a copy of ``original`` (loaded as ``dataset_id``, content sha256 ``digest``) in
    the store's loaded/ folder, with the catalogue's mode and group, synced, and list it in ``loaded_files``
    with the load's ``options``. The copy is hashed as it is written: a file changed since it was loaded is
    refused. Returns the file written (the caller removes it if the swap does not happen); None when the same
    content was already kept."""
    folder = store_dir(database) / LOADED_DIR
    name = loaded_copy_name(digest, original)
    target = folder / name
    relative = f"{store_dir(database).name}/{LOADED_DIR}/{name}"
    written = None
    if not (target.is_file() and file_sha256(target) == digest):
        permissions = catalogue_permissions(database)
        _make_dirs(folder, store_dir(database), permissions)
        tmp = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            with open(original, "rb") as source, open(tmp, "wb") as copy:
                found = _copy_hashing(source, copy)
                copy.flush()
                os.fsync(copy.fileno())
            if found != digest:
                raise InputError(original, "the file changed while it was being loaded (its sha256 differs)",
                                 hint="load it again once nothing writes to it any more")  # fmt: skip
            if permissions is not None:
                permissions.apply(tmp)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        _fsync(folder)
        written = target
    con.execute(f"INSERT INTO {LOADED_TABLE} VALUES (?, ?, ?, ?)",
                [dataset_id, relative, target.stat().st_size, json.dumps(options, sort_keys=True, default=str)])  # fmt: skip
    return written


def list_loaded_copy(con: duckdb.DuckDBPyConnection, dataset_id: int, relative: str, size: int,
                     options: dict) -> None:  # fmt: skip
    """List an already kept copy (a rebuild loading it again) for the new ``dataset_id``."""
    con.execute(f"INSERT INTO {LOADED_TABLE} VALUES (?, ?, ?, ?)",
                [dataset_id, relative, size, json.dumps(options, sort_keys=True, default=str)])  # fmt: skip


def _copy_hashing(source: BinaryIO, target: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(HASH_CHUNK):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def loaded_copies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The kept copies a catalogue lists (paths relative to its folder); none for a catalogue without the table."""
    if _object_type(con, LOADED_TABLE) is None:
        return []
    return [
        row[0] for row in con.execute(f"SELECT DISTINCT path FROM {LOADED_TABLE} ORDER BY path").fetchall()
    ]
