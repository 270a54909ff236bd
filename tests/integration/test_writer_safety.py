"""The writer keeps the user's file as the user made it, refuses what it cannot handle before it starts, and
cleans up after a full disk or a signal (etl/db.py).

Every refusal leaves the database byte-identical (sha256 of the file) and no `*.tmp-write*` file behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.db import TMP_SUFFIX
from etl.store import copy_database

ROOT = Path(__file__).resolve().parents[2]
BALANZA = Path(sys.executable).with_name("balanza")
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
try:
    from make_corpus import cp_csv, cp_row
finally:
    sys.path.remove(str(ROOT / "tests" / "corpus"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str | Path, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BALANZA), *map(str, args)], capture_output=True, text=True, timeout=timeout, **kwargs
    )


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if TMP_SUFFIX in p.name]


@pytest.fixture()
def db(bundled_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, path)
    return path


@pytest.fixture()
def small_csv(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_text(cp_csv([cp_row(), cp_row(cmdCode="0902")]), encoding="utf-8")
    return path


def trade_rows(db: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM trade").fetchone()[0]
    finally:
        con.close()


def test_a_symlinked_database_gets_the_rows_and_stays_a_link_with_its_permissions(db: Path, small_csv: Path,
                                                                                   tmp_path: Path) -> None:  # fmt: skip
    os.chmod(db, 0o640)
    link = tmp_path / "elsewhere" / "link.duckdb"
    link.parent.mkdir()
    link.symlink_to(db)
    before = trade_rows(db)
    done = run("load", small_csv, "--db", link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and Path(os.readlink(link)) == db
    assert trade_rows(db) == before + 2  # the real file got the rows
    assert stat.S_IMODE(db.stat().st_mode) == 0o640
    assert not leftovers(db.parent) and not leftovers(link.parent)


def test_permissions_of_a_plain_file_are_kept(db: Path, small_csv: Path) -> None:
    os.chmod(db, 0o600)
    assert run("load", small_csv, "--db", db).returncode == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_read_only_database_is_refused_and_left_alone(db: Path, small_csv: Path) -> None:
    os.chmod(db, 0o444)
    digest, inode = sha256(db), db.stat().st_ino
    done = run("load", small_csv, "--db", db)
    assert done.returncode == 1
    assert "read-only" in done.stderr and "what to do:" in done.stderr and "Traceback" not in done.stderr
    assert sha256(db) == digest and db.stat().st_ino == inode
    assert stat.S_IMODE(db.stat().st_mode) == 0o444


def test_a_foreign_wal_beside_the_database_is_refused_before_anything_is_written(
    db: Path, small_csv: Path
) -> None:
    """Another DuckDB client's uncommitted-to-file changes live in the .wal: copying the file would lose them."""
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE foreign_rows AS SELECT range AS x FROM range(5)")
    # Simulate a client that died before checkpointing: copy its WAL aside while it is open, then restore it.
    wal = db.with_name(db.name + ".wal")
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("INSERT INTO foreign_rows VALUES (99)")
    wal_bytes = wal.read_bytes() if wal.exists() else b""
    con.close()
    if not wal.exists() or wal.stat().st_size == 0:
        wal.write_bytes(wal_bytes or b"\x00" * 64)
    digest, wal_digest = sha256(db), sha256(wal)
    done = run("load", small_csv, "--db", db)
    assert done.returncode == 1, done.stderr
    assert "write-ahead log" in done.stderr and "CHECKPOINT" in done.stderr
    assert sha256(db) == digest and sha256(wal) == wal_digest
    assert not leftovers(db.parent)


