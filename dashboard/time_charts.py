"""Time charts: the year range a page shows (kept in the URL as 'yr=2000-2024') and the markers where a series
breaks (DIAN's undeclared destinations, provisional years, the end of GDP or CPI data)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, units, url_state
from dashboard.components import lang, query_cpi, query_gdp
from dashboard.i18n import t
from etl.schema import GDP_DERIVED

# ---- year ranges ----------------------------------------------------------------------------------------------

DEFAULT_FIRST_YEAR = 2000


def year_range_spec(first: int, last: int, name: str = "yr") -> url_state.Param:
    """The year range 'from-to' kept in the URL; default 2000 (or the first year) to the latest year."""
    default = f"{max(first, DEFAULT_FIRST_YEAR) if max(first, DEFAULT_FIRST_YEAR) <= last else first}-{last}"
    return url_state.Param(name, url_state.TEXT, default, max_length=9)


def parse_year_range(raw: str, first: int, last: int) -> tuple[int, int]:
    """'2000-2024' → (2000, 2024) clipped to [first, last]; anything unreadable → the default range."""
    try:
        low, high = (int(part) for part in str(raw).split("-", 1))
    except ValueError:
        low, high = max(first, DEFAULT_FIRST_YEAR), last
    low, high = max(first, min(low, last)), min(last, max(high, first))
    return (low, high) if low <= high else (high, low)


def year_range_widget(
    first: int, last: int, name: str = "yr", container: st.delta_generator.DeltaGenerator | None = None
) -> tuple[int, int]:
    """A slider over [first, last] whose value lives in the URL as 'yr=2000-2024'."""
    target = container or st
    spec = year_range_spec(first, last, name)
    url_state.init_state([spec], lang())
    low, high = parse_year_range(str(st.session_state[name]), first, last)
    if first == last:
        return first, last
    widget_key = f"{name}_slider"
    if st.session_state.get(f"{name}_applied") != (low, high) or widget_key not in st.session_state:
        st.session_state[widget_key] = (low, high)
    chosen = target.slider(t("year_range", lang()), min_value=first, max_value=last, key=widget_key, step=1)
    low, high = (
        (int(chosen[0]), int(chosen[1])) if isinstance(chosen, tuple | list) else (int(chosen), int(chosen))
    )
    st.session_state[name] = f"{low}-{high}"
    st.session_state[f"{name}_applied"] = (low, high)
    url_state.sync_url([spec])
    return low, high


# ---- where a series breaks ---------------------------------------------------------------------------------------

DIAN_NOT_DECLARED_FROM = 2025  # DIAN withholds many destinations ("país no declarado") from January 2025
PROVISIONAL_FROM = {"dane_imports": 2025}  # the compiler of the DANE annexes: 2025 and 2026 are provisional


def break_markers(frame: pd.DataFrame, unit: str, year_from: int, year_to: int) -> list[tuple[float, str]]:
    """(x, label) markers for a time chart of ``frame`` (columns year, source; optional provisional):
    DIAN's 'not declared' destinations, the first provisional year, and where GDP or CPI data stops."""
    language = lang()
    markers: list[tuple[float, str]] = []
    sources = {
        part
        for value in frame.get("source", pd.Series(dtype=object)).dropna()
        for part in str(value).split(" / ")
    }
    years = {int(y) for y in frame["year"]} if "year" in frame and not frame.empty else set()
    if (
        "dian" in sources
        and any(y >= DIAN_NOT_DECLARED_FROM for y in years)
        and year_to >= DIAN_NOT_DECLARED_FROM
    ):
        markers.append(
            (DIAN_NOT_DECLARED_FROM - 0.5, t("marker_dian", language, year=DIAN_NOT_DECLARED_FROM))
        )
    provisional_years: set[int] = set()
    if "provisional" in frame:
        provisional_years |= {
            int(y) for y, p in zip(frame["year"], frame["provisional"], strict=True) if p is True
        }
    for source, first in PROVISIONAL_FROM.items():
        if source in sources:
            provisional_years |= {y for y in years if y >= first}
    if provisional_years:
        first = min(provisional_years)
        markers.append((first - 0.5, t("marker_provisional", language, year=first)))
    if unit == units.PCT_GDP:
        gdp = query_gdp()
        last = int(gdp["year"].max()) if not gdp.empty else None
        if last is not None and last < year_to:
            markers.append((last + 0.5, t("marker_gdp", language, year=last)))
        derived = sorted(int(y) for y, s in zip(gdp["year"], gdp["source"], strict=True) if s == GDP_DERIVED)
        if derived:
            markers.append((derived[0] - 0.5, t("marker_gdp_derived", language, year=derived[0])))
    if unit == units.CONSTANT:
        full = units.complete_cpi_years(query_cpi())
        if full and full[-1] < year_to:
            markers.append((full[-1] + 0.5, t("marker_cpi", language, year=full[-1])))
    return [(x, text) for x, text in markers if year_from - 0.5 <= x <= year_to + 0.5]


def finish_time_chart(
    fig: go.Figure, frame: pd.DataFrame, unit: str, year_from: int, year_to: int
) -> go.Figure:
    """The chosen year range on the x axis and the break markers for ``frame``'s series."""
    charts.set_year_axis(fig, year_from, year_to)
    return charts.add_year_markers(fig, break_markers(frame, unit, year_from, year_to))
