"""What the Scenarios page shows of one result, without Streamlit: the headline metrics of each kind of
scenario, the captions under them, the roses-and-coffee summary, the elasticity coverage sentence and the
result's figures labelled in the reader's language.

Pure: a ``ScenarioResult`` (or its totals) and the reader's language in, texts, small frames and plotly
figures out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.scenarios import charts, model_text, view
from dashboard.scenarios.labels import text
from model.market import MATCHES
from model.result import ScenarioResult
from model.spec import PurchaseScenario

FOCUS_THRESHOLD_USD = 0.5e6  # a roses-and-coffee group gains or loses above half a million dollars


@dataclass(frozen=True)
class Metric:
    """One headline figure: label, value (short enough for a quarter of the page), optional change and
    explanation, and the one sentence shown under it."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    takeaway: str | None = None


@dataclass(frozen=True)
class Focus:
    """Roses and coffee: a heading, who gains and who loses (None when nobody does) and the table shown."""

    title: str
    gains: str | None
    losses: str | None
    table: pd.DataFrame


def money(value: object, lang: str, *, sign: bool = False) -> str:
    """A USD amount in the reader's format, '—' where there is none."""
    return i18n.money(float(value), lang, sign=sign) if isinstance(value, int | float) else "—"


def compact(value: object, lang: str, *, sign: bool = False) -> str:
    """A USD amount short enough for a headline tile ('−2.080 M USD'), '—' where there is none."""
    return i18n.money_compact(float(value), lang, sign=sign) if isinstance(value, int | float) else "—"


def _direction(value: object, up: str, down: str, same: str, lang: str, **values: object) -> str | None:
    """The sentence of ``up`` or ``down`` (``same`` for a change under USD 50,000) with the size as ``amount``."""
    if not isinstance(value, int | float):
        return None
    key = same if abs(value) < 5e4 else (up if value > 0 else down)
    return text(key, lang, amount=money(abs(value), lang), **values)


def tariff_metrics(totals: Mapping[str, Any], lang: str) -> list[Metric]:
    """Change in US imports (with its sensitivity band), switching, tariff revenue, net welfare; each with its
    sentence."""
    band = text(
        "band",
        lang,
        low=money(totals["total_change_low_usd"], lang),
        high=money(totals["total_change_high_usd"], lang),
    )
    share = i18n.number(100 * totals["gross_diversion_share"], lang, 3)
    baseline = totals.get("baseline_usd")
    change = totals["total_change_usd"]
    of_base = (
        i18n.percent(100 * abs(change) / baseline, lang, 2)
        if isinstance(change, int | float) and isinstance(baseline, int | float) and baseline
        else "—"
    )
    return [
        Metric(
            text("m_change", lang),
            compact(change, lang),
            help=band + " " + model_text.band_basis(totals, lang),
            takeaway=_direction(
                change,
                "t_change_up",
                "t_change_down",
                "t_change_none",
                lang,
                pct=of_base,
                base=money(baseline, lang),
            ),
        ),  # fmt: skip
        Metric(
            text("m_switch", lang),
            compact(totals["gross_diversion_usd"], lang),
            help=text("switch_help", lang, share=share),
            takeaway=text("t_switch", lang, amount=money(totals["gross_diversion_usd"], lang), pct=share),
        ),
        Metric(
            text("m_revenue", lang),
            compact(totals["tariff_revenue_change_usd"], lang),
            takeaway=_direction(
                totals["tariff_revenue_change_usd"], "t_revenue_up", "t_revenue_down", "t_revenue_none", lang
            ),
        ),  # fmt: skip
        Metric(
            text("m_welfare", lang),
            compact(totals["welfare_change_usd"], lang),
            takeaway=_direction(
                totals["welfare_change_usd"], "t_welfare_up", "t_welfare_down", "t_welfare_none", lang
            ),
        ),  # fmt: skip
    ]


def tariff_caption(totals: Mapping[str, Any], lang: str) -> str:
    """The band, its basis and what the baseline covers (lines, partners, exempt rows)."""
    band = text(
        "band",
        lang,
        low=money(totals["total_change_low_usd"], lang),
        high=money(totals["total_change_high_usd"], lang),
    )
    level = text("lines_hs10", lang) if totals["level"] == "hs10" else text("lines_hs6", lang)
    baseline = text(
        "baseline",
        lang,
        base=money(totals["baseline_usd"], lang),
        lines=i18n.number(totals["lines"], lang, 0),
        level=level,
        partners=totals["partners"],
        exempt=i18n.number(totals["rows_exempt"], lang, 0),
    )
    return band + " " + model_text.band_basis(totals, lang) + " " + baseline


def purchase_metrics(totals: Mapping[str, Any], lang: str) -> list[Metric]:
    """Balance before and after, what closing the deficit needs, the largest yearly rise on record (when the
    history has one)."""
    pct = i18n.number(totals["needed_pct_of_exports"] or 0, lang, 0)
    needed = text("p_needed_help", lang, pct=pct, year=totals["year"])
    metrics = [
        Metric(
            text("p_balance", lang, year=totals["year"]),
            compact(totals["balance_before_usd"], lang),
            takeaway=_direction(totals["balance_before_usd"], "t_p_surplus", "t_p_deficit", "t_p_even", lang),
        ),
        Metric(
            text("p_after", lang),
            compact(totals["balance_after_usd"], lang),
            delta=compact(totals["increase_usd"], lang, sign=True),
            takeaway=_direction(
                totals["balance_after_usd"],
                "t_p_after_surplus",
                "t_p_after_deficit",
                "t_p_after_even",
                lang,
                increase=money(totals["increase_usd"], lang),
            ),
        ),  # fmt: skip
        Metric(
            text("p_needed", lang),
            compact(totals["needed_to_close_usd"], lang),
            help=needed,
            takeaway=text("t_p_needed", lang, pct=pct, year=totals["year"]),
        ),
    ]
    if totals["largest_growth_usd"] is not None:
        metrics.append(
            Metric(
                text("p_largest", lang),
                compact(totals["largest_growth_usd"], lang),
                takeaway=text("p_largest_help_sentence", lang, year=totals["largest_growth_usd_year"]),
                help=text(
                    "p_largest_help",
                    lang,
                    year=totals["largest_growth_usd_year"],
                    pct=i18n.number(totals["largest_growth_pct"], lang, 0),
                    pct_year=totals["largest_growth_pct_year"],
                    base=money(totals["largest_growth_pct_min_base_usd"], lang),
                ),
            )
        )
    return metrics


