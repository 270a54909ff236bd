"""The series-of-record rule (etl/record.py) on a small DuckDB built with the real schema."""

from __future__ import annotations

import math
from collections.abc import Iterator

import duckdb
import pandas as pd
import pytest

from etl import record, record_balance
from etl.db import create_schema

ROWS = [
    # year, period, reporter, partner, flow, value, valuation, source, valuation_stated
    # Colombia's own office beats Comtrade, IMF DOTS and printed figures.
    (2021, "2021", "COL", "CHN", "import", 100.0, "CIF", "imf_dots", True),
    (2021, "2021", "COL", "CHN", "import", 101.0, "CIF", "comtrade", True),
    (2021, "2021", "COL", "CHN", "import", 102.0, "CIF", "published", False),
    (2021, "2021", "COL", "CHN", "import", 103.0, "CIF", "dane_imports", True),
    # exports: DIAN (monthly, below) beats IMF DOTS; Comtrade beats IMF DOTS where DIAN has nothing.
    (2021, "2021", "COL", "CHN", "export", 50.0, "FOB", "imf_dots", True),
    (2020, "2020", "COL", "CHN", "export", 40.0, "FOB", "imf_dots", True),
    (2020, "2020", "COL", "CHN", "export", 41.0, "FOB", "comtrade", True),
    (2020, "2020", "COL", "CHN", "import", 90.0, "CIF", "imf_dots", True),
    # A partial DIAN year loses to a complete IMF year.
    (2022, "2022", "COL", "CHN", "export", 70.0, "FOB", "imf_dots", True),
    # The USA as reporter: the Census Bureau beats IMF DOTS; China: GACC beats Comtrade.
    (2021, "2021", "USA", "COL", "import", 60.0, "CIF", "imf_dots", True),
    (2021, "2021", "USA", "COL", "import", 55.0, "FOB", "us_census_general", True),
    (2021, "2021", "USA", "COL", "export", 80.0, "FOB", "us_census_general", True),
    (2021, "2021", "CHN", "COL", "import", 66.0, "CIF", "comtrade", True),
    (2021, "2021", "CHN", "COL", "import", 65.0, "CIF", "gacc", True),
    (2021, "2021", "CHN", "COL", "export", 110.0, "FOB", "gacc", True),
    # Within one source: a stated valuation beats a conventional one.
    (2019, "2019", "COL", "WLD", "import", 500.0, "FOB", "published", True),
    (2019, "2019", "COL", "WLD", "import", 530.0, "CIF", "published", False),
    (2019, "2019", "COL", "WLD", "export", 400.0, "FOB", "published", False),
]
MONTHLY = [(2021, f"2021{m:02d}", "COL", "CHN", "export", 5.0, "FOB", "dian", True) for m in range(1, 13)] + [
    (2022, f"2022{m:02d}", "COL", "CHN", "export", 9.0, "FOB", "dian", True) for m in range(1, 4)
]
PRINTED = [
    # year, reporter, partner, flow, value, valuation, publisher, url, chosen
    (2019, "COL", "WLD", "balance", -110.0, "unknown", "Diario X (citing DANE)", "https://x.example/1", True),
    (2019, "COL", "WLD", "import", 530.0, "unknown", "Revista Y, column by Z", "https://y.example/2", True),
    (
        2019,
        "COL",
        "WLD",
        "export",
        400.0,
        "unknown",
        "Radio W (English summary citing DANE)",
        "https://w.example",
        True,
    ),
    (2020, "COL", "CHN", "balance", -55.0, "unknown", "El Diario, column by Q", "https://q.example", True),
    # Two pages citing no office print -70; one page citing DANE prints -64: DANE's figure is the official one.
    (2021, "COL", "CHN", "balance", -70.0, "unknown", "Page A", "https://a.example", True),
    (2021, "COL", "CHN", "balance", -70.0, "unknown", "Page B", "https://b.example", False),
    (2021, "COL", "CHN", "balance", -64.0, "unknown", "Page C (citing DANE)", "https://c.example", False),
]


