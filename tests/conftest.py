"""Shared fixtures: the real bundled database, and a small one cut from it, each built once per test session."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl import settings
from etl.manifest import ManifestEntry
from etl.store import copy_database
from tests.dbstate import snapshot


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from data/sources.toml (the real bundled data), shared by the whole session."""
    from etl.build import build_database

    path = tmp_path_factory.mktemp("bundled") / "balanza.duckdb"
    build_database(path, manifest=settings.MANIFEST_PATH, progress=False)
    return path


# The bundle's per-country folders: US Census HS2 and HS10 files, one a country (some 270 of its ~300 files).
PER_COUNTRY_FOLDERS = ("us-census-imports-2024-hs2", "us-census-imports-2024-hs10")
PER_COUNTRY_KEPT = 2
# Colombia's own files (Census country code 3010) are kept too: the scenario presets tax Colombia's lines, so the
# Scenarios page computes a result on the small bundle as on the full one.
PER_COUNTRY_ALWAYS = "3010"


@pytest.fixture(scope="session")
def small_bundle_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled manifest with only the first two files of each per-country Census folder and Colombia's:
    every reference table and every other source as bundled, about 40 trade files instead of ~300. A witness as good as the
    full bundle that a refused load changes nothing, and much cheaper to copy, load into and checksum."""
    from etl.build import build_database

    kept: Counter[tuple[str, str]] = Counter()

    def keep(entry: ManifestEntry) -> bool:
        key = (entry.path.parent.name, entry.path.suffix)
        if key[0] not in PER_COUNTRY_FOLDERS or entry.path.stem.endswith(PER_COUNTRY_ALWAYS):
            return True
        kept[key] += 1
        return kept[key] <= PER_COUNTRY_KEPT

    path = tmp_path_factory.mktemp("small-bundle") / "balanza.duckdb"
    build_database(path, manifest=settings.MANIFEST_PATH, progress=False, keep=keep)
    return path


@pytest.fixture()
def small_bundle_con(small_bundle_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from _reader(small_bundle_db)


@pytest.fixture(scope="module")
def corpus_db(small_bundle_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small bundle shared by one module's refused loads (each checks it is left unchanged)."""
    copy = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    copy_database(small_bundle_db, copy)
    return copy


@pytest.fixture(scope="module")
def corpus_state(corpus_db: Path) -> dict[str, tuple]:
    """corpus_db's row counts and checksums as copied: each refused load must leave them so (a test that loads a
    good file into corpus_db comes last in its module)."""
    return snapshot(corpus_db)


@pytest.fixture()
def scratch_db(small_bundle_db: Path, tmp_path: Path) -> Path:
    """A copy of the small bundle for one test."""
    copy = tmp_path / "scratch.duckdb"
    copy_database(small_bundle_db, copy)
    return copy


def _reader(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def bundled_con(bundled_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from _reader(bundled_db)


@pytest.fixture()
def bundled_env(bundled_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BALANZA_DB at the bundled test database (for AppTest and subprocess runs)."""
    monkeypatch.setenv("BALANZA_DB", str(bundled_db))
    return bundled_db


def pytest_report_header(config: pytest.Config) -> str:
    return (
        f"balanza db for tests: built per session from {settings.MANIFEST_PATH}, in full and as a small bundle "
        f"(BALANZA_DB={settings.DB.get()})"
    )


# The fast tier (`make test-fast`: not browser, not slow) stays under 90 s on two cores. What counts as slow is
# decided here, in one place, besides the tests marked `slow` in their own files:
# - every test that reads the full bundled database (fixture `bundled_db`, or `bundled_con`/`bundled_env` over
#   it): building it loads all ~300 bundled files, some 15 s on two cores. Fast tests whose subject is in the
#   small bundle (`small_bundle_db`: every source but most per-country Census files) use that instead;
# - these, by node id prefix: they spawn processes, rebuild databases or run the full model.
FULL_BUNDLE_FIXTURE = "bundled_db"
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
    "tests/integration/test_claims_cli.py",
    "tests/integration/test_scenario_cli.py",
    "tests/integration/test_scenarios_2025.py",
    "tests/integration/test_writer_safety.py",
    "tests/integration/test_shared_on_disk.py",  # four server processes, one after another
    "tests/app/test_pages_from_stored_results.py",  # every page rendered twice
    "tests/integration/test_corpus.py::test_refusal_through_the_command_line",
    "tests/integration/test_fetch.py::test_a_failed_chunk_loads_nothing_and_a_rerun_completes",
    "tests/integration/test_fetch.py::test_reaching_the_cap_at_hs4_splits_by_chapter",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW_TESTS) or FULL_BUNDLE_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
