"""Colombia's own numbers in every comparison of tariff scenarios, without Streamlit: its exports to the US
before and after each scenario, by product group, as rows of the comparison table, its downloads, the report
and the slide deck, and the sentence that says them.

The rows come from the result's Colombia table (``ScenarioResult.colombia``, ``model.result.colombia_rows``:
product groups defined once, in the model); where a result has none (a purchase scenario), from Colombia's row
of its partner table (all goods).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import i18n
from dashboard.scenarios import model_text
from etl.schema import COLOMBIA, MILLION
from model.result import ALL_GOODS, ScenarioResult, colombia_rows

COLUMNS = ("product_group", "baseline_usd", "after_usd", "total_change_usd", "total_change_pct")
# The model's product-group labels (English) in Spanish; a label not listed is shown as the model gives it.
GROUPS_ES = {
    ALL_GOODS: "Todos los bienes",
    "Coffee": "Café",
    "Cut flowers": "Flores cortadas",
    "Bananas": "Bananos",
    "Oil": "Petróleo",
    "Gold": "Oro",
    "The rest": "El resto",
}
WORDS = {
    "scenario": ("Scenario", "Escenario"),
    "group": ("Products", "Productos"),
    "before": ("Before, 2024 (USD m)", "Antes, 2024 (millones de USD)"),
    "after": ("After (USD m)", "Después (millones de USD)"),
    "change": ("Change (USD m)", "Cambio (millones de USD)"),
    "change_pct": ("Change (%)", "Cambio (%)"),
    "m_before": ("Colombia's exports to the US, 2024", "Exportaciones de Colombia a EE. UU., 2024"),
    "m_after": ("Colombia's exports to the US, after", "Exportaciones de Colombia a EE. UU., después"),
    "m_change": ("Change for Colombia", "Cambio para Colombia"),
    "m_change_pct": ("Change for Colombia (%)", "Cambio para Colombia (%)"),
}


def word(key: str, lang: str, **values: object) -> str:
    english, spanish = WORDS[key]
    chosen = spanish if lang == "es" else english
    return chosen.format(**values) if values else chosen


def group_label(group: str, lang: str) -> str:
    return GROUPS_ES.get(group, group) if lang == "es" else group


def colombia_long(result: ScenarioResult) -> pd.DataFrame:
    """Colombia's exports to the US in ``result`` by product group (``COLUMNS``; USD, change in %); all goods
    first. Empty where Colombia is not a partner of the result."""
    own = colombia_rows(result)
    if own.empty or "product_group" not in own:
        return _all_goods(result)
    rows = own.reindex(columns=list(COLUMNS)).reset_index(drop=True)
    first = rows["product_group"] == ALL_GOODS
    if not first.any():
        return pd.concat([_all_goods(result), rows], ignore_index=True)
    return pd.concat([rows[first], rows[~first]], ignore_index=True)


def _all_goods(result: ScenarioResult) -> pd.DataFrame:
    partners = result.by_partner
    row = partners[partners["partner_iso3"] == COLOMBIA] if "partner_iso3" in partners else partners.head(0)
    if row.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    before = float(row["baseline_usd"].iloc[0])
    change = float(row["total_change_usd"].iloc[0])
    return pd.DataFrame(
        [
            {
                "product_group": ALL_GOODS,
                "baseline_usd": before,
                "after_usd": before + change,
                "total_change_usd": change,
                "total_change_pct": 100.0 * change / before if before else float("nan"),
            }
        ],
        columns=list(COLUMNS),
    )


def colombia_table(results: Sequence[ScenarioResult], lang: str) -> pd.DataFrame:
    """One row per scenario and product group (all goods first): Colombia's exports to the US before (2024),
    after, the change (USD million) and the change in %. Long, so it reads on a narrow screen and a slide
    whatever the number of scenarios. Empty when no result has Colombia."""
    rows = []
    for result in results:
        table = colombia_long(result)
        name = model_text.preset_name(result.name, lang)
        for record in table.to_dict("records"):
            rows.append(
                {
                    word("scenario", lang): name,
                    word("group", lang): group_label(str(record["product_group"]), lang),
                    word("before", lang): float(record["baseline_usd"]) / MILLION,
                    word("after", lang): float(record["after_usd"]) / MILLION,
                    word("change", lang): float(record["total_change_usd"]) / MILLION,
                    word("change_pct", lang): float(record["total_change_pct"]),
                }
            )
    return pd.DataFrame(rows)


def colombia_wide(results: Sequence[ScenarioResult], lang: str) -> pd.DataFrame:
    """For a slide or a report: one row per product group (all goods first), Colombia's 2024 exports to the
    US, then one column per scenario with the change, 'USD million (%)', as text in the reader's format."""
    keyed = [(r, colombia_long(r)) for r in results]
    keyed = [(r, t) for r, t in keyed if not t.empty]
    if not keyed:
        return pd.DataFrame()
    first = keyed[0][1]
    out = pd.DataFrame(
        {
            word("group", lang): [group_label(str(g), lang) for g in first["product_group"]],
            word("before", lang): [i18n.number(v / MILLION, lang, 1) for v in first["baseline_usd"]],
        }
    )
    for result, table in keyed:
        table = table.set_index("product_group").reindex(first["product_group"])
        out[model_text.preset_name(result.name, lang)] = [
            "—"
            if pd.isna(change)
            else f"{i18n.number(change / MILLION, lang, 1)} ({i18n.number(pct, lang, 1)} %)"
            for change, pct in zip(table["total_change_usd"], table["total_change_pct"], strict=True)
        ]
    return out


