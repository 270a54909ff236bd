"""Purchase scenarios: a buyer buys more from a seller, and the bilateral balance that results.

The inverse question comes with every run: how much more the buyer would have to buy to close the seller's
deficit, set against the largest year-on-year rise in the seller's exports to that buyer ever recorded in
the database.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd

from etl.errors import SpecError
from etl.schema import BILLION
from model import data
from model.result import Note, ScenarioResult
from model.spec import PurchaseScenario

PURCHASE_LEFT_OUT = (
    Note(
        "Supply capacity: whether the seller can produce and ship the extra goods is not checked.",
        "supply_capacity",
    ),
    Note(
        "Diversion: extra purchases are assumed to add to the seller's exports, not move them from other buyers.",
        "purchase_diversion",
    ),
    Note(
        "Prices and exchange rates are held fixed; the buyer's other suppliers and the seller's imports do not react.",
        "prices_fixed",
    ),
    Note(
        "Retaliation, income effects, intermediate inputs and general equilibrium are left out, as in the tariff model.",
        "as_tariff_model",
    ),
)


def growth_history(series: pd.DataFrame, balances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per year: exports, imports, balance (with its basis) and the year-on-year change in exports (USD and %).

    ``balances`` (year, balance_usd, basis_label), the series of record's headline balances, give the balance
    where they have the year; otherwise it is exports − imports as valued, and ``balance_basis`` says so.
    """
    wide = series.pivot_table(index="year", columns="flow", values="value_usd", aggfunc="first")
    named = "publisher" if "publisher" in series else "source"  # the publisher, where the record gives it
    sources = series.pivot_table(index="year", columns="flow", values=named, aggfunc="first")
    out = pd.DataFrame(index=wide.index)
    out["exports_usd"] = wide.get("export")
    out["imports_usd"] = wide.get("import")
    out["balance_usd"] = out["exports_usd"] - out["imports_usd"]
    out["balance_basis"] = out["balance_usd"].notna().map({True: "exports − imports as valued", False: None})
    if balances is not None and not balances.empty:
        headline = balances.set_index("year")
        known = out.index.intersection(headline.index)
        out.loc[known, "balance_usd"] = headline.loc[known, "balance_usd"].astype(float)
        out.loc[known, "balance_basis"] = headline.loc[known, "basis_label"].astype(str)
    out["exports_source"] = sources.get("export")
    out["imports_source"] = sources.get("import")
    previous = out["exports_usd"].reindex(out.index - 1).to_numpy()
    out["growth_usd"] = out["exports_usd"].to_numpy() - previous
    out["growth_pct"] = 100.0 * out["growth_usd"] / np.where(previous > 0, previous, np.nan)
    return out.reset_index()


# A percentage rise from a tiny base (USD 10,000 → 3.7 million in 1979) says nothing about today's scale:
# percentage records count only from a base of at least this share of the scenario year's exports.
MIN_BASE_SHARE_FOR_PCT = 0.10


def largest_growth(
    history: pd.DataFrame, column: str, min_previous: float = 0.0
) -> tuple[float | None, int | None]:
    """The largest year-on-year rise in `column` and its year, counting years whose previous value ≥ min_previous."""
    previous = history["exports_usd"] - history["growth_usd"]
    values = history.loc[previous >= min_previous, ["year", column]].dropna()
    if values.empty:
        return None, None
    best = values.iloc[int(values[column].to_numpy().argmax())]  # the first year with the largest value
    return float(best[column]), int(best["year"])


