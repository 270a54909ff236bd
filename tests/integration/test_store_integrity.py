"""The store can be moved, copied and checked (issue 19): paths relative to the catalogue's folder, sizes and
checksums recorded at commit and checked at open and by `balanza verify`, garbage collected only after the swap
and past the grace period (a build included), new files with the catalogue's mode and group, and a damaged
catalogue refused before anything is written.

Every case names what the user sees: the command's exit code and its one-line error with a "what to do".
"""

from __future__ import annotations

import grp
import hashlib
import os
import random
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from balanza.cli import main
from etl import store
from etl.build import build_database
from etl.db import connect_read_only
from etl.errors import DatabaseError
from etl.load import load_files
from etl.store import copy_database, garbage

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "streamlit_app.py"


def _two_row_file(
    folder: Path, codes: tuple[str, str] = ("0901", "0902"), name: str = "two_rows.csv"
) -> Path:
    """A two-row Comtrade+ file (the corpus template: COL exports to one partner in 2019; HS ``codes``)."""
    corpus = str(ROOT / "tests" / "corpus")
    sys.path.insert(0, corpus)
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(cp_csv([cp_row(cmdCode=code) for code in codes]), encoding="utf-8")
    return path


def _files(db: Path) -> set[Path]:
    """Every Parquet file in the database's store folder."""
    return set(store.store_dir(db).glob("source=*/*.parquet"))


