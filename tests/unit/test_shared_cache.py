"""dashboard.cache: results computed once per database version and shared; dashboard.components' wrappers."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cache import VersionedCache, freeze
from etl.store import copy_database


def test_concurrent_callers_compute_once_and_get_the_same_object() -> None:
    cache = VersionedCache()
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while it runs
        return [1, 2, 3]

    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("v1", "key", compute))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 8 and all(result is results[0] for result in results)


def test_a_new_version_is_computed_again_and_only_two_versions_are_kept() -> None:
    cache = VersionedCache(versions_kept=2)
    assert cache.get("v1", "k", lambda: "old") == "old"
    assert cache.get("v2", "k", lambda: "new") == "new"
    assert cache.get("v1", "k", lambda: "recomputed") == "old"  # a session still on the old file
    cache.get("v3", "k", lambda: "newest")
    assert cache.versions() == ["v2", "v3"]
    assert cache.get("v1", "k", lambda: "recomputed") == "recomputed"


def test_a_failed_computation_stores_nothing() -> None:
    cache = VersionedCache()

    def fail() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        cache.get("v", "k", fail)
    assert cache.get("v", "k", lambda: 7) == 7


def test_entries_per_version_are_bounded_least_recently_used_first() -> None:
    cache = VersionedCache(entries_per_version=2)
    cache.get("v", "a", lambda: 1)
    cache.get("v", "b", lambda: 2)
    cache.get("v", "a", lambda: 0)  # a is used again: b is now the oldest
    cache.get("v", "c", lambda: 3)
    assert cache.get("v", "a", lambda: -1) == 1
    assert cache.get("v", "b", lambda: -2) == -2


def test_freeze_makes_lists_and_dicts_keys_and_refuses_the_unhashable() -> None:
    assert freeze({"partners": ["CHN", "USA"], "view": "mirror"}) == (
        ("partners", ("CHN", "USA")),
        ("view", "mirror"),
    )
    assert freeze(["CHN", "USA"]) != freeze(["USA", "CHN"])
    with pytest.raises(TypeError):
        freeze(bytearray(b"x"))


def test_cached_queries_share_one_computation_but_hand_out_copies(small_bundle_db: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from dashboard import components, queries
    from etl.db import connect_read_only

    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    before = components.RUNTIME.shared.computed
    first = components.query_totals(view=queries.REPORTER_VIEW, partners=["CHN", "USA"])
    second = components.query_totals(view=queries.REPORTER_VIEW, partners=["CHN", "USA"])
    assert components.RUNTIME.shared.computed == before + 1
    first["value_usd"] = 0.0  # one session changing its frame does not change another's
    assert (second["value_usd"] != 0).any()
    con = connect_read_only(db)
    try:  # the same numbers as the query run directly
        direct = queries.query_totals(con, view=queries.REPORTER_VIEW, partners=["CHN", "USA"])
    finally:
        con.close()
    pd.testing.assert_frame_equal(second, direct)


def test_shared_results_follow_a_swapped_database(small_bundle_db: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from dashboard import components
    from etl.load import load_files

    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    datasets = components.query_datasets()
    assert components.query_datasets() is not datasets  # a copy each time
    load_files(db, [_two_row_file(tmp_path)])
    assert len(components.query_datasets()) == len(datasets) + 1


def _two_row_file(tmp_path: Path) -> Path:
    import sys

    corpus = str(Path(__file__).resolve().parents[1] / "corpus")
    sys.path.insert(0, corpus)
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(corpus)
    small = tmp_path / "two_rows.csv"
    small.write_text(cp_csv([cp_row(), cp_row(cmdCode="0902")]), encoding="utf-8")
    return small


def test_every_components_name_a_page_uses_exists() -> None:
    """Pages call the typed wrappers and shared results by name (components.query_x(...),
    shared_results.claim_cards(...)): a missing one fails here, not in a session."""
    import ast

    from dashboard import components, shared_results

    modules = {"components": components, "shared_results": shared_results}
    dashboard = Path(__file__).resolve().parents[2] / "dashboard"
    missing = []
    for page in sorted([*(dashboard / "app_pages").glob("*.py"), *(dashboard / "scenarios").glob("*.py")]):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and not hasattr(modules[node.value.id], node.attr)
            ):
                missing.append(f"{page.name}: {node.value.id}.{node.attr}")
    assert not missing


def _marshalled(styler: object) -> tuple[bytes, str]:
    """What st.dataframe sends for a Styler: the display text of every cell and the CSS rules."""
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    proto = ArrowData()
    marshall_styler(proto, styler, "uuid")  # type: ignore[arg-type]
    return proto.styler.display_values, proto.styler.styles


def test_a_shared_styler_is_rendered_once_and_sends_what_a_fresh_one_sends() -> None:
    from dashboard import components

    frame = pd.DataFrame({"partner": ["China", None, "=1+1"], "value_usd": [1234567.891, None, -0.5],
                          "year": [2023, 2024, 2025]})  # fmt: skip
    builds: list[int] = []

    def build(data: pd.DataFrame, decimals: int) -> object:
        builds.append(1)
        styler = data.style.format(precision=decimals, thousands=".", decimal=",", na_rep="—",
                                   subset=["value_usd"])  # fmt: skip
        return styler.format(na_rep="—", subset=["partner"])

    first = components.shared_styler(("test", 1), frame, lambda: build(frame, 1))
    again = components.shared_styler(("test", 1), frame.copy(), lambda: build(frame, 1))
    assert again is first and len(builds) == 1
    display, styles = _marshalled(first)
    assert (display, styles) == _marshalled(again) == _marshalled(build(frame, 1))
    # Other formatting or other numbers are other tables.
    other_key = components.shared_styler(("test", 2), frame, lambda: build(frame, 2))
    changed = frame.assign(value_usd=[1.0, None, -0.5])
    other_content = components.shared_styler(("test", 1), changed, lambda: build(changed, 1))
    assert other_key is not first and other_content is not first
    assert _marshalled(other_key)[0] != display and _marshalled(other_content)[0] != display
    assert _marshalled(other_content) == _marshalled(build(changed, 1))


def test_a_frame_that_cannot_be_pickled_is_styled_afresh() -> None:
    from dashboard import components

    frame = pd.DataFrame({"cells": [lambda: 1, lambda: 2]})  # no content key: never shared
    made = [components.shared_styler(("test",), frame, lambda: frame.style) for _ in range(2)]
    assert made[0] is not made[1]


def test_a_shared_figure_is_built_once_per_content_key_and_language(bundled_db: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import plotly.graph_objects as go

    from dashboard import components

    monkeypatch.setenv("BALANZA_DB", str(bundled_db))
    language = ["en"]
    monkeypatch.setattr(components, "lang", lambda: language[0])
    frame = pd.DataFrame({"year": [2023, 2024], "value": [1.5, -2.0]})
    built: list[str] = []

    def build(data: pd.DataFrame) -> go.Figure:
        built.append(language[0])
        return go.Figure(go.Scatter(x=data["year"], y=data["value"]), layout={"title": {"text": "t"}})

    first = components.shared_figure(("test_figure", 1), [frame], lambda: build(frame))
    assert components.shared_figure(("test_figure", 1), [frame.copy()], lambda: build(frame)) is first
    assert built == ["en"] and first.layout.separators == ".,"  # finished for English
    changed = frame.assign(value=[1.5, -3.0])
    other = components.shared_figure(("test_figure", 1), [changed], lambda: build(changed))
    assert list(other.data[0].y) == [1.5, -3.0] and list(first.data[0].y) == [1.5, -2.0]
    assert components.shared_figure(("test_figure", 2), [frame], lambda: build(frame)) is not first
    language[0] = "es"
    spanish = components.shared_figure(("test_figure", 1), [frame], lambda: build(frame))
    assert spanish is not first and spanish.layout.separators == ",."
    assert built == ["en", "en", "en", "es"]


def test_after_a_swap_warming_asks_again_what_pages_asked_before(bundled_db: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from dashboard import components, queries
    from etl.load import load_files

    db = tmp_path / "balanza.duckdb"
    copy_database(bundled_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    asked = {"view": queries.MIRROR_VIEW, "partners": ["USA"]}  # not among the fixed warmed filters
    before = components.query_totals(**asked)  # type: ignore[arg-type]
    load_files(db, [_two_row_file(tmp_path)])  # a writer swaps a new catalogue in
    computed = components.RUNTIME.shared.computed
    for call in components.RUNTIME.asked_recently():
        call()
    assert components.RUNTIME.shared.computed > computed  # asked again, on the new database version
    computed = components.RUNTIME.shared.computed
    again = components.query_totals(**asked)  # type: ignore[arg-type]
    assert components.RUNTIME.shared.computed == computed  # the page's next visit finds it computed
    pd.testing.assert_frame_equal(again, before)  # (the loaded rows are another reporter's)


def test_two_spellings_of_one_call_share_one_result(
    bundled_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scenario_market('USA', 2024) and scenario_market('USA', 2024, 'hs10') were two keys: the market was
    loaded twice per server. Arguments are keyed by name with the defaults filled in."""
    from dashboard import components

    monkeypatch.setenv("BALANZA_DB", str(bundled_db))
    calls: list[tuple] = []

    @components.shared
    def market(importer: str, year: int, level: str = "hs10") -> tuple:
        calls.append((importer, year, level))
        return (importer, year, level)

    first = market("USA", 2024)
    assert market("USA", 2024, "hs10") is first and market("USA", year=2024, level="hs10") is first
    assert market("USA", 2024, "hs6") is not first
    assert calls == [("USA", 2024, "hs10"), ("USA", 2024, "hs6")]


