"""Every page renders on the bundled data, offers its download, and restores filters from the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import store
from etl.store import copy_database

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
PAGES = ("overview", "balances", "products", "dependence", "peers", "coverage", "data")


def _run(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_chart_download_and_no_warning(bundled_env: Path, page: str) -> None:
    at = _run(page)
    assert len(at.get("download_button")) >= 1
    assert len(at.get("plotly_chart")) >= 1
    assert not at.warning, [w.value for w in at.warning]
    assert not at.error, [e.value for e in at.error]
    assert at.query_params["lang"] == "en"


# page → (URL parameters, how to read each back from the widgets)
RESTORE_CASES = {
    "overview": {"view": "mirror", "unit": "pct_gdp"},
    "balances": {
        "partners": "USA,WLD",
        "view": "reconciled",
        "factor": "1.08",
        "unit": "constant",
        "base": "2020",
    },
    "products": {"series": "USA:CHN:import:us_census_consumption", "year": "2024", "q": "coffee"},
    "dependence": {"partners": "USA"},
    "peers": {
        "peers": "BRA,COL,PER",
        "measure": "balance",
        "year": "2015",
        "rank": "import_usa",
        "mirror": "MEX",
        "mpartner": "USA",
    },
    "coverage": {"country": "USA", "with": "COL,CHN"},
    "data": {
        "source": "us_census_general",
        "reporter": "USA",
        "partner": "COL",
        "flow": "import",
        "level": "0",
        "from": "2015",
        "to": "2020",
    },
}


def _widget_value(at: AppTest, key: str) -> object:
    for kind in ("selectbox", "multiselect", "radio", "number_input", "text_input"):
        for widget in getattr(at, kind):
            if widget.key == key:
                return widget.value
    raise AssertionError(f"no widget with key {key!r}")


def _as_url(value: object) -> str:
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@pytest.mark.parametrize("page", PAGES)
def test_url_restores_the_filters(bundled_env: Path, page: str) -> None:
    params = RESTORE_CASES[page]
    at = _run(page, {**params, "lang": "es"})
    assert not at.warning, [w.value for w in at.warning]
    for key, raw in params.items():
        assert _as_url(_widget_value(at, key)) == raw, key
        assert at.query_params[key] == raw
    assert _widget_value(at, "lang") == "es"


def test_data_page_table_follows_the_url_filters(bundled_env: Path) -> None:
    at = _run("data", RESTORE_CASES["data"])
    table = at.dataframe[0].value
    assert not table.empty
    assert set(table["Year"]) <= set(range(2015, 2021))
    assert set(table["Reporter (ISO3)"]) == {"USA"} and set(table["Flow"]) == {"Imports"}


def test_invalid_url_values_are_rejected_visibly_and_defaults_used(bundled_env: Path) -> None:
    at = _run("balances", {"partners": "CHN,NOPE", "view": "sideways", "factor": "9", "unit": "furlongs"})
    messages = " ".join(w.value for w in at.warning)
    for name in ("partners", "view", "factor", "unit"):
        assert f"{name}=" in messages
    assert _widget_value(at, "view") == "reporter"
    assert _widget_value(at, "partners") == ["CHN", "USA", "WLD"]
    assert at.query_params["view"] == "reporter"  # the URL now reproduces what is shown


def test_spanish_labels(bundled_env: Path) -> None:
    at = _run("balances", {"lang": "es"})
    assert at.title[0].value == "Balanzas"
    assert at.get("download_button")[0].proto.label == "Descargar CSV"


def test_overview_names_the_source_of_each_number(bundled_env: Path) -> None:
    at = _run("overview")
    assert len(at.metric) == 3
    captions = " ".join(c.value for c in at.caption)
    assert "Sources:" in captions and "DANE (DIAN export records)" in captions
    # the World tile is DANE's own 2024 balance (exports FOB − imports FOB), its basis and publisher named
    world = at.metric[2]
    assert "2024" in world.label and world.value == "USD −10.81 bn"
    # one sentence under it; the basis and publishers folded away under "Where this comes from"
    assert "Colombia bought USD 10.81 bn more from the world than it sold to it in 2024." in [
        m.value.replace("\\", "") for m in at.markdown
    ]
    assert [e.label for e in at.expander].count("Where this comes from") == 3
    assert (
        "DANE's trade balance: exports FOB − imports FOB (official). Publisher: DANE, as printed by El Nuevo Siglo"
        in captions
    )
    assert "exports FOB − imports CIF (mixed valuation" in captions


def test_links_between_pages_carry_the_filters(bundled_env: Path) -> None:
    at = _run("balances", {"partners": "USA", "view": "mirror", "lang": "es"})
    links = {link.proto.page: link.proto.query_string for link in at.get("page_link")}
    assert set(links) >= {"products", "dependence", "coverage", "data"}
    for query in links.values():
        assert "partners=USA" in query and "view=mirror" in query and "lang=es" in query


def test_a_rebuilt_database_is_picked_up_without_restart(
    bundled_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.db import write_session

    path = tmp_path / "live.duckdb"
    copy_database(bundled_db, path)
    monkeypatch.setenv("BALANZA_DB", str(path))
    params = {
        "source": "imf_dots",
        "reporter": "COL",
        "partner": "CHN",
        "flow": "export",
        "level": "0",
        "from": "1960",
        "to": "2020",
    }
    at = _run("data", params)
    before = len(at.dataframe[0].value)
    assert before > 10

    # A writer swaps in a new file (copy, write, atomic rename), as `balanza build` does.
    with write_session(path) as con:
        store.delete_rows(
            con,
            "source = 'imf_dots' AND reporter_iso3 = 'COL' AND partner_iso3 = 'CHN'"
            " AND flow = 'export' AND year < 2000",
        )
    at.run()
    assert not at.exception
    after = at.dataframe[0].value
    assert 0 < len(after) < before
    assert after["Year"].min() >= 2000


def test_missing_database_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANZA_DB", str(tmp_path / "absent.duckdb"))
    at = _run("balances")
    assert any("balanza build" in e.value for e in at.error)
    assert not at.get("plotly_chart")


def test_changing_a_filter_rewrites_the_url_and_oec_preset_sets_the_factor(bundled_env: Path) -> None:
    at = _run("balances")
    next(r for r in at.radio if r.key == "view").set_value("reconciled").run()
    assert at.query_params["view"] == "reconciled"
    oec = next(b for b in at.button if "1.08" in b.label)
    oec.click().run()
    assert not at.exception
    assert _widget_value(at, "factor") == pytest.approx(1.08)
    assert at.query_params["factor"] == "1.08"
    table = at.dataframe[0].value
    dots_exports = table[
        (table["Measure"] == "Exports") & (table["Publisher"] == "IMF Direction of Trade Statistics")
    ]
    assert not dots_exports.empty
    assert set(dots_exports["Valuation"]) == {"FOB (CIF ÷ 1.08)"}  # the partner's CIF imports, converted


def test_a_swap_leaves_running_sessions_on_their_file(bundled_db: Path, tmp_path: Path) -> None:
    from dashboard.runtime import LiveConnection
    from etl.db import write_session

    path = tmp_path / "live.duckdb"
    copy_database(bundled_db, path)
    live = LiveConnection(str(path))
    session_a = live.get().cursor()  # a session in the middle of its page
    before = session_a.execute("SELECT count(*) FROM trade").fetchone()[0]
    with write_session(path) as con:
        store.delete_rows(con, "source = 'dian'")
    after = live.get().cursor().execute("SELECT count(*) FROM trade").fetchone()[0]  # session B reconnects
    assert after < before
    assert session_a.execute("SELECT count(*) FROM trade").fetchone()[0] == before  # A finishes undisturbed
    assert sorted(p.name for p in tmp_path.iterdir() if ".reader-" in p.name) == []  # no link left behind