@pytest.fixture()
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    create_schema(connection)
    connection.executemany(
        "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, valuation,"
        " source, dataset_id, valuation_stated) VALUES (?, ?, ?, ?, ?, 'TOTAL', 0, ?, ?, ?, 1, ?)",
        ROWS + MONTHLY,
    )
    connection.executemany(
        "INSERT INTO published_figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 2)", PRINTED
    )
    connection.execute("INSERT INTO provisional VALUES ('dane_imports', 2021, 1, 'provisional figures')")
    yield connection
    connection.close()


def picked(frame: pd.DataFrame) -> dict[tuple, tuple]:
    return {(r.partner_iso3, r.flow, r.year): (r.value_usd, r.source) for r in frame.itertuples()}


def test_reporters_own_office_first(con: duckdb.DuckDBPyConnection) -> None:
    got = picked(record.query_record(con, reporter="COL", partners=["CHN"]))
    assert got[("CHN", "import", 2021)] == (103.0, "dane_imports")
    assert got[("CHN", "export", 2021)] == (60.0, "dian")  # 12 months of 5.0
    assert got[("CHN", "export", 2020)] == (41.0, "comtrade")  # Comtrade before IMF DOTS
    assert got[("CHN", "import", 2020)] == (90.0, "imf_dots")
    frame = record.query_record(con, reporter="COL", partners=["CHN"])
    flags = {(r.flow, r.year): bool(r.provisional) for r in frame.itertuples()}
    assert flags[("import", 2021)] and not flags[("export", 2021)] and not flags[("import", 2020)]


def test_complete_year_beats_partial_and_partial_is_flagged(con: duckdb.DuckDBPyConnection) -> None:
    got = picked(record.query_record(con, reporter="COL", partners=["CHN"]))
    assert got[("CHN", "export", 2022)] == (70.0, "imf_dots")
    partial = record.query_record(con, reporter="COL", partners=["CHN"], complete_only=False)
    row = partial[(partial["year"] == 2022) & (partial["flow"] == "export")].iloc[0]
    assert (row["value_usd"], row["months_covered"], bool(row["complete"])) == (70.0, 12, True)
    # Without the IMF value the partial DIAN year is the record, flagged incomplete and left out by default.
    con.execute("DELETE FROM trade WHERE source = 'imf_dots' AND year = 2022")
    partial = record.query_record(con, reporter="COL", partners=["CHN"], complete_only=False)
    row = partial[(partial["year"] == 2022) & (partial["flow"] == "export")].iloc[0]
    assert (row["value_usd"], row["months_covered"], bool(row["complete"])) == (27.0, 3, False)
    assert bool(row["provisional"])
    assert 2022 not in set(record.query_record(con, reporter="COL", partners=["CHN"])["year"])


@pytest.mark.parametrize("months", [1, 11, 12])
def test_a_year_short_of_twelve_months_says_so_in_its_caveat(
    con: duckdb.DuckDBPyConnection, months: int
) -> None:
    # A DIAN year with only the first `months` months and no other source: its caveat names the months held.
    con.executemany(
        "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, valuation,"
        " source, dataset_id, valuation_stated) VALUES (?, ?, ?, ?, ?, 'TOTAL', 0, ?, ?, ?, 1, ?)",
        [
            (2023, f"2023{m:02d}", "COL", "USA", "export", 2.0, "FOB", "dian", True)
            for m in range(1, months + 1)
        ],
    )
    frame = record.query_record(con, reporter="COL", partners=["USA"], complete_only=False)
    row = frame[frame["year"] == 2023].iloc[0]
    assert (row["value_usd"], row["months_covered"]) == (2.0 * months, months)
    expected = "" if months == 12 else f"partial year ({months} months)"
    assert (row["caveat"] or "") == expected
    assert record.caveat_flags(row["caveat"]) == (() if months == 12 else ("provisional",))


def test_one_row_per_observation_in_the_view(con: duckdb.DuckDBPyConnection) -> None:
    total, distinct = con.execute(
        "SELECT count(*), count(DISTINCT (year, reporter_iso3, partner_iso3, flow, hs_code)) FROM trade_record"
    ).fetchone()
    assert total == distinct == 11
    # the view and the accessor agree
    view = con.execute(
        "SELECT value_usd, source FROM trade_record WHERE reporter_iso3 = 'COL' AND partner_iso3 = 'CHN' "
        "AND flow = 'import' AND year = 2021"
    ).fetchone()
    assert view == (103.0, "dane_imports")