def test_a_query_on_a_catalogue_swapped_out_while_it_ran_reads_again_from_the_new_one(
    small_bundle_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer swaps a new catalogue in while a page's query runs on the old one and, past the grace period,
    collects the file the old one lists: the query is read again from the new catalogue (once), not shown as a
    damaged store."""
    import duckdb

    from dashboard import components
    from etl import store
    from etl.db import connect_read_only
    from etl.load import load_files
    from etl.store import garbage

    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    monkeypatch.setattr(garbage, "GRACE_SECONDS", 0)
    small = _two_row_file(tmp_path)
    load_files(db, [small])
    calls: list[int] = []

    def total_while_a_writer_replaces_a_file(cursor: duckdb.DuckDBPyConnection) -> float:
        calls.append(1)
        if len(calls) == 1:  # between the page's open and its query: a corrected file under the same path
            small.write_text(small.read_text(encoding="utf-8").replace("1000.5", "2000.5"), encoding="utf-8")
            load_files(db, [small])
        return float(cursor.execute("SELECT sum(value_usd) FROM trade").fetchone()[0])

    old_files = set(store.store_dir(db).glob("source=*/*.parquet"))
    total = components.cached_query(total_while_a_writer_replaces_a_file)()
    assert old_files - set(store.store_dir(db).glob("source=*/*.parquet"))  # the old file was collected
    assert len(calls) == 2
    link = db.with_name("check.duckdb")  # this process's DuckDB instance for ``db`` is the old catalogue's
    os.link(db, link)
    con = connect_read_only(link, named=db)
    try:
        assert total == pytest.approx(
            con.execute("SELECT sum(value_usd) FROM trade").fetchone()[0], rel=1e-12
        )
    finally:
        con.close()


def test_a_claims_number_table_is_worded_once_and_matches_its_card(small_bundle_db: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from dashboard import claim_text, shared_results

    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    monkeypatch.setenv("BALANZA_RESULTS", "off")
    for language in ("en", "es"):
        cards = [card for card in shared_results.claim_cards(language) if not card.numbers.empty]
        assert cards
        for card in cards:
            shown = shared_results.claim_numbers_table(card.spec.id, language)
            assert shared_results.claim_numbers_table(card.spec.id, language) is shown  # shared, not redone
            pd.testing.assert_frame_equal(shown, claim_text.numbers_table(card.numbers, language))
            assert len(shown) == len(card.numbers)


def test_shared_long_balances_and_shares_are_what_the_pages_computed_on_each_run(small_bundle_db: Path, tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The Balances page filters the shared long rows to its years; it used to take the long rows of the wide rows
    of those years: the same rows in the same order. The Dependence page's shares are the ones it computed."""
    from dashboard import components, queries, shared_results

    db = tmp_path / "balanza.duckdb"
    copy_database(small_bundle_db, db)
    monkeypatch.setenv("BALANZA_DB", str(db))
    monkeypatch.setenv("BALANZA_RESULTS", "off")
    for view, factor in ((queries.REPORTER_VIEW, 1.06), (queries.RECONCILED_VIEW, 1.1)):
        partners = ["CHN", "USA", "WLD"]
        shared = shared_results.long_balances(view, tuple(partners), factor)
        assert shared_results.long_balances(view, tuple(partners), factor) is shared
        wide = components.balances_for(view, partners, factor)
        assert not shared.empty
        for first, last in ((2000, 2030), (2010, 2015), (2016, 2016)):
            expected = queries.long_measures(wide[wide["year"].between(first, last)])
            got = shared[shared["year"].between(first, last)].reset_index(drop=True)
            pd.testing.assert_frame_equal(got, expected)
    totals = components.totals_for(queries.REPORTER_VIEW, ["CHN", "USA", "WLD"], 1.0)
    shares = shared_results.partner_shares(("CHN", "USA"))
    assert not shares.empty
    pd.testing.assert_frame_equal(shares, queries.partner_shares(totals, ["CHN", "USA"]))
