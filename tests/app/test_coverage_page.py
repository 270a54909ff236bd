"""The Coverage page's heatmap and table follow the shared year-range control, kept in the URL as yr=from-to."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


def _run(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("app_pages/coverage.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _heatmap_years(at: AppTest) -> list[int]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    heatmap = next(trace for trace in spec["data"] if trace.get("type") == "heatmap")
    return [int(x) for x in heatmap["x"]]


def _years_with_data(db: Path, first: int, last: int) -> set[int]:
    """Years with any trade row between Colombia and China, either side reporting, read from the database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT DISTINCT year FROM trade WHERE ((reporter_iso3 = 'COL' AND partner_iso3 = 'CHN') "
            "OR (reporter_iso3 = 'CHN' AND partner_iso3 = 'COL')) AND year BETWEEN ? AND ?",
            [first, last],
        ).fetchall()
    finally:
        con.close()
    return {int(r[0]) for r in rows}


def test_the_year_range_in_the_url_limits_the_heatmap_and_the_table(bundled_env: Path) -> None:
    expected = _years_with_data(bundled_env, 2010, 2015)
    assert expected == set(range(2010, 2016))  # the bundled data covers these years: the test can tell
    at = _run({"country": "COL", "with": "CHN", "yr": "2010-2015"})
    assert not at.warning, [w.value for w in at.warning]
    assert _heatmap_years(at) == list(range(2010, 2016))
    table = at.dataframe[0].value
    assert set(table["Year"]) == expected
    slider = at.slider(key="yr_slider")
    assert slider.value == (2010, 2015) and slider.label == "Years shown"
    assert at.query_params["yr"] == "2010-2015"


def test_moving_the_slider_changes_the_heatmap_and_the_url(bundled_env: Path) -> None:
    at = _run({"country": "COL", "with": "CHN", "lang": "es"})
    slider = at.slider(key="yr_slider")
    assert slider.label == "Años mostrados"
    first, last = slider.min, slider.max
    all_years = _years_with_data(bundled_env, 0, 9999)
    assert (first, last) == (min(all_years), max(all_years))
    assert slider.value == (
        max(first, 2000),
        last,
    )  # the shared default: 2000 (or the first year) to the latest
    slider.set_value((2012, 2014)).run()
    assert not at.exception
    assert at.query_params["yr"] == "2012-2014"
    assert _heatmap_years(at) == [2012, 2013, 2014]
    assert set(at.dataframe[0].value["Año"]) == {2012, 2013, 2014}
