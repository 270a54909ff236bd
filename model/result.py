"""The result of one scenario run (tariff or purchase): its tables, headline figures, notes and JSON form.

Plain data; the engines (`model.scenario`, `model.purchase`) build it, the dashboard and the CLI read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from model.spec import Scenario, spec_to_dict


class Note(str):
    """A sentence of a result, in English, with its `kind` and the numbers it states (`values`).

    It is the English text wherever a string is expected (the CLI, the JSON, the HTML report); a reader in another
    language words it from `kind` and `values`, never from the English text."""

    kind: str
    values: dict[str, Any]

    def __new__(cls, text: str, kind: str = "", values: dict[str, Any] | None = None) -> Note:
        note = super().__new__(cls, text)
        note.kind = kind
        note.values = dict(values or {})
        return note

    def __reduce__(self) -> tuple[Any, ...]:
        return (Note, (str(self), self.kind, self.values))


# ---- Colombia first ----------------------------------------------------------------------------------------------

# Colombia's main exports to the US, by HS code (docs/scenarios.md, "Colombia first"): (label, HS prefixes).
COLOMBIA_PRODUCT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Coffee", ("0901", "210111")),  # coffee, and coffee extracts and concentrates
    ("Cut flowers", ("0603",)),
    ("Bananas", ("0803",)),
    ("Oil", ("2709", "2710")),  # crude and refined petroleum
    ("Gold", ("7108",)),
)
OTHER_GOODS = "The rest"
ALL_GOODS = "All goods"
# Colombia, then the suppliers the May 2025 articles set against it: (label, ISO3 codes).
COLOMBIA_PEERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Colombia", ("COL",)),
    ("Ecuador", ("ECU",)),
    ("Central America", ("GTM", "HND", "NIC", "CRI", "SLV")),
    ("Brazil", ("BRA",)),
    ("Vietnam", ("VNM",)),
)
COLOMBIA_COLUMNS = ("partner_group", "partners", "product_group", "hs_codes", "baseline_usd", "after_usd",
                    "total_change_usd", "total_change_pct", "trade_creation_usd", "trade_diversion_usd",
                    "price_effect_usd", "tariff_before_pct", "tariff_after_pct", "low_usd", "high_usd")  # fmt: skip


def colombia_first(frame: pd.DataFrame, column: str = "partner_iso3") -> pd.DataFrame:
    """`frame` with Colombia's rows first, then its peers (Ecuador, Central America, Brazil, Vietnam) in that
    order, then the rest as they were: the order every comparison table and CSV of a scenario uses."""
    if frame is None or frame.empty or column not in frame:
        return frame
    order = {code: i for i, (_, codes) in enumerate(COLOMBIA_PEERS) for code in codes}
    values = frame[column]
    if isinstance(
        values.dtype, pd.CategoricalDtype
    ):  # the full line table: rank the categories, not the rows
        by_category = np.array([order.get(str(c), len(order)) for c in values.cat.categories] + [len(order)])
        rank = by_category[values.cat.codes.to_numpy()]
    else:
        rank = values.astype(str).map(lambda code: order.get(code, len(order))).to_numpy()
    return frame.iloc[np.argsort(rank, kind="stable")]


def colombia_rows(result: ScenarioResult) -> pd.DataFrame:
    """Colombia's own rows of a result's Colombia table (before, after, change by product group)."""
    table = result.colombia
    if table.empty:
        return table
    return table[table["partner_group"] == COLOMBIA_PEERS[0][0]].reset_index(drop=True)


LEFT_OUT = (
    Note(
        "Retaliation: partners' responses (counter-tariffs, purchases elsewhere) are not modelled.",
        "retaliation",
    ),
    Note("Income effects: spending on the rest of the economy and incomes are held fixed.", "income_effects"),
    Note(
        "Intermediate inputs: tariffs on parts and materials do not raise the cost of goods made with them.",
        "intermediate_inputs",
    ),
    Note(
        "General equilibrium: exchange rates, wages, other markets and domestic producers do not adjust.",
        "general_equilibrium",
    ),
    Note(
        "Trade deflection and rerouting through third countries, and substitution between products, are absent.",
        "deflection",
    ),
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
    # Every line × partner row (property `lines`): built on first use, since most callers never need it.
    line_factory: Callable[[], pd.DataFrame] | None = field(default=None, repr=False, compare=False)
    effective_rates: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # by partner, before and after each step
    notes: list[Note] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    left_out: tuple[Note, ...] = LEFT_OUT
    # Colombia's exports to the US before and after, by product group, beside Ecuador, Central America, Brazil and
    # Vietnam (COLOMBIA_COLUMNS; rows Colombia first): a first-class table of every result.
    colombia: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def lines(self) -> pd.DataFrame:
        """The full result by line and partner (empty for purchase scenarios)."""
        cached = self.__dict__.get("_lines")
        if cached is None:
            cached = self.line_factory() if self.line_factory is not None else pd.DataFrame()
            self.__dict__["_lines"] = cached
        return cached

    def __getstate__(self) -> dict[str, Any]:
        """A pickle holds the line table itself, not the closure that builds it (which pickle cannot take, and
        which holds the whole market): results stored on disk (dashboard/disk_results.py) keep their lines."""
        state = dict(self.__dict__)
        factory = state.get("line_factory")
        if state.get("_lines") is None and factory is not None:
            state["_lines"] = factory()  # not kept on this object: pickling does not grow it
        state["line_factory"] = None
        return state

    def to_dict(self) -> dict[str, Any]:
        """Everything but the full line table (see `to_json`)."""
        return {
            "scenario": spec_to_dict(self.spec),
            "totals": _plain(self.totals),
            "by_partner": _records(self.by_partner),
            "by_chapter": _records(self.by_chapter),
            "top_lines": _records(self.top_lines),
            "colombia": _records(self.colombia),
            "focus": _records(self.focus),
            "effective_rates": _records(self.effective_rates),
            "notes": [str(note) for note in self.notes],
            "left_out": [str(item) for item in self.left_out],
            **{key: _plain(value) for key, value in self.extra.items()},
        }

    def to_json(self, indent: int | None = 2, *, lines: bool = True) -> str:
        """The JSON document `balanza scenario` prints: `to_dict()` plus, with `lines`, the full result by line and
        partner, one array per column ({"hs10": [...], "partner_iso3": [...], "baseline_usd": [...], ...})."""
        document = self.to_dict()
        if lines and not self.lines.empty:
            document["lines"] = _columns(self.lines)
        return json.dumps(document, indent=indent, ensure_ascii=False, allow_nan=False)


def _columns(frame: pd.DataFrame) -> dict[str, list]:
    """A table as one list per column (categories as their labels, numbers rounded to 6 decimals)."""
    out: dict[str, list] = {}
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            out[str(name)] = np.asarray(column.cat.categories, dtype=object)[
                column.cat.codes.to_numpy()
            ].tolist()
        else:
            out[str(name)] = np.round(column.to_numpy(dtype=float), 6).tolist()
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


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