def purchase_trace_names(seller: str, buyer: str, lang: str) -> list[str]:
    """The purchase chart's series, in the order ``charts.purchase_chart`` draws them."""
    return [
        text("p_exports", lang, seller=seller, buyer=buyer),
        text("p_imports", lang, seller=seller, buyer=buyer),
        text("p_scenario", lang),
        text("p_close", lang),
    ]


def split_notes(notes: Sequence[str], lang: str) -> tuple[list[str], str]:
    """A tariff run's notes in the reader's language: the note on switching (shown as a box of its own) and
    the others joined into one caption."""
    switching = [n for n in notes if model_text.is_kind(n, model_text.SWITCHING_NOTE)]
    others = [n for n in notes if n not in switching]
    return model_text.notes_text(switching, lang), " ".join(model_text.notes_text(others, lang))


def coverage_text(coverage: Mapping[str, Mapping[str, float]], lang: str) -> str:
    """'η: own HS6 estimate 25.9 %, …; σ: …' from ``totals['elasticity_coverage']``."""
    names = {
        "same code": text("cov_own", lang),
        "5-digit group": text("cov_group", lang),
        "heading median": text("cov_heading", lang),
        "default": text("default", lang),
    }
    parts = []
    for key, symbol in (("import_demand", "η"), ("substitution", "σ")):
        shares = coverage[key]
        if shares.get("set for all lines"):
            parts.append(f"{symbol}: " + text("cov_one", lang))
            continue
        parts.append(
            f"{symbol}: "
            + ", ".join(f"{names[m]} {i18n.number(100 * shares[m], lang, 1)} %" for m in MATCHES)
        )
    return "; ".join(parts) + text("cov_note", lang)


def focus_summary(result: ScenarioResult, names: Mapping[str, str], lang: str) -> Focus:
    """Roses and coffee: 'who gains' only where someone does, each group with its change."""
    focus = result.focus.copy()
    focus["group"] = [view.focus_label(row, dict(names), lang) for _, row in focus.iterrows()]
    gains = focus[focus["total_change_usd"] > FOCUS_THRESHOLD_USD]
    losses = focus[focus["total_change_usd"] < -FOCUS_THRESHOLD_USD]
    key = (
        "focus_title_gains"
        if not gains.empty
        else ("focus_title_loses" if not losses.empty else "focus_title_none")
    )

    def who(rows: pd.DataFrame) -> str:
        return "; ".join(
            f"{g} {money(v, lang, sign=True)}"
            for g, v in zip(rows["group"], rows["total_change_usd"], strict=True)
        )

    return Focus(
        title=text(key, lang),
        gains=text("focus_gains", lang, who=who(gains)) if not gains.empty else None,
        losses=text("focus_loses", lang, who=who(losses)) if not losses.empty else None,
        table=focus.drop(columns=["hs_prefix", "partners"]),
    )


def chapter_figure(
    by_chapter: pd.DataFrame, lang: str, spanish: Mapping[str, str] | None = None
) -> go.Figure:
    """The largest changes by HS chapter, each chapter named in the reader's language."""
    chapters = by_chapter.assign(label=view.chapter_labels(by_chapter, lang, spanish))
    fig = charts.change_bar_chart(
        chapters, label="label", title=text("by_chapter_title", lang), unit=i18n.t("usd_m", lang)
    )
    fig.update_xaxes(title=text("x_change", lang))
    return fig


def components_figure(by_partner: pd.DataFrame, labels: Mapping[str, str], lang: str) -> go.Figure:
    """Trade creation and switching between suppliers by partner, partners as 'Name (ISO3)'."""
    named = by_partner.assign(partner_label=[labels.get(p, p) for p in by_partner["partner_iso3"]])
    fig = charts.components_chart(named, title=text("components_title", lang), unit=i18n.t("usd_m", lang))
    for trace, name in zip(fig.data, (text("creation", lang), text("switching", lang)), strict=False):
        trace.name = name
    fig.update_xaxes(title=i18n.t("usd_m", lang))
    return fig


def purchase_figure(result: ScenarioResult, names: Mapping[str, str], lang: str) -> go.Figure:
    """The seller's trade with the buyer by year, the scenario's exports and what closing the deficit needs."""
    spec = result.spec
    if not isinstance(spec, PurchaseScenario):
        raise TypeError("purchase_figure draws purchase scenarios")
    seller, buyer = names.get(spec.seller, spec.seller), names.get(spec.buyer, spec.buyer)
    history = pd.DataFrame(result.extra["history"])
    fig = charts.purchase_chart(history, result.totals, seller=spec.seller, buyer=spec.buyer)
    for trace, name in zip(fig.data, purchase_trace_names(seller, buyer, lang), strict=False):
        trace.name = name
    fig.update_layout(title_text=text("p_chart", lang, seller=seller, buyer=buyer))
    fig.update_xaxes(title=text("year", lang))
    fig.update_yaxes(title=text("usd_bn", lang))
    return fig
