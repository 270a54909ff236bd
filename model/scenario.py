"""Running a scenario: data → market → new tariffs → SMART effects → tables by partner, chapter and line."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from etl.errors import SpecError
from etl.schema import COLOMBIA, MILLION
from model import data
from model.colombia import colombia_cells, colombia_table
from model.data import load_market
from model.market import DEFAULT_IMPORT_DEMAND, MATCHES, Z95, Market, prefix_product_mask
from model.purchase import run_purchase
from model.result import Note, ScenarioResult
from model.smart import DEFAULT_SUBSTITUTION, INFINITE_SUPPLY, ModelRangeError, SmartEffects, smart_effects
from model.spec import EXEMPTION_LISTS, PRODUCT_LISTS, PurchaseScenario, Scenario, TariffScenario
from model.tariff_changes import tariff_steps

# What-if factors for elasticities without an estimate of their own (and for one number given for all lines).
WHAT_IF_FACTORS = (0.5, 2.0)
# The most elastic η and the least elastic the band uses where a confidence bound crosses zero.
LEAST_ELASTIC = -0.05
TOP_LINES = 40
BAND_BASIS_KIND = "four_runs_at_elasticity_bounds"  # totals["band_basis_kind"]: how the band was drawn
BAND_BASIS = (
    "Band: the range over four runs with η and σ each at the low and high end of its range: the 95 % confidence "
    "interval (estimate ± 1.96 standard errors) where a line has an estimate of its own HS6 code, a what-if "
    "range of ½× to 2× elsewhere (5-digit or heading medians, defaults, and numbers set for all lines). All "
    "lines move together, so the band is wider than a joint confidence interval."
)
# Who gains when Colombia is singled out, as the May 2025 articles put it (label, HS prefix, partners).
FOCUS_GROUPS = (
    ("Ecuador's roses (HS 060311)", "060311", ("ECU",)),
    ("Ecuador's cut flowers (HS 0603)", "0603", ("ECU",)),
    ("Central America's coffee (HS 0901)", "0901", ("GTM", "HND", "NIC", "CRI", "SLV")),
    ("Colombia's roses (HS 060311)", "060311", (COLOMBIA,)),
    ("Colombia's coffee (HS 0901)", "0901", (COLOMBIA,)),
)


def run_scenario(
    spec: Scenario, con: duckdb.DuckDBPyConnection, market: Market | None = None
) -> ScenarioResult:
    """Run `spec` against the database behind `con` (a prepared `market` skips the line query)."""
    if isinstance(spec, PurchaseScenario):
        return run_purchase(spec, con)
    if market is None or market.level != spec.level:
        market = load_market(con, spec.importer, spec.year, spec.level)
    exemptions = resolve_exemptions(con, spec.exemptions)
    lists, rates = resolve_lists(con, spec)
    labels = Labels(countries=data.query_country_names(con), chapters=data.query_chapter_names(con))
    result = run_tariff(spec, market, exemptions, labels, lists=lists, rates=rates)
    if not result.top_lines.empty:
        descriptions = data.query_line_descriptions(con, result.top_lines["hs10"].tolist())
        result.top_lines.insert(1, "description", result.top_lines["hs10"].map(descriptions))
    return result


def resolve_lists(
    con: duckdb.DuckDBPyConnection, spec: TariffScenario, *, literal: bool = False
) -> tuple[dict[str, tuple[str, ...]], dict[str, dict[str, float]]]:
    """The bundled product lists and country-rate lists the scenario's changes name, read from the database.

    `literal` reads each code as it is written (a padded 8-digit code then matches only itself), as the tracker
    does: only to reconcile with it (`model.measures.tracker_bridge`)."""
    lists: dict[str, tuple[str, ...]] = {}
    rates: dict[str, dict[str, float]] = {}
    for i, change in enumerate(spec.tariff_changes):
        for key, items in (("products", change.products or ()), ("except_products", change.except_products)):
            for item in items:
                if item in lists or item.isdigit():
                    continue
                codes = (
                    data.query_product_list_codes(con, item)
                    if item in PRODUCT_LISTS
                    else data.query_exemption_codes(con, item)
                )
                if not codes:
                    raise SpecError(f"tariff_changes[{i}].{key}", f"the list {item!r} is not in the database",
                                    hint="rebuild the database with `balanza build`")  # fmt: skip
                lists[item] = tuple(code if literal else hts_prefix(code) for code in codes)
        if change.rate_list is not None and change.rate_list not in rates:
            table = data.query_rate_list(con, change.rate_list)
            if not table:
                raise SpecError(f"tariff_changes[{i}].add_pp.list", f"the list {change.rate_list!r} is not in the "
                                "database", hint="rebuild the database with `balanza build`")  # fmt: skip
            rates[change.rate_list] = table
    return lists, rates


def hts_prefix(code: str) -> str:
    """An HTS code as a prefix of the HS10 lines it covers.

    The bundled lists pad 8-digit subheadings to ten digits with "00" (e.g. 2709.00.20 → 2709002000), while the
    Census lines carry the statistical suffix (2709002090). Suffix 00 is used only where an 8-digit line has no
    statistical breakdown, so reading a ten-digit code ending in 00 as its 8-digit prefix is exact either way.
    """
    return code[:8] if len(code) == 10 and code.endswith("00") else code


def resolve_exemptions(con: duckdb.DuckDBPyConnection, exemptions: tuple[str, ...]) -> tuple[str, ...]:
    """HTS prefixes from a mix of prefixes and bundled list names (list codes read with `hts_prefix`)."""
    prefixes: list[str] = []
    for i, item in enumerate(exemptions):
        if item in EXEMPTION_LISTS:
            codes = data.query_exemption_codes(con, item)
            if not codes:
                raise SpecError(f"exemptions[{i}]", f"the list {item!r} is not in the database",
                                hint="rebuild the database with `balanza build`")  # fmt: skip
            prefixes.extend(hts_prefix(code) for code in codes)
        else:
            prefixes.append(item)
    return tuple(prefixes)


@dataclass(frozen=True)
class Labels:
    countries: dict[str, str] = field(default_factory=dict)
    chapters: dict[str, str] = field(default_factory=dict)


def run_tariff(
    spec: TariffScenario,
    market: Market,
    exemption_prefixes: tuple[str, ...] = (),
    labels: Labels | None = None,
    *,
    lists: dict[str, tuple[str, ...]] | None = None,
    rates: dict[str, dict[str, float]] | None = None,
) -> ScenarioResult:
    """The pure part of a tariff run: no database (lists and rates already resolved)."""
    labels = labels or Labels()
    _check_partners(spec, market)
    if spec.products is not None:
        market = market.subset(prefix_product_mask(market.products, spec.products)[market.product_index])
        if market.rows == 0:
            raise SpecError(
                "products", "no import lines match these prefixes", hint='e.g. ["0603", "0901"] or "all"'
            )
    exempt = prefix_product_mask(market.products, exemption_prefixes) if exemption_prefixes else None
    t0 = market.t0
    steps = tariff_steps(market, spec.tariff_changes, exempt, lists, rates)
    t1 = steps[-1] if steps else t0.copy()
    eta_rows, eta_low, eta_high = row_eta_range(market, spec)
    sigma_rows, sigma_low, sigma_high = row_sigma_range(market, spec)
    epsilon = spec.elasticities.supply

    def run(t_new: np.ndarray, eta: np.ndarray, sigma: np.ndarray) -> SmartEffects:
        try:
            return smart_effects(
                market.imports, t0, t_new, market.product_index, eta, sigma, epsilon, spec.method
            )
        except ModelRangeError as exc:
            raise SpecError(f"elasticities.{exc.parameter}", str(exc)) from exc

    effects = run(t1, eta_rows, sigma_rows)

    chapters, chapter_index = market.chapters()
    focus_masks = [
        prefix_product_mask(market.products, (prefix,))[market.product_index]
        & np.isin(market.partners, partners)[market.partner_index]
        for _, prefix, partners in FOCUS_GROUPS
    ]
    colombia = colombia_cells(market)
    colombia_band = np.full((2, len(colombia.labels)), np.nan)
    focus_band = np.full((2, len(FOCUS_GROUPS)), np.nan)
    partner_band = np.full((2, market.partners.size), np.nan)
    chapter_band = np.full((2, chapters.size), np.nan)
    total_band = [np.inf, -np.inf]
    corners = [effects] + [
        run(t1, eta, sigma) for eta, sigma in itertools.product((eta_low, eta_high), (sigma_low, sigma_high))
    ]
    for band_run in corners:
        by_partner = np.bincount(market.partner_index, band_run.total_change, market.partners.size)
        by_chapter = np.bincount(chapter_index, band_run.total_change, chapters.size)
        partner_band = _widen(partner_band, by_partner)
        focus_band = _widen(focus_band, np.array([band_run.total_change[m].sum() for m in focus_masks]))
        colombia_band = _widen(colombia_band, colombia.sums(band_run.total_change))
        chapter_band = _widen(chapter_band, by_chapter)
        total = float(band_run.total_change.sum())
        total_band = [min(total_band[0], total), max(total_band[1], total)]

    partner_table = _aggregate(effects, t0, t1, market.partner_index, market.partners.size)
    partner_table.insert(0, "partner_iso3", market.partners)
    partner_table.insert(1, "partner_name", [labels.countries.get(p, p) for p in market.partners])
    partner_table["low_usd"], partner_table["high_usd"] = partner_band
    partner_table = partner_table.sort_values("baseline_usd", ascending=False, ignore_index=True)

    chapter_table = _aggregate(effects, t0, t1, chapter_index, chapters.size)
    chapter_table.insert(0, "chapter", chapters)
    chapter_table.insert(1, "description", [labels.chapters.get(c, "") for c in chapters])
    chapter_table["low_usd"], chapter_table["high_usd"] = chapter_band
    chapter_table = chapter_table.sort_values("chapter", ignore_index=True)

    focus_table = pd.DataFrame(
        [
            {
                "group": label,
                "hs_prefix": prefix,
                "partners": ", ".join(partners),
                "baseline_usd": float(effects.baseline[mask].sum()),
                "tariff_before_pct": _weighted_pct(t0[mask], effects.baseline[mask]),
                "tariff_after_pct": _weighted_pct(t1[mask], effects.baseline[mask]),
                "trade_creation_usd": float(effects.trade_creation[mask].sum()),
                "trade_diversion_usd": float(effects.trade_diversion[mask].sum()),
                "total_change_usd": float(effects.total_change[mask].sum()),
                "low_usd": focus_band[0, i],
                "high_usd": focus_band[1, i],
            }
            for i, ((label, prefix, partners), mask) in enumerate(zip(FOCUS_GROUPS, focus_masks, strict=True))
        ]
    )
    revenue_before = float(effects.revenue_before.sum())
    revenue_after = float(effects.revenue_after.sum())
    consumer_surplus = float(effects.consumer_surplus_change.sum())
    gross_diversion = float(np.clip(effects.trade_diversion, 0, None).sum())
    baseline = float(market.imports.sum())
    coverage = elasticity_coverage(market, spec)
    totals: dict[str, Any] = {
        "baseline_usd": baseline,
        "trade_creation_usd": float(effects.trade_creation.sum()),
        "trade_diversion_usd": float(effects.trade_diversion.sum()),
        "gross_diversion_usd": gross_diversion,
        "gross_diversion_share": gross_diversion / baseline if baseline else 0.0,
        "price_effect_usd": float(effects.price_effect.sum()),
        "total_change_usd": float(effects.total_change.sum()),
        "total_change_low_usd": total_band[0],
        "total_change_high_usd": total_band[1],
        "band_basis": BAND_BASIS,
        "band_basis_kind": BAND_BASIS_KIND,
        "tariff_revenue_before_usd": revenue_before,
        "tariff_revenue_after_usd": revenue_after,
        "tariff_revenue_change_usd": revenue_after - revenue_before,
        "consumer_surplus_change_usd": consumer_surplus,
        "welfare_change_usd": consumer_surplus + revenue_after - revenue_before,
        "average_tariff_before": revenue_before / baseline if baseline else 0.0,
        "average_tariff_after_static": float((t1 * market.imports).sum() / baseline) if baseline else 0.0,
        "level": market.level,
        "lines": int(market.products.size),
        "rows": market.rows,
        "partners": int(market.partners.size),
        "partners_left_out": list(market.dropped_partners),
        "rows_changed": int((t1 != t0).sum()),
        "rows_exempt": int(exempt[market.product_index].sum()) if exempt is not None else 0,
        "default_import_demand_share": coverage["import_demand"]["default"],
        "elasticity_coverage": coverage,
        "substitution_elasticity": "data"
        if spec.elasticities.substitution is None
        else spec.elasticities.substitution,
        "supply_elasticity": epsilon,
        "method": spec.method,
        "as_of": spec.as_of,
        "rows_below_zero": int((effects.new_quantity < 0).sum()),
    }
    return ScenarioResult(
        spec=spec,
        by_partner=partner_table,
        totals=totals,
        by_chapter=chapter_table,
        top_lines=_top_lines(market, effects, t0, t1, eta_rows, labels),
        line_factory=lambda: line_table(market, effects, t0, t1, eta_rows, sigma_rows),
        effective_rates=effective_rates(spec, market, t0, steps, run, eta_rows, sigma_rows, labels, effects),
        notes=_notes(spec, totals),
        focus=focus_table,
        colombia=colombia_table(colombia, effects, t0, t1, colombia_band),
    )


def _weighted_pct(rates: np.ndarray, weights: np.ndarray) -> float:
    total = float(weights.sum())
    return 100.0 * float((rates * weights).sum()) / total if total else float("nan")


def row_eta_range(market: Market, spec: TariffScenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """η per row: central, most elastic and least elastic (see BAND_BASIS)."""
    demand = spec.elasticities.import_demand
    if demand is not None:
        central = np.full(market.rows, demand)
        return central, central * WHAT_IF_FACTORS[1], central * WHAT_IF_FACTORS[0]
    value = market.product_eta
    se = market.eta_std_error if market.eta_std_error is not None else np.full(value.size, np.nan)
    own = ~np.isnan(se)
    low = np.where(own, value - Z95 * np.nan_to_num(se), value * WHAT_IF_FACTORS[1])
    high = np.where(
        own, np.minimum(value + Z95 * np.nan_to_num(se), LEAST_ELASTIC), value * WHAT_IF_FACTORS[0]
    )
    index = market.product_index
    return value[index], low[index], high[index]


def row_sigma_range(market: Market, spec: TariffScenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """σ per row: central, low and high (see BAND_BASIS). "data": the line's sensible estimate, else 1.5."""
    given = spec.elasticities.substitution
    if given is not None or market.product_sigma is None:
        central = np.full(market.rows, DEFAULT_SUBSTITUTION if given is None else given)
        return central, central * WHAT_IF_FACTORS[0], central * WHAT_IF_FACTORS[1]
    estimate = market.product_sigma
    has = ~np.isnan(estimate)
    value = np.where(has, estimate, DEFAULT_SUBSTITUTION)
    se = market.sigma_std_error if market.sigma_std_error is not None else np.full(value.size, np.nan)
    own = has & ~np.isnan(se)
    low = np.where(own, np.maximum(value - Z95 * np.nan_to_num(se), 0.0), value * WHAT_IF_FACTORS[0])
    high = np.where(own, value + Z95 * np.nan_to_num(se), value * WHAT_IF_FACTORS[1])
    index = market.product_index
    return value[index], low[index], high[index]


