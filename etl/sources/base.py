"""What every source adapter shares: its context, and finding the line behind a bad value."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from etl.detect import Sniff, xlsx_first_cells
from etl.errors import BalanzaError, InputError

# Given a column and a test of its raw text, the file line of the first row that passes (or None).
LineFinder = Callable[[str, Callable[[str], bool]], int | None]


@dataclass
class LoadContext:
    """One file being loaded into the open write transaction."""

    con: duckdb.DuckDBPyConnection
    path: Path
    sniff: Sniff
    dataset_id: int
    options: dict[str, Any] = field(default_factory=dict)
    # What the load did besides inserting rows (rows set aside and why); shown with the load's result.
    notes: list[str] = field(default_factory=list)

    def error(
        self, message: str, *, line: int | None = None, column: str | int | None = None, hint: str = ""
    ) -> InputError:
        return InputError(self.path, message, line=line, column=column, hint=hint)


@dataclass(frozen=True)
class TradeColumnLabels:
    """Source column names behind our trade columns, so errors name the column the user sees."""

    year: str
    reporter: str
    partner: str
    flow: str
    hs_code: str
    value: str


def duckdb_encoding(sniff: Sniff) -> str:
    """The name DuckDB's CSV reader knows for the sniffed encoding (a BOM is skipped by the reader)."""
    return sniff.encoding if sniff.encoding in ("latin-1", "utf-16") else "utf-8"


# What a format reads, by the kind `etl.detect.sniff` found.
TEXT, JSON, XLSX, PARQUET = "text", "json", "xlsx", "parquet"


@dataclass
class Probe:
    """What detection may look at: the sniffed head, and (read once, when a format asks) Parquet columns or
    the first rows of every workbook sheet."""

    path: Path
    sniff: Sniff
    con: duckdb.DuckDBPyConnection
    _columns: list[str] | None = field(default=None, repr=False)
    _cells: dict[str, list[tuple]] | None = field(default=None, repr=False)

    def parquet_columns(self) -> list[str]:
        if self._columns is None:
            try:
                rows = self.con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(self.path)]).fetchall()
            except duckdb.Error as exc:
                raise InputError(self.path, f"unreadable Parquet file ({str(exc).splitlines()[0]})",
                                 hint="download the file again") from None  # fmt: skip
            self._columns = [row[0] for row in rows]
        return self._columns

    def xlsx_cells(self) -> dict[str, list[tuple]]:
        if self._cells is None:
            self._cells = xlsx_first_cells(self.path)
        return self._cells

    def seen(self) -> tuple[str, ...]:
        """What the file shows where a format would be recognised (for the 'unknown format' message)."""
        if self.sniff.kind == PARQUET:
            return tuple(self.parquet_columns())
        if self.sniff.kind == XLSX:
            first_rows = next(iter(self.xlsx_cells().values()), [()]) or [()]
            return tuple(str(c) for c in first_rows[0] or ())
        if self.sniff.kind == JSON:
            return tuple(sorted(self.sniff.json_keys))
        return tuple(self.sniff.header)


@dataclass(frozen=True)
class TradeFormat:
    """A format whose rows become `trade` observations, and how it recognises a file as its own.

    Every adapter module declares its formats like this; `etl.sources.TRADE_FORMATS` lists them and detection is
    a loop over that list (the first format of the file's kind that matches).
    """

    name: str
    source: str
    publisher: str
    kind: str  # TEXT, JSON, XLSX or PARQUET: the sniffed kind it reads
    matches: Callable[[Probe], bool]
    stage: Callable[[LoadContext], TradeColumnLabels]
    text_lines: bool  # True: errors can be traced back to a CSV line
    reads_utf16: bool = False  # UTF-16 text (with a byte-order mark) is refused unless the format reads it


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → 'A', 26 → 'AA'."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def check_header(
    ctx: LoadContext, header: tuple[str, ...] | list[str], required: tuple[str, ...], hint: str
) -> None:
    """No column named twice, and every required column present (line 1, the column named)."""
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if name in seen:
            raise ctx.error(f"duplicated column header {name!r}", line=1, column=position, hint=hint)
        seen.add(name)
    for name in required:
        if name not in seen:
            raise ctx.error(f"missing column {name!r}", line=1, column=name, hint=hint)


