"""Where the trade rows live: immutable Parquet files, one per loaded dataset, listed by the small database.

The database file (``balanza.duckdb``, the catalogue) holds ``datasets``, the list of files (``trade_files``),
the reference tables and the views; the trade rows of each loaded dataset are ONE Parquet file in a folder
beside it::

    balanza.duckdb
    balanza.duckdb.trade/source=<source>/d<dataset_id>-<random>.parquet
    balanza.duckdb.trade/catalogue.sha256      the catalogue's checksum, written at every commit
    balanza.duckdb.trade/loaded/<sha256 prefix>-<name>   a copy of each file loaded outside the manifest

A file is written once and never changed. Rows in a file are sorted by reporter, partner, year and flow, in
row groups of 122,880 rows, so every engine that reads Parquet statistics (DuckDB, pyarrow, Spark, Trino)
skips the files and row groups a filter on source, reporter or year rules out; the ``source=`` folders are
Hive-style partitions for engines that prune by path.

**Relocatable.** ``trade_files`` lists each file relative to the catalogue's folder, with its size, row count,
the sha256 of its Parquet footer and of the whole file. The views read ``<folder>/<path>`` where ``<folder>`` is
DuckDB's ``file_search_path``, which :func:`use_folder` sets to the catalogue's own folder whenever Balanza
opens it (etl.db). So the folder holding the catalogue and its store can be moved or copied (``mv``,
``cp -a``), and a copy reads its own files, never the original's. (A DuckDB client that does not set it reads
the folder the catalogue was written in.)

**Self-checking.** :func:`check_catalogue` runs at every open (readers and writers): the schema version, and
each listed file's size and footer checksum (which covers its row count): a missing, cut or replaced file is
a named :class:`~etl.errors.DatabaseError` (which file, which dataset, what to do), never a wrong total.
:func:`check_files` with ``content=True`` also compares every file's sha256 (``balanza verify``). Writers
compare the catalogue file with its recorded checksum before copying it (random bytes written into it are
refused before anything is written).

**Vintages.** A dataset loaded as a revision (``balanza load --revision``, ``balanza fetch``) holds newer values
of observations another dataset of the same source holds: ``trade_superseded`` lists the older rows, which
``trade`` leaves out (one value per observation and source; etl/record.py still chooses between sources).
``trade_vintages`` keeps every row with its load date and the dataset that superseded it, and the table macro
``trade_as_of(timestamp)`` gives ``trade`` as it was at that time.

**Kept copies.** A file loaded outside the manifest (``balanza load``, ``balanza fetch``) is copied into the
``loaded/`` folder (:func:`keep_loaded_file`) and listed in ``loaded_files``, so a rebuild loads it again
(etl/build.py); a copy no catalogue lists is collected like a store file.

A writer (etl.db.write_session) works on a private copy of the small database file:

- :func:`begin` turns ``trade`` into an empty staging table for the rows this session loads and adds
  ``trade_all`` (staged ∪ stored, current vintages) for the checks that compare new rows with loaded ones;
- :func:`forget` drops a replaced dataset's file from the list (the file itself is removed later);
- :func:`supersede` records which stored rows a revision replaces;
- :func:`commit` writes each staged dataset's rows to a new file (fsynced, with the catalogue's mode and
  group), lists it, and turns ``trade`` back into the view; the copy is then swapped in atomically, so
  readers see the old list or the new one.

Garbage is collected (:func:`collect_garbage`) only after the new catalogue is durable, under the writer lock,
only of files the live catalogue does not list and that are past :data:`GRACE_SECONDS` (since a commit stopped
listing them, or since they were written for files no catalogue ever listed: a killed writer's), and never
while a file it lists is missing. A rebuild carries the old catalogue's files over as dropped, so readers of
the older catalogue keep working through a ``build`` too.

The package, one module per concern:

- layout: the tables, views and folders, paths relative to the catalogue, the new files' mode and group
- views: ``trade``, ``trade_vintages``, ``trade_as_of`` and a write session's unions over the listed files
- writer: a write session's staging, forgetting, deleting and commit to new files
- vintages: which rows a revision supersedes, and where they go when it is dropped
- loaded: the kept copies of files loaded outside the manifest
- footer: a Parquet footer's checksum and row count, a file's sha256
- integrity: the open check and ``balanza verify``, with their named errors
- checksum: the catalogue file's own checksum, checked before a writer copies it
- garbage: the clean-up after a swap, past the grace period
- copies: a catalogue copied with its files (tests and benchmarks)

What the other modules use is re-exported here (``from etl import store``; ``store.check_catalogue``).
"""

from __future__ import annotations

from etl.store.checksum import (
    CHANGED_BYTES,
    catalogue_checksum,
    catalogue_state,
    checksum_path,
    copy_checked,
    damaged_catalogue_error,
    intact_checksum,
    read_every_table,
    record_checksums,
    recorded_checksums,
)
from etl.store.copies import copy_database
from etl.store.footer import file_sha256, read_footer
from etl.store.garbage import collect_garbage, kept_files
from etl.store.integrity import (
    FileProblem,
    catalogue_version,
    check_catalogue,
    check_files,
    check_version,
    damaged_store_error,
    explain_read_error,
    explained_read_errors,
    forget_checked_files,
)
from etl.store.layout import (
    AS_OF_MACRO,
    FILES_TABLE,
    LOADED_DIR,
    LOADED_TABLE,
    ROW_GROUP_SIZE,
    SUPERSEDED_TABLE,
    catalogue_folder,
    file_path,
    open_private,
    remove_files,
    store_dir,
    use_folder,
)
from etl.store.loaded import keep_loaded_file, list_loaded_copy, loaded_copy_name
from etl.store.views import publish
from etl.store.vintages import supersede
from etl.store.writer import after_schema, begin, commit, delete_rows, forget, register_file

__all__ = [
    "AS_OF_MACRO",
    "CHANGED_BYTES",
    "FILES_TABLE",
    "FileProblem",
    "LOADED_DIR",
    "LOADED_TABLE",
    "ROW_GROUP_SIZE",
    "SUPERSEDED_TABLE",
    "after_schema",
    "begin",
    "catalogue_checksum",
    "catalogue_folder",
    "catalogue_state",
    "catalogue_version",
    "check_catalogue",
    "check_files",
    "check_version",
    "checksum_path",
    "collect_garbage",
    "commit",
    "copy_checked",
    "copy_database",
    "damaged_catalogue_error",
    "damaged_store_error",
    "delete_rows",
    "explain_read_error",
    "explained_read_errors",
    "file_path",
    "file_sha256",
    "forget",
    "forget_checked_files",
    "intact_checksum",
    "keep_loaded_file",
    "kept_files",
    "list_loaded_copy",
    "loaded_copy_name",
    "open_private",
    "publish",
    "read_every_table",
    "read_footer",
    "record_checksums",
    "recorded_checksums",
    "register_file",
    "remove_files",
    "store_dir",
    "supersede",
    "use_folder",
]
