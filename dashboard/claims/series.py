"""Colombia's trade with a partner as yearly series, one per perspective (reporter, mirror, reconciled)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    MIRROR,
    RECONCILED,
    REFERENCE_YEAR_MAX,
    SOURCE_PUBLISHERS,
    ClaimData,
    empty_frame,
    number_row,
)
from etl.settings import CIF_FOB_FACTOR_IMF

SERIES_COLUMNS = (
    "year", "perspective", "exports_usd", "imports_usd", "balance_usd", "import_valuation", "source", "dataset",
    "publisher", "note",
)  # fmt: skip


def pick_published(rows: pd.DataFrame) -> pd.Series | None:
    """One printed value per observation: the chosen one, else the value most publishers printed, else the first."""
    if rows.empty:
        return None
    chosen = rows[rows["chosen"].fillna(False).astype(bool)]
    if not chosen.empty:
        return chosen.iloc[0]
    counts = rows["value_usd"].value_counts(sort=True)
    return rows[rows["value_usd"] == counts.index[0]].iloc[0]


def published_value(published: pd.DataFrame, year: int, reporter: str, partner: str, flow: str) -> pd.Series | None:
    rows = published[
        (published["year"] == year)
        & (published["reporter_iso3"] == reporter)
        & (published["partner_iso3"] == partner)
        & (published["flow"] == flow)
    ]
    return pick_published(rows)


def _agreeing(published: pd.DataFrame, picked: pd.Series) -> list[str]:
    """Every publisher that printed the picked value for the same observation (the chosen one first)."""
    same = published[
        (published["year"] == picked["year"]) & (published["reporter_iso3"] == picked["reporter_iso3"])
        & (published["partner_iso3"] == picked["partner_iso3"]) & (published["flow"] == picked["flow"])
        & (published["value_usd"] == picked["value_usd"])
    ]  # fmt: skip
    others = sorted(set(same["publisher"].astype(str)) - {str(picked["publisher"])})
    return [str(picked["publisher"]), *others]


def colombia_series(data: ClaimData, partner: str, factor: float = CIF_FOB_FACTOR_IMF) -> pd.DataFrame:
    """Colombia-reported exports (FOB), imports (CIF) and balance with one partner, by year, plus the
    reconciled series (imports ÷ factor, i.e. FOB). IMF DOTS first; printed DANE figures for later years."""
    rows: list[dict[str, Any]] = []
    dots = data.totals[
        (data.totals["source"] == "imf_dots")
        & (data.totals["reporter_iso3"] == "COL")
        & (data.totals["partner_iso3"] == partner)
    ]
    dots_years = set()
    for year, group in dots.groupby("year"):
        flows = dict(zip(group["flow"], group["value_usd"], strict=False))
        if "export" not in flows or "import" not in flows:
            continue
        dots_years.add(int(year))
        rows.append({
            "year": int(year), "perspective": COL_REPORTED, "exports_usd": flows["export"],
            "imports_usd": flows["import"], "balance_usd": flows["export"] - flows["import"],
            "import_valuation": "CIF", "source": "imf_dots", "dataset": data.datasets.get("imf_dots", "imf-dots"),
            "publisher": SOURCE_PUBLISHERS["imf_dots"], "note": "",
        })  # fmt: skip
    pub = data.published[(data.published["reporter_iso3"] == "COL") & (data.published["partner_iso3"] == partner)]
    for year in sorted(set(pub["year"].astype(int)) - dots_years):
        exp = published_value(pub, year, "COL", partner, "export")
        imp = published_value(pub, year, "COL", partner, "import")
        bal = published_value(pub, year, "COL", partner, "balance")
        publishers = sorted({name for r in (exp, imp, bal) if r is not None for name in _agreeing(pub, r)})
        dataset = next((str(r["dataset"]) for r in (exp, imp, bal) if r is not None and r["dataset"]), "published")
        if exp is not None and imp is not None:
            imp_val = str(imp["valuation"])
            note = "" if imp_val != "unknown" else "import valuation not printed; CIF by DANE convention"
            rows.append({
                "year": year, "perspective": COL_REPORTED, "exports_usd": float(exp["value_usd"]),
                "imports_usd": float(imp["value_usd"]),
                "balance_usd": float(bal["value_usd"]) if bal is not None and partner != "WLD"
                else float(exp["value_usd"]) - float(imp["value_usd"]),
                "import_valuation": "CIF" if imp_val == "unknown" else imp_val, "source": "published",
                "dataset": dataset, "publisher": "; ".join(publishers), "note": note,
            })  # fmt: skip
        elif bal is not None and partner != "WLD":
            rows.append({
                "year": year, "perspective": COL_REPORTED, "exports_usd": float("nan"), "imports_usd": float("nan"),
                "balance_usd": float(bal["value_usd"]), "import_valuation": "unknown", "source": "published",
                "dataset": dataset, "publisher": "; ".join(publishers), "note": "only the balance was printed",
            })  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(SERIES_COLUMNS)) if rows else empty_frame(SERIES_COLUMNS)
    reconciled = frame[frame["import_valuation"] == "CIF"].copy()
    if not reconciled.empty:
        reconciled["imports_usd"] = reconciled["imports_usd"] / factor
        reconciled["balance_usd"] = reconciled["exports_usd"] - reconciled["imports_usd"]
        reconciled["perspective"] = RECONCILED
        reconciled["import_valuation"] = "FOB"
        reconciled["note"] = f"imports CIF ÷ {factor:g}"
    return pd.concat([frame, reconciled], ignore_index=True) if not reconciled.empty else frame


def mirror_series(data: ClaimData, partner: str) -> pd.DataFrame:
    """Colombia's trade as the partner reports it: Colombia's exports = partner's imports (CIF) and vice versa."""
    rows: list[dict[str, Any]] = []
    seen = set()
    dots = data.totals[
        (data.totals["source"] == "imf_dots")
        & (data.totals["reporter_iso3"] == partner)
        & (data.totals["partner_iso3"] == "COL")
    ]
    for year, group in dots.groupby("year"):
        flows = dict(zip(group["flow"], group["value_usd"], strict=False))
        if "export" not in flows or "import" not in flows:
            continue
        seen.add(int(year))
        rows.append({
            "year": int(year), "perspective": MIRROR, "exports_usd": flows["import"], "imports_usd": flows["export"],
            "balance_usd": flows["import"] - flows["export"], "import_valuation": "FOB", "source": "imf_dots",
            "dataset": data.datasets.get("imf_dots", "imf-dots"), "publisher": SOURCE_PUBLISHERS["imf_dots"],
            "note": f"{partner}'s exports (FOB) as Colombia's imports; {partner}'s imports (CIF) as Colombia's exports",
        })  # fmt: skip
    pub = data.published[(data.published["reporter_iso3"] == partner) & (data.published["partner_iso3"] == "COL")]
    for year in sorted(set(pub["year"].astype(int)) - seen):
        exp = published_value(pub, year, partner, "COL", "export")
        imp = published_value(pub, year, partner, "COL", "import")
        if exp is None or imp is None:
            continue
        rows.append({
            "year": year, "perspective": MIRROR, "exports_usd": float(imp["value_usd"]),
            "imports_usd": float(exp["value_usd"]), "balance_usd": float(imp["value_usd"]) - float(exp["value_usd"]),
            "import_valuation": "FOB", "source": "published", "dataset": str(exp["dataset"] or "published"),
            "publisher": str(exp["publisher"]), "note": f"{partner}'s printed exports and imports with Colombia",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(SERIES_COLUMNS)) if rows else empty_frame(SERIES_COLUMNS)


def deficit_series(data: ClaimData, partner: str = "CHN") -> pd.DataFrame:
    """Every perspective of Colombia's balance with a partner, long format (for the deficit chart)."""
    parts = [colombia_series(data, partner), mirror_series(data, partner)]
    frame = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) else empty_frame(SERIES_COLUMNS)
    return frame.sort_values(["perspective", "year"], ignore_index=True) if not frame.empty else frame


def latest_of(frame: pd.DataFrame, perspective: str, max_year: int = REFERENCE_YEAR_MAX) -> pd.Series | None:
    rows = frame[(frame["perspective"] == perspective) & (frame["year"] <= max_year)].dropna(subset=["balance_usd"])
    return None if rows.empty else rows.sort_values("year").iloc[-1]


def series_number_rows(series: pd.DataFrame, measure: str, years: Iterable[int] | None = None) -> list[dict[str, Any]]:
    rows = []
    wanted = set(years) if years is not None else None
    for rec in series.to_dict("records"):
        if wanted is not None and rec["year"] not in wanted:
            continue
        valuation = f"exports FOB, imports {rec['import_valuation']}"
        rows.append(number_row(measure, int(rec["year"]), rec["perspective"], rec["balance_usd"], "USD", valuation,
                         rec["source"], rec["dataset"], rec["publisher"], rec["note"]))  # fmt: skip
    return rows


def missing_years(series: pd.DataFrame, perspective: str, first: int, last: int) -> list[int]:
    have = set(series[(series["perspective"] == perspective)].dropna(subset=["balance_usd"])["year"].astype(int))
    return [y for y in range(first, last + 1) if y not in have]
