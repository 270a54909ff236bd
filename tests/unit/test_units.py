from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import units

CPI = pd.DataFrame(
    {
        "year": [2019, 2020, 2024, 2025],
        "cpi_u": [255.657, 258.811, 313.689, 320.0],
        "n_months": [12, 12, 12, 9],
    }
)
GDP = pd.DataFrame({"year": [2019, 2020], "gdp_usd": [323.0e9, 270.0e9]})


def _frame(years: list[int], values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"year": years, "value_usd": values})


def test_nominal_is_billions() -> None:
    assert units.convert(_frame([2020], [13.5e9]), units.NOMINAL).tolist() == [13.5]


def test_constant_dollars_rebase_with_cpi() -> None:
    out = units.convert(_frame([2019, 2024], [10e9, 10e9]), units.CONSTANT, cpi=CPI, base_year=2024)
    assert out.iloc[0] == pytest.approx(10 * 313.689 / 255.657)
    assert out.iloc[1] == pytest.approx(10.0)


def test_year_without_complete_cpi_is_a_gap_not_a_guess() -> None:
    out = units.convert(_frame([2018, 2025], [1e9, 1e9]), units.CONSTANT, cpi=CPI, base_year=2024)
    assert math.isnan(out.iloc[0]) and math.isnan(out.iloc[1])


def test_partial_year_cannot_be_the_base() -> None:
    with pytest.raises(ValueError, match="base"):
        units.convert(_frame([2020], [1e9]), units.CONSTANT, cpi=CPI, base_year=2025)
    assert units.complete_cpi_years(CPI) == [2019, 2020, 2024]


def test_percent_of_gdp_and_gaps_where_gdp_is_missing() -> None:
    out = units.convert(_frame([2019, 2020, 2021], [3.23e9, -2.7e9, 1e9]), units.PCT_GDP, gdp=GDP)
    assert out.iloc[0] == pytest.approx(1.0)
    assert out.iloc[1] == pytest.approx(-1.0)
    assert math.isnan(out.iloc[2])


def test_labels_name_the_unit() -> None:
    assert "constant 2024" in units.unit_label(units.CONSTANT, 2024)
    assert "PIB" in units.unit_label(units.PCT_GDP, lang="es")
    with pytest.raises(ValueError):
        units.unit_label("furlongs")
