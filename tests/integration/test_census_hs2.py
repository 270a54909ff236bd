"""US Census imports for consumption by HS chapter, all partners: loaded values against sums computed here from
the raw files with the csv module; the EU aggregate kept out; bad copies refused by name."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from etl import settings
from etl.errors import InputError
from etl.load import FileMetadata, load_files
from etl.manifest import read_manifest
from etl.sources import detect
from tests.dbstate import snapshot

RAW = settings.DATA_DIR / "raw"
HS2 = RAW / "us-census-imports-2024-hs2"
MAPPING = RAW / "us-census-imports-2024-hs10" / "CensusCountryMapping_FRBAtl_short.csv"
NOT_LOADED = {"0003", "5082", "5083"}  # the EU aggregate; Gaza Strip and West Bank (no ISO3 in the mapping)
EU_MEMBERS = set("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN "
                 "ESP SWE".split())  # fmt: skip


def _files() -> dict[str, Path]:
    return {path.stem.rsplit("-", 1)[1]: path for path in sorted(HS2.glob("hs2-tariff-*.csv"))}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def _iso3() -> dict[str, str]:
    with open(MAPPING, newline="") as handle:
        return {r["CTY_CODE"]: r["ISO3"] for r in csv.DictReader(handle)}


def test_manifest_loads_every_country_file_once() -> None:
    loaded = {
        entry.path.name
        for entry in read_manifest(settings.MANIFEST_PATH)
        if entry.path.parent == HS2.resolve()
    }
    expected = {path.name for code, path in _files().items() if code not in NOT_LOADED}
    assert loaded == expected and len(loaded) == 223


def test_chapter_totals_equal_the_files(bundled_con: duckdb.DuckDBPyConnection) -> None:
    expected: dict[str, float] = defaultdict(float)
    duty: dict[str, float] = defaultdict(float)
    for code, path in _files().items():
        if code in NOT_LOADED:
            continue
        for row in _rows(path):
            expected[row["HS2"]] += float(row["2024_imports"])
            duty[row["HS2"]] += float(row["2024_duty"])
    loaded = {
        hs: (value, paid)
        for hs, value, paid in bundled_con.execute(
            "SELECT hs_code, sum(value_usd), sum(duty_usd) FROM trade WHERE source = 'us_census_hs2' GROUP BY 1"
        ).fetchall()
    }
    assert set(loaded) == set(expected)
    for hs, value in expected.items():
        assert loaded[hs][0] == pytest.approx(value, rel=1e-12)
        assert loaded[hs][1] == pytest.approx(duty[hs], rel=1e-12, abs=0.5)
    total = sum(expected.values())
    assert 3.2e12 < total < 3.3e12  # all partners: the US total of imports for consumption, 2024


def test_colombia_equals_the_hs10_series_total(bundled_con: duckdb.DuckDBPyConnection) -> None:
    expected = sum(float(r["2024_imports"]) for r in _rows(_files()["3010"]))
    assert expected == 18_310_770_810
    hs2, hs10 = bundled_con.execute(
        "SELECT sum(value_usd) FILTER (WHERE source = 'us_census_hs2'), "
        "sum(value_usd) FILTER (WHERE source = 'us_census_consumption') FROM trade WHERE partner_iso3 = 'COL' "
        "AND reporter_iso3 = 'USA'"
    ).fetchall()[0]
    assert hs2 == pytest.approx(expected, abs=0.5)
    assert hs10 == pytest.approx(
        expected, abs=0.5
    )  # the same statistic at HS10: two series, never to be added


def test_eu_aggregate_equals_its_members_and_is_not_loaded(bundled_con: duckdb.DuckDBPyConnection) -> None:
    iso3 = _iso3()
    members = sum(
        float(r["2024_imports"])
        for code, path in _files().items()
        if iso3.get(code) in EU_MEMBERS
        for r in _rows(path)
    )
    aggregate = sum(float(r["2024_imports"]) for r in _rows(_files()["0003"]))
    assert members == pytest.approx(
        aggregate, rel=1e-9
    )  # why 0003 stays out: it would count the members twice
    partners = {p for (p,) in bundled_con.execute(
        "SELECT DISTINCT partner_iso3 FROM trade WHERE source = 'us_census_hs2'").fetchall()}  # fmt: skip
    assert "EUN" not in partners and EU_MEMBERS <= partners
    assert _value_count(bundled_con) == 0


def _value_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "SELECT count(*) FROM (SELECT partner_iso3, hs_code FROM trade WHERE source = 'us_census_hs2' "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchall()[0][0]


def test_detected_from_content(tmp_path: Path) -> None:
    renamed = tmp_path / "whatever.txt"
    shutil.copyfile(_files()["3010"], renamed)
    con = duckdb.connect()
    assert detect(renamed, con).name == "us_census_hs2_csv"
    con.close()


def _bad_copy(tmp_path: Path, line: int, column: int, new: str) -> Path:
    lines = _files()["0003"].read_text().splitlines()  # the EU file is not loaded: no overlap refusal
    fields = lines[line - 1].split(",")
    fields[column] = new
    lines[line - 1] = ",".join(fields)
    path = tmp_path / "hs2.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _refused(db: Path, path: Path) -> InputError:
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        load_files(db, [path], metadata=[FileMetadata()])
    assert snapshot(db) == before
    return caught.value


def test_chapter_without_leading_zero_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    error = _refused(scratch_db, _bad_copy(tmp_path, 4, 0, "3"))
    assert (error.line, error.column) == (4, "HS2")


def test_negative_import_value_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    error = _refused(scratch_db, _bad_copy(tmp_path, 6, 1, "-5.0"))
    assert (error.line, error.column) == (6, "2024_imports")


def test_text_duty_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    error = _refused(scratch_db, _bad_copy(tmp_path, 7, 2, "n/a"))
    assert (error.line, error.column) == (7, "2024_duty")


def test_manifest_pattern_matching_nothing_is_refused(tmp_path: Path) -> None:
    from etl.errors import ManifestError

    manifest = tmp_path / "sources.toml"
    manifest.write_text('[[file]]\npath = "raw/none-*.csv"\n')
    with pytest.raises(ManifestError, match="matches no file"):
        read_manifest(manifest)
    (tmp_path / "raw").mkdir()
    for name in ("a-1.csv", "a-2.csv"):
        (tmp_path / "raw" / name).write_text("x\n")
    manifest.write_text('[[file]]\npath = "raw/a-*.csv"\nexclude = ["a-1.csv"]\n')
    assert [entry.path.name for entry in read_manifest(manifest)] == ["a-2.csv"]
