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
