"""The table of 2025 US measures as written, read with named errors: one `Measure` per row, the stated parameters
and the named groups (`MeasureTable`); model/measures.py dates and stacks it.

`data/raw/us-tariffs-2025-measures/` holds three files (provenance in its PROVENANCE.md):

- `us-tariff-measures-2025.csv`: one row per measure (legal instrument, Federal Register citation, dates in force,
  partners, products, rate, stacking rule, the parameter that exempts a share of the flow, the measures it
  replaces, what was verified). Rows are applied in file order.
- `parameters.csv`: stated parameters with their publisher (the USMCA-qualifying shares of Canada and Mexico, the US
  content of USMCA vehicles).
- `product-groups.csv`: named groups of product lists or HS prefixes (`@s232_all`, ...) and of partners (`@china`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from etl.errors import InputError
from model.spec import EXEMPTION_LISTS, HS_PREFIX, ISO3, PRODUCT_LISTS, RATE_LISTS

MEASURES_DIR = Path(__file__).resolve().parent.parent / "data" / "raw" / "us-tariffs-2025-measures"
MEASURES_PATH = MEASURES_DIR / "us-tariff-measures-2025.csv"
PARAMETERS_PATH = MEASURES_DIR / "parameters.csv"
GROUPS_PATH = MEASURES_DIR / "product-groups.csv"
STACKING_RULES = ("added", "floor", "instead")
MEASURE_COLUMNS = ("measure", "action", "instrument", "citation", "signed", "effective", "ends", "partners",
                   "except_partners", "products", "except_products", "rate_pct", "rate_list", "stacking",
                   "exempt_share", "replaces", "verified", "note")  # fmt: skip
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Measure:
    """One row of the table, parsed (dates as `date`, lists as tuples, groups still as written)."""

    measure: str
    action: str
    instrument: str
    citation: str
    signed: date
    effective: date
    ends: date | None
    partners: tuple[str, ...] | None  # None: all
    except_partners: tuple[str, ...]
    products: tuple[str, ...] | None  # None: all
    except_products: tuple[str, ...]
    rate_pct: float
    rate_list: str | None
    stacking: str
    exempt_share: str | None
    replaces: tuple[str, ...]
    verified: str
    note: str
    line: int = 0

    def in_force(self, day: date) -> bool:
        return self.effective <= day and (self.ends is None or day <= self.ends)


@dataclass(frozen=True)
class Parameter:
    name: str
    value: float
    publisher: str
    as_printed_by: str
    url: str
    note: str


@dataclass
class MeasureTable:
    measures: list[Measure]
    parameters: dict[str, Parameter]
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def in_force(self, day: date) -> list[Measure]:
        return [m for m in self.measures if m.in_force(day)]


# ---- reading, with named errors ------------------------------------------------------------------------------


def read_table(
    measures: Path = MEASURES_PATH, parameters: Path = PARAMETERS_PATH, groups: Path = GROUPS_PATH
) -> MeasureTable:
    """The three files, checked: an unknown stacking rule, product list, group, partner, parameter or a date that
    is not a date raises InputError naming the file, line and column."""
    group_table = read_groups(groups)
    parameter_table = read_parameters(parameters)
    rows = _rows(measures, MEASURE_COLUMNS)
    out: list[Measure] = []
    seen: set[str] = set()
    for line, row in rows:
        measure = _measure(measures, line, row, group_table, parameter_table)
        if measure.measure in seen:
            raise InputError(measures, f"measure {measure.measure!r} appears twice", line=line, column="measure",
                             hint="give each row its own id")  # fmt: skip
        seen.add(measure.measure)
        out.append(measure)
    for m in out:
        for i, name in enumerate(m.replaces):
            if name not in seen:
                raise InputError(measures, f"replaces unknown measure {name!r}", line=m.line, column="replaces",
                                 hint=f"item {i + 1}: name a measure of this file")  # fmt: skip
    return MeasureTable(out, parameter_table, group_table)


def read_groups(path: Path = GROUPS_PATH) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line, row in _rows(path, ("group", "items", "note")):
        name = row["group"].strip()
        if not NAME.match(name):
            raise InputError(path, f"{name!r} is not a group name", line=line, column="group",
                             hint="lower case letters, digits and _")  # fmt: skip
        items = _split(row["items"])
        if not items:
            raise InputError(path, "a group needs at least one item", line=line, column="items")
        for item in items:
            if not (ISO3.match(item) or HS_PREFIX.match(item) or item in PRODUCT_LISTS + EXEMPTION_LISTS):
                raise InputError(path, f"unknown product list or code {item!r}", line=line, column="items",
                                 hint="bundled lists: " + ", ".join(PRODUCT_LISTS + EXEMPTION_LISTS))  # fmt: skip
        out[name] = items
    return out


def read_parameters(path: Path = PARAMETERS_PATH) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    columns = ("parameter", "value", "unit", "publisher", "as_printed_by", "url", "note")
    for line, row in _rows(path, columns):
        name = row["parameter"].strip()
        try:
            value = float(row["value"])
        except ValueError:
            raise InputError(path, f"{row['value']!r} is not a number", line=line, column="value") from None
        if not 0 <= value <= 1:
            raise InputError(path, f"{value} is not a share between 0 and 1", line=line, column="value")
        if not row["publisher"].strip():
            raise InputError(path, "a parameter needs its publisher", line=line, column="publisher",
                             hint="say who published the figure, and where it was printed")  # fmt: skip
        out[name] = Parameter(name, value, row["publisher"], row["as_printed_by"], row["url"], row["note"])
    return out


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                path, f"missing column {missing[0]!r}", line=1, hint="columns: " + ", ".join(columns)
            )
        return [(i + 2, {k: (v or "") for k, v in row.items()}) for i, row in enumerate(reader)]


def _split(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(";") if item.strip())


def _date(path: Path, line: int, column: str, text: str, *, optional: bool = False) -> date | None:
    text = text.strip()
    if not text and optional:
        return None
    try:
        if not DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            path, f"{text!r} is not a date", line=line, column=column, hint="YYYY-MM-DD"
        ) from None


def _measure(
    path: Path,
    line: int,
    row: dict[str, str],
    groups: dict[str, tuple[str, ...]],
    parameters: dict[str, Parameter],
) -> Measure:
    name = row["measure"].strip()
    if not NAME.match(name):
        raise InputError(path, f"{name!r} is not a measure id", line=line, column="measure",
                         hint="lower case letters, digits and _")  # fmt: skip
    stacking = row["stacking"].strip()
    if stacking not in STACKING_RULES:
        raise InputError(path, f"unknown stacking rule {stacking!r}", line=line, column="stacking",
                         hint="one of " + ", ".join(STACKING_RULES))  # fmt: skip
    try:
        rate = float(row["rate_pct"])
    except ValueError:
        raise InputError(path, f"{row['rate_pct']!r} is not a rate", line=line, column="rate_pct",
                         hint="percent, e.g. 25") from None  # fmt: skip
    if not 0 <= rate <= 1000:
        raise InputError(path, f"{rate} percent is out of range (0..1000)", line=line, column="rate_pct")
    rate_list = row["rate_list"].strip() or None
    if rate_list is not None and rate_list not in RATE_LISTS:
        raise InputError(path, f"unknown rate list {rate_list!r}", line=line, column="rate_list",
                         hint="bundled lists: " + ", ".join(RATE_LISTS))  # fmt: skip
    share = row["exempt_share"].strip() or None
    if (
        share is not None
        and share not in parameters
        and not any(p.startswith(share + ":") for p in parameters)
    ):
        raise InputError(path, f"unknown parameter {share!r}", line=line, column="exempt_share",
                         hint="parameters: " + ", ".join(sorted(parameters)))  # fmt: skip
    effective = _date(path, line, "effective", row["effective"])
    ends = _date(path, line, "ends", row["ends"], optional=True)
    signed = _date(path, line, "signed", row["signed"])
    assert effective is not None and signed is not None
    if ends is not None and ends < effective:
        raise InputError(path, f"ends {ends} before it takes effect {effective}", line=line, column="ends")
    replaces = _split(row["replaces"])
    if stacking == "instead" and not replaces:
        raise InputError(
            path, "an 'instead' measure names the measures it replaces", line=line, column="replaces"
        )
    return Measure(
        measure=name,
        action=row["action"].strip() or name,
        instrument=row["instrument"].strip(),
        citation=row["citation"].strip(),
        signed=signed,
        effective=effective,
        ends=ends,
        partners=_partners(path, line, "partners", row["partners"], groups, allow_all=True),
        except_partners=_partners(path, line, "except_partners", row["except_partners"], groups) or (),
        products=_products(path, line, "products", row["products"], groups, allow_all=True),
        except_products=_products(path, line, "except_products", row["except_products"], groups) or (),
        rate_pct=rate,
        rate_list=rate_list,
        stacking=stacking,
        exempt_share=share,
        replaces=replaces,
        verified=row["verified"].strip(),
        note=row["note"].strip(),
        line=line,
    )


def _expand(
    items: tuple[str, ...], groups: dict[str, tuple[str, ...]], path: Path, line: int, column: str
) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.startswith("@"):
            if item[1:] not in groups:
                raise InputError(path, f"unknown group {item!r}", line=line, column=column,
                                 hint="groups: " + ", ".join("@" + g for g in sorted(groups)))  # fmt: skip
            out.extend(groups[item[1:]])
        else:
            out.append(item)
    return out


def _partners(
    path: Path,
    line: int,
    column: str,
    text: str,
    groups: dict[str, tuple[str, ...]],
    *,
    allow_all: bool = False,
) -> tuple[str, ...] | None:
    text = text.strip()
    if allow_all and text == "all":
        return None
    items = _expand(_split(text), groups, path, line, column)
    for item in items:
        if not ISO3.match(item):
            raise InputError(path, f"{item!r} is not an ISO3 partner code", line=line, column=column)
    if allow_all and not items:
        raise InputError(path, "give partners or 'all'", line=line, column=column)
    return tuple(dict.fromkeys(items))


def _products(
    path: Path,
    line: int,
    column: str,
    text: str,
    groups: dict[str, tuple[str, ...]],
    *,
    allow_all: bool = False,
) -> tuple[str, ...] | None:
    text = text.strip()
    if allow_all and text == "all":
        return None
    items = _expand(_split(text), groups, path, line, column)
    for item in items:
        if item in PRODUCT_LISTS + EXEMPTION_LISTS or HS_PREFIX.match(item):
            continue
        raise InputError(path, f"unknown product list {item!r}", line=line, column=column,
                         hint="bundled lists: " + ", ".join(PRODUCT_LISTS + EXEMPTION_LISTS) + "; or HS prefixes")  # fmt: skip
    if allow_all and not items:
        raise InputError(path, "give products or 'all'", line=line, column=column)
    return tuple(dict.fromkeys(items))
