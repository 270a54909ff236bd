"""The trade store (etl/store/): Parquet files per dataset beside a small catalogue database.

Read back with an independent reader (pyarrow), the files give the same totals as DuckDB's `trade` view;
the layout is what other engines prune by; a killed writer's files are removed by the next writer, a
replaced dataset's file stays for readers of the older catalogue and goes after the grace period.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from etl import record, store
from etl.load import load_files
from etl.store import copy_database, garbage

ROOT = Path(__file__).resolve().parents[2]


def _catalogue(db: Path) -> list[tuple]:
    """(dataset_id, source, absolute path, row count) of every listed file (the catalogue lists them relative
    to its folder)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT dataset_id, source, path, row_count FROM trade_files ORDER BY dataset_id"
        ).fetchall()
    finally:
        con.close()
    return [
        (dataset_id, source, str(store.file_path(db, path)), count)
        for dataset_id, source, path, count in rows
    ]


def _duckdb_totals(db: Path) -> dict[tuple, tuple[int, float]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT source, reporter_iso3, flow, count(*), sum(value_usd) FROM trade GROUP BY ALL"
        ).fetchall()
    finally:
        con.close()
    return {(s, r, f): (n, v) for s, r, f, n, v in rows}


def test_pyarrow_reads_the_stored_files_back_to_the_same_totals(small_bundle_db: Path) -> None:
    files = _catalogue(small_bundle_db)
    assert files, "the bundled build stored no trade files"
    folder = store.store_dir(small_bundle_db)
    on_disk = {str(p.resolve()) for p in folder.glob("source=*/*.parquet")}
    assert on_disk == {path for _, _, path, _ in files}  # a fresh build: exactly the listed files
    totals: dict[tuple, list] = {}
    for dataset_id, source, path, row_count in files:
        table = pq.read_table(path)
        assert table.num_rows == row_count
        assert Path(path).parent.name == f"source={source}"
        assert pc.unique(table["source"]).to_pylist() == [source]  # one source per file: pruned by path
        assert pc.unique(table["dataset_id"]).to_pylist() == [dataset_id]
        grouped = table.group_by(["source", "reporter_iso3", "flow"]).aggregate(
            [("value_usd", "sum"), ("value_usd", "count")])  # fmt: skip
        for row in grouped.to_pylist():
            key = (row["source"], row["reporter_iso3"], row["flow"])
            entry = totals.setdefault(key, [0, 0.0])
            entry[0] += row["value_usd_count"]
            entry[1] += row["value_usd_sum"]
    expected = _duckdb_totals(small_bundle_db)
    assert set(totals) == set(expected)
    for key, (count, value) in expected.items():
        assert totals[key][0] == count, key
        assert totals[key][1] == pytest.approx(value, rel=1e-12), key


def test_row_groups_carry_the_statistics_engines_prune_by(small_bundle_db: Path) -> None:
    _, _, path, _ = max(_catalogue(small_bundle_db), key=lambda f: f[3])
    metadata = pq.ParquetFile(path).metadata
    names = [metadata.schema.column(i).name for i in range(metadata.num_columns)]
    for column in ("source", "reporter_iso3", "year"):
        stats = metadata.row_group(0).column(names.index(column)).statistics
        assert stats is not None and stats.has_min_max, column


def _corpus_helpers():
    corpus = str(ROOT / "tests" / "corpus")
    sys.path.insert(0, corpus)
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(corpus)
    return cp_csv, cp_row


def _cp_csv(rows: list[dict[str, str]]) -> str:
    return _corpus_helpers()[0](rows)


def _cp_row(**changes: str) -> dict[str, str]:
    return _corpus_helpers()[1](**changes)


def _two_row_file(folder: Path, codes: tuple[str, str] = ("0901", "0902")) -> Path:
    """A two-row Comtrade+ file (the corpus template: one reporter, partner, flow and year; HS ``codes``)."""
    corpus = str(ROOT / "tests" / "corpus")
    sys.path.insert(0, corpus)
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    small = folder / "two_rows.csv"
    small.write_text(cp_csv([cp_row(cmdCode=code) for code in codes]), encoding="utf-8")
    return small


