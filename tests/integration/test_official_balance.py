"""Which printed balance stands as DANE's own (official) balance: the fact-check's four reproductions.

Each case loads a modified copy of the bundled published-figures files into a scratch database (the bundle's
reference tables, DANE's exports and imports, and the printed figures) and reads the headline balance and the
claim cards through the series of record, as every page does. Expected values come from the raw files.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import claims as c
from etl import record, record_balance, settings
from etl.build import build_database
from etl.load import load_files
from etl.manifest import ManifestEntry
from etl.store import copy_database

RAW = settings.DATA_DIR / "raw"
FIGURES = RAW / "published-figures"
PRINTED_TRADE = ("facts.csv", "facts_added_2026.csv")
KEPT_TRADE = ("dane-imports-by-origin-1980-2026", "dian-exports-by-destination")
REFERENCE_FILES = ("CensusCountryMapping_FRBAtl_short.csv", "indicators.csv")

Rows = list[dict[str, str]]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reference tables and DANE's exports and imports, without the printed figures (each test loads its copy)."""

    def keep(entry: ManifestEntry) -> bool:
        path = entry.path
        reference = path.parent.parent.name == "reference" or path.parent.name.startswith("us-tariffs-2025")
        return reference or path.parent.name in KEPT_TRADE or path.name in REFERENCE_FILES

    path = tmp_path_factory.mktemp("official") / "base.duckdb"
    build_database(path, manifest=settings.MANIFEST_PATH, keep=keep)
    return path


def _read(name: str) -> Rows:
    with open(FIGURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: Rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _load(base_db: Path, tmp_path: Path, edit: Callable[[str, dict[str, str]], None] | None = None) -> Path:
    """A copy of the base with the printed-figure files loaded, each row passed through ``edit`` first."""
    db = tmp_path / "case.duckdb"
    copy_database(base_db, db)  # the catalogue and its store (etl/store/)
    copies = []
    for name in PRINTED_TRADE:
        rows = _read(name)
        for row in rows:
            if edit:
                edit(name, row)
        copies.append(_write(tmp_path / "printed" / name, rows))
    load_files(db, copies)
    return db


def _headline(db: Path, partner: str, year: int) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        frame = record_balance.query_balance(con, partners=[partner])
        cards = {k.spec.id: k for k in c.build_cards(c.query_claim_data(con, with_scenarios=False))
                 if k.spec.id in (1, 2)}  # fmt: skip
    finally:
        con.close()
    row = frame[frame["year"] == year].iloc[0].to_dict()
    row["verdicts"] = {i: k.verdict for i, k in cards.items()}
    return row


def _raw_2024_china() -> tuple[float, float]:
    """Exports to China (DIAN, sum of 2024's months) and imports from China (DANE annex, 2024 TOTAL), USD."""
    with open(RAW / "dian-exports-by-destination" / "colombia_exports_by_destination_monthly_2023_2026.csv",
              encoding="utf-8", newline="") as handle:  # fmt: skip
        exports = sum(float(r["fob_usd_million"]) * 1e6 for r in csv.DictReader(handle)
                      if r["month"].startswith("2024-") and r["destination"] == "China")  # fmt: skip
    with open(RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv",
              encoding="utf-8-sig", newline="") as handle:  # fmt: skip
        imports = next(float(r["valor dolares cif"]) for r in csv.DictReader(handle)
                       if r["codigo iso3"] == "CHN" and r["anio"] == "2024" and r["capitulo"] == "TOTAL")  # fmt: skip
    return exports, imports


def _usa_2024(edit: Callable[[dict[str, str]], None]) -> Callable[[str, dict[str, str]], None]:
    def apply(name: str, row: dict[str, str]) -> None:
        if name == "facts_added_2026.csv" and (row["year"], row["partner_iso3"], row["flow"]) == (
            "2024", "USA", "balance",
        ):  # fmt: skip
            edit(row)

    return apply


@pytest.fixture(scope="module")
def as_bundled(base_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The headline with the printed files as bundled, for China and the USA in 2024."""
    db = _load(base_db, tmp_path_factory.mktemp("as-bundled"))
    return {"CHN": _headline(db, "CHN", 2024), "USA": _headline(db, "USA", 2024)}


def test_the_bundled_files_give_danes_usa_balance_and_no_official_china_one(as_bundled: dict) -> None:
    assert (
        as_bundled["USA"]["basis"] == record_balance.OFFICIAL and as_bundled["USA"]["balance_usd"] == -1_189e6
    )
    assert as_bundled["CHN"]["basis"] != record_balance.OFFICIAL


def test_a_citing_tag_does_not_make_the_mixed_figure_official(base_db: Path, tmp_path: Path,
                                                              as_bundled: dict) -> None:  # fmt: skip
    """The news row of −13,559 m (exports FOB − imports CIF) with "(citing DANE)" appended stays a mixed figure."""
    exports, imports = _raw_2024_china()
    assert abs(-13_559e6 - (exports - imports)) <= abs(exports - imports) * 0.005  # it IS the mixed figure

    def tag(name: str, row: dict[str, str]) -> None:
        if (row["year"], row["partner_iso3"], row["flow"], row["value_usd"]) == ("2024", "CHN", "balance",
                                                                                 "-13559000000"):  # fmt: skip
            row["publisher"] += " (citing DANE)"

    head = _headline(_load(base_db, tmp_path, tag), "CHN", 2024)
    assert head["basis"] != record_balance.OFFICIAL and head["balance_usd"] != -13_559e6
    assert head["balance_usd"] == as_bundled["CHN"]["balance_usd"]
    assert head["verdicts"] == as_bundled["CHN"]["verdicts"]  # claims 1 and 2 keep their verdicts


def test_a_balance_stated_as_cif_is_not_danes_fob_balance(base_db: Path, tmp_path: Path) -> None:
    head = _headline(
        _load(base_db, tmp_path, _usa_2024(lambda row: row.update(valuation="CIF"))), "USA", 2024
    )
    assert head["basis"] != record_balance.OFFICIAL and head["balance_usd"] != -1_189e6


def test_dane_as_publisher_is_danes_own_release(base_db: Path, tmp_path: Path) -> None:
    head = _headline(
        _load(base_db, tmp_path, _usa_2024(lambda row: row.update(publisher="DANE"))), "USA", 2024
    )
    assert head["basis"] == record_balance.OFFICIAL and head["balance_usd"] == -1_189e6
    assert head["publisher"] == "DANE" and pd.isna(head["printed_by"])
    assert record.citation(head["publisher"], head["printed_by"]) == "DANE"


def test_the_citing_note_is_read_in_any_case(base_db: Path, tmp_path: Path) -> None:
    capitalised = _usa_2024(lambda row: row.update(publisher="El Nuevo Siglo (Citing DANE)"))
    head = _headline(_load(base_db, tmp_path, capitalised), "USA", 2024)
    assert head["basis"] == record_balance.OFFICIAL and head["balance_usd"] == -1_189e6
    assert (head["publisher"], head["printed_by"]) == ("DANE", "El Nuevo Siglo")
