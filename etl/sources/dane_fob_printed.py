"""DANE's trade balance by partner on its FOB/FOB basis, as newspapers printed it (one printed number per row).

The file (``data/raw/dane-fob-balance-by-partner-printed/``) keeps each number as printed
(``balance_as_printed_usd_millions``, Spanish separators, sign from the sentence) beside the same number as a
decimal (``balance_usd_millions``), with the period it covers, the page and the exact quote. Its rows go to
``published_figures`` as balances of Colombia (flow ``balance``, US dollars), where the series of record
(``etl.record_balance.query_official_balances``) vets them like every printed balance. Nothing goes to ``trade``.

What is checked, row by row (a failure refuses the file, naming line and column):
- the period is ``YYYY-MM`` to ``YYYY-MM`` within one year, start before end;
- the partner is a known ISO3 code (``EUU``, the World Bank's code for the European Union, is Balanza's ``EUN``);
- the decimal is the printed number read with Spanish separators ('.' thousands, ',' decimals), sign included:
  a transcription slip between the two columns never becomes a number;
- publisher, page and quote are present.

What is set aside, and said in the load's notes: rows of a partial period (``published_figures`` holds full
years: a January–September balance is not a year's), and rows whose print is garbled — an empty decimal beside a
print marked "(sic …)", as the file marks China's 2024 "US$12.91 millones" (the digits are uncertain, so no
number is read from it).
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pandas as pd

from etl.detect import Sniff
from etl.schema import COLOMBIA
from etl.sources.base import TEXT, LoadContext, TradeColumnLabels, TradeFormat, check_header

COLUMNS = (
    "period_start",
    "period_end",
    "partner_iso3",
    "balance_as_printed_usd_millions",
    "balance_usd_millions",
    "note",
    "publisher",
    "url",
    "quote",
)
LABELS = TradeColumnLabels(
    year="period_start", reporter="(Colombia)", partner="partner_iso3", flow="(balance)", hs_code="(total)",
    value="balance_usd_millions",
)  # fmt: skip
HINT = ("columns: " + ", ".join(COLUMNS) + "; one printed balance per row, in US$ millions, with the print as it "
        "appears (Spanish separators) beside the decimal")  # fmt: skip
# Codes the file may use for an aggregate that Balanza spells otherwise.
PARTNER_ALIASES = {"EUU": "EUN"}
PERIOD = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
# '+2.200', '-1.189' (thousands), '+882,8', '-6.056,1 FOB': a sign, digits grouped by '.', ',' decimals.
PRINTED = re.compile(r"([+-])\s*(\d{1,3}(?:\.\d{3})*|\d+)(?:,(\d+))?(\s+FOB)?")
GARBLED_MARK = "(sic"


def matches(sniff: Sniff) -> bool:
    return sniff.kind == TEXT and {"period_start", "period_end", "balance_as_printed_usd_millions"} <= set(
        sniff.header
    )


def read_printed(text: str) -> float | None:
    """'-6.056,1 FOB' → -6056.1; None when the text is not one signed number in the Spanish format."""
    match = PRINTED.fullmatch(text.strip())
    if not match:
        return None
    sign, whole, decimals, _ = match.groups()
    value = float(whole.replace(".", "") + ("." + decimals if decimals else ""))
    return -value if sign == "-" else value


def stage(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, COLUMNS, HINT)
    known = {row[0] for row in ctx.con.execute("SELECT iso3 FROM countries").fetchall()}
    kept: list[dict] = []
    partial: list[str] = []
    garbled: list[str] = []
    line = 1
    try:
        with open(ctx.path, encoding=ctx.sniff.encoding, newline="") as handle:
            reader = csv.DictReader(handle)
            _ = reader.fieldnames  # reads the header line
            line = reader.line_num + 1
            for raw in reader:
                row = {k.strip().lstrip("\ufeff"): (v or "").strip() for k, v in raw.items() if k is not None}
                if None in raw:
                    raise ctx.error("too many fields", line=line, hint=HINT)
                record = _read_row(ctx, row, line, known)
                if record is None:
                    garbled.append(f"{row['partner_iso3']} {row['period_start'][:4]} (line {line})")
                elif record["partial"]:
                    partial.append(f"{row['period_start']}…{row['period_end']}")
                else:
                    kept.append(record)
                line = reader.line_num + 1
    except csv.Error as exc:
        raise ctx.error(f"unreadable CSV ({exc})", line=line, hint=HINT) from None
    except UnicodeDecodeError:
        raise ctx.error("invalid text encoding", hint="save the file as UTF-8") from None
    if kept:
        ctx.notes.append(f"{len(kept)} full-year balances into published_figures (none into trade)")
    if partial:
        periods = ", ".join(f"{period} ({count})" for period, count in Counter(partial).items())
        ctx.notes.append(
            f"set aside {len(partial)} balances of partial periods (a full year is needed): {periods}"
        )
    if garbled:
        ctx.notes.append(f"set aside {len(garbled)} prints marked garbled ('(sic …)', no number read): "
                         + ", ".join(garbled))  # fmt: skip
    if kept:
        frame = pd.DataFrame(kept)
        frame["chosen"] = False  # `chosen` marks the value `trade` carries: balances never go there
        frame["dataset_id"] = ctx.dataset_id
        ctx.con.register("dane_fob_printed_frame", frame)
        ctx.con.execute(
            """
            INSERT INTO published_figures
            SELECT year, reporter_iso3, partner_iso3, flow, value_usd, valuation, publisher, url, quote, chosen,
                   dataset_id FROM dane_fob_printed_frame
            """
        )
        ctx.con.unregister("dane_fob_printed_frame")
    return LABELS


def _read_row(ctx: LoadContext, row: dict[str, str], line: int, known: set[str]) -> dict | None:
    """One row as a ``published_figures`` balance; None for a print marked garbled; an error for a bad row."""
    periods = []
    for column in ("period_start", "period_end"):
        match = PERIOD.fullmatch(row[column])
        if not match:
            raise ctx.error(f"{column} {row[column]!r} is not a month written YYYY-MM", line=line, column=column,
                            hint=HINT)  # fmt: skip
        periods.append((int(match.group(1)), int(match.group(2))))
    (start_year, start_month), (end_year, end_month) = periods
    if end_year != start_year or end_month < start_month:
        raise ctx.error(f"period {row['period_start']}…{row['period_end']} does not run forward within one year",
                        line=line, column="period_end", hint="one balance per calendar year or part of one")  # fmt: skip
    partner = PARTNER_ALIASES.get(row["partner_iso3"].upper(), row["partner_iso3"].upper())
    if partner not in known:
        raise ctx.error(f"unknown partner code {row['partner_iso3']!r}", line=line, column="partner_iso3",
                        hint="an ISO 3166 alpha-3 code (WLD for the World, EUU for the European Union)")  # fmt: skip
    for column in ("publisher", "url", "quote"):
        if not row[column]:
            raise ctx.error(f"{column} is empty", line=line, column=column,
                            hint="every printed number needs its publisher, page and exact quote")  # fmt: skip
    printed, decimal = row["balance_as_printed_usd_millions"], row["balance_usd_millions"]
    if not decimal:
        if GARBLED_MARK in printed.lower():
            return None
        raise ctx.error("balance_usd_millions is empty and the print is not marked garbled ('(sic …)')",
                        line=line, column="balance_usd_millions", hint=HINT)  # fmt: skip
    try:
        value = float(decimal)
    except ValueError:
        raise ctx.error(f"balance_usd_millions {decimal!r} is not a number", line=line,
                        column="balance_usd_millions", hint="a decimal with '.' as the decimal mark") from None  # fmt: skip
    read = read_printed(printed)
    if read is None:
        raise ctx.error(f"the print {printed!r} is not one signed number with Spanish separators", line=line,
                        column="balance_as_printed_usd_millions",
                        hint="the digits as printed, with a sign: '+2.200', '-1.189', '+882,8', '-6.056,1 FOB'")  # fmt: skip
    if read != value:
        raise ctx.error(f"balance_usd_millions {decimal} is not the printed {printed!r} (= {read:g})", line=line,
                        column="balance_usd_millions",
                        hint="the decimal must be the printed number read with '.' thousands and ',' decimals")  # fmt: skip
    return {
        "year": start_year, "reporter_iso3": COLOMBIA, "partner_iso3": partner, "flow": "balance",
        "value_usd": round(value * 1e6), "valuation": "FOB" if printed.upper().endswith("FOB") else "unknown",
        "publisher": row["publisher"], "url": row["url"], "quote": row["quote"],
        "partial": (start_month, end_month) != (1, 12),
    }  # fmt: skip


FORMAT = TradeFormat("dane_fob_balance_printed_csv", "published", "DANE, as printed in the press (published_figures)",
                     TEXT, lambda probe: matches(probe.sniff), stage, text_lines=True, columns=COLUMNS)  # fmt: skip
