"""What the Scenarios page's downloads say about themselves, without Streamlit: who published the numbers a
scenario starts from and on what basis they are valued.

A tariff scenario runs on US imports for consumption by HS10 line and partner (US Census Bureau, customs
value); a purchase scenario starts from the series of record (``etl/record.py``) for the seller's exports to and
imports from the buyer, each with its own publisher, and from the record's headline balance with its basis.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import i18n
from dashboard.scenarios import view
from dashboard.scenarios.labels import text
from model.result import ScenarioResult


@dataclass(frozen=True)
class Provenance:
    """A download's 'source' and 'valuation' cells, in the reader's language."""

    source: str
    valuation: str


def provenance(result: ScenarioResult, lang: str) -> Provenance:
    """The publishers and valuation basis behind ``result``'s figures."""
    if result.spec.kind == "tariff":
        return Provenance(text("csv_source", lang), text("customs", lang))
    totals = result.totals
    history = pd.DataFrame(result.extra.get("history", []))
    row = history[history["year"] == totals.get("year")] if "year" in history else history.head(0)
    parts = []
    if not row.empty:
        exports, imports = row["exports_source"].iloc[0], row["imports_source"].iloc[0]
        if exports:
            parts.append(text("prov_exports", lang, publisher=i18n.record_text(exports, lang)))
        if imports:
            parts.append(text("prov_imports", lang, publisher=i18n.record_text(imports, lang)))
    if publisher := totals.get("balance_publisher"):
        parts.append(text("prov_balance", lang, publisher=i18n.record_text(publisher, lang)))
    basis = totals.get("balance_source")
    valuation = text("prov_basis", lang, basis=i18n.record_text(basis, lang)) if basis else "—"
    return Provenance("; ".join(parts) or "—", valuation)


def purchase_table(result: ScenarioResult, lang: str) -> pd.DataFrame:
    """A purchase scenario's headline figures as rows (measure, value in USD), as the page's metrics show them."""
    rows = [
        {"measure": spanish if lang == "es" else english, "value_usd": float(result.totals[key])}
        for key, english, spanish in view.PURCHASE_HEADLINES
        if isinstance(result.totals.get(key), int | float)
    ]
    return pd.DataFrame(rows, columns=["measure", "value_usd"])
