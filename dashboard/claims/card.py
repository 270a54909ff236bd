"""What a card holds (`ClaimCard`), what cards are built from (`ClaimData`), shared labels and formatting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.claims.specs import ClaimSpec
from dashboard.i18n import record_text
from etl.record import SOURCE_PUBLISHERS as RECORD_PUBLISHERS
from etl.schema import BILLION

COL_REPORTED = "Colombia-reported (headline basis)"
MIXED = "Colombia-reported, exports FOB − imports CIF (mixed valuation)"
MIRROR = "partner-reported (mirror)"
# The perspectives (and the other 'reported by' values of the numbers table) in Spanish.
PERSPECTIVES_ES = {
    COL_REPORTED: "según Colombia (base principal)",
    MIXED: "según Colombia, exportaciones FOB − importaciones CIF (valoración mixta)",
    MIRROR: "según el socio (espejo)",
    "US policy": "política de EE. UU.",
    "Colombia (printed)": "Colombia (impreso)",
}


def perspective(key: str, lang: str = "en") -> str:
    """A perspective (or another 'reported by' value) in ``lang``; 'scenario <preset>' keeps the preset's id."""
    if lang != "es":
        return key
    if key.startswith("scenario "):
        return "escenario " + key[len("scenario ") :]
    return PERSPECTIVES_ES.get(key, key)


NUMBER_COLUMNS = (
    "measure", "year", "perspective", "value", "unit", "valuation", "source", "dataset", "publisher", "note",
    "provisional", "comparable",
)  # fmt: skip

# Years in which the DIAN series withholds many destinations as "not declared" (see its PROVENANCE).
DIAN_WITHHELD_FROM_YEAR = 2025
REFERENCE_YEAR_MAX = 2024  # the articles (May 2025) speak of the last full year, 2024
SHARES_FROM_YEAR = 2010
CENTRAL_AMERICA = ("GTM", "HND", "NIC", "CRI", "SLV")
FLOWER_CODES = ("0603", "060311")
COFFEE_CODE = "0901"


def span_gaps(years: Iterable[Any]) -> list[int]:
    """The years from SHARES_FROM_YEAR to REFERENCE_YEAR_MAX that ``years`` lacks (what a card lists as missing)."""
    have = {int(year) for year in years}
    return [year for year in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if year not in have]


# The trade publishers are the series-of-record layer's; the others are the reference tables' publishers.
SOURCE_PUBLISHERS = {
    **RECORD_PUBLISHERS,
    "published": "printed figures (publisher per row)",
    "world_bank": "World Bank, World Development Indicators",
    "tariff_tracker": "US executive orders as encoded by tradewartracker",
    "statute": "US executive orders (Federal Register)",
    "scenario": "Balanza tariff model (SMART) on US Census 2024 lines",
}

# The reference tables' publishers in Spanish (the record's are worded by dashboard.i18n.record_text).
SOURCE_PUBLISHERS_ES = {
    "published": "cifras impresas (publicador por fila)",
    "world_bank": "Banco Mundial, Indicadores del Desarrollo Mundial",
    "tariff_tracker": "órdenes ejecutivas de EE. UU. codificadas por tradewartracker",
    "statute": "órdenes ejecutivas de EE. UU. (Registro Federal)",
    "scenario": "modelo arancelario de Balanza (SMART) sobre las líneas del Censo de EE. UU. de 2024",
}


def source_publisher(source: str, lang: str = "en") -> str:
    """The publisher of a source code in ``lang`` (the code itself where none is known)."""
    if lang == "es" and source in SOURCE_PUBLISHERS_ES:
        return SOURCE_PUBLISHERS_ES[source]
    name = SOURCE_PUBLISHERS.get(source, source)
    return record_text(name, lang) if lang == "es" else name


SINGLED_OUT_PRESET = "colombia_10pp_more"  # Colombia alone faces 10 more points
LATIN_AMERICA = (
    "ARG", "BOL", "BRA", "CHL", "CRI", "CUB", "DOM", "ECU", "GTM", "HND", "HTI", "JAM", "MEX", "NIC", "PAN", "PER",
    "PRY", "SLV", "TTO", "URY", "VEN",
)  # fmt: skip


