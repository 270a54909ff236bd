"""Running a scenario: data → market → new tariffs → SMART effects → tables by partner, chapter and line."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from etl.errors import SpecError
from model import data
from model.market import DEFAULT_IMPORT_DEMAND, Market, build_market, prefix_product_mask
from model.smart import INFINITE_SUPPLY, SmartEffects, smart_effects
from model.spec import EXEMPTION_LISTS, PurchaseScenario, Scenario, TariffScenario
from model.tariff_changes import new_tariffs

# Low / central / high runs multiply η and σ by these factors; the band is the range over all nine pairs.
SENSITIVITY_FACTORS = (0.5, 1.0, 2.0)
TOP_LINES = 40
# Who gains when Colombia is singled out, as the May 2025 articles put it (label, HS prefix, partners).
FOCUS_GROUPS = (
    ("Ecuador's roses (HS 060311)", "060311", ("ECU",)),
    ("Ecuador's cut flowers (HS 0603)", "0603", ("ECU",)),
    ("Central America's coffee (HS 0901)", "0901", ("GTM", "HND", "NIC", "CRI", "SLV")),
    ("Colombia's roses (HS 060311)", "060311", ("COL",)),
    ("Colombia's coffee (HS 0901)", "0901", ("COL",)),
)

LEFT_OUT = (
    "Retaliation: partners' responses (counter-tariffs, purchases elsewhere) are not modelled.",
    "Income effects: spending on the rest of the economy and incomes are held fixed.",
    "Intermediate inputs: tariffs on parts and materials do not raise the cost of goods made with them.",
    "General equilibrium: exchange rates, wages, other markets and domestic producers do not adjust.",
    "Trade deflection and rerouting through third countries, and substitution between products, are absent.",
)


@dataclass
class ScenarioResult:
    """Tables and headline figures of one run (tariff or purchase)."""

    spec: Scenario
    by_partner: pd.DataFrame
    totals: dict[str, Any]
    by_chapter: pd.DataFrame = field(default_factory=pd.DataFrame)
    top_lines: pd.DataFrame = field(default_factory=pd.DataFrame)
    focus: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    left_out: tuple[str, ...] = LEFT_OUT

    @property
    def name(self) -> str:
        return self.spec.name

    def to_dict(self) -> dict[str, Any]:
        from model.spec import spec_to_dict

        return {
            "scenario": spec_to_dict(self.spec),
            "totals": _plain(self.totals),
            "by_partner": _records(self.by_partner),
            "by_chapter": _records(self.by_chapter),
            "top_lines": _records(self.top_lines),
            "focus": _records(self.focus),
            "notes": list(self.notes),
            "left_out": list(self.left_out),
            **{key: _plain(value) for key, value in self.extra.items()},
        }


def run_scenario(
    spec: Scenario, con: duckdb.DuckDBPyConnection, market: Market | None = None
) -> ScenarioResult:
    """Run `spec` against the database behind `con` (a prepared `market` skips the line query)."""
    if isinstance(spec, PurchaseScenario):
        from model.purchase import run_purchase

        return run_purchase(spec, con)
    if market is None:
        market = load_market(con, spec.importer, spec.year)
    exemptions = resolve_exemptions(con, spec.exemptions)
    labels = Labels(countries=data.query_country_names(con), chapters=data.query_chapter_names(con))
    result = run_tariff(spec, market, exemptions, labels)
    if not result.top_lines.empty:
        descriptions = data.query_line_descriptions(con, result.top_lines["hs10"].tolist())
        result.top_lines.insert(1, "description", result.top_lines["hs10"].map(descriptions))
    return result


def load_market(con: duckdb.DuckDBPyConnection, importer: str, year: int) -> Market:
    lines = data.query_import_lines(con, importer, year)
    if lines.empty:
        years = data.query_line_years(con, importer)
        raise SpecError(
            "year" if years else "importer",
            f"no imports by HS10 line for {importer} in {year}",
            hint=f"years with lines for {importer}: {', '.join(map(str, years))}"
            if years
            else "the bundled lines are US imports for consumption: use importer USA, year 2024",
        )
    return build_market(lines, data.query_import_demand_elasticities(con))


def resolve_exemptions(con: duckdb.DuckDBPyConnection, exemptions: tuple[str, ...]) -> tuple[str, ...]:
    """HTS prefixes from a mix of prefixes and bundled list names."""
    prefixes: list[str] = []
    for i, item in enumerate(exemptions):
        if item in EXEMPTION_LISTS:
            codes = data.query_exemption_codes(con, item)
            if not codes:
                raise SpecError(f"exemptions[{i}]", f"the list {item!r} is not in the database",
                                hint="rebuild the database with `balanza build`")  # fmt: skip
            prefixes.extend(codes)
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
) -> ScenarioResult:
    """The pure part of a tariff run: no database."""
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
    t1 = new_tariffs(market, spec.tariff_changes, exempt)
    eta_rows = row_eta(market, spec)
    sigma = spec.elasticities.substitution
    epsilon = spec.elasticities.supply
    effects = smart_effects(market.imports, t0, t1, market.product_index, eta_rows, sigma, epsilon)

    chapters, chapter_index = market.chapters()
    focus_masks = [
        prefix_product_mask(market.products, (prefix,))[market.product_index]
        & np.isin(market.partners, partners)[market.partner_index]
        for _, prefix, partners in FOCUS_GROUPS
    ]
    focus_band = np.full((2, len(FOCUS_GROUPS)), np.nan)
    partner_band = np.full((2, market.partners.size), np.nan)
    chapter_band = np.full((2, chapters.size), np.nan)
    total_band = [np.inf, -np.inf]
    for eta_factor, sigma_factor in itertools.product(SENSITIVITY_FACTORS, SENSITIVITY_FACTORS):
        run = (
            effects
            if eta_factor == sigma_factor == 1.0
            else smart_effects(
                market.imports,
                t0,
                t1,
                market.product_index,
                eta_rows * eta_factor,
                sigma * sigma_factor,
                epsilon,
            )
        )
        by_partner = np.bincount(market.partner_index, run.total_change, market.partners.size)
        by_chapter = np.bincount(chapter_index, run.total_change, chapters.size)
        partner_band = _widen(partner_band, by_partner)
        focus_band = _widen(focus_band, np.array([run.total_change[m].sum() for m in focus_masks]))
        chapter_band = _widen(chapter_band, by_chapter)
        total = float(run.total_change.sum())
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
                "trade_creation_usd": float(effects.trade_creation[mask].sum()),
                "trade_diversion_usd": float(effects.trade_diversion[mask].sum()),
                "total_change_usd": float(effects.total_change[mask].sum()),
                "low_usd": focus_band[0, i],
                "high_usd": focus_band[1, i],
            }
            for i, ((label, prefix, partners), mask) in enumerate(zip(FOCUS_GROUPS, focus_masks, strict=True))
        ]
    )
    default_share = float(
        market.imports[market.product_eta_is_default[market.product_index]].sum() / market.imports.sum()
    )
    revenue_before = float(effects.revenue_before.sum())
    revenue_after = float(effects.revenue_after.sum())
    consumer_surplus = float(effects.consumer_surplus_change.sum())
    gross_diversion = float(np.clip(effects.trade_diversion, 0, None).sum())
    baseline = float(market.imports.sum())
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
        "tariff_revenue_before_usd": revenue_before,
        "tariff_revenue_after_usd": revenue_after,
        "tariff_revenue_change_usd": revenue_after - revenue_before,
        "consumer_surplus_change_usd": consumer_surplus,
        "welfare_change_usd": consumer_surplus + revenue_after - revenue_before,
        "average_tariff_before": revenue_before / baseline if baseline else 0.0,
        "average_tariff_after_static": float((t1 * market.imports).sum() / baseline) if baseline else 0.0,
        "lines": int(market.products.size),
        "rows": market.rows,
        "partners": int(market.partners.size),
        "rows_changed": int((t1 != t0).sum()),
        "rows_exempt": int(exempt[market.product_index].sum()) if exempt is not None else 0,
        "default_import_demand_share": default_share,
        "substitution_elasticity": sigma,
        "supply_elasticity": epsilon,
    }
    return ScenarioResult(
        spec=spec,
        by_partner=partner_table,
        totals=totals,
        by_chapter=chapter_table,
        top_lines=_top_lines(market, effects, t0, t1, eta_rows, labels),
        notes=_notes(spec, totals),
        focus=focus_table,
    )


def row_eta(market: Market, spec: TariffScenario) -> np.ndarray:
    demand = spec.elasticities.import_demand
    if demand is not None:
        return np.full(market.rows, demand)
    return market.product_eta[market.product_index]


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


def _notes(spec: TariffScenario, totals: dict[str, Any]) -> list[str]:
    notes = []
    if spec.tariff_changes and all(c.partners is None and not c.except_partners for c in spec.tariff_changes):
        notes.append(
            "The same change applies to every supplier, so relative prices barely move: switching between "
            "suppliers is small and happens only where starting tariffs differ. Gross switching: "
            f"USD {totals['gross_diversion_usd'] / 1e6:,.1f} million "
            f"({100 * totals['gross_diversion_share']:.3f} % of baseline imports)."
        )
    if spec.elasticities.import_demand is None:
        notes.append(
            f"Import-demand elasticities: bundled US HS6 estimates (Hauk); lines without one use the default "
            f"{DEFAULT_IMPORT_DEMAND} (default for {100 * totals['default_import_demand_share']:.1f} % of baseline value)."
        )
    if spec.elasticities.supply >= INFINITE_SUPPLY:
        notes.append(
            "Export supply is infinitely elastic (ε ≥ 99): world prices do not move; importers pay the tariff."
        )
    return notes


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
