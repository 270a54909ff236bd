"""Colombia's balance with a partner as yearly series, one per basis, taken from the series of record.

No choice is made here: the headline row of each year is the one `etl.record_balance.query_balance` marks as headline
(DANE's own FOB/FOB balance where DANE published one, else the valuation-consistent estimate), the mixed
FOB − CIF difference is the layer's labelled alternative, and the mirror is the layer's `side="mirror"`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    MIRROR,
    MIXED,
    REFERENCE_YEAR_MAX,
    ClaimData,
    empty_frame,
    number_row,
    span_gaps,
)
from etl.record import citation
from etl.record_balance import MIXED as MIXED_BASIS
from etl.schema import CHINA

SERIES_COLUMNS = (
    "year", "perspective", "basis", "basis_label", "exports_usd", "imports_usd", "balance_usd", "source",
    "dataset", "publisher", "url", "note", "provisional", "comparable",
)  # fmt: skip


def _sources(row: Mapping[Any, Any]) -> str:
    if row["basis"] == "official":
        return "published"
    pair = {str(row["export_source"]), str(row["import_source"])}
    return " / ".join(sorted(pair))


def _publisher(row: Mapping[Any, Any]) -> str:
    return citation(
        str(row["publisher"]), row.get("printed_by") if isinstance(row.get("printed_by"), str) else None
    )


def _rows(frame: pd.DataFrame, perspective: str, data: ClaimData, note: str = "") -> list[dict[str, Any]]:
    out = []
    for r in frame.to_dict("records"):
        source = _sources(r)
        out.append({
            "year": int(r["year"]), "perspective": perspective, "basis": r["basis"], "basis_label": r["basis_label"],
            "exports_usd": r["export_usd"], "imports_usd": r["import_usd"], "balance_usd": float(r["balance_usd"]),
            "source": source, "dataset": "; ".join(data.datasets.get(s, s) for s in source.split(" / ")),
            "publisher": _publisher(r), "url": r.get("url") if isinstance(r.get("url"), str) else "",
            "note": note or ("provisional" if r.get("provisional") else ""),
            "provisional": bool(r.get("provisional")), "comparable": bool(r.get("comparable", True)),
        })  # fmt: skip
    return out


def deficit_series(data: ClaimData, partner: str = CHINA) -> pd.DataFrame:
    """Colombia's balance with `partner` by year: the headline (COL_REPORTED), the mixed-valuation alternative
    (MIXED) and the partner's own figures (MIRROR), long format."""
    own = data.balances[data.balances["partner_iso3"] == partner]
    rows = _rows(own[own["headline"].astype(bool)], COL_REPORTED, data)
    rows += _rows(own[own["basis"] == MIXED_BASIS], MIXED, data)
    if not data.mirror.empty:
        mirror = data.mirror[data.mirror["partner_iso3"] == partner]
        # One mirror row per year: the layer's headline where it has one, else its only (mixed) basis.
        mirror = mirror.sort_values(["year", "headline"], ascending=[True, False]).groupby("year").head(1)
        rows += _rows(
            mirror, MIRROR, data, note=f"as {partner} reports it: its imports are Colombia's exports"
        )
    if not rows:
        return empty_frame(SERIES_COLUMNS)
    return pd.DataFrame(rows, columns=list(SERIES_COLUMNS)).sort_values(
        ["perspective", "year"], ignore_index=True
    )


def latest_of(frame: pd.DataFrame, perspective: str, max_year: int = REFERENCE_YEAR_MAX) -> pd.Series | None:
    rows = frame[(frame["perspective"] == perspective) & (frame["year"] <= max_year)].dropna(
        subset=["balance_usd"]
    )
    return None if rows.empty else rows.sort_values("year").iloc[-1]


def at_year(frame: pd.DataFrame, perspective: str, year: int) -> pd.Series | None:
    rows = frame[(frame["perspective"] == perspective) & (frame["year"] == year)].dropna(
        subset=["balance_usd"]
    )
    return None if rows.empty else rows.iloc[0]


def series_number_rows(
    series: pd.DataFrame, measure: str, years: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    rows = []
    wanted = set(years) if years is not None else None
    for rec in series.to_dict("records"):
        if wanted is not None and rec["year"] not in wanted:
            continue
        rows.append(number_row(measure, int(rec["year"]), rec["perspective"], rec["balance_usd"], "USD",
                               rec["basis_label"], rec["source"], rec["dataset"], rec["publisher"], rec["note"],
                               provisional=rec["provisional"], comparable=rec["comparable"]))  # fmt: skip
    return rows


def missing_years(series: pd.DataFrame, perspective: str) -> list[int]:
    """The claims' years (card.span_gaps) with no balance from ``perspective`` in ``series``."""
    return span_gaps(series[series["perspective"] == perspective].dropna(subset=["balance_usd"])["year"])


def record_rows(data: ClaimData, partner: str, flow: str) -> pd.DataFrame:
    """The record of Colombia's exports or imports with one partner (TOTAL), by year, with its citation."""
    rows = data.record[(data.record["partner_iso3"] == partner) & (data.record["flow"] == flow)].copy()
    rows["citation"] = [citation(str(p), b if isinstance(b, str) else None)
                        for p, b in zip(rows["publisher"], rows["printed_by"], strict=True)]  # fmt: skip
    return rows.sort_values("year", ignore_index=True)
