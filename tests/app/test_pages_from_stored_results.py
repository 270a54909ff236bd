"""A page drawn from results another process stored on disk shows exactly what the page computed shows.

Every page of the navigation is rendered twice on a copy of the small bundle with the results folder on
(dashboard/disk_results.py): first with nothing stored (every shared result computed, and written), then with the
process's memory emptied but the stored results kept, as a second worker's first visit finds them. The second run
must read stored results, compute none of them again, and show the same titles, texts, numbers, tables and charts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import components
from dashboard.components import RUNTIME
from etl import settings
from etl.store import copy_database
from tests.smoke.test_every_page import APP, PAGES


@pytest.fixture(scope="module")
def stored_env(small_bundle_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("stored-results")
    database = folder / "balanza.duckdb"
    copy_database(small_bundle_db, database)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(settings.DB.name, str(database))
        patch.setenv(settings.RESULTS.name, str(folder / "results"))
        components.clear_caches()
        yield database
        components.clear_caches()


def render(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> dict[str, list[object]]:
    """What the page shows a reader: its texts, numbers, tables and charts, as text."""

    def tables() -> list[object]:
        out: list[object] = []
        for table in at.dataframe:
            frame = getattr(table.value, "data", table.value)
            out.append(frame.to_csv())
        return out

    return {
        "titles": [e.value for e in at.title]
        + [e.value for e in at.header]
        + [e.value for e in at.subheader],
        "texts": [e.value for e in at.markdown] + [e.value for e in at.caption],
        "metrics": [f"{m.label}={m.value} ({m.delta})" for m in at.metric],
        "tables": tables(),
        # a figure read back from a pickle lists its layout keys in another order: compared as parsed JSON
        "charts": [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")],
    }


@pytest.mark.parametrize("page", PAGES)
def test_a_page_from_stored_results_shows_what_the_computed_page_shows(stored_env: Path, page: str) -> None:
    disk = RUNTIME.disk_results(str(stored_env))
    assert disk is not None
    components.clear_caches()
    computed = shown(render(page))
    written = disk.written

    RUNTIME.clear_caches(
        stored=False
    )  # this process forgets; the stored results stay, as for a second worker
    read_before = disk.read
    from_disk = shown(render(page))

    assert from_disk == computed
    if written:  # a page that asks for shared results reads them back instead of computing them
        assert disk.read > read_before
