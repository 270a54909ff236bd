"""Shared fixtures: the real bundled database, built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl import settings


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from data/sources.toml (the real bundled data), shared by the whole session."""
    from etl.build import build_database

    path = tmp_path_factory.mktemp("bundled") / "balanza.duckdb"
    build_database(path, manifest=settings.MANIFEST_PATH, progress=False)
    return path


@pytest.fixture()
def bundled_con(bundled_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(bundled_db), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def bundled_env(bundled_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BALANZA_DB at the bundled test database (for AppTest and subprocess runs)."""
    monkeypatch.setenv("BALANZA_DB", str(bundled_db))
    return bundled_db


def pytest_report_header(config: pytest.Config) -> str:
    return f"balanza db for tests: built per session from {settings.MANIFEST_PATH} (BALANZA_DB={settings.DB.get()})"


# The fast tier (`make test-fast`: not browser, not slow) stays under 90 s on two cores. Besides the tests
# marked `slow` in their own files, these spawn processes, rebuild databases or run the full model, and are
# marked slow here, by node id prefix, so the tiering is decided in one place.
SLOW_TESTS = (
    "tests/app/",  # AppTest runs whole pages (and the scenario model behind several)
    "tests/integration/test_record_consistency.py",
    "tests/integration/test_claims_docs.py",
    "tests/unit/test_claims_verdicts.py::test_claim",  # each builds cards over the bundled database
    "tests/unit/test_claims_verdicts.py::test_scenario_results_feed_claims",
    "tests/unit/test_claims_verdicts.py::test_every_card_builds_on_an_empty_database",
    "tests/unit/test_claims_verdicts.py::test_failed_scenarios_are_reported_not_raised",
    "tests/unit/test_claims_verdicts.py::test_product_shares_count_the_eu_once",
    "tests/unit/test_smart.py",  # property tests over the model (hypothesis)
    "tests/integration/test_claims_real.py",
    "tests/integration/test_scenario_cli.py",
    "tests/integration/test_scenarios_2025.py",
    "tests/integration/test_writer_safety.py",
    "tests/integration/test_load.py::test_same_file_twice_changes_nothing",
    "tests/integration/test_load.py::test_several_files_in_one_transaction",
    "tests/integration/test_build_real.py::test_status_prints_a_truthful_matrix",
    "tests/integration/test_build_real.py::test_every_census_file_sums_exactly_once",
    "tests/integration/test_corpus.py::test_refusal_through_the_command_line",
    "tests/integration/test_fetch.py::test_a_failed_chunk_loads_nothing_and_a_rerun_completes",
    "tests/integration/test_fetch.py::test_reaching_the_cap_at_hs4_splits_by_chapter",
    "tests/unit/test_smart.py::test_creation_scales_with_eta",
    "tests/unit/test_smart.py::test_diversion_sums_to_zero_and_no_flow_goes_negative",
    "tests/unit/test_smart.py::test_infinite_supply_leaves_world_prices_alone",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
