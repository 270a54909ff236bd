"""The Scenarios page's tables, without Streamlit: model frames made readable (USD million, headers in the
reader's language, '—' where nothing applies), the effective-rate table, and saved scenarios grouped by kind
for comparison.

Pure: frames and results in, frames (or a pandas ``Styler``) out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from dashboard import charts, i18n, products
from dashboard.scenarios import view
from dashboard.scenarios.labels import text
from model.compare import partner_comparison
from model.result import ScenarioResult

KINDS = (("tariff", "cmp_tariff"), ("purchase", "cmp_purchase"))  # compared apart, in this order


def display(frame: pd.DataFrame, lang: str, decimals: int = 1) -> Styler:
    """A model table in USD million, readable headers, the reader's number format, '—' where nothing
    applies."""
    shown = view.in_millions(frame)
    shown = shown.rename(columns={c: view.header(c, lang) for c in shown.columns})
    thousands, decimal = (".", ",") if lang == "es" else (",", ".")
    for column in shown.columns:  # the grid shows a missing number as "None": such columns become text
        if pd.api.types.is_float_dtype(shown[column]) and shown[column].isna().any():
            shown[column] = [i18n.number(v, lang, decimals) for v in shown[column]]
    numeric: list[Hashable] = [
        c
        for c in shown.columns
        if pd.api.types.is_numeric_dtype(shown[c])
        and not pd.api.types.is_bool_dtype(shown[c])
        and c != view.header("year", lang)
    ]
    styler = shown.style.format(
        precision=decimals, thousands=thousands, decimal=decimal, na_rep="—", subset=numeric
    )
    return styler.format(na_rep="—", subset=[c for c in shown.columns if c not in numeric])


def export_frame(
    frame: pd.DataFrame, lang: str, *, millions: bool = True, decimals: int = 1
) -> tuple[pd.DataFrame, dict[str, int]]:
    """A model table for a download, as the page shows it: readable headers in the reader's language, USD
    columns in USD million (``millions=False``: in whole dollars, for tables of small lines), and the places
    each number column is rounded to (rates in % to 2 places)."""
    shown = view.in_millions(frame) if millions else frame.copy()
    places: dict[str, int] = {}
    headers: dict[str, str] = {}
    for column in shown.columns:
        header = view.header(str(column), lang)
        if not millions and str(column).endswith("_usd"):
            header = header.replace(f"({i18n.t('usd_m', lang)})", "(USD)").replace("(USD m)", "(USD)")
            header = header.replace("(millones de USD)", "(USD)")
        headers[str(column)] = header
        if pd.api.types.is_float_dtype(shown[column]):
            if str(column).endswith("_usd"):
                places[header] = decimals if millions else 0
            else:
                places[header] = 2
    return shown.rename(columns=headers), places


def chapter_table(
    by_chapter: pd.DataFrame, lang: str, spanish: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The by-chapter table with each chapter's description in the reader's language, up to its first ';'
    (the chapter code has a column of its own)."""
    table = by_chapter.copy()
    table["description"] = [
        charts.chapter_label(str(c), products.describe(str(c), d, lang, spanish), width=200)[
            len(str(c)) + 1 :
        ]
        for c, d in zip(table["chapter"], table["description"], strict=True)
    ]
    return table


def lines_table(top_lines: pd.DataFrame, lang: str, spanish: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The largest lines, saying for each whether its elasticity is estimated or the default; each line described
    in the reader's language (``spanish``: the Spanish HS nomenclature's texts, a line takes its subheading's)."""
    if "description" in top_lines:
        top_lines = top_lines.assign(
            description=products.describe_frame(top_lines, lang, code="hs10", spanish=spanish)
        )
    shown = top_lines.assign(
        elasticity=top_lines["elasticity_is_default"].map(
            {True: text("default", lang), False: text("data", lang)}
        )
    )
    return shown.drop(columns=["elasticity_is_default"])


def effective_rates_table(rates: pd.DataFrame, label: Callable[[str], str], lang: str) -> pd.DataFrame:
    """Trade-weighted tariff by partner (rows, largest 2024 importer first) after each step (columns: before
    substitution for every step, after substitution for every step but the starting one), in %."""
    steps = rates.drop_duplicates("step")[["step", "action"]]
    wide = rates.pivot(
        index=["partner_iso3", "partner_name"],
        columns="step",
        values=["rate_pre_substitution_pct", "rate_post_substitution_pct"],
    )
    columns = {}
    for step, action in zip(steps["step"], steps["action"], strict=True):
        columns[f"{step}. {action}: {text('before_sub', lang)} (%)"] = wide[
            ("rate_pre_substitution_pct", step)
        ]
        if step:
            columns[f"{step}. {action}: {text('after_sub', lang)} (%)"] = wide[
                ("rate_post_substitution_pct", step)
            ]
    table = pd.DataFrame(columns).reset_index()
    order = rates[rates["step"] == 0].set_index("partner_iso3")["imports_2024_usd"]
    table = (
        table.assign(_w=table["partner_iso3"].map(order))
        .sort_values("_w", ascending=False)
        .drop(columns="_w")
    )
    table = table.drop(columns=["partner_name"]).rename(columns={"partner_iso3": "partner"})
    table["partner"] = [label(p) for p in table["partner"]]
    return table


@dataclass(frozen=True)
class Group:
    """Saved scenarios of one kind, compared together: their documents and results in saved order."""

    kind: str
    heading: str
    docs: list[dict[str, Any]]
    results: list[ScenarioResult]


def comparison_groups(pairs: Sequence[tuple[dict[str, Any], ScenarioResult]], lang: str) -> list[Group]:
    """Tariff scenarios with tariff scenarios, purchase scenarios with purchase ones; kinds with none left
    out."""
    groups = []
    for kind, heading in KINDS:
        chosen = [(d, r) for d, r in pairs if r.spec.kind == kind]
        if chosen:
            groups.append(Group(kind, text(heading, lang), [d for d, _ in chosen], [r for _, r in chosen]))
    return groups


def partner_comparison_table(results: Sequence[ScenarioResult], names: Mapping[str, str]) -> pd.DataFrame:
    """By partner, each scenario's change and each minus the first, in USD (columns named ``…_usd``)."""
    comparison = partner_comparison(list(results), dict(names))
    return comparison.rename(columns={c: c + "_usd" for c in comparison.columns[2:]})
