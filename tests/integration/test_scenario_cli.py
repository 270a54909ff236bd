"""`balanza scenario` on the real bundled database: the presets, the JSON contract, errors and the report."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from balanza.cli import main
from dashboard.scenarios.report import comparison_report_html
from etl import record_balance
from model.compare import headline_table, partner_comparison
from model.scenario import run_scenario
from model.spec import PRESETS_DIR, parse_spec

PARTNER_KEYS = {
    "partner_iso3",
    "baseline_usd",
    "trade_creation_usd",
    "trade_diversion_usd",
    "total_change_usd",
}
TOTAL_KEYS = {"baseline_usd", "total_change_usd", "tariff_revenue_change_usd"}
# Independent check on the raw files (data/raw/us-census-imports-2024-hs10/PROVENANCE.md): imports for
# consumption from Colombia in 2024 and from all 51 partner files together.
COLOMBIA_2024_USD = 18_310_770_810
ALL_PARTNERS_2024_USD = 3_216_961_412_233
RAW_LINES = Path(__file__).resolve().parents[2] / "data" / "raw" / "us-census-imports-2024-hs10"


def _raw_file_total(census_code: str) -> float:
    """Imports for consumption of one partner file, summed straight from the raw Parquet file."""
    path = RAW_LINES / f"2024-hs10-imports{census_code}.parquet"
    return duckdb.sql(f"SELECT sum(CAST(CON_VAL_YR AS DOUBLE)) FROM read_parquet('{path}')").fetchall()[0][0]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict | None, str]:
    code = main(["scenario", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def test_colombia_preset_contract_and_known_baselines(
    bundled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result, _ = _run(capsys, str(PRESETS_DIR / "colombia_10pp_more.json"), "--db", str(bundled_db))
    assert code == 0
    assert TOTAL_KEYS <= set(result["totals"])
    assert all(PARTNER_KEYS <= set(row) for row in result["by_partner"])
    partners = {row["partner_iso3"]: row for row in result["by_partner"]}
    # 51 partner files; Slovakia (Census 4359) is also inside the EU file (0003): the EU counts once.
    assert len(partners) == 50 and "SVK" not in partners and "EUN" in partners
    assert result["totals"]["partners_left_out"] == ["SVK"]
    assert partners["COL"]["baseline_usd"] == pytest.approx(COLOMBIA_2024_USD, abs=1)
    slovakia = _raw_file_total("4359")
    assert slovakia > 8e9
    assert result["totals"]["baseline_usd"] == pytest.approx(ALL_PARTNERS_2024_USD - slovakia, abs=1)
    assert partners["COL"]["total_change_usd"] < 0
    for neighbour in ("ECU", "GTM", "HND", "NIC", "CRI", "SLV"):
        # Buyers switch towards them, while each product's total falls (creation at their old shares).
        assert partners[neighbour]["trade_diversion_usd"] > 0
        assert partners[neighbour]["trade_creation_usd"] < 0
    assert sum(row["trade_diversion_usd"] for row in result["by_partner"]) == pytest.approx(0, abs=1)
    assert any("Retaliation" in item for item in result["left_out"])


def test_everyone_preset_switches_little(bundled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = _run(capsys, "us_10pct_everyone", "--db", str(bundled_db))
    assert code == 0
    totals = result["totals"]
    assert totals["rows_changed"] == totals["rows"]
    assert 0 < totals["gross_diversion_share"] < 0.01  # switching only where starting tariffs differ
    assert totals["total_change_low_usd"] < totals["total_change_usd"] < totals["total_change_high_usd"] < 0
    assert totals["tariff_revenue_change_usd"] > 0


def test_april_baseline_exempts_crude_and_spares_canada_and_mexico(
    bundled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result, _ = _run(capsys, "us_10pct_baseline_april_2025", "--db", str(bundled_db))
    assert code == 0
    assert result["totals"]["rows_exempt"] > 0
    partners = {row["partner_iso3"]: row for row in result["by_partner"]}
    for spared in ("CAN", "MEX"):
        assert partners[spared]["trade_creation_usd"] < 0  # their products' totals fall
        assert partners[spared]["trade_diversion_usd"] > 0
    chapters = {row["chapter"]: row for row in result["by_chapter"]}
    # Crude oil (2709.00.10/20) is on Annex II: chapter 27's tariff rises far less than 10 points.
    assert chapters["27"]["tariff_after_pct"] - chapters["27"]["tariff_before_pct"] < 5


def test_china_purchase_preset_closes_the_2024_deficit(
    bundled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result, _ = _run(capsys, "china_buys_more", "--db", str(bundled_db))
    assert code == 0
    totals = result["totals"]
    con = duckdb.connect(str(bundled_db), read_only=True)
    headline = record_balance.query_balance(con, reporter="COL", partners=["CHN"])
    con.close()
    # The deficit to close is the series of record's headline balance for 2024, the number every page shows
    # (the raw-file check of that number is tests/integration/test_record_consistency.py).
    balance = float(headline.loc[headline["year"] == 2024, "balance_usd"].iloc[0])
    assert totals["balance_before_usd"] == pytest.approx(balance)
    assert totals["needed_to_close_usd"] == pytest.approx(-balance)
    assert totals["balance_after_usd"] == pytest.approx(balance + totals["increase_usd"])
    # The preset buys exactly that deficit, so the balance after is zero on the same basis.
    assert totals["increase_usd"] == pytest.approx(-balance)
    assert totals["balance_after_usd"] == pytest.approx(0.0, abs=1.0)
    assert totals["largest_growth_usd"] > 0
    assert totals["needed_vs_largest_growth"] > 1
    assert result["history"]


def test_a_2025_purchase_scenario_says_its_balance_is_provisional_and_not_comparable(
    bundled_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2025: DIAN's exports to China are provisional and, DIAN withholding destinations from 2025, not comparable
    with 2024's (PROVENANCE of dian-exports-by-destination); DANE's 2025 annex is provisional. The note beside
    the deficit says so, in English and in Spanish; a 2024 run has no such note."""
    from dashboard.scenarios import model_text

    spec = tmp_path / "p2025.json"
    spec.write_text(json.dumps({"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "year": 2025,
                                "increase": {"close_balance": True}}))  # fmt: skip
    code, result, _ = _run(capsys, str(spec), "--db", str(bundled_db))
    assert code == 0
    totals = result["totals"]
    assert totals["balance_provisional"] is True and totals["balance_comparable"] is False
    (caveat,) = [n for n in result["notes"] if n.startswith("Caveat: the 2025 balance")]
    assert (
        "provisional" in caveat
        and "not comparable with earlier years" in caveat
        and "DIAN withholds" in caveat
    )
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        run = run_scenario(parse_spec(json.loads(spec.read_text())), con)
        spanish = [model_text.note_text(n, "es") for n in run.notes if n.kind == "purchase_flags"]
        assert (
            spanish and "no comparable con años anteriores" in spanish[0] and "la DIAN reserva" in spanish[0]
        )
        assert model_text.note_text(next(n for n in run.notes if n.kind == "purchase_flags"), "en") == caveat
        run_2024 = run_scenario(parse_spec({**json.loads(spec.read_text()), "year": 2024}), con)
        assert not [n for n in run_2024.notes if n.kind == "purchase_flags"]
    finally:
        con.close()


