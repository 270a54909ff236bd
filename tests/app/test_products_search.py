"""Products in Spanish: a Spanish word (accents optional) finds its HS code with the series' value, described in
the Spanish nomenclature's words, and the treemap opens on it.

Expected values are computed from the raw files: the US Census HS10 file for Colombia (imports for consumption,
2024, summed by code prefix with pandas) and the Spanish nomenclature's printed lines.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "streamlit_app.py"
COLOMBIA_HS10 = ROOT / "data" / "raw" / "us-census-imports-2024-hs10" / "2024-hs10-imports3010.parquet"
SPANISH = ROOT / "data" / "raw" / "reference" / "hs-nomenclature-es" / "cn2023_estructura_es.csv"
SERIES = {"series": "USA:COL:import:us_census_consumption", "year": "2024", "lang": "es"}


def census_usd_m(prefix: str) -> float:
    frame = pd.read_parquet(COLOMBIA_HS10, columns=["I_COMMODITY", "CON_VAL_YR"])
    picked = frame[frame["I_COMMODITY"].str.startswith(prefix)]
    return float(picked["CON_VAL_YR"].astype("int64").sum()) / 1e6


def printed(cn_code: str) -> str:
    with SPANISH.open(encoding="utf-8", newline="") as handle:
        (name,) = [r["NAME_ES"] for r in csv.DictReader(handle) if r["CN_CODE"] == cn_code]
    return name


def search_table(at: AppTest) -> pd.DataFrame:
    (table,) = [d.value for d in at.dataframe if "Dígitos SA" in d.value.columns]
    return table


def as_number(text: object) -> float:
    """A shown value: a number, or Spanish-formatted text ('1.481,5' → 1481.5)."""
    if isinstance(text, (int, float)):
        return float(text)
    return float(str(text).replace(".", "").replace(",", "."))


@pytest.mark.parametrize(
    ("query", "code", "heading"),
    [
        ("café", "0901", "0901"),
        ("cafe", "0901", "0901"),
        ("flores", "0603", "0603"),
        ("rosas", "060311", "0603"),
        ("banano", "0803", "0803"),
        ("petróleo", "2709", "2709 00"),
        ("carbon", "2701", "2701"),
    ],
)
def test_a_spanish_search_finds_the_code_with_its_value(
    bundled_env: Path, query: str, code: str, heading: str
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in {**SERIES, "q": query}.items():
        at.query_params[key] = value
    at.switch_page("app_pages/products.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = search_table(at)
    row = table[table["Código SA"] == code]
    assert len(row) == 1, table["Código SA"].tolist()
    assert as_number(row["Valor (millones de USD)"].iloc[0]) == pytest.approx(census_usd_m(code), abs=0.05)
    description = str(row["Descripción"].iloc[0])
    if len(code) == 4:
        assert description == printed(heading)
    else:
        assert description.startswith(printed(heading).split(";")[0]) and "(en inglés)" not in description
    focus = " ".join(c.value for c in at.caption if "El mapa se abre en" in c.value)
    assert any(f"se abre en {c}," in focus for c in (code[:2], code[:4])), focus
