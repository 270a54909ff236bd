"""The slide deck of a scenario comparison, without Streamlit: the question, Colombia's rows first, one chart
slide per scenario whose title says the result in words, the comparison table, what the model leaves out.
``dashboard/deck.py`` turns it into a .pptx."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard import deck, i18n
from dashboard.scenarios import colombia, exports, model_text, report, summary, view
from dashboard.scenarios.labels import text
from etl.schema import BILLION, MILLION
from model.result import ScenarioResult
from model.spec import PurchaseScenario

PANEL_PARTNERS = 13  # bars on a scenario's slide: Colombia, its neighbours, then the largest changes


def _million(value: float, lang: str) -> str:
    return i18n.number(value / MILLION, lang, 1)


def question(results: Sequence[ScenarioResult], names: Mapping[str, str], lang: str) -> str:
    """What the deck answers, in one line."""
    if any(r.spec.kind == "tariff" for r in results):
        return i18n.pick(
            lang,
            "What do these US tariff scenarios do to Colombia's exports to the US?",
            "¿Qué les hacen estos escenarios arancelarios de EE. UU. a las exportaciones de Colombia a EE. UU.?",
        )
    spec = results[0].spec if results else None
    if isinstance(spec, PurchaseScenario):
        seller, buyer = names.get(spec.seller, spec.seller), names.get(spec.buyer, spec.buyer)
        return i18n.pick(
            lang,
            f"How much more would {buyer} have to buy to close {seller}'s deficit?",
            f"¿Cuánto más tendría que comprar {buyer} para cerrar el déficit de {seller}?",
        )
    return i18n.pick(lang, "Scenario comparison", "Comparación de escenarios")


def tariff_takeaway(result: ScenarioResult, lang: str) -> str:
    """'«name»: US imports fall USD X m; Colombia loses USD Y m (Z %)' in words."""
    name = model_text.preset_name(result.name, lang)
    change = float(result.totals["total_change_usd"])
    own = colombia.colombia_long(result)
    direction = i18n.pick(lang, "fall" if change < 0 else "rise", "caen" if change < 0 else "suben")
    sentence = i18n.pick(
        lang,
        f"“{name}”: US imports {direction} USD {_million(abs(change), lang)} m",
        f"«{name}»: las importaciones de EE. UU. {direction} {_million(abs(change), lang)} millones de USD",
    )
    if not own.empty:
        loss = float(own["total_change_usd"].iloc[0])
        pct = i18n.number(float(own["total_change_pct"].iloc[0]), lang, 1)
        verb = i18n.pick(lang, "loses" if loss < 0 else "gains", "pierde" if loss < 0 else "gana")
        sentence += i18n.pick(
            lang,
            f"; Colombia {verb} USD {_million(abs(loss), lang)} m ({pct} %)",
            f"; Colombia {verb} {_million(abs(loss), lang)} millones ({pct} %)",
        )
    return sentence


def colombia_takeaway(results: Sequence[ScenarioResult], lang: str) -> str:
    """Colombia's range of results across the tariff scenarios, in words."""
    changes = [
        float(t["total_change_usd"].iloc[0])
        for t in (colombia.colombia_long(r) for r in results if r.spec.kind == "tariff")
        if not t.empty
    ]
    if not changes:
        return text("cmp_colombia", lang)
    low, high = min(changes), max(changes)
    if high < 0:
        amounts = (
            _million(-high, lang) if low == high else f"{_million(-high, lang)} – {_million(-low, lang)}"
        )
        return i18n.pick(
            lang,
            f"Colombia loses USD {amounts} m of exports to the US",
            f"Colombia pierde {amounts} millones de USD de exportaciones a EE. UU.",
        )
    return i18n.pick(
        lang,
        f"Colombia's exports to the US change by USD {_million(low, lang)} to {_million(high, lang)} m",
        f"Las exportaciones de Colombia a EE. UU. cambian entre {_million(low, lang)} y {_million(high, lang)} "
        "millones de USD",
    )


