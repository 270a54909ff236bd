"""Products, "what grew fastest": growth in % and the compound annual rate between any two years the link names,
each code described beside it, and the movers downloaded as CSV.

Expected values come from the raw DANE import annex (imports from China by DANE chapter name, CIF), summed with
pandas, the chapter names mapped to HS chapters by hand here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "streamlit_app.py"
ANNEX = ROOT / "data" / "raw" / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv"
SERIES = "COL:CHN:import:dane_imports"
CHAPTERS = {"Cobre y sus manufacturas": "74", "Vehículos, partes y accesorios": "87", "Algodón": "52"}


def annex_chn(year: int) -> dict[str, float]:
    """Colombia's imports from China by chapter in ``year``, USD, read straight from the annex."""
    raw = pd.read_csv(ANNEX, encoding="utf-8-sig")
    rows = raw[(raw["codigo iso3"] == "CHN") & (raw["anio"] == year) & raw["capitulo"].isin(CHAPTERS)]
    return {
        CHAPTERS[name]: float(value)
        for name, value in zip(rows["capitulo"], rows["valor dolares cif"], strict=True)
    }


def _page(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("app_pages/products.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _movers(at: AppTest) -> pd.DataFrame:
    (table,) = [
        d.value for d in at.dataframe if any("TCAC" in str(c) or "CAGR" in str(c) for c in d.value.columns)
    ]
    return table


def _number(text: object) -> float:
    return (
        float(text) if isinstance(text, int | float) else float(str(text).replace(".", "").replace(",", "."))
    )


@pytest.mark.slow
def test_growth_since_2019_in_percent_and_a_year_from_the_link(bundled_env: Path) -> None:
    at = _page({"series": SERIES, "year": "2024", "from": "2019", "lang": "es"})
    before, after = annex_chn(2019), annex_chn(2024)
    table = _movers(at).set_index("Código SA")
    for chapter in CHAPTERS.values():
        growth = (after[chapter] / before[chapter] - 1) * 100
        cagr = ((after[chapter] / before[chapter]) ** (1 / 5) - 1) * 100
        row = table.loc[chapter]
        assert _number(row["Crecimiento 2019–2024 (%)"]) == pytest.approx(growth, abs=0.05)
        assert _number(row["Crecimiento anual compuesto, TCAC (%)"]) == pytest.approx(cagr, abs=0.05)
        assert _number(row["2019 (millones de USD)"]) == pytest.approx(before[chapter] / 1e6, abs=0.05)
        assert row["Descripción"] and "(en inglés)" not in row["Descripción"]  # described in Spanish
    # ranked fastest first: the order of the growth the annex gives (each chapter at least USD 1 m in 2019)
    growths = [_number(v) for v in _movers(at)["Crecimiento 2019–2024 (%)"]]
    assert growths == sorted(growths, reverse=True)
    takeaway = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert "Mayor crecimiento 2019 → 2024: " + table.index[0] + " " in takeaway
    assert at.radio(key="order").value == "growth"
    assert at.query_params["from"] in ("2019", ["2019"]) and at.query_params["order"] in (
        "growth",
        ["growth"],
    )


@pytest.mark.slow
def test_movers_by_change_and_their_download(bundled_env: Path) -> None:
    at = _page({"series": SERIES, "year": "2024", "from": "2019", "order": "change", "lang": "en"})
    table = _movers(at)
    changes = [abs(_number(v)) for v in table["Change (USD m)"]]
    assert changes == sorted(changes, reverse=True)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Download CSV") == 3  # chapters, top products and the movers (read back in tests/e2e)
    assert {"Growth 2019–2024 (%)", "Growth a year, CAGR (%)"} <= set(table.columns)