def _listed(db: Path) -> list[tuple[str, int, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT path, dataset_id, source FROM trade_files ORDER BY dataset_id").fetchall()
    finally:
        con.close()


def _totals(db: Path) -> tuple[int, float]:
    con = connect_read_only(db)
    try:
        count, total = con.execute("SELECT count(*), sum(value_usd) FROM trade").fetchone()
        return int(count), float(total)
    finally:
        con.close()


def _parquet_totals(db: Path) -> tuple[int, float]:
    """The same totals read by pyarrow from the files the catalogue lists, in the database's own folder."""
    count, total = 0, 0.0
    for relative, _, _ in _listed(db):
        table = pq.read_table(store.file_path(db, relative), columns=["value_usd"])
        count += table.num_rows
        total += pc.sum(table["value_usd"]).as_py() or 0.0
    return count, total


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _named(err: str) -> None:
    """A named error: one line saying what, one saying what to do; never an unexpected error."""
    assert "unexpected error" not in err
    assert "error:" in err and "what to do:" in err
    assert "Traceback" not in err


@pytest.fixture()
def folder_db(small_bundle_db: Path, tmp_path: Path) -> Path:
    """A copy of the small bundle in a folder of its own, x/b.duckdb (with x/b.duckdb.trade)."""
    return copy_database(small_bundle_db, tmp_path / "x" / "b.duckdb", link=False)


# ---- relocatable -------------------------------------------------------------------------------------------------


def test_a_moved_folder_loads_and_reports_and_loses_no_file(
    folder_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 19: `mv x y` then `balanza load f.csv --db y/b.duckdb` deleted all the Parquet files."""
    before = _totals(folder_db)
    names = {p.relative_to(folder_db.parent) for p in _files(folder_db)}
    moved = tmp_path / "y"
    os.rename(folder_db.parent, moved)
    db = moved / "b.duckdb"
    code, out, err = _run(["status", "--db", str(db)], capsys)
    assert code == 0, err
    code, out, err = _run(["load", str(_two_row_file(tmp_path / "input")), "--db", str(db)], capsys)
    assert code == 0, err
    assert "loaded 2 rows" in out
    assert names <= {p.relative_to(moved) for p in _files(db)}  # every file is still there
    assert _totals(db)[0] == before[0] + 2
    assert _parquet_totals(db) == pytest.approx(_totals(db))


def test_a_cp_a_copy_reads_its_own_files_and_outlives_the_original(
    folder_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: a `cp -a` backup read the live folder's files and broke once the live database removed one."""
    backup = tmp_path / "backup"
    subprocess.run(["cp", "-a", str(folder_db.parent), str(backup)], check=True)
    copy = backup / folder_db.name
    expected = _totals(copy)
    # The original replaces a dataset and collects the old file at once (no grace): the backup still lists it.
    small = _two_row_file(tmp_path / "input")
    load_files(folder_db, [small])
    small.write_text(small.read_text().replace(",0901,", ",0903,"), encoding="utf-8")
    monkeypatch.setattr(garbage, "GRACE_SECONDS", 0)
    load_files(folder_db, [small])
    # ... then one of the original's files is replaced by a valid file with ten times the values.
    relative, _, _ = max(_listed(folder_db), key=lambda row: row[1])
    victim = store.file_path(folder_db, relative)
    table = pq.read_table(victim)
    pq.write_table(table.set_column(table.schema.get_field_index("value_usd"), "value_usd",
                                    pc.multiply(table["value_usd"], 10)), victim)  # fmt: skip
    # ... and the original's folder is renamed away: the backup needs none of it.
    os.rename(folder_db.parent, tmp_path / "gone")
    assert _totals(copy) == pytest.approx(expected)
    code, _, err = _run(["status", "--db", str(copy)], capsys)
    assert code == 0, err
    code, out, err = _run(["load", str(_two_row_file(tmp_path / "input2", ("0905", "0906"))), "--db", str(copy)],
                          capsys)  # fmt: skip
    assert code == 0, err
    assert _totals(copy)[0] == expected[0] + 2


def test_an_older_catalogue_with_absolute_paths_is_refused_by_name_and_nothing_is_deleted(
    folder_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A catalogue of schema 7 or older (absolute paths, no checksums), moved: load and status refuse, naming
    the rebuild."""
    con = duckdb.connect(str(folder_db))
    con.execute("UPDATE schema_info SET value = '7' WHERE key = 'schema_version'")
    con.execute("UPDATE trade_files SET path = ? || '/' || path", [str(folder_db.parent)])
    con.execute("CHECKPOINT")
    con.close()
    store.checksum_path(folder_db).unlink()  # schemas before 8 recorded no checksum of the catalogue
    moved = tmp_path / "elsewhere"
    os.rename(folder_db.parent, moved)
    db = moved / folder_db.name
    files = {p: _sha256(p) for p in _files(db)}
    catalogue = _sha256(db)
    for argv in (
        ["load", str(_two_row_file(tmp_path / "input")), "--db", str(db)],
        ["status", "--db", str(db)],
    ):
        code, _, err = _run(argv, capsys)
        assert code == 1
        _named(err)
        assert "schema version 7" in err and "absolute path" in err and "balanza build" in err
    assert {p: _sha256(p) for p in _files(db)} == files  # not one file removed or changed
    assert _sha256(db) == catalogue


# ---- self-checking -------------------------------------------------------------------------------------------------


def _victim(db: Path) -> tuple[Path, int, str]:
    """The largest listed file (absolute path), its dataset and source."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        relative, dataset_id, source = con.execute(
            "SELECT path, dataset_id, source FROM trade_files ORDER BY size_bytes DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return store.file_path(db, relative), dataset_id, source


def _times_ten(path: Path) -> None:
    table = pq.read_table(path)
    column = table.schema.get_field_index("value_usd")
    pq.write_table(table.set_column(column, "value_usd", pc.multiply(table["value_usd"], 10)), path)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("deleted", "is missing"),
        ("truncated", "cut short"),
        ("times ten", "replaced"),
        ("fewer rows", "replaced"),
    ],
)
def test_a_damaged_stored_file_is_a_named_error_in_every_command(
    folder_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, words: str
) -> None:
    """Issue 19: a replaced file changed sum(value_usd) silently; a deleted or cut one gave "unexpected error"."""
    victim, dataset_id, source = _victim(folder_db)
    if damage == "deleted":
        victim.unlink()
    elif damage == "truncated":
        os.truncate(victim, victim.stat().st_size // 2)
    elif damage == "times ten":
        _times_ten(victim)
    else:
        table = pq.read_table(victim)
        pq.write_table(table.slice(0, table.num_rows - 1), victim)
    catalogue = _sha256(folder_db)
    for argv in (
        ["status", "--db", str(folder_db)],
        ["load", str(_two_row_file(tmp_path / "input")), "--db", str(folder_db)],
        ["verify", "--db", str(folder_db)],
    ):
        code, _, err = _run(argv, capsys)
        assert code == 1, (argv[0], err)
        _named(err)
        assert victim.name in err and f"dataset {dataset_id}" in err and source in err and words in err, err
        assert "balanza build" in err
    assert _sha256(folder_db) == catalogue


def test_a_byte_changed_inside_a_files_data_is_found_by_its_sha256(
    folder_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A byte changed inside a file's data (same size, same footer) passes the open check. `balanza verify`
    finds it by the file's sha256 (and passes a healthy store); a query the damage breaks (DuckDB says only
    "TProtocolException: Invalid data") is explained the same way instead of an unexpected error."""
    code, out, err = _run(["verify", "--db", str(folder_db)], capsys)
    assert code == 0, err
    assert "every file matches" in out and "matches the checksum recorded" in out
    victim, dataset_id, _ = _victim(folder_db)
    data = bytearray(victim.read_bytes())
    data[4] ^= 0xFF  # the first data page's header, right after the magic bytes
    victim.write_bytes(bytes(data))
    con = connect_read_only(folder_db)  # the open check passes: size and footer are as recorded
    con.close()
    for command in ("verify", "status"):
        code, out, err = _run([command, "--db", str(folder_db)], capsys)
        assert code == 1, command
        _named(err)
        assert victim.name in err and f"dataset {dataset_id}" in err and "sha256" in err


def test_a_scenario_and_the_claims_name_a_damaged_file_instead_of_an_unexpected_error(
    folder_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`balanza scenario` and `balanza claims` read the store too: a file damaged inside its data (the open check
    passes) is named as `balanza status` names it, with what to do, never "unexpected error"."""
    for relative, _, _ in _listed(folder_db):  # every file: whatever the command reads is damaged
        path = store.file_path(folder_db, relative)
        data = bytearray(path.read_bytes())
        data[4] ^= 0xFF  # the first data page's header, right after the magic bytes
        path.write_bytes(bytes(data))
    names = {store.file_path(folder_db, relative).name for relative, _, _ in _listed(folder_db)}
    for argv in (["scenario", "us_10pct_everyone"], ["claims"]):
        code, out, err = _run([*argv, "--db", str(folder_db)], capsys)
        assert code == 1, (argv, err)
        _named(err)
        assert "sha256" in err and "balanza build" in err and any(name in err for name in names), err
        assert not out


def test_the_dashboard_names_a_damaged_store_plainly(
    folder_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    victim, dataset_id, _ = _victim(folder_db)
    victim.unlink()
    monkeypatch.setenv("BALANZA_DB", str(folder_db))
    for page in ("coverage", "data"):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        errors = " ".join(e.value for e in at.error)
        assert victim.name in errors and f"dataset {dataset_id}" in errors and "balanza build" in errors
        assert not at.get("plotly_chart")


def test_commit_records_size_rows_and_checksums_an_independent_reader_confirms(folder_db: Path) -> None:
    con = duckdb.connect(str(folder_db), read_only=True)
    try:
        rows = con.execute(
            "SELECT path, row_count, size_bytes, footer_sha256, sha256 FROM trade_files"
        ).fetchall()
    finally:
        con.close()
    assert rows
    for relative, count, size, _, digest in rows:
        path = store.file_path(folder_db, relative)
        assert not os.path.isabs(relative) and relative.startswith(store.store_dir(folder_db).name + "/")
        assert pq.ParquetFile(path).metadata.num_rows == count
        assert path.stat().st_size == size
        assert _sha256(path) == digest


# ---- garbage collection ------------------------------------------------------------------------------------------


def test_nothing_is_collected_while_a_listed_file_is_missing(folder_db: Path, tmp_path: Path) -> None:
    part = store.store_dir(folder_db) / "source=comtrade"
    orphan = part / "d999-orphan.parquet"
    shutil.copyfile(next(part.glob("*.parquet")), orphan)
    aged = time.time() - garbage.GRACE_SECONDS - 60
    os.utime(orphan, (aged, aged))
    con = duckdb.connect(str(folder_db), read_only=True)
    kept = store.kept_files(con)
    con.close()
    victim, _, _ = _victim(folder_db)
    victim.rename(tmp_path / "aside.parquet")  # a store being restored: one listed file not back yet
    assert store.collect_garbage(folder_db, kept) == []
    assert orphan.exists()
    (tmp_path / "aside.parquet").rename(victim)
    assert store.collect_garbage(folder_db, kept) == [orphan]


def test_a_build_keeps_the_grace_for_readers_of_an_older_catalogue(
    folder_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: a file replaced just before a `build` was removed by the next load; its reader failed."""
    small = _two_row_file(tmp_path / "input")
    load_files(folder_db, [small])
    reader = connect_read_only(folder_db)  # reads the catalogue that lists the first version's file
    first = {p for p in _files(folder_db)}
    small.write_text(small.read_text().replace(",0902,", ",0903,"), encoding="utf-8")
    load_files(folder_db, [small])  # the first version's file is dropped now
    build_database(folder_db, keep=lambda entry: "reference" in entry.path.parts)  # a rebuild after it
    load_files(folder_db, [_two_row_file(tmp_path / "other", ("0905", "0906"))])  # the clean-up runs
    assert first <= _files(folder_db)  # every file the older catalogues listed is still there
    assert reader.execute("SELECT count(*) FROM trade WHERE hs_code = '0902'").fetchone()[0] >= 1
    assert reader.execute("SELECT count(*), sum(value_usd) FROM trade").fetchone()[0] > 1000
    reader.close()
    monkeypatch.setattr(garbage, "GRACE_SECONDS", 0)
    load_files(folder_db, [_two_row_file(tmp_path / "third", ("0907", "0908"))])
    listed = {store.file_path(folder_db, relative) for relative, _, _ in _listed(folder_db)}
    assert _files(folder_db) == listed  # past the grace period only the listed files remain


# ---- permissions -------------------------------------------------------------------------------------------------


def test_new_files_get_the_catalogues_mode_and_group(folder_db: Path, tmp_path: Path) -> None:
    """Issue 19: with the catalogue at 0600, new Parquet files were 0644 in a 0755 folder."""
    other_group = next((g.gr_gid for g in grp.getgrall() if g.gr_gid != os.getgid()), None)
    os.chmod(folder_db, 0o600)
    if other_group is not None and os.getuid() == 0:
        os.chown(folder_db, -1, other_group)
    before = _files(folder_db)
    load_files(folder_db, [_two_row_file(tmp_path / "input")])
    (new,) = _files(folder_db) - before
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert stat.S_IMODE(new.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.store_dir(folder_db).stat().st_mode) == 0o700
    assert stat.S_IMODE(folder_db.stat().st_mode) == 0o600  # the catalogue kept its own
    assert new.stat().st_gid == folder_db.stat().st_gid
    os.chmod(folder_db, 0o640)
    before = _files(folder_db)
    load_files(folder_db, [_two_row_file(tmp_path / "input2", ("0905", "0906"))])
    (new,) = _files(folder_db) - before
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    assert stat.S_IMODE(new.parent.stat().st_mode) == 0o750


# ---- a damaged catalogue -----------------------------------------------------------------------------------------


def test_random_bytes_in_the_catalogue_are_refused_before_any_write(
    folder_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 19: random bytes written into the catalogue file went unnoticed by a load. Ten offsets (fixed
    seed): most land in blocks DuckDB only reads when a query needs them."""
    rng = random.Random(19)
    pristine = tmp_path / "pristine.duckdb"
    shutil.copyfile(folder_db, pristine)
    small = _two_row_file(tmp_path / "input")
    size = folder_db.stat().st_size
    for _ in range(10):
        shutil.copyfile(pristine, folder_db)
        offset = rng.randrange(0, size - 64)
        with open(folder_db, "r+b") as handle:
            handle.seek(offset)
            handle.write(rng.randbytes(64))
        damaged = _sha256(folder_db)
        files = _files(folder_db)
        code, _, err = _run(["load", str(small), "--db", str(folder_db)], capsys)
        assert code == 1, offset
        _named(err)
        assert "catalogue file is damaged" in err and "nothing was written" in err, err
        assert _sha256(folder_db) == damaged and _files(folder_db) == files
        assert not list(folder_db.parent.glob("*.tmp-write*"))
    shutil.copyfile(pristine, folder_db)
    code, _, err = _run(["load", str(small), "--db", str(folder_db)], capsys)
    assert code == 0, err


def test_a_catalogue_another_duckdb_client_changed_and_checkpointed_is_accepted(
    folder_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a false alarm: a user's own DuckDB session that changed the catalogue checkpointed it (its headers
    changed); the next load reads every table in full and goes ahead, and verify says what happened."""
    con = duckdb.connect(str(folder_db))
    con.execute("DELETE FROM exchange_rates WHERE currency = 'CNY'")
    con.close()
    code, out, err = _run(["verify", "--db", str(folder_db)], capsys)
    assert code == 0, err
    assert "checkpointed by another DuckDB client" in out
    code, _, err = _run(["load", str(_two_row_file(tmp_path / "input")), "--db", str(folder_db)], capsys)
    assert code == 0, err
    code, out, _ = _run(["verify", "--db", str(folder_db)], capsys)
    assert code == 0 and "matches the checksum recorded" in out


def test_a_rebuild_is_the_remedy_for_a_damaged_catalogue(folder_db: Path) -> None:
    with open(folder_db, "r+b") as handle:
        handle.seek(folder_db.stat().st_size // 2)
        handle.write(os.urandom(64))
    with pytest.raises(DatabaseError, match="damaged"):
        load_files(folder_db, [_two_row_file(folder_db.parent / "input")])
    build_database(folder_db, keep=lambda entry: "reference" in entry.path.parts)
    assert connect_read_only(folder_db).execute("SELECT count(*) FROM countries").fetchone()[0] > 200


def test_the_footer_reader_agrees_with_pyarrow(tmp_path: Path) -> None:
    """The footer reader agrees with pyarrow on files pyarrow writes (another writer than DuckDB)."""
    table = pa.table({"a": list(range(1000)), "b": ["x"] * 1000, "c": [True, False] * 500})
    path = tmp_path / "footer.parquet"
    pq.write_table(table, path, row_group_size=300)
    rows, _ = store.read_footer(path)
    assert rows == pq.ParquetFile(path).metadata.num_rows == 1000
