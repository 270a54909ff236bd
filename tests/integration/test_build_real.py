"""The bundled real data, built end to end, against totals computed independently from the raw files."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from balanza.cli import main
from etl import schema, settings
from etl.status import coverage_matrix, render_coverage
from etl.years import format_years

RAW = settings.DATA_DIR / "raw"


def _value(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> float:
    return con.execute(sql, params or []).fetchone()[0]


def test_census_hs10_colombia_total_matches_parquet(bundled_con: duckdb.DuckDBPyConnection) -> None:
    table = pq.read_table(RAW / "us-census-imports-2024-hs10" / "2024-hs10-imports3010.parquet")
    expected = sum(float(v) for v in table.column("CON_VAL_YR").to_pylist())
    loaded = _value(
        bundled_con,
        "SELECT sum(value_usd) FROM trade WHERE source = 'us_census_consumption' AND partner_iso3 = 'COL'",
    )
    assert loaded == pytest.approx(expected, abs=0.5)
    assert loaded == pytest.approx(18_310_770_810, abs=1)


def test_census_general_and_consumption_stay_distinct(bundled_con: duckdb.DuckDBPyConnection) -> None:
    with open(
        RAW / "us-census-country-totals" / "us_census_goods_trade_COL_CHN_2010_2024_annual.csv"
    ) as handle:
        rows = {(r["us_partner_iso3"], r["year"]): r for r in csv.DictReader(handle)}
    expected = float(rows[("COL", "2024")]["us_imports_usd_million"]) * 1e6
    general = _value(
        bundled_con,
        "SELECT sum(value_usd) FROM trade WHERE source = 'us_census_general' AND partner_iso3 = 'COL' "
        "AND flow = 'import' AND year = 2024",
    )
    assert general == pytest.approx(expected)
    assert general == pytest.approx(17_856.8e6)
    consumption = _value(
        bundled_con,
        "SELECT sum(value_usd) FROM trade WHERE source = 'us_census_consumption' AND partner_iso3 = 'COL'",
    )
    assert consumption - general == pytest.approx(18_310.77e6 - 17_856.8e6, rel=1e-4)


def test_every_census_file_sums_exactly_once(bundled_con: duckdb.DuckDBPyConnection) -> None:
    """Never more than the truth: all HS10 rows together equal the raw files' sum, EU kept apart as EUN."""
    expected = 0.0
    eu = 0.0
    for path in sorted((RAW / "us-census-imports-2024-hs10").glob("*.parquet")):
        total = sum(float(v) for v in pq.read_table(path).column("CON_VAL_YR").to_pylist())
        expected += total
        if path.stem.endswith("0003"):
            eu = total
    loaded = _value(bundled_con, "SELECT sum(value_usd) FROM trade WHERE source = 'us_census_consumption'")
    assert loaded == pytest.approx(expected, rel=1e-12)
    loaded_eu = _value(
        bundled_con,
        "SELECT sum(value_usd) FROM trade WHERE source = 'us_census_consumption' AND partner_iso3 = 'EUN'",
    )
    assert loaded_eu == pytest.approx(eu)


