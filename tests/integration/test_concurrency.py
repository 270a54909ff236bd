"""Readers keep reading while `balanza load` and `balanza build` write.

Reader processes hold read-only connections and query the trade table in a loop (row count and a checksum
of every row, in one statement). Meanwhile `balanza load` adds a generated 100,000-row file and then
`balanza build` rebuilds the database from the manifest, loading that file again (a rebuild keeps what was
loaded by hand). The writers never fail because readers are open; every read returns one of the complete
states (before, after the load, after the rebuild: the same as after the load), never a mix;
readers that reconnect when `etl.db.file_identity` changes end on the new data, and a reader that never
reconnects keeps reading the old file undisturbed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.db import file_identity
from etl.load import load_files
from etl.store import copy_database

ROOT = Path(__file__).resolve().parents[2]
BALANZA = Path(sys.executable).with_name("balanza")
ROWS = 100_000
# Deadlines for `balanza load` and `balanza build`: minutes on a loaded machine (a build alone takes ~3 min there).
WRITER_SECONDS = 1200

pytestmark = pytest.mark.slow

# A reader: one long-lived read-only connection; with `reconnect`, a new one whenever the file is swapped
# (closing the old connection first: DuckDB hands out the cached old instance while one stays open).
# DuckDB draws a progress bar on stdout when a query runs longer than 2 s (as on a loaded machine);
# connect_read_only switches it off, so stdout holds only the reader's JSON lines.
READER = """
import json, sys, time
from pathlib import Path
from etl.db import connect_read_only, file_identity
db, stop, reconnect = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"

identity = file_identity(db)
con = connect_read_only(db)
while not stop.exists():
    try:
        if reconnect and file_identity(db) != identity:
            con.close()
            identity = file_identity(db)
            con = connect_read_only(db)
        count, checksum = con.execute("SELECT count(*), sum(hash(t)) FROM trade t").fetchone()
        print(json.dumps({"identity": identity, "count": count, "checksum": str(checksum)}), flush=True)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
    time.sleep(0.1)