def row_eta(market: Market, spec: TariffScenario) -> np.ndarray:
    return row_eta_range(market, spec)[0]


def elasticity_coverage(market: Market, spec: TariffScenario) -> dict[str, dict[str, float]]:
    """Share of baseline import value by how η and σ were found (MATCHES; "set for all lines" when given)."""
    value = np.bincount(market.product_index, market.imports, market.products.size)
    total = float(value.sum()) or 1.0

    def shares(match: np.ndarray | None, given: bool) -> dict[str, float]:
        if given or match is None:
            return {"set for all lines": 1.0, **{kind: 0.0 for kind in MATCHES}}
        return {kind: float(value[match == i].sum() / total) for i, kind in enumerate(MATCHES)}

    return {
        "import_demand": shares(market.eta_match, spec.elasticities.import_demand is not None),
        "substitution": shares(market.sigma_match, spec.elasticities.substitution is not None),
    }


def line_table(
    market: Market, effects: SmartEffects, t0: np.ndarray, t1: np.ndarray, eta: np.ndarray, sigma: np.ndarray
) -> pd.DataFrame:
    """Every line × partner row of the run (USD, rates in %), for the CSV download and the JSON output."""
    products = pd.Categorical.from_codes(market.product_index.astype(np.int64), pd.Index(market.products))
    partners = pd.Categorical.from_codes(market.partner_index.astype(np.int64), pd.Index(market.partners))
    match = market.eta_match if market.eta_match is not None else np.full(market.products.size, 3, np.int8)
    return pd.DataFrame(
        {
            market.level: products,
            "partner_iso3": partners,
            "baseline_usd": effects.baseline,
            "tariff_before_pct": 100.0 * t0,
            "tariff_after_pct": 100.0 * t1,
            "trade_creation_usd": effects.trade_creation,
            "trade_diversion_usd": effects.trade_diversion,
            "price_effect_usd": effects.price_effect,
            "total_change_usd": effects.total_change,
            "import_demand_elasticity": eta,
            "import_demand_match": pd.Categorical.from_codes(
                match[market.product_index].astype(np.int64), pd.Index(MATCHES)
            ),
            "substitution_elasticity": sigma,
        }
    )


