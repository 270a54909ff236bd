"""The registry of checks: `check` name in claims.toml → the function that builds its card."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.claims.card import (
    ClaimCard,
    ClaimData,
)
from dashboard.claims.check_balance import check_china_deficit, check_china_share_of_deficit
from dashboard.claims.check_outlook import check_china_purchases, check_fiscal, check_out_of_scope
from dashboard.claims.check_products import check_roses_and_coffee, check_scenario_substitution
from dashboard.claims.check_region import check_regional_rapprochement
from dashboard.claims.check_shares import check_china_import_growth, check_us_dependence
from dashboard.claims.check_tariff import check_us_tariff
from dashboard.claims.specs import ClaimSpec, read_claims

CHECKS = {
    "china_deficit": check_china_deficit,
    "china_share_of_deficit": check_china_share_of_deficit,
    "us_dependence": check_us_dependence,
    "roses_and_coffee": check_roses_and_coffee,
    "scenario_substitution": check_scenario_substitution,
    "us_tariff_10pct": check_us_tariff,
    "china_purchases": check_china_purchases,
    "fiscal_deficit": check_fiscal,
    "china_import_growth": check_china_import_growth,
    "out_of_scope": check_out_of_scope,
    "regional_rapprochement": check_regional_rapprochement,
}

# The fact each kind of card leads with, and its unit: the headline value `balanza claims` reports.
HEADLINE_FACTS: dict[str, tuple[str, str]] = {
    "china_deficit": ("deficit_usd", "USD"),
    "china_share_of_deficit": ("share_headline", "share"),
    "us_dependence": ("us_export_share", "share"),
    "roses_and_coffee": ("us_august_2025_country_rates_060311_change_usd", "USD"),
    "scenario_substitution": ("colombia_change_usd", "USD"),
    "us_tariff_10pct": ("rate_pct", "%"),
    "china_purchases": ("deficit_usd", "USD"),
    "fiscal_deficit": ("trade_gap_pct_gdp", "% of GDP"),
    "china_import_growth": ("last_share", "share"),
}


def headline_value(card: ClaimCard) -> tuple[float | None, str]:
    """The number a card leads with and its unit ('USD', 'share', '%', '% of GDP'); (None, '') where none."""
    key, unit = HEADLINE_FACTS.get(card.spec.check, ("", ""))
    value = card.facts.get(key)
    return (None, "") if value is None else (float(value), unit)


def build_cards(
    data: ClaimData, specs: Sequence[ClaimSpec] | None = None, lang: str = "en"
) -> list[ClaimCard]:
    """One card per claim, in claims.toml order, its sentences in ``lang`` ("en" or "es")."""
    return [build_card(spec, data, lang) for spec in (specs if specs is not None else read_claims())]


def build_card(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    """The card of one claim: the same verdict and figures in every language, the sentences in ``lang``."""
    builder = CHECKS.get(spec.check)
    if builder is None:
        raise ValueError(
            f"claim {spec.id}: unknown check {spec.check!r} (known: {', '.join(sorted(CHECKS))})"
        )
    return builder(spec, data, lang)
