"""Results that depend only on the database, computed once per database version and shared read-only by every
session: the claim cards and their charts, tables and CSV rows, scenario markets and runs, the product search and
catalogue; and ``warm``, what the runtime's warming thread computes before a first visitor asks."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pandas as pd
import plotly.graph_objects as go

from dashboard import claim_text, claims, claims_charts, product_views, products, queries
from dashboard.components import (
    balances_for,
    connection,
    country_labels_in,
    finish_figure,
    query_balances,
    query_chapter_imports,
    query_coverage_countries,
    query_cpi,
    query_data_options,
    query_datasets,
    query_gdp,
    query_hs_codes,
    query_total_partners,
    query_totals,
    shared,
    totals_for,
)
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from etl.schema import CHINA, UNITED_STATES, WORLD
from model.cli import preset_paths
from model.market import Market
from model.measures import PRESET_DATES
from model.reconciliation import Reconciliation, reconciliation
from model.result import ScenarioResult
from model.scenario import load_market, run_scenario
from model.spec import TariffScenario, parse_spec, spec_to_dict

CARD_WIDTH_PX = 300  # a claim card's chart on a 400-px screen: inside the card's border and its details


@shared
def claim_data() -> claims.ClaimData:
    """What the claim cards are built from (the database reads and the scenario runs); read-only."""
    cursor = connection().cursor()
    try:
        return claims.query_claim_data(cursor)
    finally:
        cursor.close()


@shared
def claim_cards(language: str = DEFAULT_LANGUAGE) -> list[claims.ClaimCard]:
    """Every claim's card (numbers, verdict, explanation), its sentences in ``language``; read-only."""
    return claims.build_cards(claim_data(), lang=language)


def _claim_card(claim_id: int, language: str = DEFAULT_LANGUAGE) -> claims.ClaimCard:
    return next(card for card in claim_cards(language) if card.spec.id == claim_id)


@shared
def claim_chart(claim_id: int, language: str) -> go.Figure | None:
    """The chart drawn on a claim's card, finished for ``language``; read-only (st.plotly_chart serialises a
    copy): draw it with ``show_figure(..., finished=True)``."""
    fig = claims_charts.claim_chart(_claim_card(claim_id, language), language)
    # drawn inside a card and its details: about 300 px wide on a 400-px screen
    return finish_figure(fig, language, width_px=CARD_WIDTH_PX) if fig is not None else None


@shared
def claim_csv_frame(claim_id: int, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """What a claim card's Download CSV button writes (its number rows worded in ``language``); read-only."""
    return claims.card_csv_frame(_claim_card(claim_id, language))


@shared
def claim_numbers_table(claim_id: int, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """A claim card's number rows as its table shows them (:func:`dashboard.claim_text.numbers_table`); read-only."""
    return claim_text.numbers_table(_claim_card(claim_id, language).numbers, language)


@shared
def long_balances(view: str, partners: tuple[str, ...], factor: float) -> pd.DataFrame:
    """The balances of :func:`dashboard.components.balances_for` as long rows (:func:`dashboard.queries.long_measures`),
    once per database version and arguments; read-only (a page filters it into a frame of its own)."""
    return queries.long_measures(balances_for(view, list(partners), factor))


@shared
def partner_shares(partners: tuple[str, ...]) -> pd.DataFrame:
    """Each partner's share of Colombia's trade with the World in Colombia's own figures
    (:func:`dashboard.queries.partner_shares`), once per database version and partners; read-only."""
    totals = totals_for(queries.REPORTER_VIEW, [*partners, WORLD], 1.0)
    return queries.partner_shares(totals, list(partners))


@shared
def scenario_market(importer: str, year: int, level: str = "hs10") -> Market:
    """The importer's market (lines × partners, tariffs, elasticities) for the scenario engine at product level
    "hs10" or "hs6"; read-only."""
    return load_market(connection(), importer, year, level)


@shared
def scenario_result(spec_json: str) -> ScenarioResult:
    """A scenario run (central and sensitivity runs, tables); read-only. ``spec_json``: the canonical JSON
    of the scenario (``json.dumps(spec_to_dict(...), sort_keys=True)``)."""
    spec = parse_spec(spec_json)
    market = (
        scenario_market(spec.importer, spec.year, spec.level) if isinstance(spec, TariffScenario) else None
    )
    return run_scenario(spec, connection(), market=market)


@shared
def preset_reconciliation(as_of: str) -> Reconciliation:
    """The reconciliation of the legal date ``as_of`` of a dated preset (``model.reconciliation``): the measures in
    force one by one, the published figure, the bridge to the bundled tracker; read-only."""
    return reconciliation(connection(), as_of, market=scenario_market(UNITED_STATES, 2024))


def scenario_presets() -> dict[str, dict]:
    """The shipped scenario presets by name, each in canonical form (as the Scenarios page keeps them)."""
    docs = (json.loads(path.read_text(encoding="utf-8")) for path in preset_paths())
    return {doc["name"]: spec_to_dict(parse_spec(doc)) for doc in docs}


@shared
def hs_search(text: str) -> pd.DataFrame:
    """The Products search (:func:`dashboard.products.search` over the HS codes) for ``text``, once per
    database version and text; read-only."""
    return products.search(query_hs_codes(), text)


@shared
def spanish_hs_names() -> dict[str, str]:
    """HS code → the Spanish nomenclature's text (:func:`dashboard.products.spanish_names`); read-only."""
    return products.spanish_names(query_hs_codes())


@shared
def product_catalogue() -> product_views.Catalogue:
    """The product series on offer and the default one (:func:`dashboard.product_views.series_catalogue`);
    read-only."""
    return product_views.series_catalogue(queries.product_series(query_data_options()))


# The filters a first visitor arrives with (each page's defaults): their queries are warmed too.
WARM_PARTNER_SETS = ([CHINA, UNITED_STATES, WORLD], [CHINA, UNITED_STATES])


def warm() -> Iterator[None]:
    """Compute what the first visitor of each page would otherwise wait for, for the current database; yields
    between steps (the runtime's warming thread runs it and can stop there). The runtime then asks again what
    pages asked for recently."""
    for language in LANGUAGES:
        country_labels_in(language)
    query_cpi()
    query_gdp()
    query_total_partners()
    query_coverage_countries()
    query_datasets()
    query_data_options()
    query_hs_codes()
    yield
    query_chapter_imports(partners=[CHINA, UNITED_STATES])  # the Products page opens on these
    spanish_hs_names()
    product_catalogue()
    yield
    for view in (queries.REPORTER_VIEW, queries.MIRROR_VIEW):
        for partners in WARM_PARTNER_SETS:
            query_totals(view=view, partners=list(partners))
            query_balances(view=view, partners=list(partners), factor=None)
            yield
    for language in LANGUAGES:
        for card in claim_cards(language):
            claim_chart(card.spec.id, language)
            claim_csv_frame(card.spec.id, language)
            claim_numbers_table(card.spec.id, language)
            yield
    for doc in scenario_presets().values():
        scenario_result(json.dumps(doc, sort_keys=True))
        yield
    for as_of, _, _, _ in PRESET_DATES:
        preset_reconciliation(as_of)
        yield