def test_partner_offices_and_the_mirror_swap(con: duckdb.DuckDBPyConnection) -> None:
    mirror = record.query_mirror(con, reporter="COL", partners=["USA", "CHN"])
    got = {
        (r.partner_iso3, r.flow, r.year): (r.value_usd, r.source, r.reported_by) for r in mirror.itertuples()
    }
    # the partner's imports from Colombia are Colombia's exports
    assert got[("USA", "export", 2021)] == (55.0, "us_census_general", "USA")
    assert got[("USA", "import", 2021)] == (80.0, "us_census_general", "USA")
    assert got[("CHN", "export", 2021)] == (65.0, "gacc", "CHN")
    assert got[("CHN", "import", 2021)] == (110.0, "gacc", "CHN")
    assert set(mirror["reporter_iso3"]) == {"COL"}


def test_stated_valuation_beats_conventional_and_printed_publisher(con: duckdb.DuckDBPyConnection) -> None:
    world = record.query_record(con, reporter="COL", partners=["WLD"])
    imports = world[world["flow"] == "import"].iloc[0]
    assert (imports["value_usd"], imports["valuation"]) == (500.0, "FOB")
    exports = world[world["flow"] == "export"].iloc[0]
    assert exports["publisher"] == "DANE"
    assert exports["printed_by"] == "Radio W (English summary)"
    assert exports["url"] == "https://w.example"
    assert (
        record.citation(exports["publisher"], exports["printed_by"])
        == "DANE, as printed by Radio W (English summary)"
    )


def test_split_publisher() -> None:
    assert record.split_publisher("El Nuevo Siglo (citing DANE)") == ("DANE", "El Nuevo Siglo")
    assert record.split_publisher(
        "latin-american.news (English rendering of Colombian press, citing DANE/DIAN)"
    ) == ("DANE/DIAN", "latin-american.news (English rendering of Colombian press)")
    assert record.split_publisher("El Espectador, column by Armando Montenegro") == (
        "not stated",
        "El Espectador, column by Armando Montenegro",
    )


def test_headline_balance_is_the_offices_own_and_names_its_basis(con: duckdb.DuckDBPyConnection) -> None:
    balances = record_balance.query_balance(con, partners=["WLD", "CHN"], basis="all", factor=1.06)
    world = balances[(balances["partner_iso3"] == "WLD") & (balances["year"] == 2019)]
    head = world[world["headline"]].iloc[0]
    # the printed DANE balance (FOB/FOB) is the headline, not exports − imports of the record (400 − 500)
    assert (head["basis"], head["balance_usd"], head["publisher"], head["printed_by"]) == (
        "official",
        -110.0,
        "DANE",
        "Diario X",
    )
    assert "official" in head["basis_label"]
    # exports FOB − imports FOB (stated) is an alternative on the same valuation
    alt = world[world["basis"] == "same_valuation"].iloc[0]
    assert alt["balance_usd"] == -100.0 and not alt["headline"]


def test_headline_is_danes_printed_balance_else_valuation_consistent(con: duckdb.DuckDBPyConnection) -> None:
    balances = record_balance.query_balance(con, partners=["CHN"], basis="all", factor=1.06)
    year = balances[balances["year"] == 2021].set_index("basis")
    # DANE's printed -64 is the headline, though more pages printed -70 without citing an office
    assert year.loc["official", "headline"] and year.loc["official", "balance_usd"] == -64.0
    assert year.loc["official", "printed_by"] == "Page C"
    # exports FOB 60, imports CIF 103: the estimate 60 − 103 / 1.06 and the mixed 60 − 103 are alternatives
    assert not year.loc["fob_estimated", "headline"]
    assert math.isclose(year.loc["fob_estimated", "balance_usd"], 60.0 - 103.0 / 1.06)
    assert not year.loc["fob_cif", "headline"]
    assert year.loc["fob_cif", "balance_usd"] == -43.0
    assert "mixed" in year.loc["fob_cif", "basis_label"]
    # A printed balance from a page that cites no statistical office is never the official one.
    y2020 = balances[balances["year"] == 2020]
    assert "official" not in set(y2020["basis"])
    headline = record_balance.query_balance(con, partners=["CHN"], factor=1.06)
    assert headline.groupby("year").size().max() == 1
    assert headline.set_index("year").loc[2020, "basis"] == "fob_estimated"


