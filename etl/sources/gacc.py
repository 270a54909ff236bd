"""China Customs (GACC) trade by country/region, monthly and year to date, in 10,000 yuan (China as reporter).

The country names in this file were destroyed (one `?` per Chinese character survives), so rows are
identified by their VALUES, with one rule, and the file is refused when the rule does not give exactly one
row for each partner:

1. An anchor is a figure GACC published and a newspaper printed (publisher, page and quote in `ANCHORS`):
   a month, the number of characters of the Chinese name, and printed values with their precision.
   The anchor row is the one row of that month whose name has that many characters and whose year-to-date
   values and growth rates each lie within one unit of the last printed digit.
2. From the anchor month the row is followed to December: in each next month, the one row with the same
   name length whose year-to-date total, exports and imports each equal the previous year-to-date value plus
   the month's value, within `CHAIN_TOLERANCE` (GACC revises earlier months slightly).
3. An anchor that is already December must also chain back to exactly one November row.
4. In every row used, exports + imports = total (to one unit).

Only the December year-to-date rows are loaded (the full year): China's exports to and imports from the
partner, converted to US dollars at the published annual average rate held in `exchange_rates` (the yuan
values and the rate go to `currency_conversions`). China reports exports FOB and imports CIF (customs
convention; the file does not state it, so `valuation_stated` is FALSE).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from etl.detect import Sniff
from etl.errors import InputError
from etl.schema import COLOMBIA, STAGED_TABLE, UNITED_STATES, WORLD
from etl.sources.base import (
    TEXT,
    LoadContext,
    Record,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    read_records,
)
from etl.sources.numbers import parse, style_of

SOURCE = "gacc"
PUBLISHER = "General Administration of Customs of the P.R. China (GACC)"
CURRENCY = "CNY"
UNIT_YUAN = 10_000  # the file's values are in 10,000 yuan (万元)
CHAIN_TOLERANCE = 0.005
REQUIRED = ("region_raw", "trade_total_month", "trade_total_cum", "exports_month", "exports_cum", "imports_month",
            "imports_cum", "trade_total_cum_yoy", "exports_cum_yoy", "imports_cum_yoy", "year", "month")  # fmt: skip
LABELS = TradeColumnLabels(
    year="year", reporter="(China)", partner="region_raw", flow="exports_cum/imports_cum", hs_code="(total)",
    value="exports_cum",
)  # fmt: skip
HINT = "GACC table by country/region as exported (values in 10,000 yuan; growth rates x10)"
_FLOWS = (("total", "trade_total"), ("exports", "exports"), ("imports", "imports"))


@dataclass(frozen=True)
class Anchor:
    """A printed GACC figure that identifies one partner's row (values in 10,000 yuan, growth in 0.1 %)."""

    partner_iso3: str
    month: int
    name_chars: int
    cum: dict[
        str, tuple[float, float]
    ]  # 'total'/'exports'/'imports' → (printed value, unit of its last digit)
    yoy: dict[str, tuple[float, float]]  # same keys → (printed growth x10, unit x10)
    publisher: str
    url: str
    quote: str


