"""The views over the listed files: ``trade`` (current vintages), ``trade_vintages`` and ``trade_as_of``, the
session's ``trade_all`` and ``trade_every``, and the all-goods copy the record of country totals reads
(:func:`publish`)."""

from __future__ import annotations

import duckdb

from etl.record import TOTALS_TABLE
from etl.schema import TRADE_COLUMNS, TRADE_KEY
from etl.store.layout import (
    _COLUMNS,
    ALL_VIEW,
    AS_OF_MACRO,
    EVERY_VIEW,
    FILES_TABLE,
    SORT_ORDER,
    STAGED,
    STORED_VIEW,
    SUPERSEDED_TABLE,
    VINTAGES_VIEW,
    _object_type,
    _quote,
)

_KEY_MATCH = " AND ".join(f"t.{name} = s.{name}" for name in ("dataset_id", *TRADE_KEY))


def _empty_select() -> str:
    return (
        "SELECT "
        + ", ".join(
            f"CAST(NULL AS {kind.replace(' NOT NULL', '')}) AS {name}" for name, kind in TRADE_COLUMNS.items()
        )
        + " WHERE false"
    )


def _folder_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The folder the views read the files from: the instance's file_search_path (set by :func:`use_folder`
    whenever Balanza opens a catalogue), else the folder it was written in."""
    written_in = con.execute("SELECT current_setting('file_search_path')").fetchall()[0][0] or "."
    return f"coalesce(nullif(current_setting('file_search_path'), ''), {_quote(written_in)})"


def _read_files(con: duckdb.DuckDBPyConnection, paths: list[str]) -> str:
    listed = ", ".join(_quote(p) for p in paths)
    return (f"read_parquet(list_transform([{listed}], lambda p: {_folder_sql(con)} || '/' || p), "
            "hive_partitioning = false)")  # fmt: skip


def listed_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    if _object_type(con, FILES_TABLE) is None:
        return []
    return [
        row[0] for row in con.execute(f"SELECT path FROM {FILES_TABLE} ORDER BY dataset_id, path").fetchall()
    ]


def _current_select(con: duckdb.DuckDBPyConnection) -> str:
    """The current rows of every listed file: rows a later vintage supersedes are left out (only in the files
    that have such rows: the others are read as they are)."""
    files = con.execute(f"SELECT dataset_id, path FROM {FILES_TABLE} ORDER BY dataset_id, path").fetchall()
    if not files:
        return _empty_select()
    revised = {
        row[0] for row in con.execute(f"SELECT DISTINCT dataset_id FROM {SUPERSEDED_TABLE}").fetchall()
    }
    whole = [path for dataset_id, path in files if dataset_id not in revised]
    partly = [path for dataset_id, path in files if dataset_id in revised]
    parts = []
    if whole:
        parts.append(f"SELECT {_COLUMNS} FROM {_read_files(con, whole)}")
    if partly:
        columns = ", ".join(f"t.{name}" for name in TRADE_COLUMNS)
        parts.append(f"SELECT {columns} FROM {_read_files(con, partly)} t "
                     f"ANTI JOIN {SUPERSEDED_TABLE} s ON {_KEY_MATCH}")  # fmt: skip
    return " UNION ALL ".join(parts)


def _every_select(con: duckdb.DuckDBPyConnection) -> str:
    """Every row of every listed file, whichever vintage."""
    paths = listed_files(con)
    return f"SELECT {_COLUMNS} FROM {_read_files(con, paths)}" if paths else _empty_select()


def _create_stored_view(con: duckdb.DuckDBPyConnection, *, temporary: bool = False) -> None:
    kind = "TEMP VIEW" if temporary else "VIEW"
    con.execute(f"CREATE OR REPLACE {kind} {STORED_VIEW} AS {_current_select(con)}")


def _create_session_views(con: duckdb.DuckDBPyConnection) -> None:
    _create_stored_view(con, temporary=True)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {ALL_VIEW} AS SELECT {_COLUMNS} FROM {STAGED} "
                f"UNION ALL SELECT {_COLUMNS} FROM {STORED_VIEW}")  # fmt: skip
    con.execute(f"CREATE OR REPLACE TEMP VIEW {EVERY_VIEW} AS SELECT {_COLUMNS} FROM {STAGED} "
                f"UNION ALL {_every_select(con)}")  # fmt: skip


def publish(con: duckdb.DuckDBPyConnection) -> None:
    """Point ``trade`` (and ``trade_stored``) at the current rows of the files ``trade_files`` lists,
    ``trade_vintages`` and ``trade_as_of`` at every vintage, and copy the current all-goods rows into the
    catalogue (etl.record.TOTALS_TABLE: what the record of country totals reads)."""
    _create_stored_view(con)
    con.execute(f"CREATE OR REPLACE VIEW {STAGED} AS SELECT * FROM {STORED_VIEW}")
    on = " AND ".join(f"s.{name} = t.{name}" for name in ("dataset_id", *TRADE_KEY))
    con.execute(f"""
        CREATE OR REPLACE VIEW {VINTAGES_VIEW} AS
        SELECT t.*, coalesce(d.loaded_at, TIMESTAMP '-infinity') AS loaded_at, s.superseded_by,
               n.loaded_at AS superseded_at
        FROM ({_every_select(con)}) t
        LEFT JOIN datasets d ON d.dataset_id = t.dataset_id
        LEFT JOIN {SUPERSEDED_TABLE} s ON {on}
        LEFT JOIN datasets n ON n.dataset_id = s.superseded_by
    """)
    con.execute(f"""
        CREATE OR REPLACE MACRO {AS_OF_MACRO}(as_of) AS TABLE
        SELECT {_COLUMNS} FROM {VINTAGES_VIEW}
        WHERE loaded_at <= CAST(as_of AS TIMESTAMP)
          AND (superseded_at IS NULL OR superseded_at > CAST(as_of AS TIMESTAMP))
    """)
    con.execute(f"CREATE OR REPLACE TABLE {TOTALS_TABLE} AS SELECT * FROM {STAGED} WHERE hs_code = 'TOTAL' "
                f"ORDER BY {', '.join(SORT_ORDER)}")  # fmt: skip