def effective_rates(
    spec: TariffScenario,
    market: Market,
    t0: np.ndarray,
    steps: list[np.ndarray],
    run: Callable[[np.ndarray, np.ndarray, np.ndarray], SmartEffects],
    eta: np.ndarray,
    sigma: np.ndarray,
    labels: Labels,
    final: SmartEffects | None = None,
) -> pd.DataFrame:
    """Effective tariff rates by partner before and after each change, before and after substitution.

    Pre-substitution: Σ t·M / Σ M on baseline (2024) imports. Post-substitution: Σ t·X·p / Σ X·p on the imports
    the model gives for the tariffs in force after that step (the way the Yale Budget Lab's tracker reports
    them). One row per step and partner, plus an "All partners" row per step.
    """
    rows = []
    size = market.partners.size
    names = [labels.countries.get(p, p) for p in market.partners]
    baseline = np.bincount(market.partner_index, market.imports, size)
    labelled = [(change.action or f"change {i + 1}", t) for i, (change, t) in enumerate(zip(spec.tariff_changes, steps, strict=True))]  # fmt: skip
    # Consecutive changes with the same action are one step (e.g. one duty at two rates for different partners).
    merged = [
        (label, t)
        for i, (label, t) in enumerate(labelled)
        if i + 1 == len(labelled) or labelled[i + 1][0] != label
    ]
    for step, (label, tariffs) in enumerate([("2024 applied tariffs", t0), *merged]):
        if step == 0:
            after = market.imports
        else:
            # The last step is the scenario itself: its central run is reused.
            effects = final if final is not None and step == len(merged) else run(tariffs, eta, sigma)
            after = effects.baseline + effects.total_change
        pre = np.bincount(market.partner_index, tariffs * market.imports, size)
        post = np.bincount(market.partner_index, tariffs * after, size)
        value_after = np.bincount(market.partner_index, after, size)
        for k in range(size):
            rows.append((step, label, market.partners[k], names[k], baseline[k], value_after[k],
                         _ratio(pre[k], baseline[k]), _ratio(post[k], value_after[k])))  # fmt: skip
        rows.append((step, label, "ALL", "All partners", baseline.sum(), value_after.sum(),
                     _ratio(pre.sum(), baseline.sum()), _ratio(post.sum(), value_after.sum())))  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["step", "action", "partner_iso3", "partner_name", "imports_2024_usd", "imports_after_usd",
                 "rate_pre_substitution_pct", "rate_post_substitution_pct"],
    )  # fmt: skip


