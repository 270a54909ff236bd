"""IMF Direction of Trade Statistics workbooks: one sheet per flow, one row per partner, one column per year.

Values are USD millions; partners are names, mapped to ISO3 through the `imf_partner_names` table
(aggregates such as "Advanced Economies" map to nothing and are skipped, never summed).
"""

from __future__ import annotations

import re

import pandas as pd

from etl.detect import xlsx_rows
from etl.schema import MILLION, STAGED_TABLE
from etl.sources.base import XLSX, LoadContext, TradeColumnLabels, TradeFormat, column_letter
from etl.sources.numbers import parse, style_of
from etl.years import FUTURE_HINT, year_problem

# A number written with ',' between thousands and '.' before decimals, as IMF writes its estimated cells.
THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
SHEETS = {"Exports, FOB": ("export", "FOB"), "Imports, CIF": ("import", "CIF")}
LABELS = TradeColumnLabels(
    year="(year header row)", reporter="B (reporter name, row 4)", partner="B", flow="(sheet)",
    hs_code="(total)", value="(year column)",
)  # fmt: skip
HINT = "use the IMF DOTS workbook as downloaded (sheets 'Exports, FOB' and 'Imports, CIF')"


def matches(first_cells: dict[str, list[tuple]]) -> bool:
    return any(title in SHEETS for title in first_cells) and any(
        any(isinstance(cell, str) and "Partner Countries" in cell for row in rows for cell in row if cell)
        for rows in first_cells.values()
    )


def stage(ctx: LoadContext) -> TradeColumnLabels:
    names = dict(ctx.con.execute("SELECT imf_name, iso3 FROM imf_partner_names").fetchall())
    if not names:
        raise ctx.error(
            "the IMF partner-name table is empty", hint="run `balanza build` first (reference tables)"
        )
    records: list[tuple] = []
    for title, rows in xlsx_rows(ctx.path):  # bounded: cells and decompressed bytes
        if title not in SHEETS:
            continue
        flow, valuation = SHEETS[title]
        reporter_name = _cell(rows, 3, 1)
        if reporter_name not in names or names[reporter_name] is None:
            raise ctx.error(f"sheet {title!r}: unknown reporter {reporter_name!r}", line=4, column="B",
                            hint="add the name to the IMF partner-name map")  # fmt: skip
        reporter = names[reporter_name]
        years = _year_columns(ctx, title, rows)
        # Values typed as text may hold separators ('1,334.5'): read in the sheet's own style.
        style = style_of(ctx, {column_letter(index): [_evidence(row[index]) for row in rows[7:] if index < len(row)]
                               for index, _ in years})  # fmt: skip
        for row_index in range(7, len(rows)):
            row = rows[row_index]
            partner_name = row[1] if len(row) > 1 else None
            if partner_name is None or str(partner_name).strip() == "":
                continue
            partner_name = str(partner_name).strip()
            if partner_name not in names:
                raise ctx.error(f"sheet {title!r}: unknown partner {partner_name!r}", line=row_index + 1,
                                column="B", hint="add the name to the IMF partner-name map (data/raw/reference)")  # fmt: skip
            partner = names[partner_name]
            if partner is None:
                continue  # an aggregate of other rows
            for column_index, year in years:
                value = row[column_index] if column_index < len(row) else None
                number = _number(ctx, title, value, row_index, column_index, style)
                if number is None:
                    continue
                records.append((year, str(year), reporter, partner, flow, number * MILLION, valuation,
                                row_index + 1))  # fmt: skip
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "year",
            "period",
            "reporter_iso3",
            "partner_iso3",
            "flow",
            "value_usd",
            "valuation",
            "source_line",
        ],  # fmt: skip
    )
    ctx.con.register("dots_frame", frame)
    ctx.con.execute(
        f"""
        INSERT INTO {STAGED_TABLE}
        SELECT year, period, reporter_iso3, partner_iso3, flow, 'TOTAL', 0, value_usd, valuation, NULL,
               'imf_dots', {int(ctx.dataset_id)}, NULL, NULL, TRUE, source_line
        FROM dots_frame
        """
    )
    ctx.con.unregister("dots_frame")
    return LABELS


def _cell(rows: list[tuple], row: int, column: int) -> str | None:
    if row < len(rows) and column < len(rows[row]) and rows[row][column] is not None:
        return str(rows[row][column]).strip()
    return None


def _year_columns(ctx: LoadContext, title: str, rows: list[tuple]) -> list[tuple[int, int]]:
    if len(rows) < 7:
        raise ctx.error(f"sheet {title!r} has no year header row", line=7, hint=HINT)
    years = []
    for index, cell in enumerate(rows[6]):
        if cell is None or str(cell).strip() == "":
            continue
        text = str(cell).strip()
        if not text.isdigit():
            raise ctx.error(f"sheet {title!r}: year header {text!r} is not a year", line=7,
                            column=column_letter(index), hint=HINT)  # fmt: skip
        problem = year_problem(int(text))
        if problem:
            raise ctx.error(
                f"sheet {title!r}: {problem}", line=7, column=column_letter(index), hint=FUTURE_HINT
            )
        years.append((index, int(text)))
    if not years:
        raise ctx.error(f"sheet {title!r} has no year columns", line=7, hint=HINT)
    return years


def _evidence(cell: object) -> object:
    """A cell as evidence of the sheet's number style: an estimated cell is read by IMF's own rule (below), so it
    says nothing of the others."""
    text = _without_flag(cell)
    return None if text is not cell and THOUSANDS.fullmatch(str(text).strip()) else text


def _without_flag(cell: object) -> object:
    """A text cell without IMF's trailing ' e' ("estimated") flag; other cells unchanged."""
    if isinstance(cell, str) and cell.strip().endswith(" e"):
        return cell.strip()[:-2]
    return cell


def _number(
    ctx: LoadContext, title: str, value: object, row_index: int, column_index: int, style: str
) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(_without_flag(value)).strip()
    if text == "":
        return None
    # IMF writes its estimated cells as text with thousands commas ("1,830.91 e"): read so whatever the sheet's style
    flagged = str(value).strip().endswith(" e") and THOUSANDS.fullmatch(text)
    number = float(text.replace(",", "")) if flagged else parse(text, style)
    if number is None:
        raise ctx.error(f"sheet {title!r}: value {value!r} is not a number", line=row_index + 1,
                        column=column_letter(column_index), hint=HINT)  # fmt: skip
    return number


FORMAT = TradeFormat("imf_dots_xlsx", "imf_dots", "International Monetary Fund", XLSX,
                     lambda probe: matches(probe.xlsx_cells()), stage, text_lines=False)  # fmt: skip
