"""Exports of a card: its numbers as CSV (cells neutralised) and the query string of its page link."""

from __future__ import annotations

import pandas as pd

from dashboard.claims.card import ClaimCard
from dashboard.claims.specs import ClaimSpec
from dashboard.csv_export import neutralise_cell, neutralise_frame

__all__ = [
    "card_csv_frame",
    "link_query",
    "neutralise_cell",
]  # the card CSV uses the same rule as every other download


def card_csv_frame(card: ClaimCard) -> pd.DataFrame:
    """The card's numbers with its id and verdict, text cells neutralised for spreadsheets."""
    frame = card.numbers.copy()
    frame.insert(0, "claim_id", card.spec.id)
    frame["verdict"] = card.verdict
    return neutralise_frame(frame)


def link_query(spec: ClaimSpec) -> str:
    """The query string that reproduces a card's numbers on its page (e.g. 'reporter=COL&partner=CHN')."""
    from urllib.parse import urlencode

    return urlencode(spec.link_params)
