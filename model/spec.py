"""Scenario documents (JSON): parsing, validation and the canonical dict form.

Two kinds: a tariff scenario (the SMART engine) and a purchase scenario (a buyer buys more from a seller).
Every problem raises `SpecError(field, message, hint=...)` naming the field, e.g. `tariff_changes[1].add_pp`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from etl.errors import SpecError
from etl.schema import UNITED_STATES
from model.scenario_link import MAX_SET_DEPTH
from model.smart import DEFAULT_SUBSTITUTION, DEFAULT_SUPPLY, INFINITE_SUPPLY, METHODS, MIN_SUPPLY

CHANGE_KINDS = ("new_rate", "add_pp", "max_rate", "min_rate", "linear_cut", "swiss")
# Bundled HTS lists (table `us_tariff_exemptions`): codes exempt from the reciprocal tariffs.
EXEMPTION_LISTS = (
    "annex_ii_2025_04",
    "annex_ii_2025_11",
    "electronics_2025_04_11",
    "brazil_eo14323_annex_i",
    "brazil_eo14323_annex_i_aircraft",
)
# Bundled HTS lists (table `us_tariff_product_lists`): codes a Section 232 action covers.
PRODUCT_LISTS = (
    "s232_steel_2025",
    "s232_aluminium_2025",
    "s232_autos_2025",
    "s232_copper_2025",
    "s232_steel_base_2018",
    "s232_aluminium_base_2018",
)
# Bundled country-rate lists (table `us_reciprocal_rates`), usable as {"add_pp": {"list": …, "others": …}}.
RATE_LISTS = ("eo14257_annex_i", "eo14326_aug_2025")
LEVELS = ("hs10", "hs6")
ISO3 = re.compile(r"^[A-Z]{3}$")
AS_OF = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The bundled scenario files (JSON specs): the CLI, the Scenarios page and the claims read them from here.
PRESETS_DIR = Path(__file__).resolve().parent / "presets"


def preset_paths() -> list[Path]:
    """Every bundled preset file, by name."""
    return sorted(PRESETS_DIR.glob("*.json"))


def preset_path(name: str) -> Path:
    """The file of the preset called ``name`` (it may not exist)."""
    return PRESETS_DIR / f"{name}.json"


HS_PREFIX = re.compile(r"^\d{2,10}$")
CHAPTER = re.compile(r"^\d{2}$")
MAX_NAME_LENGTH = 120
# Each change costs a pass of the engine over the market (about 25 ms on the 2024 HS10 lines; 50 changes about
# 1.5 s): a bound on the CPU one scenario can take. The bundled presets use at most 21 (the 2025 timeline).
MAX_TARIFF_CHANGES = 50


@dataclass(frozen=True)
class TariffChange:
    """One change: `kind` applied to `value` for the selected partners and products (None = all).

    `products` and `except_products` hold HS prefixes or bundled list names. With `rate_list` (add_pp only)
    each partner adds its own rate from that bundled list, and partners not in it add `others` (None: unchanged).
    `action` names the step in the table of effective rates.
    """

    kind: str
    value: float
    partners: tuple[str, ...] | None = None
    products: tuple[str, ...] | None = None
    except_partners: tuple[str, ...] = ()
    except_products: tuple[str, ...] = ()
    rate_list: str | None = None
    others: float | None = None
    action: str = ""


@dataclass(frozen=True)
class ElasticitySpec:
    substitution: float | None = DEFAULT_SUBSTITUTION  # None: per-product estimates where sensible ("data")
    supply: float = DEFAULT_SUPPLY
    import_demand: float | None = None  # None: the bundled per-product estimates ("data")


@dataclass(frozen=True)
class TariffScenario:
    name: str
    importer: str = UNITED_STATES
    year: int = 2024
    products: tuple[str, ...] | None = None
    tariff_changes: tuple[TariffChange, ...] = ()
    exemptions: tuple[str, ...] = ()
    elasticities: ElasticitySpec = field(default_factory=ElasticitySpec)
    description: str = ""
    kind: str = "tariff"
    level: str = "hs10"  # product level: HS10 lines (default) or HS6 subheadings (as WITS-SMART)
    method: str = "levels"  # the nested CES in levels (default) or WITS-SMART's linear formulas
    as_of: str | None = None  # the legal date the scenario's tariffs describe (YYYY-MM-DD)


@dataclass(frozen=True)
class PurchaseScenario:
    """The buyer buys more from the seller: by `percent` of the baseline, by `amount_usd`, or by exactly the
    seller's deficit with the buyer on the series of record's headline balance (`close_balance`)."""

    name: str
    buyer: str
    seller: str
    year: int = 2024
    percent: float | None = None
    amount_usd: float | None = None
    chapters: tuple[str, ...] | None = None
    description: str = ""
    kind: str = "purchase"
    close_balance: bool = False
    as_of: str | None = None  # the date the scenario describes (YYYY-MM-DD)
    record: str = (
        "seller"  # whose records the balance and the base are read from: the seller's, or the buyer's customs
    )


Scenario = TariffScenario | PurchaseScenario

TARIFF_KEYS = {"kind", "name", "description", "importer", "year", "products", "tariff_changes", "exemptions",
               "elasticities", "level", "method", "as_of"}  # fmt: skip
PURCHASE_KEYS = {"kind", "name", "description", "buyer", "seller", "year", "increase", "as_of", "record"}
# Whose records a purchase scenario reads: the seller's own (exports as the seller records them, its headline
# balance), or the buyer's customs (its imports from the seller, the balance on its records: etl/record.py mirror).
RECORDS = ("seller", "buyer")
CHANGE_KEYS = {"partners", "products", "except_partners", "except_products", "action", *CHANGE_KINDS}


def parse_spec(document: str | bytes | dict[str, Any]) -> Scenario:
    """A scenario from JSON text or an already decoded dict; raises SpecError naming the field."""
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            raise SpecError(
                "(document)", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from exc
        except RecursionError:  # "[[[[…": deeper than the parser's stack
            raise SpecError("(document)", f"nested more than {MAX_SET_DEPTH} levels deep") from None
    if not isinstance(document, dict):
        raise SpecError("(document)", "a scenario must be a JSON object", hint='start with {"name": ...}')
    kind = document.get("kind", "tariff")
    if kind == "tariff":
        return _parse_tariff(document)
    if kind == "purchase":
        return _parse_purchase(document)
    raise SpecError("kind", f"unknown kind {kind!r}", hint='use "tariff" (the default) or "purchase"')


def _parse_tariff(doc: dict[str, Any]) -> TariffScenario:
    _reject_unknown(doc, TARIFF_KEYS, "")
    changes_raw = doc.get("tariff_changes", [])
    if not isinstance(changes_raw, list):
        raise SpecError("tariff_changes", "must be a list of changes")
    if len(changes_raw) > MAX_TARIFF_CHANGES:
        raise SpecError("tariff_changes", f"{len(changes_raw)} changes: at most {MAX_TARIFF_CHANGES} in one scenario",
                        hint="one change can cover several partners and products, or take a bundled rate list")  # fmt: skip
    changes = tuple(_parse_change(item, f"tariff_changes[{i}]") for i, item in enumerate(changes_raw))
    elasticities = _elasticities(doc.get("elasticities", {}), "elasticities")
    method = _method(doc.get("method", "levels"))
    if method == "linear" and elasticities.supply < INFINITE_SUPPLY:
        raise SpecError(
            "elasticities.supply",
            f"the linear method implements WITS-SMART's formulas for infinite export supply; {elasticities.supply:g} "
            "is finite",
            hint=f'give "supply": {INFINITE_SUPPLY:g}, or use "method": "levels" for finite supply',
        )
    return TariffScenario(
        name=_name(doc),
        importer=_iso3(doc.get("importer", UNITED_STATES), "importer"),
        year=_year(doc.get("year", 2024), "year"),
        products=_prefixes(doc.get("products", "all"), "products"),
        tariff_changes=changes,
        exemptions=_exemptions(doc.get("exemptions", []), "exemptions"),
        elasticities=elasticities,
        description=_text(doc.get("description", ""), "description"),
        level=_level(doc.get("level", "hs10")),
        method=method,
        as_of=_as_of(doc.get("as_of")),
    )


def _method(value: Any) -> str:
    if value not in METHODS:
        raise SpecError(
            "method",
            f"unknown method {value!r}",
            hint='"levels" (the nested CES, default) or "linear" (WITS-SMART)',
        )
    return value


def _as_of(value: Any) -> str | None:
    """A legal date, YYYY-MM-DD (None when absent)."""
    if value is None:
        return None
    try:
        if not isinstance(value, str) or not AS_OF.match(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise SpecError(
            "as_of", f"{value!r} is not a date", hint='write it as YYYY-MM-DD, e.g. "2025-08-07"'
        ) from None
    return value


def _level(value: Any) -> str:
    if value not in LEVELS:
        raise SpecError("level", f"{value!r} is not a product level", hint='"hs10" (default) or "hs6"')
    return value


def _parse_change(item: Any, where: str) -> TariffChange:
    if not isinstance(item, dict):
        raise SpecError(where, "each tariff change must be an object")
    _reject_unknown(item, CHANGE_KEYS, where + ".")
    kinds = [k for k in CHANGE_KINDS if k in item]
    if len(kinds) != 1:
        raise SpecError(
            where,
            "give exactly one of "
            + ", ".join(CHANGE_KINDS)
            + (f" (found {', '.join(kinds)})" if kinds else ""),
            hint='e.g. {"partners": "all", "products": "all", "add_pp": 10}',
        )
    kind = kinds[0]
    rate_list, others = None, None
    if kind == "add_pp" and isinstance(item[kind], dict):
        rate_list, others = _rate_list(item[kind], f"{where}.add_pp")
        value = 0.0
    else:
        value = _number(item[kind], f"{where}.{kind}")
    if kind in ("new_rate", "max_rate", "min_rate") and not 0 <= value <= 5:
        raise SpecError(
            f"{where}.{kind}", f"{value} is not a rate: give a fraction between 0 and 5 (0.10 = 10%)"
        )
    if kind == "add_pp" and not -100 <= value <= 1000:
        raise SpecError(
            f"{where}.add_pp",
            f"{value} percentage points is out of range (−100..1000)",
            hint="add_pp is in points: 10 means ten percentage points",
        )
    if kind == "linear_cut" and not 0 <= value <= 1:
        raise SpecError(
            f"{where}.linear_cut", f"{value} must be a fraction between 0 and 1 (0.5 halves tariffs)"
        )
    if kind == "swiss" and value <= 0:
        raise SpecError(f"{where}.swiss", "the Swiss coefficient must be positive (e.g. 16)")
    partners = _partners(item.get("partners", "all"), f"{where}.partners")
    except_partners = _partners(item.get("except_partners", []), f"{where}.except_partners") or ()
    action = _text(item.get("action", ""), f"{where}.action")
    if len(action) > MAX_NAME_LENGTH:
        raise SpecError(f"{where}.action", f"longer than {MAX_NAME_LENGTH} characters")
    except_products = item.get("except_products", [])
    return TariffChange(
        kind=kind,
        value=value,
        partners=partners,
        products=_prefixes(item.get("products", "all"), f"{where}.products", lists=True),
        except_partners=except_partners,
        except_products=(_prefixes(except_products, f"{where}.except_products", lists=True) or ())
        if except_products
        else (),
        rate_list=rate_list,
        others=others,
        action=action,
    )


def _rate_list(value: dict[str, Any], where: str) -> tuple[str, float | None]:
    _reject_unknown(value, {"list", "others"}, where + ".")
    name = value.get("list")
    if name not in RATE_LISTS:
        raise SpecError(
            f"{where}.list", f"{name!r} is not a bundled rate list", hint="lists: " + ", ".join(RATE_LISTS)
        )
    others = None
    if value.get("others") is not None:
        others = _number(value["others"], f"{where}.others")
        if not -100 <= others <= 1000:
            raise SpecError(f"{where}.others", f"{others} percentage points is out of range (−100..1000)")
    return name, others


def _parse_purchase(doc: dict[str, Any]) -> PurchaseScenario:
    _reject_unknown(doc, PURCHASE_KEYS, "")
    for key in ("buyer", "seller", "increase"):
        if key not in doc:
            raise SpecError(key, "missing", hint='a purchase needs "buyer", "seller" and "increase"')
    buyer = _iso3(doc["buyer"], "buyer")
    seller = _iso3(doc["seller"], "seller")
    if buyer == seller:
        raise SpecError("seller", "buyer and seller must differ")
    increase = doc["increase"]
    if not isinstance(increase, dict):
        raise SpecError(
            "increase", 'must be an object: {"percent": 20}, {"amount_usd": 1e9} or {"close_balance": true}'
        )
    _reject_unknown(increase, {"percent", "amount_usd", "close_balance", "chapters"}, "increase.")
    given = [k for k in ("percent", "amount_usd", "close_balance") if k in increase]
    if len(given) != 1:
        raise SpecError("increase", "give exactly one of percent, amount_usd or close_balance")
    percent = amount = None
    close_balance = False
    if "close_balance" in increase:
        if increase["close_balance"] is not True:
            raise SpecError(
                "increase.close_balance",
                "must be true (the increase is the deficit on the headline balance)",
                hint='to buy a set amount, give "amount_usd" instead',
            )
        close_balance = True
    elif "percent" in increase:
        percent = _number(increase["percent"], "increase.percent")
        if not 0 <= percent <= 100_000:
            raise SpecError("increase.percent", f"{percent} is out of range (0..100000)")
    else:
        amount = _number(increase["amount_usd"], "increase.amount_usd")
        if not 0 <= amount <= 1e13:
            raise SpecError("increase.amount_usd", f"{amount} is out of range (0..1e13 USD)")
    chapters_raw = increase.get("chapters", "all")
    chapters = None
    if chapters_raw != "all":
        chapters = _prefixes(chapters_raw, "increase.chapters")
        for chapter in chapters or ():
            if not CHAPTER.match(chapter):
                raise SpecError("increase.chapters", f"{chapter!r} is not a two-digit HS chapter")
    return PurchaseScenario(
        name=_name(doc),
        buyer=buyer,
        seller=seller,
        year=_year(doc.get("year", 2024), "year"),
        percent=percent,
        amount_usd=amount,
        chapters=chapters,
        description=_text(doc.get("description", ""), "description"),
        close_balance=close_balance,
        as_of=_as_of(doc.get("as_of")),
        record=_record(doc.get("record", "seller")),
    )


def _record(value: Any) -> str:
    if value not in RECORDS:
        raise SpecError(
            "record",
            f"unknown record {value!r}",
            hint='"seller" (its own records, default) or "buyer" (its customs)',
        )
    return value


def spec_to_dict(spec: Scenario) -> dict[str, Any]:
    """The canonical JSON form (what `parse_spec` reads back to an equal scenario)."""
    if isinstance(spec, PurchaseScenario):
        increase: dict[str, Any] = (
            {"close_balance": True}
            if spec.close_balance
            else {"percent": spec.percent}
            if spec.percent is not None
            else {"amount_usd": spec.amount_usd}
        )
        increase["chapters"] = list(spec.chapters) if spec.chapters else "all"
        out: dict[str, Any] = {"kind": "purchase", "name": spec.name}
        if spec.description:
            out["description"] = spec.description
        if spec.as_of:
            out["as_of"] = spec.as_of
        if spec.record != "seller":
            out["record"] = spec.record
        out.update(buyer=spec.buyer, seller=spec.seller, year=spec.year, increase=increase)
        return out
    changes = []
    for change in spec.tariff_changes:
        item: dict[str, Any] = {}
        if change.action:
            item["action"] = change.action
        item.update(
            partners=list(change.partners) if change.partners else "all",
            products=list(change.products) if change.products else "all",
        )
        if change.rate_list is not None:
            item[change.kind] = {"list": change.rate_list, "others": change.others}
        else:
            item[change.kind] = change.value
        if change.except_partners:
            item["except_partners"] = list(change.except_partners)
        if change.except_products:
            item["except_products"] = list(change.except_products)
        changes.append(item)
    elasticities = spec.elasticities
    out = {"kind": "tariff", "name": spec.name}
    if spec.description:
        out["description"] = spec.description
    if spec.as_of:
        out["as_of"] = spec.as_of
    out.update(
        importer=spec.importer,
        year=spec.year,
        level=spec.level,
        method=spec.method,
        products=list(spec.products) if spec.products else "all",
        tariff_changes=changes,
        exemptions=list(spec.exemptions),
        elasticities={
            "substitution": "data" if elasticities.substitution is None else elasticities.substitution,
            "supply": elasticities.supply,
            "import_demand": "data" if elasticities.import_demand is None else elasticities.import_demand,
        },
    )
    return out


# ---- field parsers ----------------------------------------------------------------------------------------


def _reject_unknown(doc: dict[str, Any], allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise SpecError(prefix + unknown[0], "unknown field", hint="allowed: " + ", ".join(sorted(allowed)))


def _name(doc: dict[str, Any]) -> str:
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SpecError("name", "missing or empty", hint='give the scenario a short name: "name": "US 10%"')
    if len(name) > MAX_NAME_LENGTH:
        raise SpecError("name", f"longer than {MAX_NAME_LENGTH} characters")
    return name.strip()


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise SpecError(where, "must be text")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SpecError(where, f"{value!r} is not a finite number")
    return float(value)


def _year(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise SpecError(where, f"{value!r} is not a year", hint="e.g. 2024")
    return value


def _iso3(value: Any, where: str) -> str:
    if not isinstance(value, str) or not ISO3.match(value.strip().upper()):
        raise SpecError(where, f"{value!r} is not an ISO3 country code", hint="e.g. USA, COL, CHN; EUN = EU")
    return value.strip().upper()


def _partners(value: Any, where: str) -> tuple[str, ...] | None:
    if value == "all":
        return None
    if not isinstance(value, list):
        raise SpecError(where, 'must be "all" or a list of ISO3 codes')
    return tuple(_iso3(item, f"{where}[{i}]") for i, item in enumerate(value))


def _prefixes(value: Any, where: str, *, lists: bool = False) -> tuple[str, ...] | None:
    """HS prefixes (as text); with `lists`, bundled list names too (PRODUCT_LISTS, EXEMPTION_LISTS)."""
    if value == "all":
        return None
    if not isinstance(value, list) or not value:
        raise SpecError(
            where, 'must be "all" or a non-empty list of HS prefixes', hint='e.g. ["0603", "0901"]'
        )
    out = []
    for i, item in enumerate(value):
        if lists and isinstance(item, str) and item in PRODUCT_LISTS + EXEMPTION_LISTS:
            out.append(item)
            continue
        text = str(item).replace(".", "").strip() if isinstance(item, str) else None
        if lists and text is not None and re.fullmatch(r"[a-z][a-z0-9_]*", text):
            raise SpecError(
                f"{where}[{i}]",
                f"unknown product list {item!r}",
                hint="bundled lists: " + ", ".join(PRODUCT_LISTS + EXEMPTION_LISTS),
            )
        if text is None or not HS_PREFIX.match(text):
            raise SpecError(
                f"{where}[{i}]",
                f"{item!r} is not an HS prefix (2 to 10 digits, as text)",
                hint='quote codes so leading zeros survive: "0603"',
            )
        out.append(text)
    return tuple(out)


def _exemptions(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SpecError(where, "must be a list of HTS prefixes or bundled list names")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item in EXEMPTION_LISTS:
            out.append(item)
            continue
        text = item.replace(".", "").strip() if isinstance(item, str) else ""
        if re.fullmatch(r"[a-z][a-z0-9_]*", text):
            raise SpecError(
                f"{where}[{i}]",
                f"unknown exemption list {item!r}",
                hint="bundled lists: " + ", ".join(EXEMPTION_LISTS),
            )
        if not HS_PREFIX.match(text):
            raise SpecError(
                f"{where}[{i}]",
                f"{item!r} is neither an HTS prefix nor a bundled list",
                hint="bundled lists: " + ", ".join(EXEMPTION_LISTS),
            )
        out.append(text)
    return tuple(out)


def _elasticities(value: Any, where: str) -> ElasticitySpec:
    if not isinstance(value, dict):
        raise SpecError(
            where, 'must be an object: {"substitution": 1.5, "supply": 99, "import_demand": "data"}'
        )
    _reject_unknown(value, {"substitution", "supply", "import_demand"}, where + ".")
    sigma_raw = value.get("substitution", DEFAULT_SUBSTITUTION)
    sigma = None
    if sigma_raw != "data":
        sigma = _number(sigma_raw, f"{where}.substitution")
        if not 0 <= sigma <= 50:
            raise SpecError(f"{where}.substitution", f"{sigma} is out of range (0..50)", hint='or "data"')
    supply = _number(value.get("supply", DEFAULT_SUPPLY), f"{where}.supply")
    if supply < MIN_SUPPLY:
        raise SpecError(
            f"{where}.supply",
            f"{supply} is outside the model's range (≥ {MIN_SUPPLY}; 99 or more = infinitely elastic)",
        )
    demand_raw = value.get("import_demand", "data")
    demand = None
    if demand_raw != "data":
        demand = _number(demand_raw, f"{where}.import_demand")
        if not -50 <= demand < 0:
            raise SpecError(
                f"{where}.import_demand",
                f"{demand} must be negative (e.g. -1.25)",
                hint='or "data" for the bundled per-product estimates',
            )
    return ElasticitySpec(substitution=sigma, supply=supply, import_demand=demand)