"""


def state(db: Path) -> tuple[int, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        count, checksum = con.execute("SELECT count(*), sum(hash(t)) FROM trade t").fetchone()
        return count, str(checksum)
    finally:
        con.close()


def start_reader(db: Path, stop: Path, reconnect: bool) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), "1" if reconnect else "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def parse_reader_log(out: str, err: str) -> list[dict]:
    """The reader's JSON lines; any other line fails the test with the reader's stderr."""
    observations = []
    for number, line in enumerate(out.splitlines(), start=1):
        try:
            observations.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(
                f"reader output line {number} is not JSON: {line[:200]!r}\nreader stderr:\n{err[-2000:]}"
            )
    return observations


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def medium_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "ingest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("concurrency") / "comtrade_plus_100k.csv"
    module.generate_csv(path, ROWS)
    return path


def test_readers_during_load_and_build_see_only_complete_states(bundled_db: Path, medium_csv: Path,
                                                                tmp_path: Path) -> None:  # fmt: skip
    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    # The complete states a reader may see, computed on copies: before, after the load, after a rebuild.
    before = state(db)
    loaded_copy = tmp_path / "loaded.duckdb"
    copy_database(bundled_db, loaded_copy)
    load_files(loaded_copy, [medium_csv])
    after_load = state(loaded_copy)
    assert after_load[0] == before[0] + ROWS
    allowed = {before, after_load}  # a rebuild keeps the file loaded by hand: the loaded state again

    stop = tmp_path / "stop"
    identity_before = file_identity(db)
    readers = [start_reader(db, stop, reconnect=True) for _ in range(2)]
    readers.append(start_reader(db, stop, reconnect=False))
    logs: list[tuple[str, str]] = []
    try:
        time.sleep(1.0)  # readers connected and reading
        started = time.monotonic()
        load = subprocess.run([str(BALANZA), "load", str(medium_csv), "--db", str(db)], capture_output=True,
                              text=True, timeout=WRITER_SECONDS)  # fmt: skip
        load_seconds = time.monotonic() - started
        assert load.returncode == 0, load.stderr
        identity_after_load = file_identity(db)
        assert identity_after_load != identity_before
        time.sleep(0.5)
        started = time.monotonic()
        build = subprocess.run([str(BALANZA), "build", "--db", str(db)], capture_output=True, text=True,
                               timeout=WRITER_SECONDS)  # fmt: skip
        build_seconds = time.monotonic() - started
        assert build.returncode == 0, build.stderr
        final_identity = file_identity(db)
        final_state = state(db)
        time.sleep(1.0)  # reconnecting readers pick up the rebuilt file
    finally:
        stop.touch()
        for reader in readers:
            # A generous deadline: on a loaded machine one read of the trade table can take seconds.
            try:
                out, err = reader.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                reader.kill()
                out, err = reader.communicate()
                pytest.fail(f"a reader did not stop within 300 s of the stop file; stderr:\n{err[-2000:]}")
            logs.append((out, err))
            assert reader.returncode == 0, err
    assert final_state == after_load

    observations = [parse_reader_log(out, err) for out, err in logs]
    errors = [o["error"] for reader in observations for o in reader if "error" in o]
    assert not errors, errors[:3]
    total_reads = sum(len(reader) for reader in observations)
    for reader in observations:
        assert len(reader) >= 20
        seen_by_identity: dict[tuple, set] = {}
        for o in reader:
            seen = (o["count"], o["checksum"])
            assert seen in allowed, f"a reader saw a state that is neither before nor after: {seen}"
            seen_by_identity.setdefault(tuple(o["identity"]), set()).add(seen)
        # One file, one state: a file never changes under a reader.
        assert all(len(states) == 1 for states in seen_by_identity.values())

    *reconnecting, stale = observations
    for reader in reconnecting:
        identities = list(dict.fromkeys(tuple(o["identity"]) for o in reader))
        # Saw the file before, (usually) the loaded one, and ends on the rebuilt one with its data.
        assert identities[0] == tuple(identity_before) and identities[-1] == tuple(final_identity)
        assert (reader[-1]["count"], reader[-1]["checksum"]) == final_state
        assert any((o["count"], o["checksum"]) == after_load for o in reader) or len(identities) == 2
    # A reader that never reconnects keeps the file it opened (its inode), whole, throughout.
    assert {(o["count"], o["checksum"]) for o in stale} == {before}
    print(f"\n{len(readers)} reader processes, {total_reads} reads during a {load_seconds:.1f}s load of {ROWS:,} "
          f"rows and a {build_seconds:.1f}s rebuild: 0 errors, 0 partial states")  # fmt: skip


def test_a_reader_that_reconnects_sees_the_new_rows(bundled_db: Path, tmp_path: Path) -> None:
    """The reconnect rule readers follow: compare file_identity, close, open again."""
    from etl.db import connect_read_only

    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    identity = file_identity(db)
    con = connect_read_only(db)
    before = con.execute("SELECT count(*) FROM trade").fetchone()[0]
    load_files(db, [_two_row_file(tmp_path)])  # the writer does not wait for, or disturb, the open reader
    assert con.execute("SELECT count(*) FROM trade").fetchone()[0] == before
    assert file_identity(db) != identity
    con.close()
    con = connect_read_only(db)
    assert con.execute("SELECT count(*) FROM trade").fetchone()[0] == before + 2
    con.close()


def _two_row_file(tmp_path: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "corpus"))
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(str(ROOT / "tests" / "corpus"))
    small = tmp_path / "two_rows.csv"
    small.write_text(cp_csv([cp_row(), cp_row(cmdCode="0902")]), encoding="utf-8")
    return small


def test_dashboard_connection_follows_a_swapped_in_database(bundled_db: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from dashboard import components

    db = tmp_path / "balanza.duckdb"  # a path of its own: the dashboard's connection cache is keyed by path
    copy_database(bundled_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    before = components.connection().cursor().execute("SELECT count(*) FROM trade").fetchone()[0]
    load_files(db, [_two_row_file(tmp_path)])
    after = components.connection().cursor().execute("SELECT count(*) FROM trade").fetchone()[0]
    assert after == before + 2


def test_a_reconnect_does_not_break_queries_other_sessions_are_running(bundled_db: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from dashboard import components

    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    session_a = components.connection().cursor()  # session A is in the middle of its page
    before = session_a.execute("SELECT count(*) FROM trade").fetchone()[0]
    load_files(db, [_two_row_file(tmp_path)])  # a writer swaps in a new file
    components.connection()  # session B's next query notices and reconnects
    # Session A's next statement still runs (on the file it started with).
    assert session_a.execute("SELECT count(*) FROM trade").fetchone()[0] == before


def test_concurrent_sessions_on_the_shared_connection_get_their_own_results(bundled_db: Path) -> None:
    """What two sessions on the Scenarios page do at once: model.data queries on the one shared connection."""
    import threading

    from model import data

    con = duckdb.connect(str(bundled_db), read_only=True)  # as components.connection(): one per process
    expected = {"countries": data.query_country_names(con), "chapters": data.query_chapter_names(con)}
    problems: list[str] = []

    def session(kind: str) -> None:
        query = data.query_country_names if kind == "countries" else data.query_chapter_names
        for _ in range(100):
            try:
                if query(con) != expected[kind]:
                    problems.append(f"{kind}: another session's result")
            except duckdb.Error as exc:
                problems.append(f"{kind}: {type(exc).__name__}")

    threads = [threading.Thread(target=session, args=(kind,)) for kind in ("countries", "chapters") * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    con.close()
    assert not problems, f"{len(problems)} of 600 queries went wrong, e.g. {problems[:3]}"
