"""Colombia's 2024 GDP in US dollars: derived from DANE's GDP in pesos (as printed by the OECD) and the average of
the Superintendencia Financiera's daily TRM, recomputed here from the two raw files; used where the World Bank
series ends (claim 8, % of GDP on the Balances page), labelled as derived."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

import duckdb
import pytest

from dashboard import claims as c
from dashboard import queries, units
from etl import record, record_balance, settings
from etl.errors import InputError
from etl.load import FileMetadata, load_files
from etl.store import copy_database
from tests.dbstate import snapshot

FOLDER = settings.DATA_DIR / "raw" / "reference" / "gdp-colombia-2024-derived"
WORLD_BANK = settings.DATA_DIR / "raw" / "reference" / "wb-gdp-current-usd" / "gdp.csv"
THIRD_PARTY_2024 = 418_542e6  # countryeconomy.com, "Annual GDP 2024 $418,542M"
TOLERANCE = 0.01


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def daily_trm() -> dict[dt.date, float]:
    """The TRM in force on each calendar day (each row holds from VIGENCIADESDE to VIGENCIAHASTA)."""
    days: dict[dt.date, float] = {}
    for row in _rows(FOLDER / "trm_daily_superfinanciera.csv"):
        rate = float(row["VALOR"].replace("$", "").replace(",", ""))
        day = dt.datetime.strptime(row["VIGENCIADESDE"], "%d/%m/%Y").date()
        last = dt.datetime.strptime(row["VIGENCIAHASTA"], "%d/%m/%Y").date()
        while day <= last:
            assert day not in days, day
            days[day] = rate
            day += dt.timedelta(days=1)
    return days


def average_trm(year: int) -> float:
    rates = [rate for day, rate in daily_trm().items() if day.year == year]
    assert len(rates) == (366 if year % 4 == 0 else 365)
    return sum(rates) / len(rates)


def derived_2024() -> float:
    (printed,) = _rows(FOLDER / "gdp_cop_printed.csv")
    assert printed["year"] == "2024" and "1 706 447" in printed["quote"]
    return float(printed["gdp_cop_billion"]) * 1e9 / average_trm(2024)


def test_the_method_reproduces_banco_de_la_republicas_dollar_gdp() -> None:
    """Banco de la República's table (GDP in pesos and in dollars, 2019 and 2020) is GDP ÷ the calendar-day mean."""
    assert 1_061_119.0e9 / average_trm(2019) / 1e6 == pytest.approx(323_404.2, abs=0.05)
    assert 1_002_922.3e9 / average_trm(2020) / 1e6 == pytest.approx(271_547.3, abs=0.05)
    assert average_trm(2024) == pytest.approx(4_071.35, abs=0.005)


def test_derived_file_and_database_hold_the_recomputed_figure(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    (row,) = _rows(FOLDER / "gdp_usd_DERIVED.csv")
    assert (row["Country Code"], row["Year"], row["source"]) == ("COL", "2024", "derived")
    assert float(row["Value"]) == pytest.approx(derived_2024(), abs=0.5)
    assert abs(derived_2024() / THIRD_PARTY_2024 - 1) < TOLERANCE  # +0.14 %
    gdp = record.query_gdp(small_bundle_con).set_index("year")
    assert gdp.loc[2024, "gdp_usd"] == pytest.approx(derived_2024(), abs=0.5)
    assert gdp.loc[2024, "source"] == "derived" and "TRM" in gdp.loc[2024, "publisher"]
    # The World Bank's own years stay the World Bank's.
    world_bank = {int(r["Year"]): float(r["Value"]) for r in _rows(WORLD_BANK) if r["Country Code"] == "COL"}
    assert gdp.loc[2023, "gdp_usd"] == world_bank[2023] and gdp.loc[2023, "source"] == "world_bank"
    assert 2024 not in world_bank


def test_claim8_divides_by_the_2024_gdp_and_says_it_is_derived(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    data = c.query_claim_data(small_bundle_con, with_scenarios=False)
    card = next(k for k in c.build_cards(data) if k.spec.id == 8)
    assert card.facts["gdp_year"] == 2024
    deficit = -float(
        record_balance.query_balance(small_bundle_con, partners=["CHN"])
        .set_index("year")
        .loc[2024, "balance_usd"]
    )
    assert card.facts["trade_gap_pct_gdp"] == pytest.approx(deficit / derived_2024() * 100)
    assert "2024 GDP in US dollars derived" in " ".join(card.explanation)


def test_balances_in_percent_of_gdp_have_2024(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    wide = queries.query_balances(small_bundle_con, view="reporter", partners=["WLD"])
    world = wide.set_index("year").loc[[2024]].reset_index()
    pct = units.convert(world, units.PCT_GDP, gdp=queries.query_gdp(small_bundle_con), value_column="balance")
    assert float(pct.iloc[0]) == pytest.approx(-10_811e6 / derived_2024() * 100)  # −2.58 %


def test_a_derived_gdp_without_its_method_is_refused(small_bundle_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "scratch.duckdb"
    copy_database(small_bundle_db, db)  # the catalogue and its store (etl/store/)
    bad = tmp_path / "gdp_bad.csv"
    bad.write_text(
        "Country Name,Country Code,Year,Value,source,publisher\nColombia,COL,2024,419e9,derived,\n"
    )
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        load_files(db, [bad], metadata=[FileMetadata()])
    assert snapshot(db) == before and caught.value.line == 2
    assert "publisher naming its method" in caught.value.message