def locate_line(
    path: Path, encoding: str, delimiter: str, column: str, predicate: Callable[[str], bool]
) -> int | None:
    """1-based physical line of the first data row whose ``column`` satisfies ``predicate`` (error path only)."""
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        if column not in header:
            return None
        index = header.index(column)
        for row in reader:
            if index < len(row) and predicate(row[index].strip()):
                return reader.line_num
    return None


_LINE_IN_MESSAGE = re.compile(r"line[: ]+(\d+)", re.IGNORECASE)
_COLUMN_IN_MESSAGE = re.compile(r'column "?([^"\s,.]+)"?', re.IGNORECASE)


_MAX_LINE_SIZE = re.compile(r"Maximum line size of (\d+) bytes exceeded")


def first_long_line(path: Path, limit: int, chunk_size: int = 1 << 20) -> int | None:
    """1-based number of the first line longer than ``limit`` bytes, reading in chunks (memory stays bounded)."""
    line, length = 1, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            start = 0
            while (newline := chunk.find(b"\n", start)) != -1:
                if length + newline - start > limit:
                    return line
                line, length, start = line + 1, 0, newline + 1
            length += len(chunk) - start
            if length > limit:
                return line
    return None


def duckdb_read_error(path: Path, exc: duckdb.Error, hint: str) -> BalanzaError:
    """Turn a DuckDB reader error into an InputError naming the line and column DuckDB reported.

    A failed write of the database itself (full disk, file size limit) is not the input's fault: it becomes
    the writer's DatabaseError, and an interrupted statement stays an interruption.
    """
    from etl.db import disk_error, disk_problem_of

    problem = disk_problem_of(exc)
    if problem:
        return disk_error(Path(str(path)), problem)
    if isinstance(exc, duckdb.InterruptException) or "interrupted" in str(exc).lower():
        from etl.errors import Interrupted

        return Interrupted(2)  # type: ignore[return-value]
    too_long = _MAX_LINE_SIZE.search(str(exc))
    if too_long:
        # DuckDB counts lines from its buffer here, not from the file start: find the line ourselves.
        limit = int(too_long.group(1))
        return InputError(path, f"a line is longer than {limit:,} bytes (binary content or a broken file?)",
                          line=first_long_line(path, limit), hint=hint)  # fmt: skip
    message = str(exc).splitlines()[0]
    # Only reader errors point into the file; other errors' "LINE n" points into our SQL.
    from_reader = "CSV" in str(exc) or "Parquet" in str(exc)
    line_match = _LINE_IN_MESSAGE.search(str(exc)) if from_reader else None
    column_match = _COLUMN_IN_MESSAGE.search(str(exc)) if from_reader else None
    return InputError(
        path,
        message,
        line=int(line_match.group(1)) if line_match else None,
        column=column_match.group(1) if column_match else None,
        hint=hint,
    )


def first_reject(
    con: duckdb.DuckDBPyConnection, path: Path, rejects_table: str, hint: str
) -> InputError | None:
    """The first row DuckDB's CSV reader rejected, as an InputError with line and column."""
    row = con.execute(
        f"SELECT line, column_name, error_type, csv_line FROM {rejects_table} ORDER BY line LIMIT 1"  # noqa: S608
    ).fetchone()
    if row is None:
        return None
    line, column_name, error_type, csv_line = row
    snippet = (csv_line or "")[:80]
    kind = {"CAST": "value is not of the expected type", "TOO MANY COLUMNS": "too many fields",
            "MISSING COLUMNS": "too few fields", "UNQUOTED VALUE": "unquoted value",
            "INVALID UNICODE": "invalid text encoding"}.get(error_type, str(error_type).lower())  # fmt: skip
    return InputError(path, f"{kind} (row text: {snippet!r})", line=int(line), column=column_name, hint=hint)


# ---- numbers written in a Spanish (or other comma-decimal) locale ------------------------------------------