def test_mirror_balance_has_no_official_basis(con: duckdb.DuckDBPyConnection) -> None:
    mirror = record_balance.query_balance(con, partners=["USA", "WLD"], side="mirror", basis="all")
    assert set(mirror["partner_iso3"]) == {"USA"}
    row = mirror[mirror["headline"]].iloc[0]
    # the US records are both FOB (customs value): exports 55 − imports 80, same valuation
    assert (row["basis"], row["balance_usd"]) == ("same_valuation", -25.0)


def test_latest_common_year() -> None:
    frame = pd.DataFrame(
        {
            "partner_iso3": ["A", "A", "B", "B"],
            "year": [2023, 2024, 2023, 2025],
            "balance_usd": [1.0, 2.0, 3.0, 4.0],
        }
    )
    assert record_balance.latest_common_year(frame, ["A", "B"]) == 2023
    assert record_balance.latest_common_year(frame, ["A", "C"]) is None
    frame["provisional"] = [False, True, False, False]
    assert (
        record_balance.latest_common_year(
            frame.assign(year=[2023, 2025, 2023, 2025]), ["A", "B"], final_only=True
        )
        == 2023
    )


def test_priority_lists_each_source_once() -> None:
    for key, sources in record.SOURCE_PRIORITY.items():
        assert len(sources) == len(set(sources)), key
        assert sources[-1] == "published", key  # printed press figures always last
    assert record.source_priority("COL", "import")[0] == "dane_imports"
    assert record.source_priority("COL", "export")[0] == "dian"
    assert record.source_priority("USA", "import")[0] == "us_census_general"
    assert record.source_priority("CHN", "export")[0] == "gacc"
    assert record.source_priority("BRA", "export") == (
        "comtrade",
        "imf_dots_dbnomics",
        "imf_dots",
        "published",
    )


def test_the_newer_imf_vintage_wins_where_both_hold_the_year_and_the_older_fills_the_rest() -> None:
    """A peer's year held by both IMF vintages takes the later one (the DBnomics copy); a year only the early-2022
    workbooks hold takes theirs; the reporter's own figure (Comtrade) beats both; the partner's report never
    stands in for the reporter's."""
    connection = duckdb.connect(":memory:")
    create_schema(connection)
    connection.executemany(
        "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, valuation,"
        " source, dataset_id, valuation_stated) VALUES (?, ?, ?, ?, ?, 'TOTAL', 0, ?, ?, ?, 1, TRUE)",
        [
            (2020, "2020", "PER", "WLD", "import", 30_952.0, "CIF", "imf_dots"),
            (2020, "2020", "PER", "WLD", "import", 42_281.0, "CIF", "imf_dots_dbnomics"),
            (2014, "2014", "PER", "WLD", "import", 41_000.0, "CIF", "imf_dots"),
            (2020, "2020", "PER", "CHN", "export", 10_963.0, "FOB", "imf_dots"),
            (2020, "2020", "PER", "CHN", "export", 10_970.0, "FOB", "imf_dots_dbnomics"),
            (2020, "2020", "PER", "CHN", "export", 10_975.0, "FOB", "comtrade"),
            (2019, "2019", "USA", "PER", "export", 8_000.0, "FOB", "us_census_general"),  # the mirror only
        ],
    )
    frame = record.query_record(connection, reporter="PER", partners=["WLD", "CHN", "USA"])
    picked = {
        (r["partner_iso3"], r["flow"], r["year"]): (r["value_usd"], r["source"])
        for r in frame.to_dict("records")
    }
    assert picked == {
        ("WLD", "import", 2020): (42_281.0, "imf_dots_dbnomics"),
        ("WLD", "import", 2014): (41_000.0, "imf_dots"),
        ("CHN", "export", 2020): (10_975.0, "comtrade"),
    }
    publishers = dict(zip(frame["source"], frame["publisher"], strict=True))
    assert publishers["imf_dots_dbnomics"] == "IMF Direction of Trade Statistics (2026 vintage, via DBnomics)"
    assert publishers["comtrade"] == "UN Comtrade (reported by PER)"


