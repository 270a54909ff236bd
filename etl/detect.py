"""Recognise a file's format from its content (never from its name)."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import InputError, UnknownFormatError

SNIFF_BYTES = 64 * 1024
UTF16 = "utf-16"  # with a byte-order mark; Python and DuckDB both read it
TAIL_BYTES = 4 * 1024


@dataclass(frozen=True)
class Sniff:
    """What the first bytes of a file say about it."""

    path: Path
    kind: str  # 'text', 'xlsx', 'parquet', 'json'
    encoding: str = "utf-8"
    header: tuple[str, ...] = ()
    delimiter: str = ","
    json_keys: frozenset[str] = field(default_factory=frozenset)
    trailing_empty_column: bool = False


def sniff(path: Path) -> Sniff:
    """Read the head of ``path`` and classify it; raises InputError for empty or binary junk."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError(path, "file not found", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file", hint="name the files inside it") from None
    if not head.strip():
        raise InputError(path, "file is empty", line=1, hint="download the file again; it has no content")
    if head.startswith(b"PK\x03\x04"):
        return Sniff(path, "xlsx")
    if head.startswith(b"PAR1"):
        return Sniff(path, "parquet")
    encoding = _text_encoding(path, head)
    if encoding != UTF16:  # UTF-16 text is half NUL bytes by nature
        _refuse_binary_tail(path)
    text = head[: len(head) - len(head) % 2].decode(encoding, errors="replace") if encoding == UTF16 else \
        head.decode(encoding, errors="replace")  # fmt: skip
    if encoding in ("utf-8-sig", UTF16):
        text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return Sniff(path, "json", encoding=encoding, json_keys=_json_keys(path, encoding))
    first_line = text.splitlines()[0] if text.splitlines() else ""
    # Excel's "Unicode text" is tab-separated; a Spanish-locale "CSV" is ';'-separated.
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    header = [name.strip() for name in header]
    trailing = bool(header) and header[-1] == ""
    if trailing:
        header = header[:-1]
    return Sniff(path, "text", encoding, tuple(header), delimiter, trailing_empty_column=trailing)


def _refuse_binary_tail(path: Path) -> None:
    """A text file whose end is NUL bytes (a zero-filled or preallocated download) is refused before parsing,
    which would otherwise scan gigabytes of padding."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= SNIFF_BYTES:
            return
        handle.seek(max(size - TAIL_BYTES, SNIFF_BYTES))
        if b"\x00" not in handle.read(TAIL_BYTES):
            return
        handle.seek(0)
        line = 1
        while chunk := handle.read(1 << 20):
            offset = chunk.find(b"\x00")
            if offset != -1:
                line += chunk.count(b"\n", 0, offset)
                break
            line += chunk.count(b"\n")
    raise InputError(
        path,
        f"binary content (NUL bytes) where text was expected; the file ({size:,} bytes) looks cut or zero-filled",
        line=line,
        hint="the download did not complete; download the original again",
    )


def _text_encoding(path: Path, head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return UTF16  # Excel's "Unicode text" (read by the Comtrade adapters; refused by the others)
    if b"\x00" in head:
        offset = head.index(b"\x00")
        line = head[:offset].count(b"\n") + 1
        raise InputError(
            path,
            "binary content (NUL byte) where text was expected",
            line=line,
            hint="this is not a CSV/JSON/XLSX/Parquet file; download the original again",
        )
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A cut at the end of the sniff window is not an encoding problem.
        if exc.start >= len(head) - 4:
            return "utf-8"
        return "latin-1"


# Bounds on JSON input: whole-document parsing holds it in memory, and deep nesting exhausts the parser's stack.
JSON_MAX_BYTES = 256 * 1024 * 1024
JSON_MAX_DEPTH = 32  # a Comtrade answer is 3 levels deep


def read_json(path: Path, encoding: str) -> object:
    """Parse a JSON file within JSON_MAX_BYTES and JSON_MAX_DEPTH; InputError (line, column) otherwise."""
    size = path.stat().st_size
    if size > JSON_MAX_BYTES:
        raise InputError(path, f"the JSON file has {size:,} bytes, more than the {JSON_MAX_BYTES:,}-byte bound on "
                         "JSON input", hint="fetch the data in smaller parts (by year or partner)")  # fmt: skip
    try:
        with open(path, encoding=encoding) as handle:
            document = json.load(handle)
    except RecursionError:
        raise _too_deep(path) from None
    depth = _depth(document)
    if depth > JSON_MAX_DEPTH:
        raise _too_deep(path, depth)
    return document


def _too_deep(path: Path, depth: int | None = None) -> InputError:
    found = f"{depth} levels" if depth else "more levels than the parser can follow"
    return InputError(path, f"JSON nested {found}, more than the bound of {JSON_MAX_DEPTH} levels on JSON input",
                      line=1, hint="this is not an API answer as saved; fetch it again")  # fmt: skip


def _depth(document: object) -> int:
    """Nesting depth without recursion (a hostile document cannot exhaust the stack here)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > JSON_MAX_DEPTH:
            return level
        if isinstance(node, dict):
            stack.extend((value, level + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, level + 1) for value in node)
    return deepest