def number_parser(ctx: LoadContext, reader_sql: str, params: list, columns: Sequence[str]) -> str:
    """A SQL template (``{}`` = a text column) that reads the numbers in ``columns`` of a ';'-separated file.

    Spreadsheets in a Spanish locale save CSV with ';' between fields, ',' as the decimal mark and '.' between
    thousands. The style is read from the file's own values: any decimal comma means comma-decimal ('.' then
    must group thousands); no comma but a value with two or more '.' groups ('1.234.567') means '.' groups
    thousands. A column whose every dotted value is a single '.' followed by exactly three digits ('1.234')
    could be either, and unless the rest of the file says which, the file is refused rather than guessed.
    Otherwise '.' is the decimal point.
    """
    if not columns:
        return "{}"
    union = " UNION ALL ".join(
        f"SELECT trim(CAST(\"{c}\" AS VARCHAR)) AS v, '{c}' AS c FROM ({reader_sql})" for c in columns
    )
    three = "-?[0-9]{1,3}[.][0-9]{3}"
    grouped_or_comma = "-?[0-9]{1,3}([.][0-9]{3})+(,[0-9]*)?|-?[0-9]+(,[0-9]*)?"
    stats = ctx.con.execute(
        f"""
        SELECT c,
               count(*) FILTER (WHERE v LIKE '%,%') AS commas,
               count(*) FILTER (WHERE regexp_full_match(v, '-?[0-9]{{1,3}}([.][0-9]{{3}}){{2,}}(,[0-9]*)?')) AS grouped,
               count(*) FILTER (WHERE regexp_full_match(v, '{three}')) AS ambiguous,
               count(*) FILTER (WHERE v LIKE '%.%' AND NOT regexp_full_match(v, '{grouped_or_comma}')) AS plain,
               arg_min(v, v) FILTER (WHERE regexp_full_match(v, '{three}')) AS ambiguous_value,
               arg_min(v, v) FILTER (WHERE v LIKE '%.%' AND NOT regexp_full_match(v, '{grouped_or_comma}')) AS plain_value
        FROM ({union}) WHERE v IS NOT NULL AND v <> '' GROUP BY c ORDER BY c
        """,
        params * len(columns),
    ).fetchall()
    hint = ("save the file again with '.' as the decimal mark and no thousands separators (or as XLSX), "
            "then load it again")  # fmt: skip
    spanish = any(row[1] or row[2] for row in stats)
    if spanish:
        for column, _, _, _, plain, _, plain_value in stats:
            if plain:
                raise ctx.error(f"numbers use the Spanish format (',' decimal mark, '.' between thousands) but "
                                f"{plain_value!r} does not: the number format is inconsistent", column=column,
                                line=_line_of_value(ctx, column, plain_value), hint=hint)  # fmt: skip
        ctx.notes.append("numbers read in the Spanish format (',' decimal mark, '.' between thousands)")
        return "TRY_CAST(replace(replace(trim(CAST({} AS VARCHAR)), '.', ''), ',', '.') AS DOUBLE)"
    for column, _, _, ambiguous, plain, ambiguous_value, _ in stats:
        if ambiguous and not plain:
            raise ctx.error(
                f"ambiguous number {ambiguous_value!r} in a ';'-separated file: it may be "
                f"{ambiguous_value.replace('.', '')} (Spanish thousands separator) or {ambiguous_value} (decimal "
                "point), and nothing in the column says which",
                column=column, line=_line_of_value(ctx, column, ambiguous_value), hint=hint,
            )  # fmt: skip
    return "TRY_CAST(trim(CAST({} AS VARCHAR)) AS DOUBLE)"


def _line_of_value(ctx: LoadContext, column: str | None, value: str | None) -> int | None:
    if column is None or value is None or ctx.sniff.kind != "text":
        return None
    return locate_line(ctx.path, ctx.sniff.encoding, ctx.sniff.delimiter, column, lambda v: v == value)


def record_year_flags(ctx: LoadContext, source: str, years: set[int]) -> None:
    """The manifest's options `provisional_years` (the publisher marks them provisional) and
    `not_comparable_from` (from that year the publisher's partner figures are not comparable with earlier ones;
    `not_comparable_note` says why) into the tables `provisional` and `not_comparable`, for the years loaded."""
    provisional = sorted(years & {int(y) for y in ctx.options.get("provisional_years", [])})
    if provisional:
        ctx.con.executemany(
            "INSERT INTO provisional VALUES (?, ?, ?, ?)",
            [[source, year, ctx.dataset_id, "provisional figures (publisher)"] for year in provisional],
        )
    start = ctx.options.get("not_comparable_from")
    later = sorted(y for y in years if start is not None and y >= int(start))
    if later:
        note = str(ctx.options.get("not_comparable_note", "not comparable with earlier years (publisher)"))
        ctx.con.executemany(
            "INSERT INTO not_comparable VALUES (?, ?, ?, ?)",
            [[source, year, ctx.dataset_id, note] for year in later],
        )