def headline_rows(
    results: Sequence[ScenarioResult], lang: str, names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Colombia's rows for the top of the comparison's headline table (columns ``measure`` and one per
    scenario, named ``names`` as the headline table names them, else by the results' names; USD million, the
    change also in %): all goods."""
    rows: list[dict[str, object]] = []
    columns = list(names) if names is not None else [r.name for r in results]
    keyed = [(c, colombia_long(r)) for c, r in zip(columns, results, strict=True)]
    if all(t.empty for _, t in keyed):
        return pd.DataFrame(columns=["measure", *columns])
    for key, column, scale in (
        ("m_before", "baseline_usd", MILLION),
        ("m_after", "after_usd", MILLION),
        ("m_change", "total_change_usd", MILLION),
        ("m_change_pct", "total_change_pct", 1.0),
    ):
        row: dict[str, object] = {"measure": word(key, lang)}
        for name, table in keyed:
            value = table[column].iloc[0] if not table.empty else float("nan")
            row[name] = float(value) / scale
        rows.append(row)
    return pd.DataFrame(rows)


def summary(results: Sequence[ScenarioResult], lang: str) -> str:
    """One or two sentences: Colombia's 2024 exports to the US and what each scenario does to them."""
    keyed = [(r, colombia_long(r)) for r in results if r.spec.kind == "tariff"]
    keyed = [(r, t) for r, t in keyed if not t.empty]
    if not keyed:
        return ""
    before = float(keyed[0][1]["baseline_usd"].iloc[0])
    parts = []
    for result, table in keyed:
        change = float(table["total_change_usd"].iloc[0])
        pct = float(table["total_change_pct"].iloc[0])
        name = model_text.preset_name(result.name, lang)
        amount = i18n.number(abs(change) / MILLION, lang, 1)
        share = i18n.number(pct, lang, 1)
        if lang == "es":
            verb = "pierde" if change < 0 else "gana"
            parts.append(f"con «{name}» {verb} {amount} millones de USD ({share} %)")
        else:
            verb = "loses" if change < 0 else "gains"
            parts.append(f"under “{name}” it {verb} USD {amount} million ({share} %)")
    total = i18n.number(before / MILLION, lang, 1)
    if lang == "es":
        return (
            f"Colombia exportó {total} millones de USD a EE. UU. en 2024; "
            + "; ".join(parts)
            + " de esas exportaciones."
        )
    return (
        f"Colombia exported USD {total} million to the US in 2024; " + "; ".join(parts) + " of those exports."
    )