def test_a_database_open_for_writing_elsewhere_is_refused(db: Path, small_csv: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        digest = sha256(db)
        done = run("load", small_csv, "--db", db)
        assert done.returncode == 1
        assert "open for writing" in done.stderr
        assert sha256(db) == digest
    finally:
        holder.kill()
        holder.wait()


def test_a_fifo_as_input_is_refused_at_once_not_waited_on(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "exports.csv"
    os.mkfifo(fifo)
    digest = sha256(db)
    started = time.monotonic()
    done = run("load", fifo, "--db", db, timeout=60)
    assert done.returncode == 1
    assert "named pipe (FIFO), not a regular file" in done.stderr
    assert time.monotonic() - started < 50
    assert sha256(db) == digest
    # The lock was never taken for long: a normal load right after works.
    assert not leftovers(db.parent)


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "ingest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("writer") / "comtrade_200k.csv"
    module.generate_csv(path, 200_000)
    return path


@pytest.mark.slow
def test_a_full_disk_is_a_named_error_and_leaves_nothing_behind(db: Path, big_csv: Path) -> None:
    """RLIMIT_FSIZE just above the database's size: the copy fits, the grown copy does not (EFBIG)."""
    digest = sha256(db)
    limit = db.stat().st_size + 2 * 1024 * 1024
    done = run("load", big_csv, "--db", db, preexec_fn=_limit_file_size(limit))
    assert done.returncode == 1, done.stderr
    assert "file size limit was reached while writing the new database; nothing was changed" in done.stderr
    assert "what to do: free space" in done.stderr and "Traceback" not in done.stderr
    assert sha256(db) == digest
    assert not leftovers(db.parent)


def test_too_small_a_limit_for_even_the_copy_is_also_clean(db: Path, small_csv: Path) -> None:
    digest = sha256(db)
    done = run("load", small_csv, "--db", db, preexec_fn=_limit_file_size(db.stat().st_size // 2))
    assert done.returncode == 1, done.stderr
    assert "file size limit" in done.stderr and "Traceback" not in done.stderr
    assert sha256(db) == digest and not leftovers(db.parent)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_a_signal_mid_load_exits_cleanly_with_the_database_unchanged(db: Path, big_csv: Path, signum: int,
                                                                     code: int) -> None:  # fmt: skip
    digest = sha256(db)
    tmp_file = db.with_name(db.name + TMP_SUFFIX)
    process = subprocess.Popen([str(BALANZA), "load", str(big_csv), "--db", str(db)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not tmp_file.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # inside the parse of 200,000 rows
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, (out, err)
    assert "interrupted; the database is unchanged" in err and "Traceback" not in err
    assert sha256(db) == digest
    assert not leftovers(db.parent)


def test_a_reference_file_cut_to_three_rows_cannot_replace_a_whole_table(db: Path, tmp_path: Path) -> None:
    areas = ROOT / "data" / "raw" / "reference" / "uncomtrade-reference" / "comtrade_partner_areas.csv"
    cut = tmp_path / "comtrade_partner_areas.csv"
    cut.write_text("".join(areas.read_text(encoding="utf-8").splitlines(keepends=True)[:4]), encoding="utf-8")
    digest = sha256(db)
    done = run("load", cut, "--db", db)
    assert done.returncode == 1
    assert (
        "would shrink the reference table comtrade_areas from" in done.stderr and "to 3 rows" in done.stderr
    )
    assert "--allow-shrink" in done.stderr
    assert sha256(db) == digest
    done = run("load", cut, "--db", db, "--allow-shrink")
    assert done.returncode == 0, done.stderr


def test_usage_errors_exit_2() -> None:
    assert run("load").returncode == 2
    assert run("no-such-command").returncode == 2


def test_a_brand_new_db_path_is_initialised_from_the_bundled_reference_tables(
    small_csv: Path, tmp_path: Path
) -> None:
    """`balanza load` into a path that does not exist yet: the reference tables come from data/sources.toml."""
    import duckdb

    db = tmp_path / "new" / "fresh.duckdb"
    done = run("load", small_csv, "--db", db)
    assert done.returncode == 0, done.stderr
    assert f"{small_csv}: loaded 2 rows into trade" in done.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM trade").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM comtrade_areas").fetchone()[0] > 200
        assert con.execute("SELECT count(*) FROM countries WHERE iso3 = 'COL'").fetchone()[0] == 1
    finally:
        con.close()
