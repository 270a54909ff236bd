"""`balanza claims` as a script runs it: a subprocess on the bundled database, checked against the dashboard's cards
(the same builder the Claims page calls) and against sums computed here from the raw files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard import claims as c
from etl import settings

RAW = settings.DATA_DIR / "raw"
ROOT = Path(__file__).resolve().parents[2]


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "balanza", "claims", "--db", str(db), *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=600, check=False)  # fmt: skip


def _dian_2024() -> dict[str, float]:
    """Colombia's 2024 exports by destination (USD), summed from DIAN's monthly raw file."""
    sums: dict[str, float] = {}
    with open(RAW / "dian-exports-by-destination" / "colombia_exports_by_destination_monthly_2023_2026.csv",
              encoding="utf-8", newline="") as handle:  # fmt: skip
        for row in csv.DictReader(handle):
            if row["month"].startswith("2024-"):
                sums[row["destination"]] = (
                    sums.get(row["destination"], 0.0) + float(row["fob_usd_million"]) * 1e6
                )
    return sums


def _dane_imports(iso3: str, year: int) -> float:
    with open(RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv",
              encoding="utf-8-sig", newline="") as handle:  # fmt: skip
        return next(float(r["valor dolares cif"]) for r in csv.DictReader(handle)
                    if r["codigo iso3"] == iso3 and r["anio"] == str(year) and r["capitulo"] == "TOTAL")  # fmt: skip


def _imf_dots_dbnomics(area: str, indicator: str, counterpart: str, year: int) -> float:
    """One IMF DOTS value as served by DBnomics (USD millions in the file), in USD."""
    with open(RAW / "imf-dots-dbnomics-latam-2015-2024" / "dots_trade_LATAM7_rows.csv", encoding="utf-8",
              newline="") as handle:  # fmt: skip
        return next(float(r["value"]) * 1e6 for r in csv.DictReader(handle)
                    if (r["ref_area"], r["indicator"], r["counterpart"], r["year"]) == (area, indicator, counterpart,
                                                                                         str(year)))  # fmt: skip


@pytest.fixture(scope="module")
def cli_json(bundled_db: Path) -> dict:
    done = _run(bundled_db, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_verdicts_and_figures_are_the_dashboards(cli_json: dict, bundled_db: Path) -> None:
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        cards = c.build_cards(c.query_claim_data(con))
    finally:
        con.close()
    by_id = {claim["id"]: claim for claim in cli_json["claims"]}
    assert sorted(by_id) == [card.spec.id for card in cards]
    for card in cards:
        claim = by_id[card.spec.id]
        assert (claim["verdict"], claim["figure"], claim["basis"], claim["citation"]) == (
            card.verdict, card.figure, card.basis, card.citation,
        )  # fmt: skip
        assert len(claim["figures"]) == len(card.numbers)
        assert claim["rule"] == card.spec.tolerance_text and claim["rule"]


def test_figures_match_sums_of_the_raw_files(cli_json: dict) -> None:
    by_id = {claim["id"]: claim for claim in cli_json["claims"]}
    exports = _dian_2024()
    # Claim 3: the US share of Colombia's 2024 exports, DIAN destination over DIAN total.
    assert by_id[3]["value"] == pytest.approx(exports["Estados Unidos"] / exports["TOTAL"], rel=1e-9)
    assert by_id[3]["unit"] == "share"
    # Claim 1: the mixed-valuation figure it shows beside the headline is exports FOB − imports CIF, from the raw files.
    mixed = [f for f in by_id[1]["figures"] if f["year"] == 2024 and "mixed" in (f["perspective"] or "")]
    assert mixed and mixed[0]["value"] == pytest.approx(
        exports["China"] - _dane_imports("CHN", 2024), rel=1e-9
    )
    # Claim 9: imports from China over Colombia's imports in 2024 (the IMF's later DOTS vintage, 63,950 m, which the
    # record takes before the national total printed by pages citing DANE, 64,104 m).
    world = _imf_dots_dbnomics("CO", "TMG_CIF_USD", "W00", 2024)
    assert round(world / 1e6) == 63_950
    assert by_id[9]["value"] == pytest.approx(_dane_imports("CHN", 2024) / world, rel=1e-9)
    # Every figure carries the record's flags: 2025 exports to China are provisional and not comparable.
    exports_2025 = [f for f in by_id[7]["figures"] if f["year"] == 2025]
    assert exports_2025 and all(f["provisional"] is True and f["comparable"] is False for f in exports_2025)
    assert all(f["provisional"] is False for f in by_id[7]["figures"] if f["year"] == 2024)
    # Publishers are named, the page that printed one apart ("as printed by").
    assert by_id[2]["printed_by"] == "El Nuevo Siglo" and "DANE" in by_id[2]["publisher"]


def test_spanish_csv_has_the_same_verdicts(cli_json: dict, bundled_db: Path) -> None:
    done = _run(bundled_db, "--csv", "--lang", "es")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    verdicts = {int(r["claim_id"]): r["claim_verdict"] for r in rows}
    assert verdicts == {claim["id"]: claim["verdict"] for claim in cli_json["claims"]}
    assert {"figure_value", "figure_publisher", "claim_rule", "claim_printed_by"} <= set(rows[0])


def test_json_and_csv_are_exclusive(bundled_db: Path) -> None:
    done = _run(bundled_db, "--json", "--csv")
    assert done.returncode == 2 and "not allowed with" in done.stderr
