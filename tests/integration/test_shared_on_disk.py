"""Shared results on disk (dashboard/disk_results.py), across processes on a real database: what one process
computed another reads, and a swapped-in database is never answered with the older one's results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import settings
from etl.store import copy_database

# One server process: a `shared` function that notes each computation in a log, and two of the real shared
# results (the product catalogue and a product search); prints what it got and what it read from disk.
PROCESS = """
import json, sys
from pathlib import Path
from dashboard import components, shared_results

@components.shared
def datasets_loaded() -> int:
    with open(sys.argv[1], "a", encoding="utf-8") as log:
        log.write("computed\\n")
    return int(components.connection().execute("SELECT count(*) FROM datasets").fetchone()[0])

value = datasets_loaded()
catalogue = shared_results.product_catalogue()
found = shared_results.hs_search("coffee")
disk = components.RUNTIME.disk_results(str(components.settings.db_path()))
print(json.dumps({"value": value, "catalogue": repr(catalogue), "found": found.to_json(),
                  "read": disk.read if disk else 0, "written": disk.written if disk else 0}))
"""


def run_process(db: Path, log: Path, **env: str) -> dict:
    answer = subprocess.run(
        [sys.executable, "-c", PROCESS, str(log)],
        env={**os.environ, "BALANZA_DB": str(db), **env},
        cwd=settings.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    return json.loads(answer.stdout.strip().splitlines()[-1])


def test_a_second_process_reads_what_the_first_computed_and_a_swap_starts_afresh(
    small_bundle_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.load import load_files
    from tests.unit.test_shared_cache import _two_row_file

    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    log = tmp_path / "computed.log"
    monkeypatch.delenv("BALANZA_RESULTS", raising=False)

    first = run_process(db, log)
    assert first["read"] == 0 and first["written"] >= 3
    second = run_process(db, log)
    assert log.read_text(encoding="utf-8").count("computed") == 1  # the second process did not compute it
    assert second["read"] == 3 and second["written"] == 0
    assert {k: second[k] for k in ("value", "catalogue", "found")} == {
        k: first[k] for k in ("value", "catalogue", "found")
    }
    results = Path(f"{db}.results")
    assert [p.name for p in results.iterdir()] == [f"{db.stat().st_ino}-{db.stat().st_mtime_ns}-" + p.name.split("-")[2]
                                                   for p in results.iterdir()]  # fmt: skip

    load_files(db, [_two_row_file(tmp_path)])  # a writer swaps a new catalogue in: one dataset more
    after = run_process(db, log)
    assert log.read_text(encoding="utf-8").count("computed") == 2
    assert after["value"] == first["value"] + 1 and after["read"] == 0
    assert len(list(results.iterdir())) == 2  # the new version's folder and the previous one

    off = run_process(db, log, BALANZA_RESULTS="off")  # memory only: computed again, nothing read
    assert off["value"] == after["value"] and off["read"] == 0 and off["written"] == 0
    assert log.read_text(encoding="utf-8").count("computed") == 3
