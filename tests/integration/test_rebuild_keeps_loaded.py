"""A rebuild keeps what was loaded by hand (issue 19): `balanza build` loads the manifest's files, then every file
loaded outside it (`balanza load`, `balanza fetch`) again, from the copy kept beside the store, in its original
order, as a revision where it was one, with its load date; `--as-of` reads the same past after the rebuild. A
file that can be loaded from nowhere stops the build by name; `--manifest-only` drops such files and lists them.

Each test builds from a manifest of its own (the bundled reference files and a small "bundled" Comtrade+ file
written here), so the CLI's `balanza build` runs in seconds. Expected values are read from the test's CSV files
with the csv module.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from balanza.cli import main
from etl import settings, store
from etl.db import connect_read_only
from etl.load import load_files
from etl.store import garbage

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = settings.DATA_DIR / "raw" / "reference"


def _cp(folder: Path, name: str, values: dict[str, str], partner: str = "DEU") -> Path:
    """A Comtrade+ file of COL exports to ``partner`` in 2019: one row per HS code → primaryValue."""
    corpus = str(ROOT / "tests" / "corpus")
    sys.path.insert(0, corpus)
    try:
        from make_corpus import cp_csv, cp_row
    finally:
        sys.path.remove(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    codes = {"DEU": "276", "FRA": "251"}
    names = {"DEU": "Germany", "FRA": "France"}
    changes = {"partnerISO": partner, "partnerCode": codes[partner], "partnerDesc": names[partner]}
    rows = [cp_row(cmdCode=code, primaryValue=value, **changes) for code, value in values.items()]
    path.write_text(cp_csv(rows), encoding="utf-8")
    return path


def _written(path: Path) -> dict[str, float]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["cmdCode"]: float(row["primaryValue"]) for row in csv.DictReader(handle)}


def _manifest(folder: Path, bundled: Path) -> Path:
    """Reference tables (country and Comtrade area codes) and one trade file, as data/sources.toml lists them."""
    manifest = folder / "sources.toml"
    entries = [REFERENCE / "country-codes" / "country-codes.csv",
               REFERENCE / "uncomtrade-reference" / "comtrade_partner_areas.csv", bundled]  # fmt: skip
    manifest.write_text("".join(f'[[file]]\npath = "{path}"\n\n' for path in entries), encoding="utf-8")
    return manifest


def _values(db: Path, partner: str = "DEU", as_of: datetime | None = None) -> dict[str, float]:
    con = connect_read_only(db)
    relation, params = ("trade", []) if as_of is None else (f"{store.AS_OF_MACRO}(?)", [as_of])
    try:
        rows = con.execute(
            f"SELECT hs_code, value_usd FROM {relation} WHERE source = 'comtrade' AND reporter_iso3 = 'COL' "
            "AND partner_iso3 = ? AND period = '2019' ORDER BY hs_code",
            [*params, partner],
        ).fetchall()
    finally:
        con.close()
    assert len({code for code, _ in rows}) == len(rows), f"two values for one observation: {rows}"
    return dict(rows)


def _datasets(db: Path) -> dict[str, tuple]:
    con = connect_read_only(db)
    try:
        rows = con.execute("SELECT path, dataset_id, loaded_at, revision, sha256 FROM datasets").fetchall()
    finally:
        con.close()
    return {Path(row[0]).name: row[1:] for row in rows}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, Path, Path]:
    """A database built from a small manifest, then a revision and a file of another partner loaded by hand
    (both from a folder that is then removed: only the kept copies remain)."""
    bundled = _cp(tmp_path / "bundle", "bundled.csv", {"0901": "1000.5", "0902": "2000.25"})
    manifest = _manifest(tmp_path, bundled)
    db = tmp_path / "db" / "balanza.duckdb"
    code, _, err = _run(["build", "--manifest", str(manifest), "--db", str(db)], capsys)
    assert code == 0, err
    revision = _cp(tmp_path / "downloads", "newer.csv", {"0901": "1100.5", "0903": "300"})
    other = _cp(tmp_path / "downloads", "france.csv", {"0901": "77.5"}, partner="FRA")
    code, out, err = _run(["load", "--revision", str(revision), "--db", str(db)], capsys)
    assert code == 0 and "a newer vintage of 1 observations" in out, err
    code, _, err = _run(["load", str(other), "--db", str(db)], capsys)
    assert code == 0, err
    return db, manifest, bundled, revision


def test_a_rebuild_keeps_a_revision_as_the_value_of_record_and_as_of_still_shows_the_older_one(
    setup: tuple[Path, Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, manifest, bundled, revision = setup
    other = revision.with_name("france.csv")
    expected_now = {**_written(bundled), **_written(revision)}
    expected_france = _written(other)
    before = _datasets(db)
    between = before["bundled.csv"][1] + (before["newer.csv"][1] - before["bundled.csv"][1]) / 2
    assert _values(db) == expected_now and _values(db, as_of=between) == _written(bundled)
    kept = sorted(p.name for p in (store.store_dir(db) / store.LOADED_DIR).iterdir())
    assert kept == sorted(store.loaded_copy_name(_sha256(p), p) for p in (revision, other))
    digests = {name: _sha256(store.store_dir(db) / store.LOADED_DIR / name) for name in kept}
    # the downloads are gone: only the copies kept beside the store remain
    for path in (revision, other):
        path.unlink()

    code, out, err = _run(["build", "--manifest", str(manifest), "--db", str(db)], capsys)
    assert code == 0, err
    assert "kept 2 file(s) loaded outside the manifest" in out and "newer.csv (revision loaded" in out

    assert _values(db) == expected_now  # the revision is still the value of record
    assert _values(db, as_of=between) == _written(bundled)  # and the older release is still readable
    assert _values(db, partner="FRA") == expected_france
    after = _datasets(db)
    for name in (
        "bundled.csv",
        "newer.csv",
        "france.csv",
    ):  # same content: same load date, same flag, same order
        assert after[name][1:] == before[name][1:], name
    assert after["bundled.csv"][0] < after["newer.csv"][0] < after["france.csv"][0]
    con = connect_read_only(db)
    try:
        (superseded,) = con.execute("SELECT count(*) FROM trade_superseded").fetchone()
        record = dict(con.execute("SELECT hs_code, value_usd FROM trade_record WHERE reporter_iso3 = 'COL' AND "
                                  "partner_iso3 = 'DEU' AND year = 2019 AND flow = 'export'").fetchall())  # fmt: skip
    finally:
        con.close()
    assert superseded == 1 and record == expected_now  # the series of record reads the current vintage
    # the copies are listed by the rebuilt catalogue, unchanged; a second rebuild keeps them too
    assert {p.name: _sha256(p) for p in (store.store_dir(db) / store.LOADED_DIR).iterdir()} == digests
    code, out, err = _run(["build", "--manifest", str(manifest), "--db", str(db)], capsys)
    assert code == 0 and "kept 2 file(s)" in out, err
    assert _values(db) == expected_now and _values(db, as_of=between) == _written(bundled)
    code, out, err = _run(
        ["status", "--db", str(db), "--as-of", f"{between:%Y-%m-%dT%H:%M:%S.%f}"[:16]], capsys
    )
    assert code == 0, err


def test_a_file_that_cannot_be_loaded_again_stops_the_build_by_name_and_manifest_only_drops_it(
    setup: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, manifest, bundled, revision = setup
    revision.unlink()
    copy = (
        store.store_dir(db)
        / store.LOADED_DIR
        / store.loaded_copy_name(_sha256(_kept(db, "newer.csv")), revision)
    )
    copy.unlink()
    catalogue = _sha256(db)
    code, out, err = _run(["build", "--manifest", str(manifest), "--db", str(db)], capsys)
    assert code == 1
    assert "unexpected error" not in err and "what to do:" in err
    assert "would drop 1 file(s) loaded outside the manifest" in err and "newer.csv" in err
    assert "--manifest-only" in err and "france.csv" not in err  # the other file is still kept
    assert _sha256(db) == catalogue  # nothing written
    assert _values(db) == {**_written(bundled), "0903": 300.0, "0901": 1100.5}

    code, out, err = _run(["build", "--manifest-only", "--manifest", str(manifest), "--db", str(db)], capsys)
    assert code == 0, err
    assert (
        "dropped 2 file(s) loaded outside the manifest" in out and "newer.csv" in out and "france.csv" in out
    )
    assert _values(db) == _written(bundled) and _values(db, partner="FRA") == {}


def test_a_file_loaded_again_from_its_own_path_when_no_copy_is_kept(
    setup: tuple[Path, Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A catalogue written before copies were kept lists none: the file at its own path is used when it is the
    one loaded (same sha256), and a copy is kept from then on."""
    db, manifest, bundled, revision = setup
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM loaded_files")  # as a catalogue written before copies were kept
        con.execute("CHECKPOINT")
    finally:
        con.close()
    for path in (store.store_dir(db) / store.LOADED_DIR).iterdir():
        path.unlink()
    revision.with_name("france.csv").write_text("changed since", encoding="utf-8")
    code, out, err = _run(["build", "--manifest", str(manifest), "--db", str(db)], capsys)
    assert code == 1 and "france.csv" in err and "the file itself is changed since" in err
    assert "newer.csv" not in err
    code, out, err = _run(["build", "--manifest-only", "--manifest", str(manifest), "--db", str(db)], capsys)
    assert code == 0, err


