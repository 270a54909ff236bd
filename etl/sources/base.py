"""What every source adapter shares: its context, and finding the line behind a bad value."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
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
    # How the file writes numbers as text (etl.sources.numbers: plain, english or spanish), once known.
    number_style: str = "plain"

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
    # The header names the format knows (for text formats): a file whose names differ from them only in letter
    # case is refused by name instead of as an unknown format.
    columns: tuple[str, ...] = ()


# The longest CSV record Balanza reads (DuckDB's max_line_size; the longest bundled record is 804 bytes). DuckDB's
# reader keeps one reject, with the record's text, per field past the header's, so a record of 100,000 fields ran
# for over 10 minutes at 3 GB; a record longer than this is refused at once.
MAX_RECORD_BYTES = 8_192


CASE_HINT = (
    "column names are matched exactly, letter case included: rename the column as the publisher writes it (or keep "
    "one of two columns that differ only in case), then load the file again"
)


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
    """No column named twice (nor two names that differ only in letter case: most readers, DuckDB's included,
    take them for one), and every required column present, spelled as required (line 1, the column named)."""
    seen: dict[str, tuple[int, str]] = {}
    for position, name in enumerate(header, start=1):
        first = seen.get(name.casefold())
        if first is not None and first[1] == name:
            raise ctx.error(f"duplicated column header {name!r}", line=1, column=position, hint=hint)
        if first is not None:
            raise ctx.error(
                f"columns {first[0]} ({first[1]!r}) and {position} ({name!r}) have the same name but for letter case: "
                "which one holds the data cannot be told",
                line=1, column=position, hint=CASE_HINT,
            )  # fmt: skip
        seen[name.casefold()] = (position, name)
    present = set(header)
    for name in required:
        if name in present:
            continue
        other = seen.get(name.casefold())
        if other is not None:
            raise ctx.error(f"column {other[1]!r} is {name!r} written in another letter case", line=1,
                            column=other[0], hint=CASE_HINT)  # fmt: skip
        raise ctx.error(f"missing column {name!r}", line=1, column=name, hint=hint)


def locate_line(
    path: Path, encoding: str, delimiter: str, column: str, predicate: Callable[[str], bool]
) -> int | None:
    """1-based physical line of ``column``'s field in the first data row where it satisfies ``predicate`` (error
    path only). A quoted field may hold line breaks: the line is the one the field starts on, not the row's."""
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        if column not in header:
            return None
        index = header.index(column)
        for row in reader:
            if index < len(row) and predicate(row[index].strip()):
                return field_line(reader.line_num, row, index)
    return None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_breaks(text: str) -> int:
    """Line breaks inside a field's text (as the csv module counts lines: CRLF, CR or LF)."""
    return len(_LINE_BREAK.findall(text))


def record_start(end_line: int, cells: Iterable[object]) -> int:
    """The line a CSV record starts on, from the line the reader ended it on (``line_num``) and its cells."""
    return end_line - sum(line_breaks(cell) for cell in cells if isinstance(cell, str))


def field_line(end_line: int, cells: Sequence[str], index: int) -> int:
    """The line field ``index`` of a CSV record starts on (the record ended on ``end_line``)."""
    return record_start(end_line, cells) + sum(line_breaks(cell) for cell in cells[:index])


def record_lines(path: Path, encoding: str, delimiter: str) -> list[int]:
    """The line each data record starts on, in file order, blank lines skipped as DuckDB's reader skips them
    (so row N of a DuckDB read is record_lines(...)[N - 1]); for small files."""
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        return [record_start(reader.line_num, row) for row in reader if row]


@dataclass(frozen=True)
class Record:
    """One CSV data record read in Python: its cells by column (None where the row is short), whether it has more
    fields than the header, and the line each field starts on (quoted fields may hold line breaks)."""

    cells: dict[str, str | None]
    line: int  # where the record starts
    field_lines: dict[str, int]
    extra_fields: bool

    def line_of(self, column: str | None = None) -> int:
        return self.field_lines.get(column, self.line) if column else self.line

    @property
    def complete(self) -> bool:
        return not self.extra_fields and all(value is not None for value in self.cells.values())


def read_records(ctx: LoadContext) -> list[Record]:
    """Every data record of a small CSV (blank lines skipped), header names stripped of spaces and a BOM."""
    records = []
    with open(ctx.path, encoding=ctx.sniff.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=ctx.sniff.delimiter)
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        for row in reader:
            if not row:
                continue
            start = record_start(reader.line_num, row)
            lines, line = {}, start
            for name, cell in zip(header, row, strict=False):
                lines[name] = line
                line += line_breaks(cell)
            cells = {name: (row[i] if i < len(row) else None) for i, name in enumerate(header)}
            records.append(Record(cells, start, lines, len(row) > len(header)))
    return records


