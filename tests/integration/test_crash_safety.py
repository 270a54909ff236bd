"""`balanza load` killed with SIGKILL at random moments never damages the database.

A generated 200,000-row Comtrade+ CSV (bench/ingest.py's generator) takes a few seconds to load; the load is
killed at random moments (fixed seed) while it copies, parses, validates, commits or swaps. After each kill
the database opens and holds exactly the rows it held before; a stale `*.tmp-write` file left behind does
not stop the next load, which then succeeds in full.
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.db import TMP_SUFFIX
from etl.store import copy_database
from tests.dbstate import snapshot

ROOT = Path(__file__).resolve().parents[2]
BALANZA = Path(sys.executable).with_name("balanza")
ROWS = 200_000
KILLS = 10  # kills that must land mid-load
SEED = 20250507

pytestmark = pytest.mark.slow


def generate_comtrade_csv(path: Path, rows: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "ingest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate_csv(path, rows)


def start_load(csv_path: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([str(BALANZA), "load", str(csv_path), "--db", str(db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "comtrade_plus_200k.csv"
    generate_comtrade_csv(path, ROWS)
    return path


def test_sigkill_at_random_moments_leaves_the_database_as_it_was(bundled_db: Path, big_csv: Path,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    before = snapshot(db)

    # One uninterrupted load (on a copy) gives the duration to aim the kills at and the complete new state.
    reference = tmp_path / "reference.duckdb"
    copy_database(bundled_db, reference)
    started = time.monotonic()
    finished = start_load(big_csv, reference)
    out, err = finished.communicate(timeout=300)
    duration = time.monotonic() - started
    assert finished.returncode == 0, err
    after_full_load = snapshot(reference)
    assert after_full_load["trade"][0] == before["trade"][0] + ROWS

    rng = random.Random(SEED)
    interrupted = 0
    completed_before_kill = 0
    stale_temp_files = 0
    attempts = 0
    # Load times vary with machine load, so a kill may land after the swap: keep going until KILLS landed mid-load.
    while interrupted < KILLS and attempts < 2 * KILLS:
        attempts += 1
        process = start_load(big_csv, db)
        time.sleep(rng.uniform(0.1, 0.85) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        stale_temp_files += (db.with_name(db.name + TMP_SUFFIX)).exists()
        state = snapshot(db)  # the database opens...
        if state == before:  # ...and holds exactly what it held
            interrupted += process.returncode == -signal.SIGKILL
        else:
            # The kill came after the atomic swap: then it must be the complete new state, never a mix
            # (datasets differ only in their load time stamp).
            assert state["trade"] == after_full_load["trade"]
            assert state["datasets"][0] == after_full_load["datasets"][0]
            completed_before_kill += 1
            copy_database(bundled_db, db)
    print(f"\n{attempts} SIGKILLs over a {duration:.1f}s load: {interrupted} interrupted mid-load with the database "
          f"unchanged, {completed_before_kill} after the swap; {stale_temp_files} left a stale {TMP_SUFFIX} file")  # fmt: skip
    assert interrupted >= KILLS >= 10

    # A read-write open works too (no leftover lock, no WAL to trip over).
    con = duckdb.connect(str(db))
    assert con.execute("SELECT count(*) FROM trade").fetchone()[0] == before["trade"][0]
    con.close()

    # Whatever the kills left behind, the next load succeeds in full and cleans up.
    process = start_load(big_csv, db)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert f"loaded {ROWS:,} rows" in out
    assert snapshot(db)["trade"] == after_full_load["trade"]
    assert not db.with_name(db.name + TMP_SUFFIX).exists()


def test_stale_temp_files_from_a_killed_writer_do_not_break_the_next_load(
    bundled_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    before = snapshot(db)
    tmp_file = db.with_name(db.name + TMP_SUFFIX)
    # What a writer killed mid-copy leaves: a half-copied database and a write-ahead log of junk.
    tmp_file.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    tmp_file.with_name(tmp_file.name + ".wal").write_bytes(os.urandom(4096))
    small = tmp_path / "small.csv"
    sys.path.insert(0, str(ROOT / "tests" / "corpus"))
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(str(ROOT / "tests" / "corpus"))
    small.write_text(cp_csv([cp_row(), cp_row(cmdCode="0902")]), encoding="utf-8")
    # The stale files never reach readers...
    assert snapshot(db) == before
    done = subprocess.run([str(BALANZA), "load", str(small), "--db", str(db)], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    # ...and the next writer replaces them.
    assert done.returncode == 0, done.stderr
    assert snapshot(db)["trade"][0] == before["trade"][0] + 2
    assert not tmp_file.exists() and not tmp_file.with_name(tmp_file.name + ".wal").exists()
