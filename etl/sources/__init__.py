"""Source adapters, one module per publisher format, and the registry that picks one from content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.detect import UTF16, Sniff, sniff, unknown_format, utf16_refused, xlsx_first_cells
from etl.sources import (
    census,
    census_hs2,
    comtrade_edges,
    comtrade_legacy,
    comtrade_plus,
    dane_imports,
    dian,
    gacc,
    imf_dots,
    published,
)
from etl.sources.base import LoadContext, TradeColumnLabels
from etl.sources.reference import REFERENCE_FORMATS, ReferenceFormat


@dataclass(frozen=True)
class TradeFormat:
    """A format whose rows become `trade` observations (staged, validated, then inserted)."""

    name: str
    source: str
    publisher: str
    stage: Callable[[LoadContext], TradeColumnLabels]
    text_lines: bool  # True: errors can be traced back to a CSV line


@dataclass(frozen=True)
class Detected:
    sniff: Sniff
    trade: TradeFormat | None = None
    reference: ReferenceFormat | None = None

    @property
    def name(self) -> str:
        return self.trade.name if self.trade else self.reference.name  # type: ignore[union-attr]


COMTRADE_CSV = TradeFormat("comtrade_plus_csv", "comtrade", "UN Comtrade", comtrade_plus.stage_csv, True)
COMTRADE_JSON = TradeFormat("comtrade_plus_json", "comtrade", "UN Comtrade", comtrade_plus.stage_json, False)
COMTRADE_LEGACY = TradeFormat("comtrade_legacy_csv", "comtrade", "UN Comtrade", comtrade_legacy.stage, True)
CENSUS_HS10 = TradeFormat("us_census_hs10_parquet", "us_census_consumption", "US Census Bureau",
                          census.stage_hs10, False)  # fmt: skip
CENSUS_TOTALS = TradeFormat("us_census_totals_csv", "us_census_general", "US Census Bureau", census.stage_totals, True)
DIAN_CSV = TradeFormat("dian_exports_csv", "dian", "DIAN / DANE", dian.stage, True)
PUBLISHED_CSV = TradeFormat("published_figures_csv", "published", "various (see published_figures)",
                            published.stage, True)  # fmt: skip
DANE_IMPORTS = TradeFormat("dane_imports_by_origin_csv", dane_imports.SOURCE, dane_imports.PUBLISHER,
                           dane_imports.stage, True)  # fmt: skip
COMTRADE_EDGES = TradeFormat("comtrade_export_edges_csv", comtrade_edges.SOURCE, "UN Comtrade",
                             comtrade_edges.stage, True)  # fmt: skip
CENSUS_HS2 = TradeFormat("us_census_hs2_csv", census_hs2.SOURCE, census_hs2.PUBLISHER, census_hs2.stage, True)
GACC_CSV = TradeFormat("gacc_by_country_cny_csv", gacc.SOURCE, gacc.PUBLISHER, gacc.stage, True)
IMF_DOTS = TradeFormat("imf_dots_xlsx", "imf_dots", "International Monetary Fund", imf_dots.stage, False)


def _comtrade_xlsx(header: list[str], sheet: str = "", header_row: int = 0) -> TradeFormat:
    return TradeFormat(
        "comtrade_plus_xlsx", "comtrade", "UN Comtrade",
        lambda ctx: comtrade_plus.stage_xlsx(ctx, header, sheet=sheet, header_row_index=header_row), False,
    )  # fmt: skip


def detect(path: Path, con: duckdb.DuckDBPyConnection) -> Detected:
    """The format of ``path``, from its content; raises InputError when none fits."""
    found = sniff(path)
    if found.kind == "parquet":
        try:
            columns = census.parquet_columns(con, str(path))
        except duckdb.Error as exc:
            from etl.errors import InputError

            raise InputError(path, f"unreadable Parquet file ({str(exc).splitlines()[0]})",
                             hint="download the file again") from None  # fmt: skip
        if census.matches_hs10(found, columns):
            return Detected(found, trade=CENSUS_HS10)
        raise unknown_format(path, tuple(columns))
    if found.kind == "xlsx":
        cells = xlsx_first_cells(path)
        if imf_dots.matches(cells):
            return Detected(found, trade=IMF_DOTS)
        # The header may sit below title rows, and the data on a later sheet (a cover sheet first).
        for sheet_name, rows in cells.items():
            for index, row in enumerate(rows):
                header = [str(c).strip() for c in row if c is not None]
                if {"refYear", "cmdCode", "primaryValue"} <= set(header):
                    return Detected(found, trade=_comtrade_xlsx(header, sheet_name, index))
        raise unknown_format(path, tuple(str(c) for c in (next(iter(cells.values()), [()]) or [()])[0] or ()))
    if found.kind == "json":
        if found.encoding == UTF16:
            raise utf16_refused(path)
        if comtrade_plus.matches_json(found):
            return Detected(found, trade=COMTRADE_JSON)
        raise unknown_format(path, tuple(sorted(found.json_keys)))
    detected = _detect_text(path, found)
    if found.encoding == UTF16 and detected.trade not in (COMTRADE_CSV, COMTRADE_LEGACY):
        raise utf16_refused(path)
    return detected


def _detect_text(path: Path, found: Sniff) -> Detected:
    for trade_format, matcher in (
        (COMTRADE_CSV, comtrade_plus.matches_csv),
        (COMTRADE_LEGACY, comtrade_legacy.matches),
        (CENSUS_TOTALS, census.matches_totals),
        (DIAN_CSV, dian.matches),
        (PUBLISHED_CSV, published.matches),
        (DANE_IMPORTS, dane_imports.matches),
        (COMTRADE_EDGES, comtrade_edges.matches),
        (GACC_CSV, gacc.matches),
        (CENSUS_HS2, census_hs2.matches),
    ):
        if matcher(found):
            return Detected(found, trade=trade_format)
    for reference_format in REFERENCE_FORMATS:
        if reference_format.matches(found):
            return Detected(found, reference=reference_format)
    raise unknown_format(path, found.header)
