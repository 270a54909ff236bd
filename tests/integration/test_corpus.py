"""The on-disk bad-input corpus (tests/corpus/files, expectations in tests/corpus/expectations.toml).

Every malformed file is refused with the expected error, file, line and column, and leaves the database
exactly as it was (row counts and checksums of trade, datasets and published_figures). Files whose odd
content is data, not an error (formula strings in text fields), load, and CSV exports neutralise them.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import duckdb
import pytest

from dashboard.csv_export import FORMULA_PREFIXES, to_csv_bytes
from etl.errors import InputError
from etl.load import load_files
from tests.dbstate import snapshot

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FILES = CORPUS / "files"
CASES = tomllib.loads((CORPUS / "expectations.toml").read_text(encoding="utf-8"))["case"]
REFUSED = [case for case in CASES if not case.get("loads")]
ACCEPTED = [case for case in CASES if case.get("loads")]
BALANZA = Path(sys.executable).with_name("balanza")


def test_corpus_is_large_and_every_file_has_an_expectation() -> None:
    on_disk = {path.name for path in FILES.iterdir()}
    expected = [case["file"] for case in CASES]
    assert len(expected) == len(set(expected)), "a file is listed twice"
    assert on_disk == set(expected)
    assert len(REFUSED) >= 30
    formats = {case["format"] for case in CASES}
    assert {"Comtrade+ CSV", "Comtrade+ XLSX", "Comtrade+ API JSON", "legacy Comtrade CSV", "IMF DOTS XLSX",
            "Census HS10 parquet", "Census totals CSV", "DIAN CSV", "published CSV"} <= formats  # fmt: skip


@pytest.mark.parametrize("case", REFUSED, ids=[case["file"] for case in REFUSED])
def test_bad_file_is_refused_with_file_line_column_and_nothing_changes(
    case: dict, corpus_db: Path, corpus_state: dict[str, tuple]
) -> None:
    path = FILES / case["file"]
    with pytest.raises(InputError) as caught:
        load_files(corpus_db, [path])
    error = caught.value
    assert Path(error.path).name == case["file"]
    assert case["error"] in error.message, error.message
    assert error.line == case.get("line"), str(error)
    assert error.column == case.get("column"), str(error)
    assert error.hint, f"no 'what to do' for {case['file']}"
    rendered = str(error)
    assert case["file"] in rendered and "what to do:" in rendered
    if "line" in case:
        assert f"line {case['line']}" in rendered
    assert snapshot(corpus_db) == corpus_state
    assert not list(corpus_db.parent.glob("*.tmp-write*"))


def test_refusal_through_the_command_line_names_file_line_and_column(corpus_db: Path) -> None:
    """What a user sees: `balanza load` exits 1 and prints file, line, column and what to do."""
    path = FILES / "cp_bom_crlf_unknown_partner.csv"
    before = snapshot(corpus_db)
    done = subprocess.run([str(BALANZA), "load", str(path), "--db", str(corpus_db)], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 1
    assert f"{path}, line 3, column partnerCode: unknown partner code '998877'" in done.stderr
    assert "what to do:" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(corpus_db) == before


def test_one_bad_file_among_good_ones_loads_none_of_them(corpus_db: Path) -> None:
    before = snapshot(corpus_db)
    with pytest.raises(InputError):
        load_files(corpus_db, [FILES / "ok_cp_formula_descriptions.csv", FILES / "dots_unknown_partner.xlsx"])
    assert snapshot(corpus_db) == before


@pytest.mark.parametrize("case", ACCEPTED, ids=[case["file"] for case in ACCEPTED])
def test_formula_strings_are_data_they_load(case: dict, scratch_db: Path) -> None:
    db = scratch_db
    before = snapshot(db)
    [result] = load_files(db, [FILES / case["file"]])
    assert result.status == "loaded" and result.rows == case["rows"]
    after = snapshot(db)
    assert after["datasets"][0] == before["datasets"][0] + 1
    if "note" in case:  # rows set aside are said, not silently dropped
        assert any(case["note"] in note for note in result.notes), result.notes
    if "values" in case:  # the numbers the file holds, written by hand in expectations.toml
        con = duckdb.connect(str(db), read_only=True)
        rows = con.execute(
            "SELECT hs_code, flow, partner_iso3, value_usd FROM trade t JOIN datasets d USING (dataset_id) "
            "WHERE d.path LIKE ? ORDER BY ALL", ["%" + case["file"]],
        ).fetchall()  # fmt: skip
        con.close()
        expected = sorted(tuple(v) for v in case["values"])
        assert [r[:3] for r in rows] == [e[:3] for e in expected]
        assert [r[3] for r in rows] == pytest.approx([e[3] for e in expected], rel=1e-12)


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formula_strings_loaded_from_a_file_are_neutralised_in_csv_exports(scratch_db: Path) -> None:
    db = scratch_db
    load_files(db, [FILES / "ok_published_formulas.csv"])
    con = duckdb.connect(str(db), read_only=True)
    frame = con.execute(
        "SELECT p.*, d.path FROM published_figures p JOIN datasets d USING (dataset_id) "
        "WHERE d.path LIKE '%ok_published_formulas.csv' ORDER BY value_usd"
    ).df()
    con.close()
    # The text arrived in the database exactly as printed in the file...
    assert frame["publisher"].tolist() == ['=HYPERLINK("http://example.invalid","DANE")', "@DANE", "-DANE"]
    assert frame["quote"].tolist() == ["+SUM(A1:A9)", "\tquoted with a tab", "\rstarts with CR"]
    # ...and no exported text cell can start a formula (a CR inside a cell stays inside its quoted cell).
    data = to_csv_bytes(frame, source="published", valuation="as printed", units="USD", filters={"q": "=1+1"},
                        view_url="http://127.0.0.1/?q==1+1")  # fmt: skip
    rows = _cells(data)
    header, body = rows[0], rows[1:]
    numeric = {"year", "value_usd", "dataset_id"}
    checked = 0
    for row in body:
        for name, cell in zip(header, row, strict=True):
            if name not in numeric and cell:
                assert not cell.startswith(FORMULA_PREFIXES), (name, cell)
                checked += 1
    assert len(body) == 3 and checked >= 3 * 6
    publisher = [row[header.index("publisher")] for row in body]
    assert publisher == ['\'=HYPERLINK("http://example.invalid","DANE")', "'@DANE", "'-DANE"]
    assert [row[header.index("quote")] for row in body] == [
        "'+SUM(A1:A9)",
        "'\tquoted with a tab",
        "'\rstarts with CR",
    ]
    urls = ["https://example.invalid", "'-https://example.invalid", "https://example.invalid"]
    assert [row[header.index("url")] for row in body] == urls
    # Numbers stay numbers.
    assert [row[header.index("value_usd")] for row in body] == ["1000.0", "2000.0", "3000.0"]


# ---- a multi-gigabyte sparse file ------------------------------------------------------------------------


def _sparse_comtrade_csv(path: Path, data_rows: int, size: int = 3 * 1024**3) -> None:
    """A valid Comtrade+ header (and some rows), then NUL bytes up to ``size`` (a sparse file: no disk used)."""
    sys.path.insert(0, str(CORPUS))
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(str(CORPUS))
    path.write_text(
        cp_csv([cp_row(cmdCode=f"{code:04d}") for code in range(100, 100 + data_rows)]), encoding="utf-8"
    )
    os.truncate(path, size)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("data_rows", "nul_line"), [(0, 2), (300, 302)], ids=["nul-after-header", "nul-after-64kb"]
)
def test_multi_gigabyte_sparse_file_is_refused_quickly(corpus_db: Path, tmp_path: Path, data_rows: int,
                                                        nul_line: int) -> None:  # fmt: skip
    huge = tmp_path / "huge_download.csv"
    _sparse_comtrade_csv(huge, data_rows)
    try:
        assert huge.stat().st_size == 3 * 1024**3
        before = snapshot(corpus_db)
        started = time.monotonic()
        done = subprocess.run([str(BALANZA), "load", str(huge), "--db", str(corpus_db)], capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        elapsed = time.monotonic() - started
    finally:
        huge.unlink()
    assert done.returncode == 1, done.stderr
    assert f"{huge}, line {nul_line}: binary content (NUL byte" in done.stderr
    assert "what to do:" in done.stderr and "Traceback" not in done.stderr
    # Refused from its first and last bytes, not after parsing 3 GB (a generous bound: a hang guard, not a benchmark).
    assert elapsed < 60, elapsed
    assert snapshot(corpus_db) == before
    assert not list(corpus_db.parent.glob("*.tmp-write*"))
