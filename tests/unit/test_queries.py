"""The selection rule and mirror logic, on a small DuckDB built with the real schema."""

from __future__ import annotations

import math
from collections.abc import Iterator

import duckdb
import pytest

from dashboard import queries
from etl.db import create_schema

ROWS = (
    [
        # year, period, reporter, partner, flow, value, valuation, source
        (2019, "2019", "COL", "CHN", "export", 100.0, "FOB", "imf_dots"),
        (2019, "2019", "COL", "CHN", "export", 999.0, "FOB", "published"),  # loses to imf_dots
        (2019, "2019", "COL", "CHN", "import", 300.0, "CIF", "imf_dots"),
        (2021, "2021", "COL", "CHN", "import", 350.0, "CIF", "published"),
        (2019, "2019", "COL", "WLD", "export", 1000.0, "FOB", "imf_dots"),
        (2019, "2019", "COL", "WLD", "import", 1500.0, "CIF", "imf_dots"),
        (2019, "2019", "CHN", "COL", "import", 106.0, "CIF", "imf_dots"),  # mirror of COL exports
        (2019, "2019", "CHN", "COL", "export", 280.0, "FOB", "imf_dots"),  # mirror of COL imports
        (2019, "2019", "USA", "COL", "import", 212.0, "CIF", "imf_dots"),
        (2019, "2019", "USA", "COL", "export", 190.0, "FOB", "imf_dots"),
        (
            2019,
            "2019",
            "USA",
            "COL",
            "export",
            999.0,
            "FOB",
            "us_census_general",
        ),  # beats imf_dots (own office)
    ]
    + [(2021, f"2021{m:02d}", "COL", "CHN", "export", 10.0, "FOB", "dian") for m in range(1, 13)]
    + [
        (2022, f"2022{m:02d}", "COL", "CHN", "export", 10.0, "FOB", "dian")
        for m in range(1, 7)  # partial year
    ]
)


@pytest.fixture()
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    create_schema(connection)
    connection.executemany(
        "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, valuation,"
        " source, dataset_id) VALUES (?, ?, ?, ?, ?, 'TOTAL', 0, ?, ?, ?, 1)",
        ROWS,
    )
    connection.executemany(
        "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, valuation,"
        " source, dataset_id) VALUES (2024, '2024', 'USA', 'COL', 'import', ?, 10, ?, 'CIF', 'us_census_consumption', 2)",
        [("0901110015", 50.0), ("0901110025", 30.0), ("2709001000", 70.0)],
    )
    connection.executemany(
        "INSERT INTO hs_codes VALUES (?, ?, ?, ?, ?)",
        [
            ("09", 2, "Coffee, tea, mate and spices", "TOTAL", "II"),
            ("0901", 4, "Coffee", "09", "II"),
            ("090111", 6, "Coffee; not roasted or decaffeinated", "0901", "II"),
            ("27", 2, "Mineral fuels", "TOTAL", "V"),
            ("2709", 4, "Petroleum oils, crude", "27", "V"),
        ],
    )
    yield connection
    connection.close()


def test_one_value_per_observation_by_priority(con: duckdb.DuckDBPyConnection) -> None:
    totals = queries.query_totals(con, view="reporter", partners=["CHN"])
    picked = {(r.year, r.flow): (r.value_usd, r.source) for r in totals.itertuples()}
    assert picked[(2019, "export")] == (100.0, "imf_dots")
    assert picked[(2021, "export")] == (120.0, "dian")  # twelve months summed
    assert (2022, "export") not in picked  # six months is not a year
    assert picked[(2021, "import")] == (350.0, "published")
    assert len(totals) == totals[["year", "partner_iso3", "flow"]].drop_duplicates().shape[0]


def test_mirror_swaps_flows_and_reconcile_divides_cif(con: duckdb.DuckDBPyConnection) -> None:
    mirror = queries.query_totals(con, view="mirror", partners=["CHN", "WLD"])
    assert set(mirror["partner_iso3"]) == {"CHN"}  # the World reports nothing
    values = dict(zip(mirror["flow"], mirror["value_usd"], strict=True))
    assert values == {"export": 106.0, "import": 280.0}
    reconciled = queries.reconcile(mirror, 1.06)
    values = dict(zip(reconciled["flow"], reconciled["value_usd"], strict=True))
    assert values["export"] == pytest.approx(100.0) and values["import"] == 280.0


