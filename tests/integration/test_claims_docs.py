"""docs/claims.md is what the code produces on the bundled data (regenerate: python -m dashboard.claims.docs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.claims import docs


@pytest.mark.slow
def test_committed_claims_doc_matches_the_code(bundled_db: Path) -> None:
    expected = docs.render_from_db(bundled_db)  # rendered in memory: the test never writes the tracked file
    committed = docs.DOCS_PATH.read_text(encoding="utf-8")
    assert committed == expected, "docs/claims.md is out of date: run `python -m dashboard.claims.docs`"


def test_the_doc_lists_every_statement_with_verdict_basis_and_publisher() -> None:
    text = docs.DOCS_PATH.read_text(encoding="utf-8")
    from dashboard.claims import read_claims

    for spec in read_claims():
        assert f"## {spec.id}. {spec.summary}" in text
        assert spec.quote in text
    for field in ("**Verdict:**", "**Rule:**", "**Basis:**", "**Publisher:**"):
        assert field in text


def test_check_mode_reports_a_stale_file_without_writing_it(bundled_db: Path, tmp_path: Path) -> None:
    stale = tmp_path / "claims.md"
    stale.write_text("old\n", encoding="utf-8")
    assert docs.main(["--db", str(bundled_db), "--out", str(stale), "--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "old\n"
    assert docs.main(["--db", str(bundled_db), "--out", str(stale)]) == 0
    assert docs.main(["--db", str(bundled_db), "--out", str(stale), "--check"]) == 0