def purchase_figures(
    spec: PurchaseScenario,
    history: pd.DataFrame,
    headline_balance: float | None = None,
    chapter_exports: pd.DataFrame | None = None,
    balance_basis: str | None = None,
) -> dict[str, Any]:
    """The pure arithmetic of a purchase scenario (no database).

    ``headline_balance``: the series of record's headline balance for the year (etl.record.query_balance,
    named by ``balance_basis``); the deficit to close is that number, the same as every page shows. Without
    it the balance is exports − imports as valued, and says so.
    """
    row = history.loc[history["year"] == spec.year]
    exports = float(row["exports_usd"].iloc[0]) if not row.empty else float("nan")
    if row.empty or not np.isfinite(exports):
        years = history.dropna(subset=["exports_usd"])["year"].tolist()
        raise SpecError(
            "year",
            f"no full-year exports of {spec.seller} to {spec.buyer} in {spec.year}",
            hint="years available: " + (", ".join(map(str, years)) or "none"),
        )
    imports = float(row["imports_usd"].iloc[0])
    balance = headline_balance if headline_balance is not None else exports - imports
    chapter_baseline = None
    if spec.chapters is not None:
        if spec.percent is not None:
            chosen = chapter_exports if chapter_exports is not None else pd.DataFrame(columns=["chapter"])
            chosen = chosen[chosen["chapter"].isin(spec.chapters)]
            if chosen.empty:
                raise SpecError(
                    "increase.chapters",
                    f"the database has no HS-chapter breakdown of {spec.seller}'s exports to {spec.buyer} in "
                    f"{spec.year}, so a percentage of those chapters cannot be computed",
                    hint='give the increase as "amount_usd" for these chapters, or drop "chapters"',
                )
            chapter_baseline = float(chosen["value_usd"].sum())
    base_for_percent = chapter_baseline if chapter_baseline is not None else exports
    needed = max(0.0, -balance)
    if spec.close_balance:
        increase = needed
    elif spec.percent is not None:
        increase = base_for_percent * spec.percent / 100.0
    else:
        increase = float(spec.amount_usd or 0)
    best_usd, best_usd_year = largest_growth(history, "growth_usd")
    best_pct, best_pct_year = largest_growth(history, "growth_pct", MIN_BASE_SHARE_FOR_PCT * exports)
    return {
        "year": spec.year,
        "exports_usd": exports,
        "imports_usd": imports,
        "balance_before_usd": balance,
        "balance_source": balance_basis
        if headline_balance is not None and balance_basis
        else ("headline balance" if headline_balance is not None else "exports − imports as valued (mixed)"),
        "increase_usd": increase,
        "increase_pct_of_exports": 100.0 * increase / exports if exports else None,
        "chapters": list(spec.chapters) if spec.chapters else "all",
        "chapter_baseline_usd": chapter_baseline,
        "exports_after_usd": exports + increase,
        "balance_after_usd": balance + increase,
        "needed_to_close_usd": needed,
        "needed_pct_of_exports": 100.0 * needed / exports if exports else None,
        "largest_growth_usd": best_usd,
        "largest_growth_usd_year": best_usd_year,
        "largest_growth_pct": best_pct,
        "largest_growth_pct_year": best_pct_year,
        "largest_growth_pct_min_base_usd": MIN_BASE_SHARE_FOR_PCT * exports,
        "needed_vs_largest_growth": needed / best_usd if best_usd and best_usd > 0 else None,
    }


def run_purchase(spec: PurchaseScenario, con: duckdb.DuckDBPyConnection) -> ScenarioResult:
    series = data.query_bilateral_annual(con, spec.seller, spec.buyer)
    if series.empty:
        raise SpecError("seller", f"no annual trade between {spec.seller} and {spec.buyer} in the database")
    balances = data.query_headline_balances(con, spec.seller, spec.buyer)
    history = growth_history(series, balances)
    headline = data.query_headline_balance(con, spec.seller, spec.buyer, spec.year)
    chapters = data.query_chapter_exports(con, spec.seller, spec.buyer, spec.year) if spec.chapters else None
    figures = purchase_figures(
        spec,
        history,
        headline["balance_usd"] if headline else None,
        chapters,
        balance_basis=str(headline["basis_label"]) if headline else None,
    )
    if headline:
        figures["balance_publisher"] = headline["publisher"]
        figures.update(balance_provisional=headline["provisional"], balance_comparable=headline["comparable"],
                       balance_caveat=headline["caveat"])  # fmt: skip
    names = data.query_country_names(con)
    by_partner = pd.DataFrame(
        [
            {
                "partner_iso3": spec.seller,
                "partner_name": names.get(spec.seller, spec.seller),
                "baseline_usd": figures["exports_usd"],
                "trade_creation_usd": figures["increase_usd"],
                "trade_diversion_usd": 0.0,
                "total_change_usd": figures["increase_usd"],
                "total_change_pct": figures["increase_pct_of_exports"],
            }
        ]
    )
    totals = {
        "baseline_usd": figures["exports_usd"],
        "total_change_usd": figures["increase_usd"],
        "tariff_revenue_change_usd": 0.0,
        **figures,
    }
    notes = [_summary(spec, figures, names)]
    if headline and (headline["provisional"] or not headline["comparable"]):
        notes.append(_flags_note(spec.year, headline))
    notes.append(_sources_note(history, spec.year, figures))
    return ScenarioResult(
        spec=spec,
        by_partner=by_partner,
        totals=totals,
        notes=notes,
        extra={"history": history.astype(object).where(history.notna(), None).to_dict(orient="records")},
        left_out=PURCHASE_LEFT_OUT,
    )


