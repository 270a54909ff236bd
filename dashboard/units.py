"""Unit conversion for USD series: nominal, constant dollars of a chosen year, or % of Colombia's GDP.

Pure functions. A year without a deflator or a GDP figure becomes a gap (NaN), never a guess.
"""

from __future__ import annotations

import math

import pandas as pd

from etl.schema import BILLION

NOMINAL = "nominal"
CONSTANT = "constant"
PCT_GDP = "pct_gdp"
UNITS = (NOMINAL, CONSTANT, PCT_GDP)

__all__ = [
    "BILLION",
    "CONSTANT",
    "NOMINAL",
    "PCT_GDP",
    "UNITS",
    "complete_cpi_years",
    "convert",
    "unit_label",
]


def unit_label(unit: str, base_year: int | None = None, lang: str = "en") -> str:
    """Axis and CSV label for a unit, e.g. 'USD billions (constant 2024 dollars, US CPI-U)'."""
    if unit == NOMINAL:
        return "USD billions (nominal)" if lang == "en" else "miles de millones de USD (nominales)"
    if unit == CONSTANT:
        if lang == "en":
            return f"USD billions (constant {base_year} dollars, US CPI-U)"
        return f"miles de millones de USD (dólares constantes de {base_year}, IPC-U de EE. UU.)"
    if unit == PCT_GDP:
        return "% of Colombia's GDP" if lang == "en" else "% del PIB de Colombia"
    raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")


def complete_cpi_years(cpi: pd.DataFrame) -> list[int]:
    """Years whose CPI-U annual average covers all twelve months (the only usable base years)."""
    full = cpi[cpi["n_months"] == 12]
    return sorted(int(y) for y in full["year"])


def convert(
    frame: pd.DataFrame,
    unit: str,
    *,
    cpi: pd.DataFrame | None = None,
    gdp: pd.DataFrame | None = None,
    base_year: int | None = None,
    value_column: str = "value_usd",
    year_column: str = "year",
) -> pd.Series:
    """The values of ``value_column`` in ``unit``; NaN where the deflator or GDP for that year is missing.

    ``cpi`` has columns year, cpi_u, n_months (partial years are not used); ``gdp`` has year, gdp_usd.
    """
    values = frame[value_column].astype("float64")
    years = frame[year_column]
    if unit == NOMINAL:
        return values / BILLION
    if unit == CONSTANT:
        if cpi is None or base_year is None:
            raise ValueError("constant dollars need the CPI table and a base year")
        index = dict(
            zip(cpi.loc[cpi["n_months"] == 12, "year"], cpi.loc[cpi["n_months"] == 12, "cpi_u"], strict=True)
        )
        if base_year not in index:
            raise ValueError(f"no complete CPI-U year {base_year} to use as base")
        factor = years.map(lambda y: index[base_year] / index[y] if y in index else math.nan).astype(
            "float64"
        )
        return values * factor / BILLION
    if unit == PCT_GDP:
        if gdp is None:
            raise ValueError("% of GDP needs the GDP table")
        by_year = dict(zip(gdp["year"], gdp["gdp_usd"], strict=True))
        denominator = years.map(lambda y: by_year.get(y, math.nan)).astype("float64")
        return values / denominator * 100.0
    raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