def purchase_takeaway(result: ScenarioResult, names: Mapping[str, str], lang: str) -> str:
    """'«name»: the 2024 balance goes from −12.66 to 0.00 bn; closing it needs exports 532 % higher, 6.2 times
    the largest rise on record'."""
    totals = result.totals
    name = model_text.preset_name(result.name, lang)
    before = i18n.number(float(totals["balance_before_usd"]) / BILLION, lang, 2)
    after = i18n.number(float(totals["balance_after_usd"]) / BILLION, lang, 2)
    sentence = i18n.pick(
        lang,
        f"“{name}”: the {totals['year']} balance goes from USD {before} bn to {after} bn",
        f"«{name}»: la balanza de {totals['year']} pasa de {before} a {after} miles de millones de USD",
    )
    if totals.get("needed_to_close_usd") and totals.get("needed_vs_largest_growth"):
        pct = i18n.number(float(totals["needed_pct_of_exports"]), lang, 0)
        times = i18n.number(float(totals["needed_vs_largest_growth"]), lang, 1)
        sentence += i18n.pick(
            lang,
            f"; closing the deficit needs exports {pct} % higher, {times} times the largest yearly rise on record",
            f"; cerrar el déficit exige exportaciones un {pct} % mayores, {times} veces el mayor aumento anual "
            "registrado",
        )
    return sentence


def tariff_source(lang: str) -> str:
    return f"{text('csv_source', lang)}; {text('customs', lang)}; {i18n.pick(lang, 'USD million', 'millones de USD')}"


def scenario_deck(
    results: Sequence[ScenarioResult],
    names: Mapping[str, str],
    labels: Mapping[str, str],
    lang: str,
    *,
    link: str = "",
) -> deck.Deck:
    """The deck of ``results`` (the saved set, or the current scenario alone): ``names`` ISO3 → country name,
    ``labels`` ISO3 → 'Name (ISO3)', ``link`` back to the view."""
    slides: list[deck.Slide] = []
    tariff = [r for r in results if r.spec.kind == "tariff"]
    colombia_rows = colombia.colombia_wide(tariff, lang)  # product groups down, scenarios across
    if not colombia_rows.empty:
        slides.append(
            deck.TableSlide(colombia_takeaway(tariff, lang), colombia_rows, tariff_source(lang) + " · " + text(
                "cmp_colombia_cells", lang))
        )  # fmt: skip
    partners = (
        view.focus_partners(tariff, [], top=PANEL_PARTNERS - len(view.FOCUS_PARTNERS)) if tariff else []
    )
    for result in results:
        if result.spec.kind == "tariff":
            shown = [p for p in partners if p in set(result.by_partner["partner_iso3"])]
            figure = view.partner_panels(
                [result], shown, dict(labels), title="", x_title=text("x_change", lang), lang=lang
            )
            figure.layout.annotations = ()  # the slide's title names the scenario
            slides.append(deck.ChartSlide(tariff_takeaway(result, lang), figure, tariff_source(lang)))
        else:
            made_from = exports.provenance(result, lang)
            figure = summary.purchase_figure(result, names, lang)
            slides.append(
                deck.ChartSlide(
                    purchase_takeaway(result, names, lang),
                    figure,
                    f"{made_from.source}; {made_from.valuation}",
                )
            )
    if len(tariff) > 1:
        headlines = view.headline_table(tariff, lang)
        columns = [str(c) for c in headlines.columns if c != "measure"]
        table = pd.concat([colombia.headline_rows(tariff, lang, columns), headlines], ignore_index=True)
        table = table.rename(
            columns={"measure": view.header("measure", lang), **{r.name: model_text.preset_name(r.name, lang)
                                                                 for r in tariff}}
        )  # fmt: skip
        slides.append(
            deck.TableSlide(
                i18n.pick(lang, "The scenarios side by side (USD million)", "Los escenarios lado a lado (millones de USD)"),
                table, tariff_source(lang),
            )
        )  # fmt: skip
    left_out = list(dict.fromkeys(item for r in results for item in model_text.left_out(r.left_out, lang)))
    if left_out:
        slides.append(deck.TextSlide(text("left_out", lang), left_out))
    return deck.Deck(
        question=question(results, names, lang),
        slides=slides,
        lang=lang,
        summary=report.summary_text(results, lang),  # the report's opening, word for word
        link=link,
    )