@dataclass(frozen=True)
class ClaimCard:
    """Everything one card shows. `numbers` has NUMBER_COLUMNS; `series` feeds the chart."""

    spec: ClaimSpec
    verdict: str
    explanation: tuple[str, ...]
    numbers: pd.DataFrame
    missing: tuple[str, ...] = ()
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    facts: dict[str, float] = field(default_factory=dict)  # the headline figures, for tests and annotations
    # The principle behind the verdict, shown on the card and in docs/claims.md:
    basis: str = ""  # the primary basis (the publisher's own definition), e.g. "DANE's balance, exports FOB − imports FOB"
    figure: str = ""  # the headline figure on that basis, in words
    citation: str = ""  # the original publisher, with the page that printed it as "as printed by"
    alternatives: tuple[str, ...] = ()  # other bases, each labelled, shown beside the primary one
    disagreement: str = ""  # one plain sentence where the data and the article disagree


@dataclass(frozen=True)
class ClaimData:
    """The frames the cards are built from, all read through the series of record (etl/record.py)."""

    balances: pd.DataFrame  # query_balance(COL, CHN/USA/WLD, basis="all"): headline and labelled alternatives
    mirror: pd.DataFrame  # the same as the partners report it (side="mirror")
    record: (
        pd.DataFrame
    )  # query_record(COL, CHN/USA/WLD): exports and imports, TOTAL, with publisher/printed_by
    dian_monthly: (
        pd.DataFrame
    )  # period, partner_iso3, value_usd, year, provisional, comparable (DIAN, monthly)
    products: (
        pd.DataFrame
    )  # record of US imports 2024, HS10 lines of flowers and coffee: partner_iso3, hs_code, value_usd
    tariff_timeline: pd.DataFrame  # date, partner_iso3, effective_tariff_pct, tariff_2024_pct
    exemptions: (
        pd.DataFrame
    )  # 2024 US imports from Colombia by HS10 line: hs_code, value_usd, lists (tariff lists naming it)
    gdp: pd.DataFrame  # etl.record.query_gdp: year, gdp_usd, source, publisher (one value per year)
    fiscal: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # published_indicators: central government balance, printed
    datasets: dict[str, str] = field(default_factory=dict)  # source -> dataset file(s)
    # Scenario runs of the shipped presets (model/presets): preset -> focus table / by-partner table.
    scenario_focus: dict[str, pd.DataFrame] = field(default_factory=dict)
    scenario_partners: dict[str, pd.DataFrame] = field(default_factory=dict)
    scenario_errors: dict[str, str] = field(default_factory=dict)
    us_imports_from_col: float | None = (
        None  # 2024 US imports for consumption from Colombia, sum of HS10 lines
    )
    reciprocal: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # us_reciprocal_rates: partner_iso3, rate_pct, list_name
    coverage: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # model.data.query_import_coverage: chapter, coverage_pct
    exemption_lists: tuple[str, ...] = ()  # the tariff lists loaded (a list may name nothing Colombia sells)
    # dashboard.peers.query_peer_indicators: Colombia's and its peers' shares of trade with China and the US
    peers: pd.DataFrame = field(default_factory=pd.DataFrame)


def empty_frame(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})


def bn(value: float) -> str:
    """USD billions with two decimals: 13559000000 → '13.56'."""
    return f"{value / BILLION:,.2f}"


def pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f} %"


def signed(value: float, digits: int = 2) -> str:
    """'+0.03', '-1.20', and '0.00' rather than '-0.00'."""
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text


def number_row(measure: str, year: Any, perspective: str, value: float, unit: str, valuation: str, source: str,
               dataset: str, publisher: str, note: str = "", *, provisional: bool = False,
               comparable: bool = True) -> dict[str, Any]:  # fmt: skip
    """One figure of a card; ``provisional`` and ``comparable`` are the series of record's flags of the figures it
    is made of (a 2025 partner export: provisional, not comparable with earlier years)."""
    return {
        "measure": measure, "year": year, "perspective": perspective, "value": value, "unit": unit,
        "valuation": valuation, "source": source, "dataset": dataset, "publisher": publisher, "note": note,
        "provisional": bool(provisional), "comparable": bool(comparable),
    }  # fmt: skip


def numbers_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return empty_frame(NUMBER_COLUMNS)
    return pd.DataFrame(rows, columns=list(NUMBER_COLUMNS))
