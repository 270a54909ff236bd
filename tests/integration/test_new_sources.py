"""The DANE import annex by origin and the Comtrade export edges: loaded values against totals computed here
from the raw files with the csv module (never through the adapters), and bad copies refused by name."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import settings
from etl.errors import InputError
from etl.load import FileMetadata, load_files
from etl.sources import detect
from etl.sources.dane_imports import CHAPTER_NAMES, SKIPPED_CHAPTERS
from tests.dbstate import snapshot

RAW = settings.DATA_DIR / "raw"
DANE = RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv"
EDGES = RAW / "comtrade-latam-exports-col-2000-2025" / "trade_edges_global_partners_COL_exporter_rows.csv"
DANE_OPTIONS = {"data_through": "2026-01", "provisional_years": [2025, 2026]}


def _dane_rows() -> list[dict[str, str]]:
    with open(DANE, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _value(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchone()[0]


# ---------- DANE imports by origin ----------


@pytest.mark.parametrize(("iso3", "year"), [("CHN", 2024), ("USA", 2024), ("PRI", 2024), ("CHN", 2021),
                                            ("CHN", 2010), ("USA", 1980), ("CHN", 2025)])  # fmt: skip
def test_dane_totals_equal_the_file(
    small_bundle_con: duckdb.DuckDBPyConnection, iso3: str, year: int
) -> None:
    expected = [float(r["valor dolares cif"]) for r in _dane_rows()
                if r["codigo iso3"] == iso3 and r["anio"] == str(year) and r["capitulo"] == "TOTAL"]  # fmt: skip
    assert len(expected) == 1
    loaded = _value(
        small_bundle_con,
        "SELECT value_usd FROM trade_annual WHERE source = 'dane_imports' AND reporter_iso3 = 'COL' "
        "AND partner_iso3 = ? AND year = ? AND flow = 'import' AND hs_code = 'TOTAL' AND valuation = 'CIF'",
        [iso3, year],
    )
    assert loaded == expected[0]


def test_dane_china_2024_is_dane_printed_figure(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    """DANE as printed: 'USD 15.936 millones' for imports from China in 2024."""
    loaded = _value(
        small_bundle_con,
        "SELECT value_usd FROM trade WHERE source = 'dane_imports' AND partner_iso3 = 'CHN' AND period = '2024' "
        "AND hs_code = 'TOTAL'",
    )
    assert round(loaded / 1e6) == 15_936


def test_dane_every_row_loaded_once(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    rows = _dane_rows()
    kept = [r for r in rows if r["capitulo"] not in SKIPPED_CHAPTERS]
    assert len(rows) - len(kept) == 197  # 'Disposiciones de tratamiento especial'
    assert _value(small_bundle_con, "SELECT count(*) FROM trade WHERE source = 'dane_imports'") == len(kept)
    expected = sum(float(r["valor dolares cif"]) for r in kept)
    assert _value(
        small_bundle_con, "SELECT sum(value_usd) FROM trade WHERE source = 'dane_imports'"
    ) == pytest.approx(expected, rel=1e-12)


def test_dane_column_sum_is_never_a_world_row(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    assert (
        _value(
            small_bundle_con,
            "SELECT count(*) FROM trade WHERE source = 'dane_imports' AND partner_iso3 = 'WLD'",
        )
        == 0
    )


def test_dane_puerto_rico_apart_and_antilles_as_ant(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    rows = _dane_rows()
    antilles = {(r["anio"], float(r["valor dolares cif"])) for r in rows
                if r["pais origen"] == "Antillas Holandesas" and r["capitulo"] == "TOTAL"}  # fmt: skip
    assert antilles and all(r["codigo iso3"] == "" for r in rows if r["pais origen"] == "Antillas Holandesas")
    loaded = set(small_bundle_con.execute(
        "SELECT period, value_usd FROM trade WHERE source = 'dane_imports' AND partner_iso3 = 'ANT'").fetchall())  # fmt: skip
    assert loaded == antilles
    usa_2024 = _value(small_bundle_con, "SELECT value_usd FROM trade WHERE source = 'dane_imports' AND partner_iso3 = 'USA' "
                                   "AND period = '2024' AND hs_code = 'TOTAL'")  # fmt: skip
    assert round(usa_2024 / 1e6, 1) == 16_464.6  # the USA row alone, Puerto Rico not added


def test_dane_january_2026_is_a_partial_year(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    expected = sum(
        float(r["valor dolares cif"])
        for r in _dane_rows()
        if r["anio"] == "2026" and r["capitulo"] == "TOTAL"
    )
    periods = small_bundle_con.execute(
        "SELECT DISTINCT period FROM trade WHERE source = 'dane_imports' AND year = 2026"
    ).fetchall()
    assert periods == [("202601",)]
    months, total = small_bundle_con.execute(
        "SELECT max(months_covered), sum(value_usd) FROM trade_annual WHERE source = 'dane_imports' AND year = 2026 "
        "AND hs_code = 'TOTAL'"
    ).fetchone()
    assert months == 1
    assert total == pytest.approx(expected, rel=1e-12)
    full_2025 = _value(
        small_bundle_con,
        "SELECT min(months_covered) FROM trade_annual WHERE source = 'dane_imports' AND year = 2025",
    )
    assert full_2025 == 12
    provisional = {
        y
        for (y,) in small_bundle_con.execute(
            "SELECT year FROM provisional WHERE source = 'dane_imports'"
        ).fetchall()
    }
    assert provisional == {2025, 2026}


def test_dane_chapter_rows_match_the_file(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    expected: dict[tuple[str, str, str], float] = {}
    for r in _dane_rows():
        if r["capitulo"] in CHAPTER_NAMES:
            expected[(r["codigo iso3"], r["anio"], CHAPTER_NAMES[r["capitulo"]])] = float(
                r["valor dolares cif"]
            )
    loaded = {
        (p, str(y), h): v
        for p, y, h, v in small_bundle_con.execute(
            "SELECT partner_iso3, year, hs_code, value_usd FROM trade WHERE source = 'dane_imports' AND hs_level = 2"
        ).fetchall()
    }
    assert loaded == expected
    # China 2024: the 24 mapped chapters cover about four fifths of the total (no chapter adds up to TOTAL).
    china = sum(v for (p, y, _), v in expected.items() if p == "CHN" and y == "2024")
    assert 0.7 < china / 15_936_097_370.2 < 0.85


def test_dane_chapter_table_is_one_to_one_and_names_real_chapters(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    codes = list(CHAPTER_NAMES.values())
    assert len(set(codes)) == len(codes) == 24
    assert not set(CHAPTER_NAMES) & set(SKIPPED_CHAPTERS)
    used = {r["capitulo"] for r in _dane_rows()} - {"TOTAL"}
    assert used == set(CHAPTER_NAMES) | set(SKIPPED_CHAPTERS)
    # Each Spanish name against the WCO English chapter title: one key word both share.
    key_words = {"10": "Cereals", "15": "fats", "23": "residues", "27": "Mineral fuels", "28": "Inorganic",
                 "29": "Organic chemicals", "30": "Pharmaceutical", "31": "Fertilizers", "32": "paints",
                 "33": "perfumery", "38": "Chemical products", "39": "Plastics", "40": "Rubber", "48": "Paper",
                 "52": "Cotton", "64": "Footwear", "72": "Iron and steel", "73": "Iron or steel articles",
                 "74": "Copper", "84": "nuclear reactors", "85": "Electrical", "87": "Vehicles", "88": "Aircraft",
                 "90": "Optical"}  # fmt: skip
    titles = dict(
        small_bundle_con.execute("SELECT hs_code, description FROM hs_codes WHERE hs_level = 2").fetchall()
    )
    for code, word in key_words.items():
        assert word in titles[code], code
    assert set(key_words) == set(codes)
    assert "98" not in titles  # the skipped national chapter has no HS title


# ---------- Comtrade export edges ----------


def test_comtrade_edges_equal_the_file(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    with open(EDGES, newline="") as handle:
        expected = {(r["importer"], int(r["year"])): float(r["value_usd"]) for r in csv.DictReader(handle)}
    assert len(expected) == 362
    loaded = {
        (p, y): v
        for p, y, v in small_bundle_con.execute(
            "SELECT partner_iso3, year, value_usd FROM trade WHERE source = 'comtrade' AND reporter_iso3 = 'COL' "
            "AND flow = 'export' AND hs_code = 'TOTAL' AND valuation = 'FOB'"
        ).fetchall()
    }
    assert loaded == expected
    assert round(loaded[("CHN", 2015)] / 1e6, 1) == 2_263.7
    assert round(loaded[("USA", 2024)] / 1e6, 1) == 14_982.9


def test_comtrade_coffee_extract_still_there_and_apart(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    rows = small_bundle_con.execute(
        "SELECT hs_code, count(*) FROM trade WHERE source = 'comtrade' AND hs_code <> 'TOTAL' GROUP BY 1"
    ).fetchall()
    assert rows == [("0901", 2)]
    totals = small_bundle_con.execute(
        "SELECT count(*), count(DISTINCT (partner_iso3, year)) FROM trade WHERE source = 'comtrade' AND hs_code = 'TOTAL' "
        "AND reporter_iso3 = 'COL'"
    ).fetchone()
    assert totals[0] == totals[1] == 362


def test_content_not_name_decides_the_format(tmp_path: Path) -> None:
    con = duckdb.connect()
    for original, expected in ((DANE, "dane_imports_by_origin_csv"), (EDGES, "comtrade_export_edges_csv")):
        renamed = tmp_path / ("x" + original.suffix)
        shutil.copyfile(original, renamed)
        assert detect(renamed, con).name == expected
    con.close()


# ---------- refused input: named error, database unchanged ----------


def _refused(db: Path, path: Path, options: dict | None = None) -> InputError:
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        load_files(db, [path], metadata=[FileMetadata(options=options or {})])
    assert snapshot(db) == before
    return caught.value


def _dane_copy(tmp_path: Path, line: int, old: str, new: str) -> Path:
    lines = DANE.read_text(encoding="utf-8-sig").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path = tmp_path / "dane.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_dane_unknown_chapter_name_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    line = next(i for i, r in enumerate(_dane_rows(), start=2) if r["capitulo"] == "Cereales")
    path = _dane_copy(tmp_path, line, "Cereales", "Cereales y harinas")
    error = _refused(scratch_db, path, DANE_OPTIONS)
    assert (error.line, error.column) == (line, "capitulo")
    assert "unknown chapter name 'Cereales y harinas'" in error.message


def test_dane_text_value_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    path = _dane_copy(tmp_path, 5, "90297.0", "n/d")
    error = _refused(scratch_db, path, DANE_OPTIONS)
    assert (error.line, error.column) == (5, "valor dolares cif")


def test_dane_unknown_origin_without_code_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    path = _dane_copy(tmp_path, 3, "8,ALB,Albania", "8,,Albania")
    error = _refused(scratch_db, path, DANE_OPTIONS)
    assert (error.line, error.column) == (3, "codigo iso3")


def test_dane_without_cut_off_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "dane.csv"
    shutil.copyfile(DANE, copy)
    error = _refused(scratch_db, copy, {})
    assert "data_through" in str(error)


def test_comtrade_edges_negative_value_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    lines = EDGES.read_text().splitlines()
    year, value = lines[4].split(",")[2:]
    lines[4] = lines[4].replace(f"{year},{value}", f"{year},-{value}")
    path = tmp_path / "edges.csv"
    path.write_text("\n".join(lines) + "\n")
    error = _refused(scratch_db, path)
    assert (error.line, error.column) == (5, "value_usd")


def test_comtrade_edges_twice_is_refused_as_double_count(scratch_db: Path, tmp_path: Path) -> None:
    """Colombia's exporter rows repeat the ten-reporter table the build loads: refused, naming that file
    (summing would double count)."""
    copy = tmp_path / "edges-again.csv"
    shutil.copyfile(EDGES, copy)
    error = _refused(scratch_db, copy)
    assert "is already loaded from" in error.message
    assert "comtrade-latam-exports-10-reporters-2000-2025/trade_edges_global_partners.csv" in error.message
