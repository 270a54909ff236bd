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
from model.colombia import colombia_cells, colombia_table
from model.result import Note, ScenarioResult
from model.smart import smart_effects
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
    if "valuation" in series:
        valuation = series.pivot_table(index="year", columns="flow", values="valuation", aggfunc="first")
        out["exports_valuation"] = valuation.get("export")
        out["imports_valuation"] = valuation.get("import")
    previous = out["exports_usd"].reindex(out.index - 1).to_numpy()
    out["growth_usd"] = out["exports_usd"].to_numpy() - previous
    out["growth_pct"] = 100.0 * out["growth_usd"] / np.where(previous > 0, previous, np.nan)
    return out.reset_index()


# A percentage rise from a tiny base (USD 10,000 → 3.7 million in 1979) says nothing about today's scale:
# percentage records count only from a base of at least this share of the scenario year's exports.
MIN_BASE_SHARE_FOR_PCT = 0.10


# The deflator of the record-rise comparison in constant dollars: US CPI-U, annual average (BLS), rebased to the
# scenario year (the bundled reference file data/raw/reference/us-cpi-u).
DEFLATOR = "US CPI-U (BLS), annual average, in dollars of the scenario year"
# IMF's CIF/FOB factor: splits the gap between the two records into valuation and the rest where a record's balance
# names no factor of its own (each record's balance states the factor it applies: etl.record balance_frame).
CIF_FOB = 1.06


def real_growth(history: pd.DataFrame, cpi: dict[int, float], base_year: int) -> pd.DataFrame:
    """`history` with exports and their year-on-year rise in constant dollars of `base_year` (CPI-U): columns
    exports_real_usd, growth_real_usd (NaN where a year or its CPI is missing)."""
    out = history.copy()
    base = cpi.get(base_year)
    factor = out["year"].map(lambda y: base / cpi[y] if base and y in cpi else np.nan).astype(float)
    out["exports_real_usd"] = out["exports_usd"] * factor
    previous = out.set_index("year")["exports_real_usd"].reindex(out["year"] - 1).to_numpy()
    out["growth_real_usd"] = out["exports_real_usd"].to_numpy() - previous
    return out


