"""The cards' wording in the reader's language: one `Words` per language gives the numbers in its format and
picks between the English and the Spanish sentence written side by side in each check. Pure: no Streamlit.

English keeps the cards' historical format ('USD 13.56 bn', '28.9 %'), which docs/claims.md is generated in;
Spanish uses the dashboard's ('13,56 mil millones de USD', '28,9 %'). Publisher names, citations and basis
labels from the series of record are English there and worded in Spanish by `dashboard.i18n.record_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import i18n
from etl.schema import BILLION, MILLION


@dataclass(frozen=True)
class Words:
    lang: str = "en"

    @property
    def es(self) -> bool:
        return self.lang == "es"

    def t(self, english: str, spanish: str) -> str:
        """The sentence of the card's language."""
        return spanish if self.es else english

    def num(self, value: float, digits: int = 1) -> str:
        """A plain number: '13.6' / '13,6' (no thousands mark in English, as the cards always wrote it)."""
        return i18n.number(float(value), "es", digits) if self.es else f"{float(value):.{digits}f}"

    def bn(self, value: float) -> str:
        """A dollar amount in billions: 'USD 13.56 bn' / '13,56 mil millones de USD'."""
        if self.es:
            return f"{i18n.number(float(value) / BILLION, 'es', 2)} mil millones de USD"
        return f"USD {float(value) / BILLION:,.2f} bn"

    def m(self, value: float, digits: int = 0, sign: bool = True) -> str:
        """A dollar amount in millions: 'USD +12 m' / '+12 millones de USD'."""
        number = float(value) / MILLION
        if self.es:
            text = (i18n.signed if sign else i18n.number)(number, "es", digits)
            return f"{text} millones de USD"
        return f"USD {number:{'+' if sign else ''},.{digits}f} m"

    def pct(self, share: float, digits: int = 1) -> str:
        """A share as a percentage: 0.289 → '28.9 %' / '28,9 %'."""
        return f"{self.num(float(share) * 100, digits)} %"

    def points(self, value: float, digits: int = 1) -> str:
        """A signed change in points: '+9.5' / '+9,5'."""
        return i18n.signed(float(value), "es", digits) if self.es else f"{float(value):+.{digits}f}"

    def rec(self, text: object) -> str:
        """A publisher, citation or basis label from the series of record, in the card's language."""
        return i18n.record_text(text, "es") if self.es else str(text)


ENGLISH = Words("en")