def _json_keys(path: Path, encoding: str) -> frozenset[str]:
    try:
        document = read_json(path, encoding)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"invalid or truncated JSON: {exc.msg}",
            line=exc.lineno,
            column=exc.colno,
            hint="the download was probably cut short; fetch it again",
        ) from None
    if isinstance(document, dict):
        return frozenset(document)
    return frozenset()


def utf16_refused(path: Path) -> InputError:
    return InputError(path, "file is UTF-16 encoded", line=1,
                      hint="this format is read as UTF-8 or Latin-1: save it as UTF-8 CSV and load it again")  # fmt: skip


# Bounds on what a workbook may make us do: a 2 MB zip can declare gigabytes of XML ("zip bomb").
XLSX_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
XLSX_MAX_CELLS = 10_000_000


def check_xlsx_bounds(path: Path) -> None:
    """Refuse a workbook whose parts decompress to more than XLSX_MAX_UNCOMPRESSED_BYTES (read from the zip's
    directory; Python's zip reader never inflates a member past its declared size)."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            path, f"not a readable XLSX workbook ({exc})", hint="open and re-save it in Excel"
        ) from None
    if declared <= XLSX_MAX_UNCOMPRESSED_BYTES:
        _check_cell_count(path)
    if declared > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise InputError(
            path,
            f"the workbook decompresses to {declared:,} bytes, more than the {XLSX_MAX_UNCOMPRESSED_BYTES:,}-byte "
            "bound on decompressed XLSX content (a zip bomb, or far larger than any trade table)",
            hint="export the table as CSV instead (no size bound), or split the workbook",
        )


def _check_cell_count(path: Path) -> None:
    """Count the cells (`<c` elements) of every worksheet with a byte scan, before any XML is parsed."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            cells, tail = 0, b""
            with archive.open(info) as handle:
                while chunk := handle.read(1 << 20):
                    data = tail + chunk
                    cells += data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")
                    tail = data[
                        -2:
                    ]  # a '<c' cut at the chunk's end is completed (and counted) with the next one
                    if cells > XLSX_MAX_CELLS:
                        raise InputError(
                            path,
                            f"worksheet {info.filename.rsplit('/', 1)[-1]} holds more than the {XLSX_MAX_CELLS:,}-cell "
                            "bound on XLSX input",
                            hint="export the table as CSV instead (no cell bound), or remove empty formatted rows",
                        )


def xlsx_rows(
    path: Path, sheet: str | None = None, *, max_rows: int | None = None
) -> Iterator[tuple[str, list[tuple]]]:
    """(sheet title, rows as value tuples) for each sheet (or the one named), counting cells against
    XLSX_MAX_CELLS across the workbook: a sheet that claims a million rows stops at the bound, named."""
    from openpyxl import load_workbook

    check_xlsx_bounds(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            path, f"not a readable XLSX workbook ({exc})", hint="open and re-save it in Excel"
        ) from None
    cells = 0
    try:
        for worksheet in workbook.worksheets:
            if sheet is not None and worksheet.title != sheet:
                continue
            rows: list[tuple] = []
            for row in worksheet.iter_rows(values_only=True):
                if max_rows is not None and len(rows) >= max_rows:
                    break
                cells += len(row)
                if cells > XLSX_MAX_CELLS:
                    raise InputError(
                        path,
                        f"sheet {worksheet.title!r} holds more than the {XLSX_MAX_CELLS:,}-cell bound on XLSX "
                        f"input (stopped at row {len(rows) + 1:,})",
                        line=len(rows) + 1,
                        hint="export the table as CSV instead (no cell bound), or remove empty formatted rows",
                    )
                rows.append(row)
            yield worksheet.title, rows
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise InputError(
            path, f"not a readable XLSX workbook ({exc})", hint="open and re-save it in Excel"
        ) from None
    finally:
        workbook.close()


def xlsx_first_cells(path: Path, max_rows: int = 20) -> dict[str, list[tuple]]:
    """Sheet name → first rows of each sheet (values only), for recognising workbook layouts."""
    return dict(xlsx_rows(path, max_rows=max_rows))


def unknown_format(path: Path, header: tuple[str, ...] = ()) -> UnknownFormatError:
    shown = ", ".join(header[:8]) + (" …" if len(header) > 8 else "")
    return UnknownFormatError(
        path,
        f"unrecognised format (header: {shown or 'none'})",
        line=1,
        hint="supported: UN Comtrade+ CSV/XLSX/JSON, legacy Comtrade CSV, export-edge CSV and flow-column XLSX, IMF "
        "DOTS XLSX and DBnomics CSV, US Census HS10 parquet, HS2 CSV and country totals CSV, DIAN exports CSV, DANE "
        "imports-by-origin CSV, GACC by-country CSV, published-figures CSV, and the bundled reference tables",
    )