def test_bad_spec_names_the_field(
    bundled_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({"name": "x", "tariff_changes": [{"partners": ["FRA"], "add_pp": 10}]}))
    code, _, err = _run(capsys, str(spec), "--db", str(bundled_db))
    assert code == 1
    assert "tariff_changes[0].partners[0]" in err and "EUN" in err
    spec.write_text(json.dumps({"name": "x", "year": 2019}))
    code, _, err = _run(capsys, str(spec), "--db", str(bundled_db))
    assert code == 1 and "'year'" in err and "2024" in err
    code, _, err = _run(capsys, str(tmp_path / "missing.json"), "--db", str(bundled_db))
    assert code == 1 and "not found" in err and "us_10pct_everyone" in err


def test_console_script_prints_json(bundled_db: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "balanza", "scenario", "colombia_10pp_more", "--db", str(bundled_db), "--indent", "0"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert (
        json.loads(completed.stdout)["scenario"]["name"]
        == "Colombia faces 10 points more than its competitors"
    )


def test_report_is_self_contained_and_escapes_names(bundled_con: duckdb.DuckDBPyConnection) -> None:
    hostile = parse_spec(
        {"name": "<img src=x onerror=alert(1)>", "tariff_changes": [{"partners": ["ECU"], "add_pp": 5}]}
    )
    results = [
        run_scenario(parse_spec((PRESETS_DIR / "colombia_10pp_more.json").read_text()), bundled_con),
        run_scenario(hostile, bundled_con),
        run_scenario(parse_spec((PRESETS_DIR / "china_buys_more.json").read_text()), bundled_con),
    ]
    page = comparison_report_html(results)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page  # charts in HTML and CSS: nothing to run, nothing fetched, opens offline
    assert len(page.encode()) < 200_000  # it was 4.9 MB with plotly.js inline
    assert page.count("class='panel'") >= 4  # a bar panel per scenario in the comparison, and per section
    assert "What the model leaves out" in page
    table = headline_table(results)
    assert list(table.columns) == ["measure", *[r.name for r in results]]
    comparison = partner_comparison(results[:2])
    assert f"{results[1].name} − {results[0].name}" in comparison.columns


def test_results_csv_neutralises_formula_like_names(bundled_con: duckdb.DuckDBPyConnection) -> None:
    from dashboard.csv_export import to_csv_bytes

    spec = parse_spec(
        {"name": '=HYPERLINK("http://x")', "tariff_changes": [{"partners": ["COL"], "add_pp": 1}]}
    )
    result = run_scenario(spec, bundled_con)
    data = to_csv_bytes(
        result.by_partner.assign(scenario=result.name), source="model", valuation="customs value", units="USD",
        filters={"scenario": result.name}, view_url="http://127.0.0.1/",
    ).decode("utf-8")  # fmt: skip
    assert "'=HYPERLINK" in data
    assert ",=HYPERLINK" not in data and '"=HYPERLINK' not in data


def test_report_in_spanish(bundled_con: duckdb.DuckDBPyConnection) -> None:
    from dashboard.scenarios import model_text
    from model.purchase import PURCHASE_LEFT_OUT
    from model.result import LEFT_OUT

    results = [
        run_scenario(parse_spec((PRESETS_DIR / "colombia_10pp_more.json").read_text()), bundled_con),
        run_scenario(parse_spec((PRESETS_DIR / "china_buys_more.json").read_text()), bundled_con),
    ]
    page = comparison_report_html(results, lang="es")
    assert "<html lang='es'>" in page and "Lo que el modelo deja por fuera" in page
    assert "What the model leaves out" not in page
    for preset in ("colombia_10pp_more", "china_buys_more"):
        assert html.escape(model_text.PRESETS_ES[preset][0]) in page
    for item in (*LEFT_OUT, *PURCHASE_LEFT_OUT):
        assert html.escape(str(item)) not in page
        assert html.escape(model_text.LEFT_OUT_ES[item.kind]) in page
    for note in results[0].notes:
        assert html.escape(str(note)) not in page
    assert "Cambio en las importaciones" in page and "Change in imports" not in page
    change = results[0].totals["total_change_usd"] / 1e6
    assert f"<b>{change:,.0f}".replace(",", ".") + " millones de USD</b>" in page