def test_mirror_keeps_each_partner_apart(con: duckdb.DuckDBPyConnection) -> None:
    mirror = queries.query_totals(con, view="mirror", partners=["CHN", "USA"])
    picked = {(r.partner_iso3, r.flow): (r.value_usd, r.source) for r in mirror.itertuples()}
    assert picked == {
        ("CHN", "export"): (106.0, "imf_dots"),
        ("CHN", "import"): (280.0, "imf_dots"),
        # the Census Bureau is the USA's own office: it outranks IMF DOTS (etl.record.SOURCE_PRIORITY)
        ("USA", "export"): (212.0, "imf_dots"),
        ("USA", "import"): (999.0, "us_census_general"),
    }
    with pytest.raises(ValueError):
        queries.reconcile(mirror, 0.9)


def test_headline_balance_is_valuation_consistent_and_names_its_basis(con: duckdb.DuckDBPyConnection) -> None:
    wide = queries.query_balances(con, view="reporter", partners=["CHN", "WLD"], factor=1.06)
    chn = wide[wide["partner_iso3"] == "CHN"].set_index("year")
    # exports FOB 100, imports CIF 300: the headline converts the imports to FOB; the mixed difference is beside it
    assert chn.loc[2019, "balance"] == pytest.approx(100.0 - 300.0 / 1.06)
    assert chn.loc[2019, "alt_balance"] == -200.0
    assert chn.loc[2019, "basis"] == "fob_estimated" and "CIF ÷ 1.06" in chn.loc[2019, "basis_label"]
    assert "mixed" in chn.loc[2019, "alt_basis_label"]
    assert chn.loc[2021, "balance"] == pytest.approx(120.0 - 350.0 / 1.06)
    shares = queries.deficit_shares(wide)
    assert shares["year"].tolist() == [2019]
    assert shares["share_pct"].iloc[0] == pytest.approx((100 - 300 / 1.06) / (1000 - 1500 / 1.06) * 100)
    mirror = queries.query_balances(con, view="reconciled", partners=["CHN"], factor=1.06).set_index("year")
    # China's imports (CIF) as Colombia's exports, ÷ 1.06; China's exports (FOB) as Colombia's imports
    assert mirror.loc[2019, "export"] == pytest.approx(100.0)
    assert mirror.loc[2019, "balance"] == pytest.approx(100.0 - 280.0)


def test_partner_shares_only_where_world_exists(con: duckdb.DuckDBPyConnection) -> None:
    totals = queries.query_totals(con, view="reporter", partners=["CHN", "WLD"])
    shares = queries.partner_shares(totals, ["CHN"])
    assert set(shares["year"]) == {2019}
    assert dict(zip(shares["flow"], shares["share_pct"], strict=True)) == {"export": 10.0, "import": 20.0}


def test_products_tree_top_and_search(con: duckdb.DuckDBPyConnection) -> None:
    series = {"reporter": "USA", "partner": "COL", "flow": "import", "source": "us_census_consumption"}
    tree = queries.query_hs_tree(con, **series, year=2024)
    assert dict(zip(tree["heading"], tree["value_usd"], strict=True)) == {"0901": 80.0, "2709": 70.0}
    top = queries.query_top_products(con, **series, year=2024, limit=2)
    assert top["hs_code"].tolist() == ["2709001000", "0901110015"]
    assert math.isclose(top["share_pct"].sum(), 120 / 150 * 100)
    # the search's codes: the English nomenclature with the Spanish text where it has the code
    con.execute("INSERT INTO hs_codes_es VALUES ('0901', 4, 'Café, incluso tostado o descafeinado', NULL)")
    codes = queries.query_hs_codes(con).set_index("hs_code")
    assert codes.loc["0901", "description_es"] == "Café, incluso tostado o descafeinado"
    assert codes["description_es"].notna().sum() == 1 and len(codes) == 5


def test_product_series_catalogue_and_years(con: duckdb.DuckDBPyConnection) -> None:
    catalogue = queries.product_series(queries.query_data_options(con))
    assert catalogue.to_dict("records") == [
        {
            "reporter_iso3": "USA",
            "partner_iso3": "COL",
            "flow": "import",
            "source": "us_census_consumption",
            "max_level": 10,
        }
    ]
    years = queries.query_series_years(
        con, reporter="USA", partner="COL", flow="import", source="us_census_consumption"
    )
    assert years == [2024]
    assert queries.query_series_years(con, reporter="COL", partner="CHN", flow="export", source="dian") == []
