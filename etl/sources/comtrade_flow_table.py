"""UN Comtrade totals pivoted by flow, one row per (year, partner): `refYear, partnerDesc` and a column per flow.

The layout a Comtrade+ query (`getFinalData`, flows M and X, one reporter, all goods) takes once pivoted by
flow, as in the workbook of China's trade with the Portuguese-speaking countries: Portuguese headers
`Exportações` (the reporter's exports, FOB), `Importações` (its imports, CIF), and two derived columns that are
checked, not loaded: `Trocas` (exports + imports) and `Saldo` (exports − imports). English headers (`exports`,
`imports`, `total`, `balance`) are read the same way. Values are US dollars; partners are names
(`country_names`).

The file does not name its reporter: the manifest says who it is (`options = { reporter = "CHN" }`), and a file
loaded without it is refused. An empty cell is a flow the reporter did not report for that partner and year: a
gap, not a zero. A derived column that disagrees with the flows it is made of means the columns are not what
their headers say, and the file is refused.
"""

from __future__ import annotations

import math

import pandas as pd

from etl.detect import xlsx_rows
from etl.schema import STAGED_TABLE
from etl.sources.base import XLSX, LoadContext, TradeColumnLabels, TradeFormat, column_letter
from etl.sources.reference import name_key

SOURCE = "comtrade"
YEAR, PARTNER = "refYear", "partnerDesc"
# header → what the column holds
FLOW_COLUMNS = {"Exportações": "export", "Importações": "import", "exports": "export", "imports": "import"}
TOTAL, BALANCE = "total (exports + imports)", "balance (exports − imports)"
DERIVED = {TOTAL: ("Trocas", "total"), BALANCE: ("Saldo", "balance")}
VALUATION = {"export": "FOB", "import": "CIF"}
# Derived columns may differ from the flows by rounding: 1 dollar, or 1e-9 of the value.
TOLERANCE_USD = 1.0
LABELS = TradeColumnLabels(
    year=YEAR, reporter="(manifest option 'reporter')", partner=PARTNER, flow="(column)", hs_code="(total)",
    value="(flow column)",
)  # fmt: skip
HINT = (
    "columns: refYear, partnerDesc, Exportações and/or Importações (US dollars, all goods), optionally Trocas "
    "(= exports + imports) and Saldo (= exports − imports); the reporter is named in data/sources.toml "
    '(options = { reporter = "CHN" })'
)


def _header(rows: list[tuple]) -> list[str]:
    return [str(cell).strip() if cell is not None else "" for cell in (rows[0] if rows else ())]


def matches(first_cells: dict[str, list[tuple]]) -> bool:
    rows = next(iter(first_cells.values()), [])
    header = set(_header(rows))
    return {YEAR, PARTNER} <= header and bool(header & set(FLOW_COLUMNS))