def _kept(db: Path, name: str) -> Path:
    con = connect_read_only(db)
    try:
        (relative,) = con.execute(
            "SELECT k.path FROM loaded_files k JOIN datasets d USING (dataset_id) WHERE d.path LIKE ?",
            [f"%/{name}"],
        ).fetchone()
    finally:
        con.close()
    return store.file_path(db, relative)


def test_a_refused_load_keeps_no_copy_and_a_replaced_file_drops_its_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = _cp(tmp_path / "bundle", "bundled.csv", {"0901": "1000.5"})
    manifest = _manifest(tmp_path, bundled)
    db = tmp_path / "db" / "balanza.duckdb"
    assert _run(["build", "--manifest", str(manifest), "--db", str(db)], capsys)[0] == 0
    repeat = _cp(tmp_path / "in", "repeat.csv", {"0901": "5"})
    code, _, err = _run(["load", str(repeat), "--db", str(db)], capsys)  # repeats a bundled observation
    assert code == 1 and "--revision" in err
    loaded = store.store_dir(db) / store.LOADED_DIR
    assert not loaded.exists() or not list(loaded.iterdir())
    first = _cp(tmp_path / "in", "mine.csv", {"0901": "1"}, partner="FRA")
    load_files(db, [first])
    old_copy = _kept(db, "mine.csv")
    _cp(tmp_path / "in", "mine.csv", {"0901": "2"}, partner="FRA")  # a corrected file under its path
    monkeypatch.setattr(garbage, "GRACE_SECONDS", 0)
    load_files(db, [first])
    assert not old_copy.exists() and _kept(db, "mine.csv").exists()
    assert _values(db, partner="FRA") == {"0901": 2.0}
