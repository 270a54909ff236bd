"""etl.db.connect_read_only: the one way readers open the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.db import connect_read_only
from etl.errors import DatabaseError

ROOT = Path(__file__).resolve().parents[2]


# Run in a fresh process: DuckDB's default depends on the process (it is on in a plain `python` run, which is
# how the commands run), and this test must see that default.
PROBE = """
import sys, duckdb
import subprocess
import sys
from pathlib import Path
from etl.db import connect_read_only
setting = "SELECT current_setting('enable_progress_bar')"
print(duckdb.connect(":memory:").execute(setting).fetchone()[0])
con = connect_read_only(Path(sys.argv[1]))
print(con.execute(setting).fetchone()[0])
try:
    con.execute("CREATE TABLE t (x INTEGER)")
except duckdb.Error:
    print("read-only")
"""


def test_a_reader_never_draws_a_progress_bar(tmp_path: Path) -> None:
    # DuckDB draws one on stdout for a query over 2 s (as on a loaded machine), mixed into a command's output.
    path = tmp_path / "reader.duckdb"
    duckdb.connect(str(path)).close()
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "read-only"]


def test_a_missing_database_is_a_named_error_with_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught:
        connect_read_only(tmp_path / "missing.duckdb")
    assert "database not found" in str(caught.value) and "balanza build" in str(caught.value)