def test_split_publisher_reads_any_case_and_the_office_itself() -> None:
    assert record.split_publisher("El Nuevo Siglo (Citing DANE)") == ("DANE", "El Nuevo Siglo")
    assert record.split_publisher("DANE") == ("DANE", "")
    assert record.split_publisher("dane (boletín técnico)") == ("DANE", "")
    assert record.split_publisher("Danes Daily") == ("not stated", "Danes Daily")


def test_official_balance_vetting() -> None:
    printed = pd.DataFrame(
        [(2024, "CHN", -55.0, "unknown", "News (citing DANE)", "u1"),  # exports 45 − imports CIF 100: mixed
         (2024, "CHN", -50.0, "CIF", "News (citing DANE)", "u2"),  # stated CIF
         (2024, "CHN", -60.0, "unknown", "DANE", "u3"),  # the office's own release: no checks but valuation
         (2024, "CHN", -90.0, "FOB", "Radio (Citing DANE)", "u4"),  # far from 45 − 100 / 1.06: flagged
         (2024, "CHN", -49.0, "unknown", "Blog", "u5")],  # cites no office: not a candidate
        columns=["year", "partner_iso3", "value_usd", "valuation", "publisher", "url"],
    )  # fmt: skip
    rec = pd.DataFrame([("CHN", 2024, "export", 45.0, "FOB"), ("CHN", 2024, "import", 100.0, "CIF")],
                       columns=["partner_iso3", "year", "flow", "value_usd", "valuation"])  # fmt: skip
    vetted = record_balance.vet_official_balances(printed, rec, office="DANE", factor=1.06).set_index("url")
    assert list(vetted.index) == ["u1", "u2", "u3", "u4"]
    assert list(vetted["accepted"]) == [False, False, True, True]
    assert "mixed" in vetted.loc["u1", "check"] and "CIF" in vetted.loc["u2", "check"]
    assert bool(vetted.loc["u3", "own_release"]) and vetted.loc["u3", "check"] == ""
    assert "above" not in vetted.loc["u4", "check"] and "below the FOB estimate" in vetted.loc["u4", "check"]


def _rec(rows: list[tuple]) -> pd.DataFrame:
    """TOTAL record rows: (partner, year, flow, value, valuation[, provisional, comparable])."""
    full = [(*r, False, True) if len(r) == 5 else r for r in rows]
    frame = pd.DataFrame(full, columns=["partner_iso3", "year", "flow", "value_usd", "valuation", "provisional",
                                        "comparable"])  # fmt: skip
    for column in ("source", "publisher", "printed_by", "caveat"):
        frame[column] = None
    return frame


def _official(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["partner_iso3", "year", "balance_usd"])
    frame[["url", "valuation", "publisher", "printed_by", "check"]] = [None, "unknown", "DANE", "Page", ""]
    return frame


def test_cif_fob_factor_from_the_offices_own_balance() -> None:
    """imports CIF ÷ (exports FOB − the office's FOB/FOB balance), only from final, comparable, plausible years."""
    rec = _rec([("CHN", 2013, "export", 50.0, "FOB"), ("CHN", 2013, "import", 105.0, "CIF"),
                ("CHN", 2024, "export", 20.0, "FOB"), ("CHN", 2024, "import", 160.0, "CIF"),
                ("USA", 2024, "export", 140.0, "FOB", True, True), ("USA", 2024, "import", 165.0, "CIF"),
                ("MEX", 2024, "export", 20.0, "FOB", False, False), ("MEX", 2024, "import", 33.0, "CIF"),
                ("ARG", 2024, "export", 5.0, "FOB"), ("ARG", 2024, "import", 15.0, "CIF")])  # fmt: skip
    official = _official(
        [("CHN", 2013, -50.0), ("USA", 2024, -12.0), ("MEX", 2024, -11.0), ("ARG", 2024, -5.0)]
    )
    factors = record_balance.derive_cif_fob_factors(rec, official)
    # China 2013: 105 ÷ (50 + 50) = 1.05. The US (provisional exports), Mexico (non-comparable exports) and
    # Argentina (15 ÷ 10 = 1.5, outside the band) give none.
    assert factors[["partner_iso3", "year"]].values.tolist() == [["CHN", 2013]]
    assert factors["factor"].iloc[0] == pytest.approx(1.05)
    assert record_balance.partner_factor(factors, "CHN", 2024) == (pytest.approx(1.05), "DANE 2013")
    assert record_balance.partner_factor(factors, "USA", 2024) == (1.06, record_balance.FACTOR_FROM_IMF)