def record_gap(own: dict[str, Any], mirror: dict[str, Any]) -> list[dict[str, Any]]:
    """Per flow, the seller's record against the buyer's customs record: the raw difference, the part the CIF/FOB
    valuation explains (the CIF side divided by the factor that record's balance applies, `cif_fob`, else IMF's
    CIF_FOB) and the rest (timing, origin against consignment, coverage). `own` and `mirror`: exports_usd,
    exports_valuation, imports_usd, imports_valuation, optionally cif_fob. Each row names the factor it used."""
    rows = []
    for flow in ("exports", "imports"):
        a, b = own[f"{flow}_usd"], mirror[f"{flow}_usd"]
        va, vb = own[f"{flow}_valuation"], mirror[f"{flow}_valuation"]
        factor_a, factor_b = own.get("cif_fob") or CIF_FOB, mirror.get("cif_fob") or CIF_FOB
        fob_a = a / factor_a if va == "CIF" else a
        fob_b = b / factor_b if vb == "CIF" else b
        factors = [f for f, v in ((factor_a, va), (factor_b, vb)) if v == "CIF"]
        rows.append({
            "flow": flow, "seller_record_usd": a, "seller_valuation": va, "buyer_record_usd": b,
            "buyer_valuation": vb, "difference_usd": b - a, "valuation_usd": (b - fob_b) - (a - fob_a),
            "rest_usd": fob_b - fob_a, "cif_fob": factors[0] if len(factors) == 1 else None,
        })  # fmt: skip
    return rows


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
    cpi: dict[int, float] | None = None,
    mirror: dict[str, Any] | None = None,
    balance_cif_fob: float | None = None,
) -> dict[str, Any]:
    """The pure arithmetic of a purchase scenario (no database).

    ``headline_balance``: the series of record's headline balance for the year (etl.record_balance.query_balance,
    named by ``balance_basis``); the deficit to close is that number, the same as every page shows. Without
    it the balance is exports − imports as valued, and says so. ``cpi`` ({year: CPI-U}) adds the record rise in
    constant dollars of the scenario year; ``mirror`` (model.data.query_mirror_balance) the same purchase on the
    buyer's customs records; ``balance_cif_fob`` the CIF/FOB factor the headline balance applies (None: IMF's, for
    the split of the gap between the records).
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
    seller_basis = (
        balance_basis
        if headline_balance is not None and balance_basis
        else ("headline balance" if headline_balance is not None else "exports − imports as valued (mixed)")
    )
    records: dict[str, dict[str, Any]] = {
        "seller": {
            "exports_usd": exports, "exports_valuation": _valuation(row, "exports"), "imports_usd": imports,
            "imports_valuation": _valuation(row, "imports"), "balance_usd": balance, "balance_source": seller_basis,
            "cif_fob": balance_cif_fob if headline_balance is not None else None,
        },
    }  # fmt: skip
    if mirror is not None:
        records["buyer"] = {
            "exports_usd": float(mirror["exports_usd"]), "exports_valuation": mirror["exports_valuation"],
            "imports_usd": float(mirror["imports_usd"]), "imports_valuation": mirror["imports_valuation"],
            "balance_usd": float(mirror["balance_usd"]), "balance_source": mirror["basis_label"],
            "publisher": mirror["publisher"], "cif_fob": mirror.get("cif_fob"),
        }  # fmt: skip
    if spec.record not in records:
        raise SpecError(
            "record",
            f"{spec.buyer}'s customs records have no trade with {spec.seller} in {spec.year}",
            hint='read the seller\'s records instead: "record": "seller"',
        )
    main = records[spec.record]  # the record the purchase is set on: its exports, its balance
    exports, imports, balance = main["exports_usd"], main["imports_usd"], main["balance_usd"]
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
        "balance_source": main["balance_source"],
        "record": spec.record,
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
        **_real_figures(history, cpi, spec.year, needed),
        **_records_figures(records, increase),
    }


def _real_figures(
    history: pd.DataFrame, cpi: dict[int, float] | None, year: int, needed: float
) -> dict[str, Any]:
    if not cpi or year not in cpi:
        return {}
    real = real_growth(history, cpi, year)
    best, best_year = largest_growth(real.assign(growth_usd=real["growth_real_usd"]), "growth_usd")
    return {
        "deflator": DEFLATOR,
        "deflator_base_year": year,
        "largest_growth_real_usd": best,
        "largest_growth_real_usd_year": best_year,
        "needed_vs_largest_growth_real": needed / best if best and best > 0 else None,
    }


def _records_figures(records: dict[str, dict[str, Any]], increase: float) -> dict[str, Any]:
    """Both records side by side (`records`: seller, and buyer where its customs have the year), each with the
    balance after the purchase and what closing the deficit takes on it, and the gap between them per flow."""
    out: dict[str, Any] = {"records": {}}
    for side, figures in records.items():
        needed = max(0.0, -figures["balance_usd"])
        out["records"][side] = {
            **figures,
            "balance_after_usd": figures["balance_usd"] + increase,
            "needed_to_close_usd": needed,
            "needed_pct_of_exports": 100.0 * needed / figures["exports_usd"]
            if figures["exports_usd"]
            else None,
        }
    if "buyer" in records:
        out["record_gap"] = record_gap(records["seller"], records["buyer"])
    return out


def _valuation(row: pd.DataFrame, flow: str) -> str:
    column = f"{flow}_valuation"
    if row.empty or column not in row or pd.isna(row[column].iloc[0]):
        return "FOB" if flow == "exports" else "CIF"
    return str(row[column].iloc[0])


def run_purchase(spec: PurchaseScenario, con: duckdb.DuckDBPyConnection) -> ScenarioResult:
    series = data.query_bilateral_annual(con, spec.seller, spec.buyer)
    if series.empty:
        raise SpecError("seller", f"no annual trade between {spec.seller} and {spec.buyer} in the database")
    balances = data.query_headline_balances(con, spec.seller, spec.buyer)
    history = growth_history(series, balances)
    headline = data.query_headline_balance(con, spec.seller, spec.buyer, spec.year)
    chapters = data.query_chapter_exports(con, spec.seller, spec.buyer, spec.year) if spec.chapters else None
    cpi = data.query_cpi(con)
    figures = purchase_figures(
        spec,
        history,
        headline["balance_usd"] if headline else None,
        chapters,
        balance_basis=str(headline["basis_label"]) if headline else None,
        cpi=cpi,
        mirror=data.query_mirror_balance(con, spec.seller, spec.buyer, spec.year),
        balance_cif_fob=headline.get("cif_fob") if headline else None,
    )
    history = real_growth(history, cpi, spec.year) if spec.year in cpi else history
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
    if "record_gap" in figures:
        notes.append(_records_note(spec, figures, names))
    if figures.get("largest_growth_real_usd"):
        notes.append(_real_note(figures))
    colombia, colombia_note = us_exports_unchanged(con)
    if colombia_note is not None:
        notes.append(colombia_note)
    return ScenarioResult(
        spec=spec,
        by_partner=by_partner,
        totals=totals,
        notes=notes,
        colombia=colombia,
        extra={"history": history.astype(object).where(history.notna(), None).to_dict(orient="records")},
        left_out=PURCHASE_LEFT_OUT,
    )


def us_exports_unchanged(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, Note | None]:
    """The Colombia table of a purchase scenario: US tariffs do not change, so Colombia's exports to the US (and its
    peers') stay as the 2024 US import lines give them (empty, without a note, where the database has no lines)."""

    try:
        market = data.load_market(con, "USA", 2024)
    except SpecError:
        return pd.DataFrame(), None
    t0 = market.t0
    unchanged = smart_effects(market.imports, t0, t0, market.product_index, -1.0, 0.0)
    table = colombia_table(colombia_cells(market), unchanged, t0, t0)
    note = Note(
        "A purchase changes no US tariff: Colombia's exports to the US, by product group, stay as the 2024 US "
        "import lines give them.",
        "colombia_us_unchanged",
    )
    return table, note


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
    values["record"] = spec.record
    on_record = f" on {buyer}'s customs records" if spec.record == "buyer" else ""
    text = (
        f"{seller}'s {spec.year} balance with {buyer}{on_record}: USD {f['balance_before_usd'] / BILLION:,.2f} billion; after "
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


def _records_note(spec: PurchaseScenario, f: dict[str, Any], names: dict[str, str]) -> Note:
    """The two records side by side, and why they differ."""
    seller, buyer = names.get(spec.seller, spec.seller), names.get(spec.buyer, spec.buyer)
    own, customs = f["records"]["seller"], f["records"]["buyer"]
    exports = next(g for g in f["record_gap"] if g["flow"] == "exports")
    values = {
        "seller": spec.seller, "buyer": spec.buyer, "year": spec.year, "record": spec.record,
        "seller_balance_usd": own["balance_usd"], "buyer_balance_usd": customs["balance_usd"],
        "seller_exports_usd": own["exports_usd"], "buyer_exports_usd": customs["exports_usd"],
        "seller_imports_usd": own["imports_usd"], "buyer_imports_usd": customs["imports_usd"],
        "buyer_needed_to_close_usd": customs["needed_to_close_usd"],
        "seller_needed_to_close_usd": own["needed_to_close_usd"],
        "exports_valuation_usd": exports["valuation_usd"], "exports_rest_usd": exports["rest_usd"],
        "buyer_publisher": customs["publisher"], "cif_fob": exports["cif_fob"] or CIF_FOB,
    }  # fmt: skip
    text = (
        f"Two records of the same trade. On {buyer}'s customs records ({customs['publisher']}) {seller}'s "
        f"{spec.year} balance is USD {customs['balance_usd'] / BILLION:,.2f} billion; on {seller}'s own, USD "
        f"{own['balance_usd'] / BILLION:,.2f} billion. {buyer} records USD {customs['exports_usd'] / BILLION:,.2f} "
        f"billion of imports from {seller} against {seller}'s USD {own['exports_usd'] / BILLION:,.2f} billion of "
        f"exports, and USD {customs['imports_usd'] / BILLION:,.2f} billion of exports to {seller} against "
        f"{seller}'s USD {own['imports_usd'] / BILLION:,.2f} billion of imports. Of the difference in {seller}'s "
        f"exports, valuation (CIF against FOB, ÷ {values['cif_fob']:.3g}) explains USD {exports['valuation_usd'] / BILLION:,.2f} "
        f"billion; the rest, USD {exports['rest_usd'] / BILLION:,.2f} billion, is timing (goods in transit at the "
        "year's end), origin against consignment (goods of the seller's origin shipped through other countries "
        "are the seller's in the buyer's records only) and coverage. Closing the deficit takes USD "
        f"{customs['needed_to_close_usd'] / BILLION:,.2f} billion on {buyer}'s records, USD "
        f"{own['needed_to_close_usd'] / BILLION:,.2f} billion on {seller}'s."
    )
    return Note(text, "purchase_records", values)


def _real_note(f: dict[str, Any]) -> Note:
    values = {
        "largest_growth_real_usd": f["largest_growth_real_usd"],
        "largest_growth_real_usd_year": f["largest_growth_real_usd_year"],
        "needed_vs_largest_growth_real": f["needed_vs_largest_growth_real"],
        "deflator_base_year": f["deflator_base_year"],
    }
    times = f["needed_vs_largest_growth_real"]
    text = (
        f"In constant {f['deflator_base_year']} dollars (US CPI-U, annual average) the largest rise on record is USD "
        f"{f['largest_growth_real_usd'] / BILLION:,.2f} billion ({f['largest_growth_real_usd_year']})"
        + (f": the gap is {times:,.1f} times that record." if times else ".")
    )
    return Note(text, "purchase_real", values)


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