ANCHORS = (
    Anchor(
        WORLD, 12, 2,
        cum={"total": (4_385_000_000, 1_000_000), "exports": (2_545_000_000, 1_000_000),
             "imports": (1_839_000_000, 1_000_000)},
        yoy={"total": (50, 10), "exports": (71, 1), "imports": (23, 1)},
        publisher="People's Daily Online / Xinhua (citing GACC)",
        url="http://en.people.cn/n3/2025/0113/c90000-20265299.html",
        quote="The nation's total goods imports and exports in yuan terms reached 43.85 trillion yuan (about 6.1 "
        "trillion U.S. dollars) last year, up 5 percent year on year, according to data released Monday by the "
        "General Administration of Customs (GAC). Exports grew 7.1 percent year on year to 25.45 trillion yuan "
        "last year, while imports expanded 2.3 percent from one year earlier to 18.39 trillion yuan",
    ),
    Anchor(
        UNITED_STATES, 11, 2,
        cum={"total": (444_000_000, 1_000_000), "exports": (338_000_000, 1_000_000),
             "imports": (106_000_000, 1_000_000)},
        yoy={"total": (42, 1), "exports": (51, 1), "imports": (14, 1)},
        publisher="People's Daily Online / Global Times (citing GACC)",
        url="http://en.people.cn/n3/2024/1210/c90000-20252386.html",
        quote="Trade between China and the US, China's third-largest trading partner, reached 4.44 trillion yuan "
        "($612.4 billion) in the first eleven months of this year in yuan-denominated terms, up 4.2 percent "
        "year-on-year ... China's exports to the US expanded 5.1 percent year-on-year to 3.38 trillion yuan in "
        "January-November period, while imports from the US were 1.06 trillion yuan during the same period, up "
        "1.4 percent year-on-year",
    ),
    Anchor(
        COLOMBIA, 12, 4,
        cum={"total": (14_963_000, 1_000)},
        yoy={"total": (131, 1)},
        publisher="People's Daily Online / Xinhua (citing GACC)",
        url="http://en.people.cn/n3/2025/0515/c90000-20315047.html",
        quote="Bilateral trade volume between China and Colombia rose 13.1 percent year on year to reach 149.63 "
        "billion yuan (about 20.8 billion U.S. dollars) in 2024",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    month: int
    cum: dict[str, float | None]
    month_value: dict[str, float | None]
    yoy: dict[str, float | None]


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"region_raw", "trade_total_cum", "exports_cum", "imports_cum"} <= set(
        sniff.header
    )


def read_rows(ctx: LoadContext) -> tuple[int, dict[int, list[Row]]]:
    """The file's year and its rows by month, numbers parsed (an empty cell is None)."""
    by_month: dict[int, list[Row]] = {}
    years: set[int] = set()
    records = read_records(ctx)
    numeric = [f"{col}_{part}" for _, col in _FLOWS for part in ("cum", "month", "cum_yoy")]
    # Values may be written with separators ('"1,234,567.8"'): read in the file's own style.
    style = style_of(ctx, {column: [record.cells.get(column) for record in records] for column in numeric})
    for record in records:
        raw, line = record.cells, record.line
        if not record.complete or any(raw.get(name) is None for name in REQUIRED):
            raise ctx.error("wrong number of fields", line=line, hint=HINT)
        year = _integer(ctx, raw, "year", record.line_of("year"))
        month = _integer(ctx, raw, "month", record.line_of("month"))
        if not 1 <= month <= 12:
            raise ctx.error(
                f"month {month} is not 1-12", line=record.line_of("month"), column="month", hint=HINT
            )
        years.add(year)
        row = Row(
            line, str(raw["region_raw"]).strip(), month,
            cum={key: _number(ctx, raw, f"{col}_cum", record, style) for key, col in _FLOWS},
            month_value={key: _number(ctx, raw, f"{col}_month", record, style) for key, col in _FLOWS},
            yoy={key: _number(ctx, raw, f"{col}_cum_yoy", record, style) for key, col in _FLOWS},
        )  # fmt: skip
        by_month.setdefault(month, []).append(row)
    if len(years) != 1:
        raise ctx.error(f"the file holds {len(years)} years ({sorted(years)}); one calendar year was expected",
                        column="year", hint=HINT)  # fmt: skip
    return years.pop(), by_month


def _integer(ctx: LoadContext, raw: dict, column: str, line: int) -> int:
    text = str(raw[column]).strip()
    if not text.isdigit():
        raise _bad_cell(ctx, column, text, line, "a whole number")
    return int(text)


def _number(ctx: LoadContext, raw: dict, column: str, record: Record, style: str) -> float | None:
    text = str(raw[column]).strip()
    if not text:
        return None
    value = parse(text, style)
    if value is None:
        raise _bad_cell(ctx, column, text, record.line_of(column), "a number")
    if not math.isfinite(value):
        raise _bad_cell(ctx, column, text, record.line_of(column), "a finite number")
    return value


def _bad_cell(ctx: LoadContext, column: str, text: str, line: int, expected: str) -> InputError:
    """The refusal of a cell that does not hold what its column needs (file, line, column and what to do)."""
    return ctx.error(f"{column} {text!r} is not {expected}", line=line, column=column, hint=HINT)


def _name_chars(row: Row) -> int:
    return row.name.count("?")


def _fits_printed(values: dict[str, float | None], printed: dict[str, tuple[float, float]]) -> bool:
    """Every printed figure (value, unit of its last digit) is matched by the row's value within one unit."""
    for key, (figure, unit) in printed.items():
        value = values[key]
        if value is None or abs(value - figure) > unit:
            return False
    return True


def _fits_anchor(row: Row, anchor: Anchor) -> bool:
    if _name_chars(row) != anchor.name_chars or row.name != "?" * anchor.name_chars:
        return False
    return _fits_printed(row.cum, anchor.cum) and _fits_printed(row.yoy, anchor.yoy)


def _chains(previous: Row, current: Row) -> bool:
    """`current` continues `previous` one month later: year to date = previous year to date + the month."""
    if current.name != previous.name:
        return False
    for key, _ in _FLOWS:
        before, now, month = (
            previous.cum[key] or 0.0,
            current.cum[key] or 0.0,
            current.month_value[key] or 0.0,
        )
        if abs(now - (before + month)) > CHAIN_TOLERANCE * max(now, 1.0):
            return False
    return True


def identify(ctx: LoadContext, by_month: dict[int, list[Row]], anchor: Anchor) -> Row:
    """The December row of the anchor's partner (rule in the module doc), or a refusal naming what failed."""
    hint = "the rows are identified by published values (see etl/sources/gacc.py ANCHORS); check the file's months"
    found = [row for row in by_month.get(anchor.month, []) if _fits_anchor(row, anchor)]
    if len(found) != 1:
        raise ctx.error(
            f"cannot identify {anchor.partner_iso3}: {len(found)} rows of month {anchor.month} fit the figures "
            f"printed by {anchor.publisher} (exactly one must)",
            line=found[1].line if len(found) > 1 else None, column="region_raw", hint=hint,
        )  # fmt: skip
    row = found[0]
    for month in range(anchor.month + 1, 13):
        following = [r for r in by_month.get(month, []) if _chains(row, r)]
        if len(following) != 1:
            raise ctx.error(
                f"cannot follow {anchor.partner_iso3} from month {month - 1} (line {row.line}) to month {month}: "
                f"{len(following)} rows continue its year-to-date values (exactly one must)",
                line=row.line, column="trade_total_cum", hint=hint,
            )  # fmt: skip
        row = following[0]
    if anchor.month == 12:
        earlier = [r for r in by_month.get(11, []) if _chains(r, row)]
        if len(earlier) != 1:
            raise ctx.error(
                f"{anchor.partner_iso3}'s December row (line {row.line}) does not continue exactly one November row "
                f"({len(earlier)} do)",
                line=row.line, column="trade_total_cum", hint=hint,
            )  # fmt: skip
    for key in ("total", "exports", "imports"):
        if row.cum[key] is None:
            raise ctx.error(f"{anchor.partner_iso3}: year-to-date {key} is empty", line=row.line, hint=hint)
    if abs(row.cum["exports"] + row.cum["imports"] - row.cum["total"]) > 1:  # type: ignore[operator]
        raise ctx.error(f"{anchor.partner_iso3}: exports + imports differ from the total", line=row.line,
                        column="trade_total_cum", hint=hint)  # fmt: skip
    return row


def stage(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, REQUIRED, HINT)
    year, by_month = read_rows(ctx)
    if 12 not in by_month:
        raise ctx.error(f"no December rows: the {year} year-to-date totals are not in the file", column="month",
                        hint="load a file that includes December (the full-year year-to-date rows)")  # fmt: skip
    rates = ctx.con.execute(
        "SELECT units_per_usd FROM exchange_rates WHERE currency = ? AND year = ?", [CURRENCY, year]
    ).fetchall()
    if len(rates) != 1:
        raise ctx.error(
            f"no published {CURRENCY} per US dollar annual rate for {year} is loaded",
            hint="load the exchange-rate reference table (data/raw/reference/exchange-rates) first",
        )
    rate = float(rates[0][0])
    records = []
    for anchor in ANCHORS:
        row = identify(ctx, by_month, anchor)
        for flow, key in (("export", "exports"), ("import", "imports")):
            yuan = float(row.cum[key]) * UNIT_YUAN  # type: ignore[arg-type]
            records.append((year, anchor.partner_iso3, flow, yuan / rate, "FOB" if flow == "export" else "CIF",
                            yuan, rate, row.line))  # fmt: skip
    frame = pd.DataFrame(
        records,
        columns=["year", "partner", "flow", "value_usd", "valuation", "value_cny", "rate", "source_line"],
    )
    ctx.con.register("gacc_frame", frame)
    ctx.con.execute(
        f"""
        INSERT INTO {STAGED_TABLE} (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd,
                                    valuation, net_weight_kg, source, dataset_id, duty_usd, hs_vintage,
                                    valuation_stated, source_line)
        SELECT f.year, CAST(f.year AS VARCHAR), 'CHN', coalesce(c.iso3, '?' || f.partner), f.flow, 'TOTAL', 0,
               f.value_usd, f.valuation, NULL, '{SOURCE}', {int(ctx.dataset_id)}, NULL, NULL, FALSE, f.source_line
        FROM gacc_frame f LEFT JOIN countries c ON c.iso3 = f.partner
        """
    )
    ctx.con.execute(
        f"""
        INSERT INTO currency_conversions
        SELECT {int(ctx.dataset_id)}, source_line, year, 'CHN', partner, flow, '{CURRENCY}', value_cny, rate
        FROM gacc_frame
        """
    )
    ctx.con.unregister("gacc_frame")
    return LABELS


FORMAT = TradeFormat("gacc_by_country_cny_csv", SOURCE, PUBLISHER, TEXT, lambda probe: matches(probe.sniff), stage,
                     text_lines=True, columns=REQUIRED)  # fmt: skip