def data_lines(ctx: LoadContext, count: int) -> list[int]:
    """The line each of the ``count`` rows DuckDB read from a small CSV starts on (quoted fields may hold line
    breaks); rows numbered from line 2 when the file's records cannot be matched to them one to one."""
    lines = record_lines(ctx.path, ctx.sniff.encoding, ctx.sniff.delimiter)
    return lines if len(lines) == count else list(range(2, count + 2))


def with_lines(ctx: LoadContext, table: str, select: str, params: list) -> None:
    """Create the temporary ``table`` from the small CSV read by ``select`` (a DuckDB read_csv), each row with the
    ``line`` it starts on (quoted fields may hold line breaks, so a row number is not a line number; rows are
    numbered from line 2 when the file's records cannot be matched to them one to one)."""
    lines = record_lines(ctx.path, ctx.sniff.encoding, ctx.sniff.delimiter)
    numbered = iter(range(1, len(params) + 1))
    select = re.sub(r"\?", lambda _: f"${next(numbered)}", select)  # DuckDB does not mix ? with $n
    ctx.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT * EXCLUDE (_row), CASE WHEN count(*) OVER () = {len(lines)} THEN ${len(params) + 1}[_row]
                                      ELSE _row + 1 END AS line
        FROM (SELECT row_number() OVER () AS _row, * FROM ({select})) ORDER BY _row
        """,
        [*params, lines],
    )


def refine_line(path: Path, encoding: str, delimiter: str, start: int, column: str) -> int:
    """The line ``column``'s field starts on, in the record that starts on line ``start`` (error path only)."""
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        if column not in header:
            return start
        index = header.index(column)
        for row in reader:
            begins = record_start(reader.line_num, row)
            if begins == start:
                return field_line(reader.line_num, row, index) if index < len(row) else start
            if begins > start:
                break
    return start


def line_at_byte(path: Path, encoding: str, position: int) -> int:
    """1-based line of the byte at ``position`` as DuckDB's CSV reader counts positions: in the file's bytes for
    UTF-8, in the text converted to UTF-8 (a byte-order mark included) for Latin-1 and UTF-16."""
    newlines = seen = 0
    with open(path, "rb") as handle:
        decoder = None if encoding in ("utf-8", "utf-8-sig") else codecs.getincrementaldecoder(encoding)()
        first = True
        while seen < position and (chunk := handle.read(1 << 20)):
            data = chunk
            if decoder is not None:
                text = decoder.decode(chunk)
                if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff") and not text.startswith("\ufeff"):
                    text = "\ufeff" + text
                data = text.encode("utf-8")
            first = False
            part = data[: position - seen]
            newlines += part.count(b"\n")
            seen += len(part)
    return newlines + 1


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


def duckdb_read_error(path: Path, exc: duckdb.Error, hint: str) -> BalanzaError | KeyboardInterrupt:
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

        return Interrupted(2)  # an interruption, not an input error: raised as such by the caller
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
    con: duckdb.DuckDBPyConnection,
    path: Path,
    rejects_table: str,
    hint: str,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> InputError | None:
    """The first row DuckDB's CSV reader rejected, as an InputError with the line the bad field is on (DuckDB's own
    line number counts records, not the lines of quoted line breaks), the column and the cell's text."""
    row = con.execute(
        f"SELECT line, column_name, error_type, csv_line, byte_position, column_idx FROM {rejects_table} "
        "ORDER BY byte_position NULLS LAST, line LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    line, column_name, error_type, csv_line, position, column_index = row
    snippet = (csv_line or "").strip("\r\n")[:80]
    kind = {"CAST": "value is not of the expected type", "TOO MANY COLUMNS": "too many fields",
            "MISSING COLUMNS": "too few fields", "UNQUOTED VALUE": "unquoted value",
            "INVALID UNICODE": "invalid text encoding"}.get(error_type, str(error_type).lower())  # fmt: skip
    if position is not None:
        line = line_at_byte(path, encoding, int(position))
    cells = next(csv.reader(io.StringIO((csv_line or "").strip("\r\n")), delimiter=delimiter), [])
    cell = cells[column_index - 1] if column_index and 0 < column_index <= len(cells) else None
    return InputError(path, f"{kind} (row text: {snippet!r})", line=int(line), column=column_name, hint=hint,
                      cell=cell)  # fmt: skip


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
