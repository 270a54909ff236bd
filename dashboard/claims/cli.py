"""`balanza claims [--lang es] [--json | --csv] [--db PATH]`: the claim cards from the command line.

For each claim: its id, verdict, headline value (with its unit), basis, publisher and the page that printed it
("as printed by"), the rule, and the figures the card used (each with its publisher, dataset and flags). The
cards are the dashboard's own (`dashboard.claims.build_cards` over `query_claim_data`): the same verdicts and
figures as the Claims page, as a stable interface for scripts and tests. Text by default; `--json` one document,
`--csv` one row per figure used (the claim's columns repeated).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.claims.card import ClaimCard
from dashboard.claims.checks import headline_value
from etl import settings, store
from etl.db import connect_read_only

LANGUAGES = ("en", "es")
PRINTED_BY = {"en": ", as printed by ", "es": ", según lo impreso por "}
CLAIM_FIELDS = (
    "id",
    "verdict",
    "value",
    "unit",
    "figure",
    "basis",
    "publisher",
    "printed_by",
    "citation",
    "rule",
)
FIGURE_FIELDS = ("measure", "year", "perspective", "value", "unit", "valuation", "source", "dataset", "publisher",
                 "note", "provisional", "comparable")  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "claims",
        help="check the articles' statements and print each verdict with its figures (text, JSON or CSV)",
        description=__doc__.split("\n", 1)[0],
    )
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the cards (default: en)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON document")
    output.add_argument("--csv", action="store_true", help="print CSV: one row per figure a card used")
    settings.add_db_flag(parser)
    parser.set_defaults(func=cmd_claims)


def cmd_claims(args: argparse.Namespace) -> int:
    from dashboard.claims.checks import build_cards
    from dashboard.claims.evidence import query_claim_data

    db_path = settings.db_path(args.db)
    con = connect_read_only(db_path)
    try:
        with store.explained_read_errors(con, db_path):  # a damaged stored file: its named error
            cards = build_cards(query_claim_data(con), lang=args.lang)
    finally:
        con.close()
    if args.json:
        document = {"lang": args.lang, "claims": [card_document(card, args.lang) for card in cards]}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif args.csv:
        sys.stdout.write(cards_csv(cards, args.lang))
    else:
        sys.stdout.write(cards_text(cards, args.lang))
    return 0


def split_citation(citation: str, lang: str = "en") -> tuple[str, str | None]:
    """'DANE, as printed by El Nuevo Siglo' → ('DANE', 'El Nuevo Siglo'); several parts ('China: …; total: …')
    each lose their page, the pages are listed after. No page: (citation, None)."""
    marker = PRINTED_BY.get(lang, PRINTED_BY["en"])
    publishers, pages = [], []
    for part in citation.split("; "):
        publisher, _, page = part.partition(marker)
        publishers.append(publisher)
        if page:
            pages.append(page)
    return "; ".join(publishers), ("; ".join(pages) or None)


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: NaN → None, numpy numbers → Python ones, timestamps → ISO dates."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def card_document(card: ClaimCard, lang: str = "en") -> dict[str, Any]:
    """One claim as a JSON-ready dict: :data:`CLAIM_FIELDS`, then `figures` (the card's numbers)."""
    value, unit = headline_value(card)
    publisher, printed_by = split_citation(card.citation, lang)
    figures = [
        {name: _plain(row.get(name)) for name in FIGURE_FIELDS if name in row}
        for row in card.numbers.to_dict("records")
    ]
    return {
        "id": card.spec.id, "verdict": card.verdict, "value": _plain(value), "unit": unit, "figure": card.figure,
        "basis": card.basis, "publisher": publisher or None, "printed_by": printed_by, "citation": card.citation,
        "rule": card.spec.text("tolerance_text", lang), "statement": card.spec.text("summary", lang),
        "disagreement": card.disagreement, "alternatives": list(card.alternatives), "missing": list(card.missing),
        "figures": figures,
    }  # fmt: skip


def cards_csv(cards: Sequence[ClaimCard], lang: str = "en") -> str:
    """One row per figure a card used, the claim's fields first (a claim with no figures: one row)."""
    from dashboard.csv_export import neutralise_frame

    rows = []
    for card in cards:
        doc = card_document(card, lang)
        head = {f"claim_{name}": doc[name] for name in CLAIM_FIELDS}
        for figure in doc["figures"] or [{}]:
            rows.append({**head, **{f"figure_{name}": figure.get(name) for name in FIGURE_FIELDS}})
    return str(neutralise_frame(pd.DataFrame(rows)).to_csv(index=False, lineterminator="\n"))


def cards_text(cards: Sequence[ClaimCard], lang: str = "en") -> str:
    lines = []
    for card in cards:
        doc = card_document(card, lang)
        lines.append(f"{doc['id']}. {doc['statement']}")
        lines.append(f"   {doc['verdict']}: {doc['figure'] or '—'}")
        for label, key in (("basis", "basis"), ("publisher", "citation"), ("rule", "rule")):
            if doc[key]:
                lines.append(f"   {label}: {doc[key]}")
        lines.append("")
    return "\n".join(lines)
