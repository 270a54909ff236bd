"""Provisional and non-comparable figures are flagged in the pages' tables, and the Overview compares one basis."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl import settings
from etl.record_balance import query_balance

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
RAW = settings.DATA_DIR / "raw"


def _run(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, index: int = -1) -> pd.DataFrame:
    return (
        at.dataframe[index].value.data
        if hasattr(at.dataframe[index].value, "data")
        else at.dataframe[index].value
    )


def test_dependence_table_flags_2025_shares(bundled_env: Path) -> None:
    at = _run("dependence", {"partners": "CHN,USA", "yr": "2023-2025"})
    table = _table(at)
    flags = dict(zip(zip(table["Partner (ISO3)"], table["Flow"], table["Year"], strict=True),
                     table["Flags (provisional, not comparable)"], strict=True))  # fmt: skip
    assert (
        "not comparable" in flags[("CHN", "Exports", 2025)]
        and "provisional" in flags[("CHN", "Exports", 2025)]
    )
    assert flags[("CHN", "Exports", 2024)] in ("", None)


def test_balances_table_flags_every_2025_figure(bundled_env: Path) -> None:
    at = _run("balances", {"partners": "CHN,WLD", "yr": "2024-2025"})
    table = _table(at)
    rows = table[table["Year"] == 2025]
    assert len(rows) and all("provisional" in str(f) for f in rows["Flags (provisional, not comparable)"])
    china_exports = rows[(rows["Partner (ISO3)"] == "CHN") & (rows["Measure"] == "Exports")]
    # the cell is a short word or two; why is said once, under the table
    assert china_exports["Flags (provisional, not comparable)"].iloc[0] == "provisional, not comparable"
    captions = " ".join(c.value for c in at.caption)
    assert "not comparable with earlier years (DIAN withholds destinations from 2025" in captions
    assert "DIAN withholds" not in " ".join(map(str, table["Flags (provisional, not comparable)"]))


def test_flag_cells_are_short_in_spanish_and_the_csv_keeps_the_reasons(bundled_env: Path) -> None:
    at = _run("balances", {"partners": "CHN", "yr": "2025-2025", "lang": "es"})
    table = _table(at)
    flags = set(table["Advertencias (provisional, no comparable)"])
    assert (
        flags <= {"provisional", "provisional, no comparable", ""} and "provisional, no comparable" in flags
    )
    assert "la DIAN reserva destinos desde 2025" in " ".join(c.value for c in at.caption)
    from dashboard import components, i18n

    caveat = "exports: provisional; not comparable with earlier years: DIAN withholds destinations from 2025"
    frame = pd.DataFrame({"flag": [i18n.flag_short(caveat)]})
    with_notes = components.with_flag_notes(frame, pd.Series([caveat]))
    assert (
        with_notes["flag_note"].iloc[0] == caveat
        and with_notes["flag"].iloc[0] == "provisional, not comparable"
    )


def _us_trade(year: int) -> tuple[float, float]:
    with open(RAW / "dian-exports-by-destination" / "colombia_exports_by_destination_monthly_2023_2026.csv",
              encoding="utf-8", newline="") as handle:  # fmt: skip
        exports = sum(float(r["fob_usd_million"]) * 1e6 for r in csv.DictReader(handle)
                      if r["month"].startswith(f"{year}-") and r["destination"] == "Estados Unidos")  # fmt: skip
    with open(RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv",
              encoding="utf-8-sig", newline="") as handle:  # fmt: skip
        imports = next(float(r["valor dolares cif"]) for r in csv.DictReader(handle)
                       if r["codigo iso3"] == "USA" and r["anio"] == str(year) and r["capitulo"] == "TOTAL")  # fmt: skip
    return exports, imports


def test_overview_us_change_is_on_one_basis(bundled_env: Path) -> None:
    """2024's US balance is DANE's own, 2023's an estimate: the change compares the estimate of both years (the
    factor each year's estimate divides by is the rule's, read from its label)."""
    at = _run("overview")
    metric = next(m for m in at.metric if "United States" in m.label)
    assert metric.delta.endswith(
        "vs 2023, FOB estimates"
    )  # short enough for the tile, the reason folded away
    assert "The change compares both years' FOB estimates" in " ".join(c.value for c in at.caption)
    con = duckdb.connect(str(bundled_env), read_only=True)
    try:
        labels = query_balance(con, partners=["USA"], basis="fob_estimated").set_index("year")["basis_label"]
    finally:
        con.close()
    factors = {y: float(str(labels[y]).split("÷ ")[1].split(" ")[0]) for y in (2023, 2024)}
    (e23, i23), (e24, i24) = _us_trade(2023), _us_trade(2024)
    change = ((e24 - i24 / factors[2024]) - (e23 - i23 / factors[2023])) / 1e9
    shown = float(metric.delta.split(" ")[0].replace("+", "").replace("−", "-"))
    assert shown == pytest.approx(change, abs=0.006)


def test_dependence_names_publishers_as_the_other_pages(bundled_env: Path) -> None:
    at = _run("dependence", {"partners": "CHN", "yr": "2024-2024"})
    publishers = set(_table(at)["Publisher"])
    assert publishers == {
        "DANE (DIAN export records)",
        "DANE (import annex, DANE/DIAN)",
    }  # the record's names
