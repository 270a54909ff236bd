"""The reconciliation of a dated preset, as the Scenarios page and the docs show it: the US measures in force on its
legal date one by one (rate, imports whose rate each changes, extra duty, points of the all-partner rate before
substitution), the published figures for that date (the Yale Budget Lab's, where it published one), and the bridge
from this table's rate to the bundled tracker's.

Plain computation on 2024 weights (no model run: rates only). The measures and the bridge are
``model.measures.reconcile`` and ``model.measures.tracker_bridge``; this module puts them together for one date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from model import measures, tariff_measures

# Dates a preset describes for which the Budget Lab at Yale published its own all-partner rate, before and after
# substitution (``model.measures.YALE_SOURCE`` says where it was read).
YALE_FIGURES: dict[str, tuple[float, float, str]] = {
    "2025-08-07": (
        measures.YALE_AUGUST_7["pre_substitution_pct"],
        measures.YALE_AUGUST_7["post_substitution_pct"],
        measures.YALE_SOURCE,
    ),
}
FR_PAGE = re.compile(r"\b\d{2,3} FR \d+\b")
FR_DOCUMENT = re.compile(r"FR Doc (\d{4}-\d{4,5})")


@dataclass(frozen=True)
class PublishedFigure:
    """A published all-partner rate for the date (%), before and after substitution, and where it was read."""

    pre_substitution_pct: float
    post_substitution_pct: float
    source: str


@dataclass(frozen=True)
class Reconciliation:
    """One legal date's reconciliation.

    ``measures``: one row per measure in stack order (``measure``, ``instrument``, ``citation``, ``fr_pages`` (the
    Federal Register pages read, '' where none), ``fr_document`` (an FR document number known but its page not
    read, else ''), ``effective``, ``stacking``, ``rate_pct``, ``rate_list``, ``exempt_share``, ``shares``
    (partner → the parameter's share, where a share scales the rate), ``replaces``, ``imports_affected_usd``,
    ``extra_duty_usd``, ``points``, ``rate_after_pct``). ``bridge``: ``model.measures.tracker_bridge``'s steps.
    ``residual_points``: what the bridge does not isolate (the tracker's rate minus the bridge's last step)."""

    as_of: str
    baseline_pct: float
    rate_pct: float
    measures: pd.DataFrame
    bridge: pd.DataFrame
    tracker_pct: float | None
    residual_points: float | None
    yale: PublishedFigure | None


def reconcilable(as_of: str | None) -> bool:
    """Whether ``as_of`` is one of the legal dates the dated presets describe."""
    return as_of in {d for d, _, _, _ in measures.PRESET_DATES}


def reconciliation(
    con: Any, as_of: str, market: Any = None, table: tariff_measures.MeasureTable | None = None
) -> Reconciliation:
    """The reconciliation for the legal date ``as_of`` (YYYY-MM-DD) on the database ``con`` (``market``: the US
    market of 2024 when already loaded)."""
    from model.scenario import load_market, resolve_lists

    date.fromisoformat(as_of)  # a ValueError names a date that is not one
    table = table or tariff_measures.read_table()
    market = market if market is not None else load_market(con, "USA", 2024)
    spec = measures.preset_document(table, as_of, "reconcile")
    lists, rates = resolve_lists(con, measures._tariff_spec(spec))
    frame = measures.reconcile(table, as_of, market, lists, rates)
    by_id = {m.measure: m for m in table.measures}
    frame = frame.assign(
        fr_pages=[fr_pages_read(c) for c in frame["citation"]],
        fr_document=[fr_document_unread(c) for c in frame["citation"]],
        rate_pct=[by_id[m].rate_pct for m in frame["measure"]],
        rate_list=[by_id[m].rate_list or "" for m in frame["measure"]],
        exempt_share=[by_id[m].exempt_share or "" for m in frame["measure"]],
        shares=pd.Series(
            [_shares(by_id[m], table) for m in frame["measure"]], index=frame.index, dtype=object
        ),
        replaces=pd.Series(
            [list(by_id[m].replaces) for m in frame["measure"]], index=frame.index, dtype=object
        ),
    )
    baseline = 100.0 * float((market.t0 * market.imports).sum() / market.imports.sum())
    rate = float(frame["rate_after_pct"].iloc[-1]) if len(frame) else baseline
    bridge = measures.tracker_bridge(table, con, market, as_of)
    tracker = measures.tracker_rate(con, as_of)
    residual = None if tracker is None else tracker - float(bridge["rate_pct"].iloc[-1])
    yale = YALE_FIGURES.get(as_of)
    return Reconciliation(
        as_of=as_of,
        baseline_pct=baseline,
        rate_pct=rate,
        measures=frame,
        bridge=bridge,
        tracker_pct=tracker,
        residual_points=residual,
        yale=PublishedFigure(*yale) if yale else None,
    )


def fr_pages_read(citation: str) -> str:
    """The Federal Register pages of a citation that were read ('90 FR 9117, 90 FR 11746'); '' where none: a part
    of the citation (between ';') marked 'not read', 'not verified' or 'as cited by others' names a page others
    cite."""
    unread = ("not read", "not verified", "as cited by others")
    parts = [p for p in citation.split(";") if not any(mark in p for mark in unread)]
    return ", ".join(page for part in parts for page in FR_PAGE.findall(part))


def fr_document_unread(citation: str) -> str:
    """The Federal Register document number of a citation whose page was not read ('2025-14893'), else ''."""
    found = FR_DOCUMENT.search(citation)
    return found.group(1) if found and not fr_pages_read(citation) else ""


def _shares(m: tariff_measures.Measure, table: tariff_measures.MeasureTable) -> dict[str, float]:
    """Partner → the share of the flow the measure does not reach ('' → a share for every partner)."""
    if m.exempt_share is None:
        return {}
    if m.exempt_share in table.parameters:
        return {"": table.parameters[m.exempt_share].value}
    return {p: table.parameters[f"{m.exempt_share}:{p}"].value for p in m.partners or ()}
