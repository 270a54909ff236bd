"""DANE's partner balances as printed (dane-fob-balance-by-partner-printed) and the CIF/FOB factor they give.

The expected values are computed here from the raw CSV files (DANE's import annex, UN Comtrade's Colombia
exports, DIAN's monthly exports, the printed balances), never from the code under test. Bad rows of the printed
file are refused with their line and column, and the database is left as it was.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from dashboard import claims as c
from etl import record_balance, settings
from etl.errors import InputError
from etl.load import FileMetadata, load_files
from etl.sources.dane_fob_printed import read_printed
from tests.dbstate import snapshot

RAW = settings.DATA_DIR / "raw"
PRINTED = RAW / "dane-fob-balance-by-partner-printed" / "dane_fob_balance_by_partner_printed.csv"
IMPORTS = RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv"
COMTRADE = RAW / "comtrade-latam-exports-col-2000-2025" / "trade_edges_global_partners_COL_exporter_rows.csv"
DIAN = RAW / "dian-exports-by-destination" / "colombia_exports_by_destination_monthly_2023_2026.csv"
FACTS = RAW / "published-figures" / "facts.csv"


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def _import_cif(iso3: str, year: int) -> float:
    rows = [r for r in _rows(IMPORTS, "utf-8-sig")
            if r["codigo iso3"] == iso3 and r["anio"] == str(year) and r["capitulo"] == "TOTAL"]  # fmt: skip
    assert len(rows) == 1
    return float(rows[0]["valor dolares cif"])


def _comtrade_export(iso3: str, year: int) -> float:
    rows = [r for r in _rows(COMTRADE) if r["importer"] == iso3 and r["year"] == str(year)]
    assert len(rows) == 1
    return float(rows[0]["value_usd"])


def _dian_export(destination: str, year: int) -> float:
    months = [float(r["fob_usd_million"]) for r in _rows(DIAN)
              if r["destination"] == destination and r["month"].startswith(f"{year}-")]  # fmt: skip
    assert len(months) == 12
    return sum(months) * 1e6


def _printed_balance(publisher: str, iso3: str, year: int) -> float:
    rows = [r for r in _rows(FACTS) if r["publisher"] == publisher and r["partner_iso3"] == iso3
            and r["year"] == str(year) and r["flow"] == "balance"]  # fmt: skip
    assert len(rows) == 1
    return float(rows[0]["value_usd"])


def test_full_year_rows_loaded_as_printed(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    """Exactly the full-year rows with a number go to published_figures, in dollars, valuation as printed."""
    expected = sorted(
        (int(r["period_start"][:4]), {"EUU": "EUN"}.get(r["partner_iso3"], r["partner_iso3"]),
         round(float(r["balance_usd_millions"]) * 1e6), r["url"])
        for r in _rows(PRINTED)
        if r["period_start"].endswith("-01") and r["period_end"].endswith("-12") and r["balance_usd_millions"]
    )  # fmt: skip
    assert len(expected) == 18
    loaded = sorted(small_bundle_con.execute(
        "SELECT f.year, f.partner_iso3, f.value_usd, f.url FROM published_figures f JOIN datasets d USING "
        "(dataset_id) WHERE d.path LIKE '%dane_fob_balance_by_partner_printed.csv'"
    ).fetchall())  # fmt: skip
    assert loaded == expected
    # China's 2024 print ("US$12.91 millones") is garbled: no balance with China for 2024 from this file.
    assert (2024, "CHN") not in {(y, p) for y, p, _, _ in loaded}


def test_every_decimal_is_its_print() -> None:
    for row in _rows(PRINTED):
        if row["balance_usd_millions"]:
            assert read_printed(row["balance_as_printed_usd_millions"]) == float(
                row["balance_usd_millions"]
            ), row


def test_china_2024_estimate_uses_danes_own_2013_factor(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    """China 2024: DANE printed no legible FOB balance, so the estimate divides imports CIF by the factor of
    2013, the only full year whose DANE FOB balance with China is legible: imports CIF 2013 ÷ (exports FOB 2013
    − DANE's balance 2013)."""
    factor = _import_cif("CHN", 2013) / (
        _comtrade_export("CHN", 2013) - _printed_balance("El Nuevo Siglo (citing DANE)", "CHN", 2013)
    )
    expected = _dian_export("China", 2024) - _import_cif("CHN", 2024) / factor
    assert factor == pytest.approx(1.05296, abs=1e-5)
    assert expected / 1e9 == pytest.approx(-12.757, abs=1e-3)
    head = record_balance.query_balance(small_bundle_con, partners=["CHN"]).set_index("year").loc[2024]
    assert head["basis"] == record_balance.FOB_ESTIMATED and head["factor_source"] == "DANE 2013"
    assert head["balance_usd"] == pytest.approx(expected, rel=1e-9)
    assert head["factor"] == pytest.approx(factor, rel=1e-9)
    assert "÷ 1.053" in head["basis_label"] and "DANE's own 2013 figures" in head["basis_label"]
    # The claim card says the same number on the same, labelled basis.
    cards = c.build_cards(c.query_claim_data(small_bundle_con, with_scenarios=False))
    card = next(k for k in cards if k.spec.id == 1)
    assert card.facts["deficit_usd"] == pytest.approx(-expected, rel=1e-9)
    assert "DANE's own 2013 figures" in card.basis


def test_partner_factor_from_latest_legible_year(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    """The US: DANE's 2024 balance gives the 2024 factor (exports from DIAN, imports CIF from the annex); the
    2025 estimate uses it (nearest year). A partner DANE printed nothing for keeps IMF's 1.06."""
    usa_2024 = _import_cif("USA", 2024) / (_dian_export("Estados Unidos", 2024) - (-1_189_000_000.0))
    factors = record_balance.query_cif_fob_factors(small_bundle_con, partners=["USA", "CHN"]).set_index(
        ["partner_iso3", "year"]
    )
    assert factors.loc[("USA", 2024), "factor"] == pytest.approx(usa_2024, rel=1e-9)
    balances = record_balance.query_balance(small_bundle_con, partners=["USA", "PAN"], basis="fob_estimated")
    usa = balances[balances["partner_iso3"] == "USA"].set_index("year")
    assert usa.loc[2025, "factor_source"] == "DANE 2024"
    assert usa.loc[2025, "factor"] == pytest.approx(usa_2024, rel=1e-9)
    pan = balances[balances["partner_iso3"] == "PAN"]
    assert set(pan["factor_source"]) == {record_balance.FACTOR_FROM_IMF} and set(pan["factor"]) == {1.06}
    assert pan["basis_label"].str.contains("IMF's CIF/FOB factor").all()


def test_a_page_transcribed_twice_counts_once(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    """La Nota's 2013 China figure is in facts.csv and in this file: one page, one vote, so DANE's −4,739.4 (El
    Nuevo Siglo) stays the chosen figure (a second copy of La Nota's −4,739 would outvote it)."""
    printed = record_balance.query_printed_balances(small_bundle_con, partners=["CHN"])
    chn_2013 = printed[printed["year"] == 2013]
    assert sorted(chn_2013["value_usd"]) == [-4_739_400_000.0, -4_739_000_000.0]
    head = record_balance.query_balance(small_bundle_con, partners=["CHN"]).set_index("year").loc[2013]
    assert head["basis"] == record_balance.OFFICIAL and head["balance_usd"] == -4_739_400_000.0


def _edited(tmp_path: Path, line: int, **values: str) -> Path:
    rows = _rows(PRINTED)
    rows[line - 2].update(values)
    path = tmp_path / PRINTED.name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("line", "values", "column", "message"),
    [
        (5, {"balance_usd_millions": "-1180.0"}, "balance_usd_millions", "is not the printed '-1.189'"),
        (6, {"balance_as_printed_usd_millions": "-1,175.0"}, "balance_as_printed_usd_millions",
         "not one signed number with Spanish separators"),
        (2, {"period_end": "2025-01"}, "period_end", "does not run forward within one year"),
        (2, {"period_start": "2024-13"}, "period_start", "is not a month written YYYY-MM"),
        (5, {"partner_iso3": "XXX"}, "partner_iso3", "unknown partner code 'XXX'"),
        (5, {"balance_usd_millions": ""}, "balance_usd_millions", "is empty and the print is not marked garbled"),
        (5, {"balance_usd_millions": "mil"}, "balance_usd_millions", "is not a number"),
        (7, {"quote": ""}, "quote", "quote is empty"),
    ],
)  # fmt: skip
def test_bad_rows_are_refused(
    scratch_db: Path, tmp_path: Path, line: int, values: dict[str, str], column: str, message: str
) -> None:
    before = snapshot(scratch_db)
    with pytest.raises(InputError) as caught:
        load_files(scratch_db, [_edited(tmp_path, line, **values)], metadata=[FileMetadata()])
    assert snapshot(scratch_db) == before
    assert (caught.value.line, caught.value.column) == (line, column)
    assert message in caught.value.message


def test_load_says_what_it_set_aside(scratch_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_bytes(PRINTED.read_bytes().replace(b"Mxico", b"Mexico"))  # a changed file loads again
    (result,) = load_files(scratch_db, [copy], metadata=[FileMetadata()])
    notes = " | ".join(result.notes)
    assert "18 full-year balances into published_figures" in notes
    assert "set aside 26 balances of partial periods" in notes and "2017-01…2017-09 (5)" in notes
    assert "set aside 2 prints marked garbled" in notes and "CHN 2024 (line 3)" in notes