def _ratio(numerator: float, denominator: float) -> float:
    return 100.0 * numerator / denominator if denominator > 0 else float("nan")


def _check_partners(spec: TariffScenario, market: Market) -> None:
    known = set(market.partners.tolist())
    for i, change in enumerate(spec.tariff_changes):
        for key, codes in (("partners", change.partners or ()), ("except_partners", change.except_partners)):
            for j, code in enumerate(codes):
                if code not in known:
                    raise SpecError(
                        f"tariff_changes[{i}].{key}[{j}]",
                        f"{code} has no import lines in {spec.importer} {spec.year}",
                        hint="EU members are one partner, EUN; partners with lines: "
                        + ", ".join(sorted(known)),
                    )


def _widen(band: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.vstack([np.fmin(band[0], values), np.fmax(band[1], values)])


def _aggregate(
    effects: SmartEffects, t0: np.ndarray, t1: np.ndarray, index: np.ndarray, size: int
) -> pd.DataFrame:
    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(index, values, size)

    baseline = total(effects.baseline)
    safe = np.where(baseline > 0, baseline, 1.0)
    change = total(effects.total_change)
    return pd.DataFrame(
        {
            "baseline_usd": baseline,
            "trade_creation_usd": total(effects.trade_creation),
            "trade_diversion_usd": total(effects.trade_diversion),
            "price_effect_usd": total(effects.price_effect),
            "total_change_usd": change,
            "total_change_pct": 100.0 * change / safe,
            "tariff_before_pct": 100.0 * total(t0 * effects.baseline) / safe,
            "tariff_after_pct": 100.0 * total(t1 * effects.baseline) / safe,
            "tariff_revenue_change_usd": total(effects.revenue_after - effects.revenue_before),
        }
    )


def _top_lines(
    market: Market, effects: SmartEffects, t0: np.ndarray, t1: np.ndarray, eta: np.ndarray, labels: Labels
) -> pd.DataFrame:
    magnitude = np.abs(effects.total_change)
    count = min(TOP_LINES, magnitude.size)
    if count == 0:
        return pd.DataFrame()
    top = np.argpartition(-magnitude, count - 1)[:count]
    top = top[np.argsort(-magnitude[top])]
    return pd.DataFrame(
        {
            "hs10": market.products[market.product_index[top]],
            "partner_iso3": market.partners[market.partner_index[top]],
            "baseline_usd": effects.baseline[top],
            "tariff_before_pct": 100.0 * t0[top],
            "tariff_after_pct": 100.0 * t1[top],
            "trade_creation_usd": effects.trade_creation[top],
            "trade_diversion_usd": effects.trade_diversion[top],
            "total_change_usd": effects.total_change[top],
            "import_demand_elasticity": eta[top],
            "elasticity_is_default": market.product_eta_is_default[market.product_index[top]],
        }
    )


def _notes(spec: TariffScenario, totals: dict[str, Any]) -> list[Note]:
    """The run's notes, each with its kind and numbers (the dashboard words them by kind)."""
    notes = []
    if spec.method == "linear":
        below = totals["rows_below_zero"]
        notes.append(
            Note(
                "Method: WITS-SMART's linear formulas (trade creation M η Δt/(1 + t0), trade diversion between each "
                "supplier and the rest of its product's suppliers), exact only for small changes"
                + (
                    f"; {below:,} line × partner rows fall below zero, a result of the linear formulas, not of the "
                    "tariffs (the default method, levels, keeps every flow at or above zero)."
                    if below
                    else "."
                ),
                "linear_method",
                {"rows_below_zero": below},
            )
        )
    if spec.tariff_changes and all(c.partners is None and not c.except_partners for c in spec.tariff_changes):
        values = {
            "gross_diversion_usd": totals["gross_diversion_usd"],
            "gross_diversion_share": totals["gross_diversion_share"],
        }
        notes.append(
            Note(
                "The same change applies to every supplier, so relative prices barely move: switching between "
                "suppliers is small and happens only where starting tariffs differ. Gross switching: "
                f"USD {totals['gross_diversion_usd'] / MILLION:,.1f} million "
                f"({100 * totals['gross_diversion_share']:.3f} % of baseline imports).",
                "same_change_for_all",
                values,
            )
        )
    if spec.elasticities.import_demand is None:
        eta = totals["elasticity_coverage"]["import_demand"]
        notes.append(
            Note(
                "Import-demand elasticities: Hauk's US HS6 estimates (HS 1988/92 codes, matched to the 2024 lines "
                "as docs/scenarios.md describes). Share of baseline value: own code "
                f"{100 * eta['same code']:.1f} %, 5-digit group {100 * eta['5-digit group']:.1f} %, heading median "
                f"{100 * eta['heading median']:.1f} %, default {DEFAULT_IMPORT_DEMAND} {100 * eta['default']:.1f} %.",
                "import_demand_sources",
                {
                    "same_code": eta["same code"],
                    "five_digit": eta["5-digit group"],
                    "heading_median": eta["heading median"],
                    "default": eta["default"],
                    "default_value": DEFAULT_IMPORT_DEMAND,
                },
            )
        )
    if spec.elasticities.substitution is None:
        sigma = totals["elasticity_coverage"]["substitution"]
        estimated = 1.0 - sigma["default"]
        notes.append(
            Note(
                f"Substitution elasticities: Hauk's estimates where positive and significant ({100 * estimated:.1f} % "
                f"of baseline value), else σ = {DEFAULT_SUBSTITUTION}.",
                "substitution_sources",
                {"estimated": estimated, "default_value": DEFAULT_SUBSTITUTION},
            )
        )
    if totals["partners_left_out"]:
        notes.append(
            Note(
                "The European Union is one partner (EUN); rows of its members reported on their own ("
                + ", ".join(totals["partners_left_out"])
                + ") are left out so that no total counts them twice.",
                "eu_members_left_out",
                {"members": list(totals["partners_left_out"])},
            )
        )
    if spec.elasticities.supply >= INFINITE_SUPPLY:
        notes.append(
            Note(
                "Export supply is infinitely elastic (ε ≥ 99): world prices do not move; importers pay the tariff.",
                "infinite_supply",
            )
        )
    return notes