def stage(ctx: LoadContext) -> TradeColumnLabels:
    reporter = str(ctx.options.get("reporter", "")).strip().upper()
    if not reporter:
        raise ctx.error(
            "the file does not name its reporter (whose exports and imports are these?)",
            line=1,
            hint='list the file in data/sources.toml with options = { reporter = "CHN" } (the reporter\'s ISO3 '
            "code) and run `balanza build`",
        )
    known = ctx.con.execute("SELECT count(*) FROM countries WHERE iso3 = ?", [reporter]).fetchone()
    if not known or not known[0]:
        raise ctx.error(f"reporter {reporter!r} (manifest option) is not a known ISO3 code", hint=HINT)
    names = dict(ctx.con.execute("SELECT name_key, iso3 FROM country_names").fetchall())
    rows = next(iter(xlsx_rows(ctx.path)), ("", []))[1]  # the first sheet
    header = _header(rows)
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        if name in index:
            raise ctx.error(
                f"duplicated column header {name!r}", line=1, column=column_letter(position), hint=HINT
            )
        if name:
            index[name] = position
    for required in (YEAR, PARTNER):
        if required not in index:
            raise ctx.error(f"missing column {required!r}", line=1, column=required, hint=HINT)
    flows = {flow: index[name] for name, flow in FLOW_COLUMNS.items() if name in index}
    derived = [(index[name], kind) for kind, headers in DERIVED.items() for name in headers if name in index]
    records: list[tuple] = []
    for row_index, row in enumerate(rows[1:], start=1):
        line = row_index + 1
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        cells = dict(enumerate(row))
        year = _year(ctx, cells.get(index[YEAR]), line, index[YEAR])
        partner_name = str(cells.get(index[PARTNER]) or "").strip()
        partner = names.get(name_key(partner_name)) if partner_name else None
        if partner is None:
            raise ctx.error(f"unknown partner {partner_name!r}", line=line, column=column_letter(index[PARTNER]),
                            hint="use the country's English name, as Comtrade's partnerDesc gives it")  # fmt: skip
        values = {flow: _number(ctx, cells.get(position), line, position) for flow, position in flows.items()}
        for position, kind in derived:
            _check_derived(
                ctx, kind, _number(ctx, cells.get(position), line, position), values, line, position
            )
        for flow, value in values.items():
            if value is not None:
                records.append((year, reporter, partner, flow, value, VALUATION[flow], line))
    frame = pd.DataFrame.from_records(
        records,
        columns=["year", "reporter_iso3", "partner_iso3", "flow", "value_usd", "valuation", "source_line"],
    )
    ctx.con.register("flow_table_frame", frame)
    ctx.con.execute(
        f"""
        INSERT INTO {STAGED_TABLE} (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd,
                                    valuation, net_weight_kg, source, dataset_id, duty_usd, hs_vintage,
                                    valuation_stated, source_line)
        SELECT year, CAST(year AS VARCHAR), reporter_iso3, partner_iso3, flow, 'TOTAL', 0, value_usd, valuation,
               NULL, '{SOURCE}', {int(ctx.dataset_id)}, NULL, NULL, FALSE, source_line
        FROM flow_table_frame
        """
    )
    ctx.con.unregister("flow_table_frame")
    return LABELS


def _year(ctx: LoadContext, value: object, line: int, position: int) -> int:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not (len(text) == 4 and text.isdigit()):
        raise ctx.error(f"refYear {text!r} is not a calendar year (YYYY)", line=line,
                        column=column_letter(position), hint=HINT)  # fmt: skip
    return int(text)


def _number(ctx: LoadContext, value: object, line: int, position: int) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.error(f"value {value!r} is not a number (US dollars)", line=line,
                        column=column_letter(position), hint=HINT)  # fmt: skip
    number = float(value)
    if not math.isfinite(number):
        raise ctx.error(f"value {value!r} is not a finite number", line=line, column=column_letter(position),
                        hint=HINT)  # fmt: skip
    return number


def _check_derived(
    ctx: LoadContext,
    kind: str,
    stated: float | None,
    values: dict[str, float | None],
    line: int,
    position: int,
) -> None:
    """A total or balance column must be what the flows make (where it is given)."""
    if stated is None:
        return
    exports, imports = values.get("export"), values.get("import")
    if exports is None or imports is None:
        raise ctx.error(f"a {kind} is given but a flow it is made of is empty", line=line,
                        column=column_letter(position), hint=HINT)  # fmt: skip
    expected = exports + imports if kind == TOTAL else exports - imports
    if abs(stated - expected) > max(TOLERANCE_USD, abs(expected) * 1e-9):
        raise ctx.error(
            f"the {kind} column says {stated:,.0f} but the flows give {expected:,.0f}: the columns are not what "
            "their headers say",
            line=line,
            column=column_letter(position),
            hint=HINT,
        )


FORMAT = TradeFormat("comtrade_flow_table_xlsx", SOURCE, "UN Comtrade", XLSX,
                     lambda probe: matches(probe.xlsx_cells()), stage, text_lines=False)  # fmt: skip