def _summary(spec: PurchaseScenario, f: dict[str, Any], names: dict[str, str]) -> Note:
    seller = names.get(spec.seller, spec.seller)
    buyer = names.get(spec.buyer, spec.buyer)
    values = {
        "seller": spec.seller,
        "buyer": spec.buyer,
        "year": spec.year,
        "balance_before_usd": f["balance_before_usd"],
        "increase_usd": f["increase_usd"],
        "balance_after_usd": f["balance_after_usd"],
    }
    text = (
        f"{seller}'s {spec.year} balance with {buyer}: USD {f['balance_before_usd'] / BILLION:,.2f} billion; after "
        f"USD {f['increase_usd'] / BILLION:,.2f} billion more purchases: USD {f['balance_after_usd'] / BILLION:,.2f} billion."
    )
    if f["needed_to_close_usd"] > 0 and f["largest_growth_usd"]:
        values.update(
            needed_pct_of_exports=f["needed_pct_of_exports"],
            largest_growth_usd=f["largest_growth_usd"],
            largest_growth_usd_year=f["largest_growth_usd_year"],
            needed_vs_largest_growth=f["needed_vs_largest_growth"],
        )
        text += (
            f" Closing the deficit needs exports {f['needed_pct_of_exports']:,.0f} % higher; the largest rise ever "
            f"recorded was USD {f['largest_growth_usd'] / BILLION:,.2f} billion ({f['largest_growth_usd_year']}), so the "
            f"gap is {f['needed_vs_largest_growth']:,.1f} times that record."
        )
    return Note(text, "purchase_balance", values)


def _flags_note(year: int, headline: dict[str, Any]) -> Note:
    """The caveat of a balance made of provisional or non-comparable figures (2025: DANE's and DIAN's figures are
    provisional, and DIAN withholds destinations), said beside the number it qualifies."""
    values = {"year": year, "provisional": headline["provisional"], "comparable": headline["comparable"],
              "caveat": headline["caveat"]}  # fmt: skip
    what = " and ".join(
        w for w, on in (("provisional (its figures may still be revised)", headline["provisional"]),
                        ("not comparable with earlier years", not headline["comparable"])) if on
    )  # fmt: skip
    text = f"Caveat: the {year} balance is {what} ({headline['caveat']})."
    return Note(text, "purchase_flags", values)


def _sources_note(history: pd.DataFrame, year: int, figures: dict[str, Any] | None = None) -> Note:
    row = history.loc[history["year"] == year].iloc[0]
    values = {
        "year": year,
        "exports_source": row["exports_source"],
        "imports_source": row["imports_source"],
        "first_year": int(history["year"].min()),
        "last_year": int(history["year"].max()),
    }
    text = (
        f"Figures for {year}: exports from {row['exports_source']}, imports from {row['imports_source']}. History "
        f"{int(history['year'].min())}–{int(history['year'].max())} is the series of record (etl/record.py: per "
        "year the reporter's own office first, then UN Comtrade, IMF DOTS and printed figures; complete years only)."
    )
    if figures is not None:
        values["balance_source"] = figures["balance_source"]
        text += f" Balance basis: {figures['balance_source']}."
    return Note(text, "purchase_sources", values)
