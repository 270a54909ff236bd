"""Source adapters, one module per publisher format, and the registry that picks one from content."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from etl.detect import UTF16, Sniff, sniff, unknown_format, utf16_refused
from etl.errors import InputError
from etl.sources import (
    census,
    census_hs2,
    comtrade_edges,
    comtrade_flow_table,
    comtrade_legacy,
    comtrade_plus,
    dane_fob_printed,
    dane_imports,
    dian,
    gacc,
    imf_dots,
    imf_dots_dbnomics,
    published,
)
from etl.sources.base import CASE_HINT, JSON, TEXT, Probe, TradeFormat
from etl.sources.reference import REFERENCE_FORMATS, ReferenceFormat


@dataclass(frozen=True)
class Detected:
    sniff: Sniff
    trade: TradeFormat | None = None
    reference: ReferenceFormat | None = None

    @property
    def name(self) -> str:
        return self.trade.name if self.trade else self.reference.name  # type: ignore[union-attr]


# Every trade format, each declared by its adapter module. Detection takes the first of the file's sniffed kind
# that recognises the file, so order matters only among formats of one kind (the more specific first).
TRADE_FORMATS: tuple[TradeFormat, ...] = (
    comtrade_plus.CSV_FORMAT,
    comtrade_legacy.FORMAT,
    census.TOTALS_FORMAT,
    dian.FORMAT,
    published.FORMAT,
    dane_fob_printed.FORMAT,
    dane_imports.FORMAT,
    comtrade_edges.FORMAT,
    imf_dots_dbnomics.FORMAT,
    gacc.FORMAT,
    census_hs2.FORMAT,
    comtrade_plus.JSON_FORMAT,
    imf_dots.FORMAT,
    comtrade_flow_table.FORMAT,
    comtrade_plus.XLSX_FORMAT,
    census.HS10_FORMAT,
)


def _refuse_letter_case(found: Sniff, con: duckdb.DuckDBPyConnection) -> None:
    """A header that a text format would recognise if its names were written in the format's letter case is
    refused naming the columns to rename, not as an unknown format."""
    for trade in TRADE_FORMATS:
        own = {name.casefold(): name for name in trade.columns}
        renamed = tuple(own.get(name.casefold(), name) for name in found.header)
        if renamed == found.header or not trade.matches(
            Probe(found.path, replace(found, header=renamed), con)
        ):
            continue
        wrong = [(i, name, right) for i, (name, right) in enumerate(zip(found.header, renamed, strict=True), start=1)
                 if name != right]  # fmt: skip
        listed = ", ".join(f"{name!r} (column {i}) for {right!r}" for i, name, right in wrong[:5])
        more = f" and {len(wrong) - 5} more" if len(wrong) > 5 else ""
        raise InputError(found.path, f"a {trade.publisher} file ({trade.name}) whose column names differ in letter "
                         f"case: {listed}{more}", line=1, column=wrong[0][0], hint=CASE_HINT)  # fmt: skip


def detect(path: Path, con: duckdb.DuckDBPyConnection) -> Detected:
    """The format of ``path``, from its content (never its name); raises InputError when none fits."""
    found = sniff(path)
    if found.kind == JSON and found.encoding == UTF16:
        raise utf16_refused(path)
    probe = Probe(path, found, con)
    detected = next(
        (Detected(found, trade=f) for f in TRADE_FORMATS if f.kind == found.kind and f.matches(probe)), None
    )
    if detected is None and found.kind == TEXT:
        detected = next((Detected(found, reference=r) for r in REFERENCE_FORMATS if r.matches(found)), None)
    if detected is None and found.kind == TEXT:
        _refuse_letter_case(found, con)
    if detected is None:
        raise unknown_format(path, probe.seen())
    if found.encoding == UTF16 and not (detected.trade and detected.trade.reads_utf16):
        raise utf16_refused(path)
    return detected