def _dots_value(workbook: str, sheet: str, partner: str, year: int) -> float:
    book = openpyxl.load_workbook(RAW / "imf-dots" / workbook, read_only=True, data_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    column = [str(c) for c in rows[6]].index(str(year))
    for row in rows[7:]:
        if row[1] == partner:
            return float(row[column]) * 1e6
    raise AssertionError(f"{partner} not in {workbook}")


@pytest.mark.parametrize(
    ("workbook", "sheet", "partner_name", "reporter", "partner", "flow", "year"),
    [
        ("DOTS_43_Colombia.xlsx", "Imports, CIF", "China, P.R.: Mainland", "COL", "CHN", "import", 2010),
        ("DOTS_43_Colombia.xlsx", "Exports, FOB", "World", "COL", "WLD", "export", 2013),
        ("DOTS_43_Colombia.xlsx", "Imports, CIF", "United States", "COL", "USA", "import", 2020),
        ("DOTS_40_China_PR_Mainland.xlsx", "Exports, FOB", "Colombia", "CHN", "COL", "export", 2019),
        ("DOTS_208_United_States.xlsx", "Imports, CIF", "Colombia", "USA", "COL", "import", 2015),
    ],
)
def test_imf_dots_cells(bundled_con, workbook, sheet, partner_name, reporter, partner, flow, year) -> None:
    expected = _dots_value(workbook, sheet, partner_name, year)
    loaded = _value(
        bundled_con,
        "SELECT sum(value_usd) FROM trade WHERE source = 'imf_dots' AND reporter_iso3 = ? AND partner_iso3 = ? "
        "AND flow = ? AND year = ?",
        [reporter, partner, flow, year],
    )
    assert loaded == pytest.approx(expected)


def test_imf_aggregates_are_not_loaded(bundled_con: duckdb.DuckDBPyConnection) -> None:
    """Partner rows such as 'Advanced Economies' must never sit beside the countries they sum."""
    world = _dots_value("DOTS_43_Colombia.xlsx", "Exports, FOB", "World", 2019)
    partners = _value(
        bundled_con,
        "SELECT sum(value_usd) FROM trade WHERE source = 'imf_dots' AND reporter_iso3 = 'COL' AND flow = 'export' "
        "AND year = 2019 AND partner_iso3 <> 'WLD'",
    )
    assert partners <= world * 1.001


def test_dian_annual_sums(bundled_con: duckdb.DuckDBPyConnection) -> None:
    expected: dict[tuple[str, str], float] = {}
    path = RAW / "dian-exports-by-destination" / "colombia_exports_by_destination_monthly_2023_2026.csv"
    with open(path) as handle:
        for row in csv.DictReader(handle):
            key = (row["month"][:4], row["destination"])
            expected[key] = expected.get(key, 0.0) + float(row["fob_usd_million"]) * 1e6
    annual = dict(
        ((str(y), p), v)
        for y, p, v in bundled_con.execute(
            "SELECT year, partner_iso3, value_usd FROM trade_annual WHERE source = 'dian'"
        ).fetchall()
    )
    assert annual[("2024", "USA")] == pytest.approx(expected[("2024", "Estados Unidos")])
    assert annual[("2024", "USA")] == pytest.approx(14_335.0e6, rel=1e-4)
    assert annual[("2023", "WLD")] == pytest.approx(expected[("2023", "TOTAL")])
    assert annual[("2025", "_X")] == pytest.approx(expected[("2025", "País no declarado")])
    months_2026 = _value(
        bundled_con,
        "SELECT months_covered FROM trade_annual WHERE source = 'dian' AND year = 2026 AND partner_iso3 = 'WLD'",
    )
    assert months_2026 == 8


def test_published_one_value_per_observation(bundled_con: duckdb.DuckDBPyConnection) -> None:
    duplicates = _value(
        bundled_con,
        "SELECT count(*) FROM (SELECT year, reporter_iso3, partner_iso3, flow FROM trade WHERE source = 'published' "
        "GROUP BY ALL HAVING count(*) > 1)",
    )
    assert duplicates == 0
    printed = []
    for name in ("facts.csv", "facts_added_2026.csv"):
        with open(RAW / "published-figures" / name) as handle:
            printed += list(csv.DictReader(handle))
    # DANE's partner balances as printed: the full-year rows with a legible number (18 of 46)
    with open(
        RAW / "dane-fob-balance-by-partner-printed" / "dane_fob_balance_by_partner_printed.csv"
    ) as handle:
        printed += [r for r in csv.DictReader(handle) if r["period_start"][5:] == "01" and r["period_end"][5:] == "12"
                    and r["balance_usd_millions"]]  # fmt: skip
    assert _value(bundled_con, "SELECT count(*) FROM published_figures WHERE flow <> 'total_trade'") == len(
        printed
    )
    china_2024 = _value(
        bundled_con,
        "SELECT value_usd FROM trade WHERE source = 'published' AND partner_iso3 = 'CHN' AND flow = 'import' AND year = 2024",
    )
    assert china_2024 == 15_936_000_000


def test_no_duplicate_observations_anywhere(bundled_con: duckdb.DuckDBPyConnection) -> None:
    key = ", ".join(schema.TRADE_KEY)
    assert (
        _value(
            bundled_con, f"SELECT count(*) FROM (SELECT {key} FROM trade GROUP BY ALL HAVING count(*) > 1)"
        )
        == 0
    )


def test_tables_match_the_schema_module(bundled_con: duckdb.DuckDBPyConnection) -> None:
    columns = [row[0] for row in bundled_con.execute("DESCRIBE trade").fetchall()]
    assert columns == list(schema.TRADE_COLUMNS)
    datasets = bundled_con.execute(
        "SELECT count(*), count(DISTINCT sha256), min(row_count) FROM datasets"
    ).fetchone()
    assert datasets[0] == datasets[1]
    hs = bundled_con.execute("SELECT hs_level, count(*) FROM hs_codes GROUP BY 1 ORDER BY 1").fetchall()
    assert [level for level, _ in hs] == [2, 4, 6]


def test_status_prints_a_truthful_matrix(bundled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--db", str(bundled_db)]) == 0
    out = capsys.readouterr().out
    assert "imf_dots" in out and "us_census_consumption" in out
    matrix = coverage_matrix(bundled_db)
    row = matrix[(matrix.source == "imf_dots") & (matrix.reporter_iso3 == "COL") & (matrix.partner_iso3 == "WLD")
                 & (matrix.flow == "export")].iloc[0]  # fmt: skip
    assert list(row.years) == list(range(1960, 2021))
    assert "1960-2020" in render_coverage(matrix)


def test_year_ranges_keep_gaps_visible() -> None:
    assert format_years([2010, 2011, 2012, 2015, 2017, 2018], dash="-") == "2010-2012, 2015, 2017-2018"
    assert format_years([]) == ""