def test_a_killed_writers_files_are_removed_by_the_next_writer_past_the_grace_period(
    small_bundle_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    part = store.store_dir(db) / "source=comtrade"
    old_orphan, new_orphan = part / "d999-killed.parquet", part / "d998-killed.parquet"
    for orphan in (old_orphan, new_orphan):  # as writers killed between their file and their swap
        shutil.copyfile(_catalogue(small_bundle_db)[0][2], orphan)
    aged = time.time() - garbage.GRACE_SECONDS - 60
    os.utime(old_orphan, (aged, aged))
    before = _duckdb_totals(db)
    assert _duckdb_totals(db) == before  # no catalogue lists them: readers never see their rows
    load_files(db, [_two_row_file(tmp_path)])
    assert not old_orphan.exists()
    assert new_orphan.exists()  # written less than the grace period ago: it might be a reader's
    after = _catalogue(db)
    assert all(Path(path).exists() for _, _, path, _ in after)
    assert sum(n for n, _ in _duckdb_totals(db).values()) == sum(n for n, _ in before.values()) + 2


def test_a_replaced_datasets_file_stays_for_older_readers_then_goes(small_bundle_db: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    small = _two_row_file(tmp_path)
    load_files(db, [small])
    first = {path for _, _, path, _ in _catalogue(db)} - {
        str(store.file_path(db, Path(path).relative_to(store.catalogue_folder(small_bundle_db)).as_posix()))
        for _, _, path, _ in _catalogue(small_bundle_db)
    }
    assert len(first) == 1
    reader = duckdb.connect(str(db), read_only=True)  # a reader on the catalogue that lists the first file
    _two_row_file(tmp_path, ("0901", "0903"))  # same path, new content: the dataset is replaced
    load_files(db, [small])
    assert reader.execute("SELECT count(*) FROM trade WHERE hs_code = '0902'").fetchone()[0] >= 1
    reader.close()
    (old,) = first
    assert Path(old).exists() and old not in {path for _, _, path, _ in _catalogue(db)}
    monkeypatch.setattr(garbage, "GRACE_SECONDS", 0)
    load_files(db, [_two_row_file(tmp_path / "other", ("0905", "0906"))])  # the next writer collects it
    assert not Path(old).exists()


def _totals_rows(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {relation} WHERE hs_code = 'TOTAL' ORDER BY ALL").fetchall()


def _record_totals(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    sql = record.record_sql("hs_code = 'TOTAL'", relation)
    return con.execute(f"SELECT * FROM ({sql}) ORDER BY ALL").fetchall()


def test_the_all_goods_rows_are_copied_into_the_catalogue_at_every_commit(
    bundled_db: Path, tmp_path: Path
) -> None:
    """The record of country totals reads record.TOTALS_TABLE: at every commit exactly the TOTAL rows of the
    listed files, so the same rule gives the same record as over the files."""
    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    small = tmp_path / "with_total.csv"

    year = {"refYear": "1995", "period": "1995", "refPeriodId": "19950101"}  # a year the bundled data lacks

    def write(value: str) -> None:
        small.write_text(_cp_csv([_cp_row(cmdCode="TOTAL", primaryValue=value, **year), _cp_row(cmdCode="0901", **year)]),
                         encoding="utf-8")  # fmt: skip

    for value in ("1000.5", "2000.25"):  # loaded, then the same path replaced with another value
        write(value)
        load_files(db, [small])
        con = duckdb.connect(str(db), read_only=True)
        try:
            copied = _totals_rows(con, record.TOTALS_TABLE)
            assert copied == _totals_rows(con, "trade") and len(copied) > 1000
            new = con.execute(f"SELECT value_usd FROM {record.TOTALS_TABLE} WHERE reporter_iso3 = 'COL' "
                              "AND partner_iso3 = 'DEU' AND year = 1995 AND source = 'comtrade'").fetchall()  # fmt: skip
            assert new == [(float(value),)]  # the replaced value is gone, the new one is there
            assert _record_totals(con, record.TOTALS_TABLE) == _record_totals(con, "trade")
            assert record.rows_relation(con, "TOTAL") == record.TOTALS_TABLE
            assert record.rows_relation(con, "0901") == "trade"
        finally:
            con.close()


def test_the_copy_is_not_read_where_trade_is_not_the_view_of_the_files(tmp_path: Path) -> None:
    """A write session's staging table (or a table made by hand) is read as it is, never a stale copy."""
    from etl.db import create_schema

    con = duckdb.connect(str(tmp_path / "hand.duckdb"))
    try:
        create_schema(con)  # trade is a table here
        con.execute(f"CREATE TABLE {record.TOTALS_TABLE} AS SELECT * FROM trade")
        assert record.rows_relation(con, "TOTAL") == "trade"
        con.execute(f"DROP TABLE {record.TOTALS_TABLE}")
        con.execute("ALTER TABLE trade RENAME TO trade_rows")
        con.execute("CREATE VIEW trade AS SELECT * FROM trade_rows")
        assert record.rows_relation(con, "TOTAL") == "trade"  # a view but no copy: the view
    finally:
        con.close()