def test_nearest_year_factor_later_on_a_tie() -> None:
    factors = pd.DataFrame({"partner_iso3": ["USA", "USA"], "year": [2013, 2023], "factor": [1.03, 1.06]})
    assert record_balance.partner_factor(factors, "USA", 2015) == (1.03, "DANE 2013")
    # 5 years from each: the later
    assert record_balance.partner_factor(factors, "USA", 2018) == (1.06, "DANE 2023")
    assert record_balance.partner_factor(factors, "USA", 2025) == (1.06, "DANE 2023")


def test_estimate_uses_the_partner_factor_and_says_so() -> None:
    rec = _rec([("CHN", 2013, "export", 50.0, "FOB"), ("CHN", 2013, "import", 105.0, "CIF"),
                ("CHN", 2024, "export", 20.0, "FOB"), ("CHN", 2024, "import", 160.0, "CIF"),
                ("PAN", 2024, "export", 40.0, "FOB"), ("PAN", 2024, "import", 10.0, "CIF")])  # fmt: skip
    frame = record_balance.balance_frame(rec, _official([("CHN", 2013, -50.0)]))
    head = frame[frame["headline"]].set_index(["partner_iso3", "year"])
    chn = head.loc[("CHN", 2024)]
    assert chn["basis"] == record_balance.FOB_ESTIMATED and chn["balance_usd"] == pytest.approx(
        20.0 - 160.0 / 1.05
    )
    assert chn["basis_label"] == ("exports FOB − imports CIF ÷ 1.050 (CIF/FOB factor from DANE's own 2013 "
                                  "figures: an estimate)")  # fmt: skip
    pan = head.loc[("PAN", 2024)]
    assert pan["balance_usd"] == pytest.approx(40.0 - 10.0 / 1.06) and pan["factor_source"] == "IMF"
    assert "IMF's CIF/FOB factor" in pan["basis_label"]
    # A factor given by the caller (the reconciled view's what-if) is used everywhere, labelled as a conversion.
    given = record_balance.balance_frame(rec, _official([("CHN", 2013, -50.0)]), 1.08)
    chn_given = given[given["headline"]].set_index(["partner_iso3", "year"]).loc[("CHN", 2024)]
    assert (
        chn_given["balance_usd"] == pytest.approx(20.0 - 160.0 / 1.08)
        and chn_given["factor_source"] == "given"
    )
    assert chn_given["basis_label"].endswith("÷ 1.08 (CIF converted to FOB: an estimate)")


def test_printed_figures_within_half_a_percent_count_as_one_figure() -> None:
    # Three pages print -64.0, -64.2 and -64.1 (within 0.5 % of -64.0: rounding); two print -70.0.
    # The three agree, so the figure most pages print is about -64, and the first printed of them is chosen.
    values = [-70.0, -64.0, -70.0, -64.2, -64.1]
    frame = pd.DataFrame(
        {
            "year": 2021, "reporter_iso3": "COL", "partner_iso3": "CHN", "flow": "balance",
            "value_usd": values, "valuation": "unknown", "publisher": [f"Page {i}" for i in range(5)],
        }
    )  # fmt: skip
    chosen = record.choose_printed(frame)
    assert frame.loc[chosen, "value_usd"].tolist() == [-64.0]
    # 0.8 % apart is no longer one figure: the two pages printing -70.0 outnumber each single other value
    frame["value_usd"] = [-70.0, -64.0, -70.0, -64.5, -63.5]
    assert frame.loc[record.choose_printed(frame), "value_usd"].tolist() == [-70.0]
