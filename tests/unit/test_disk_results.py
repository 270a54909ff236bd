"""dashboard.disk_results: shared results on disk per database version, read by every process; dashboard.cache keeps
the live version's only."""

from __future__ import annotations

import logging
import os
import pickle
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from dashboard import disk_results
from dashboard.cache import VersionedCache
from dashboard.disk_results import DiskResults, key_text, results_folder

V1, V2, V3 = (11, 1_000), (12, 2_000), (13, 3_000)  # (inode, mtime_ns) of three database files
KEY = ("dashboard.shared_results.claim_cards", (("language", "es"),))


def live() -> bool:
    return True


def counted(value: object, calls: list[int]) -> Callable[[], object]:
    """A compute function for DiskResults.get that notes each call in ``calls``."""

    def compute() -> object:
        calls.append(1)
        return value

    return compute


def stored_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.pickle"))


def test_a_second_instance_reads_what_the_first_computed(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    frame = pd.DataFrame({"iso3": ["CHN", "USA"], "value_usd": [1.5, 2.25]})
    calls: list[int] = []
    first = DiskResults(folder).get(V1, KEY, counted(frame, calls), live)
    second_process = DiskResults(folder)  # another worker: nothing in its memory
    again = second_process.get(V1, KEY, counted(None, calls), live)
    assert calls == [1]
    assert first is frame and again is not frame
    pd.testing.assert_frame_equal(again, frame)
    assert (second_process.read, second_process.written) == (1, 0)
    # another key, or the same key on another database file, is computed
    assert DiskResults(folder).get(V1, (*KEY, "en"), counted("other", calls), live) == "other"
    assert DiskResults(folder).get(V2, KEY, counted("newer", calls), live) == "newer"
    assert calls == [1, 1, 1]


def test_files_are_the_server_users_alone(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    old_umask = os.umask(0o002)  # a lax umask: the modes are set, not left to it
    try:
        DiskResults(folder).get(V1, KEY, lambda: [1, 2], live)
    finally:
        os.umask(old_umask)
    (version,) = folder.iterdir()
    (result,) = stored_files(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(version.stat().st_mode) == 0o700
    assert stat.S_IMODE(result.stat().st_mode) == 0o600
    assert not list(version.glob(".*.tmp"))  # the temporary file was renamed over the result


def test_a_damaged_file_is_computed_again_and_overwritten(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    DiskResults(folder).get(V1, KEY, lambda: {"total": 1}, live)
    (result,) = stored_files(folder)
    result.write_bytes(result.read_bytes()[:20])  # cut short, as a full disk or a crash would leave it
    calls: list[int] = []
    with caplog.at_level(logging.WARNING, logger="balanza.results"):
        assert DiskResults(folder).get(V1, KEY, counted({"total": 2}, calls), live) == {"total": 2}
    assert calls == [1] and "unreadable stored result" in caplog.text
    assert DiskResults(folder).get(V1, KEY, counted({"total": 3}, calls), live) == {"total": 2}  # overwritten
    assert calls == [1]


def test_a_file_holding_another_keys_result_is_not_served(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    DiskResults(folder).get(V1, KEY, lambda: "cards", live)
    (result,) = stored_files(folder)
    result.write_bytes(pickle.dumps(("('another key',)", "wrong")))
    assert DiskResults(folder).get(V1, KEY, lambda: "cards again", live) == "cards again"


def test_a_new_version_removes_all_but_the_previous_one(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    for version in (V1, V2):
        DiskResults(folder).get(version, KEY, lambda: "x", live)
        time.sleep(0.01)  # the folders' modification times tell which is newer
    reader = DiskResults(folder)
    assert reader.get(V1, KEY, lambda: "recomputed", live) == "x"  # the previous version is still there
    DiskResults(folder).get(V3, KEY, lambda: "x", live)
    names = sorted(path.name.split("-")[0] for path in folder.iterdir())
    assert names == [str(V2[0]), str(V3[0])]
    # a process that still asks for the removed version computes it: no error
    assert reader.get(V1, KEY, lambda: "recomputed", lambda: False) == "recomputed"


def test_only_the_live_version_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    calls: list[int] = []
    assert DiskResults(folder).get(V1, KEY, counted("old", calls), lambda: False) == "old"
    assert stored_files(folder) == []
    # a swap while computing: the result is handed back, not written
    swapped = iter([True, False])
    assert DiskResults(folder).get(V1, KEY, counted("during", calls), lambda: next(swapped)) == "during"
    assert stored_files(folder) == []


def test_a_key_with_other_than_plain_values_stays_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    assert key_text(("figure", ("partners", ("CHN", "USA")), 2.5, None, True)) is not None
    odd_key = ("figure", pd.Timestamp("2024-01-01"))  # its text is not a promise across processes
    assert key_text(odd_key) is None
    DiskResults(folder).get(V1, odd_key, lambda: "x", live)
    assert stored_files(folder) == []


def test_what_pickle_cannot_take_stays_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    value = threading.Lock()
    assert DiskResults(folder).get(V1, KEY, lambda: value, live) is value
    assert stored_files(folder) == []


def test_a_folder_others_may_write_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "shared.results"
    folder.mkdir()
    folder.chmod(0o777)  # anyone could put a pickle there, and unpickling runs code
    calls: list[int] = []
    with caplog.at_level(logging.WARNING, logger="balanza.results"):
        results = DiskResults(folder)
        results.get(V1, KEY, counted("a", calls), live)
        results.get(V1, KEY, counted("a", calls), live)
    assert calls == [1, 1] and list(folder.iterdir()) == []
    assert caplog.text.count("results kept in memory only") == 1  # said once


def test_a_folder_that_cannot_be_made_leaves_results_in_memory(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    assert DiskResults(not_a_folder / "balanza.duckdb.results").get(V1, KEY, lambda: 42, live) == 42


def test_an_error_while_computing_reaches_the_caller_and_stores_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"

    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        DiskResults(folder).get(V1, KEY, fail, live)
    assert stored_files(folder) == []
    assert DiskResults(folder).get(V1, KEY, lambda: 7, live) == 7


def test_two_callers_of_one_key_compute_it_once(tmp_path: Path) -> None:
    """Each caller has its own DiskResults (as two processes would): the lock file makes the second wait for the
    first's result instead of computing it too."""
    folder = tmp_path / "balanza.duckdb.results"
    calls: list[int] = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.3)
        return "computed once"

    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(DiskResults(folder).get(V1, KEY, slow, live)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and results == ["computed once"] * 3


def test_clear_removes_every_version(tmp_path: Path) -> None:
    folder = tmp_path / "balanza.duckdb.results"
    results = DiskResults(folder)
    results.get(V1, KEY, lambda: 1, live)
    results.clear()
    assert list(folder.iterdir()) == []
    assert results.get(V1, KEY, lambda: 2, live) == 2  # the version folder is made again


def test_the_setting_places_or_turns_off_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BALANZA_RESULTS", raising=False)
    assert results_folder("/srv/balanza.duckdb") == Path("/srv/balanza.duckdb.results")
    monkeypatch.setenv("BALANZA_RESULTS", str(tmp_path / "elsewhere"))
    assert results_folder("/srv/balanza.duckdb") == tmp_path / "elsewhere"
    monkeypatch.setenv("BALANZA_RESULTS", "off")
    assert results_folder("/srv/balanza.duckdb") is None


def test_the_code_stamp_names_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = disk_results.code_stamp()
    assert len(stamp) == 12 and int(stamp, 16) >= 0
    monkeypatch.setattr(disk_results, "_STAMP", [])
    monkeypatch.setattr(
        disk_results, "PICKLED_LIBRARIES", ("pandas",)
    )  # other library versions: another stamp
    assert disk_results.code_stamp() != stamp


def test_the_memory_tier_keeps_the_live_version_only() -> None:
    live_version = ["v1"]
    cache = VersionedCache(is_live=lambda version: version == live_version[0])
    assert cache.get("v1", "k", lambda: "old") == "old"
    live_version[0] = "v2"  # a swap
    assert cache.get("v2", "k", lambda: "new") == "new"
    assert cache.versions() == ["v2"]  # the first result of the new version dropped the old one's
    # a computation that began on the old file and ends now: handed back, not kept (v2's stay)
    assert cache.get("v1", "k2", lambda: "late") == "late"
    assert cache.versions() == ["v2"]
    assert cache.get("v2", "k", lambda: "recomputed") == "new"


def test_a_scenario_result_pickles_with_its_line_table() -> None:
    """A run's line table is built on first use by a closure pickle cannot take: a pickled result holds the table
    itself, and pickling does not keep it on the original."""
    from model.result import ScenarioResult
    from model.spec import parse_spec

    lines = pd.DataFrame({"hs10": ["0901110010", "0901110020"], "partner_iso3": ["COL", "BRA"]})
    built: list[int] = []

    def line_table() -> pd.DataFrame:
        built.append(1)
        return lines.copy()

    spec = parse_spec({"name": "T", "tariff_changes": [{"partners": ["COL"], "add_pp": 10}]})
    result = ScenarioResult(spec=spec, by_partner=pd.DataFrame(), totals={"total_change_usd": -2.5e9},
                            line_factory=lambda: line_table())  # fmt: skip
    copy = pickle.loads(pickle.dumps(result))
    assert "_lines" not in result.__dict__ and built == [1]
    pd.testing.assert_frame_equal(copy.lines, lines)
    assert copy.totals == {"total_change_usd": -2.5e9} and copy.spec == spec and built == [1]
