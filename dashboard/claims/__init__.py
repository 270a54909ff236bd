"""The articles' statements checked against the data: evidence, verdicts and explanations per claim.

Two layers. `query_claim_data` (evidence) runs the SQL on a read-only connection with bound parameters and
returns plain DataFrames; everything else is pure: `build_card(spec, data)` (checks) turns those frames into a
`ClaimCard` with the numbers per source, a verdict (rules), sentences written from the numbers, and what the
bundled data lacks. Modules:

- specs: the statements in seeds/claims.toml
- evidence: the database reads
- series: yearly series per perspective
- rules: verdict names and rules
- card: the card and data types, labels and formatting
- check_*: one module per kind of check; checks: the registry
- export: card CSV and page links
"""

from __future__ import annotations

from dashboard.claims.card import (
    CENTRAL_AMERICA,
    COFFEE_CODE,
    COL_REPORTED,
    MIRROR,
    MIXED,
    NUMBER_COLUMNS,
    SINGLED_OUT_PRESET,
    SOURCE_PUBLISHERS,
    ClaimCard,
    ClaimData,
    bn,
    pct,
)  # fmt: skip
from dashboard.claims.check_balance import SHARE_BASES
from dashboard.claims.check_tariff import MONTHLY_EXPORTS_MEASURE
from dashboard.claims.checks import CHECKS, build_card, build_cards
from dashboard.claims.evidence import query_claim_data
from dashboard.claims.export import card_csv_frame, link_query, neutralise_cell
from dashboard.claims.rules import (
    CANNOT_CHECK,
    CONTEXT,
    NOT_SUPPORTED,
    OUT_OF_SCOPE,
    PARTLY,
    SCENARIO,
    SUPPORTED,
    VERDICTS,
    verdict_close_to,
    verdict_conditions,
    verdict_within,
)  # fmt: skip
from dashboard.claims.specs import KINDS, ClaimSpec, read_claims

__all__ = [
    "CANNOT_CHECK", "CENTRAL_AMERICA", "CHECKS", "COFFEE_CODE", "COL_REPORTED", "CONTEXT",
    "KINDS", "MIRROR", "MONTHLY_EXPORTS_MEASURE", "NOT_SUPPORTED", "NUMBER_COLUMNS", "OUT_OF_SCOPE", "PARTLY",
    "MIXED", "SCENARIO", "SHARE_BASES", "SINGLED_OUT_PRESET", "SOURCE_PUBLISHERS", "SUPPORTED", "VERDICTS",
    "ClaimCard", "ClaimData", "ClaimSpec", "bn", "build_card", "build_cards", "card_csv_frame", "link_query",
    "neutralise_cell", "pct", "query_claim_data", "read_claims", "verdict_close_to", "verdict_conditions",
    "verdict_within",
]  # fmt: skip
