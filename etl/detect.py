"""Recognise a file's format from its content (never from its name)."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import InputError, UnknownFormatError

SNIFF_BYTES = 64 * 1024
UTF16 = "utf-16"  # with a byte-order mark; Python and DuckDB both read it
TAIL_BYTES = 4 * 1024
# Bounds on a text file's header: the formats read have at most 56 columns; a header of 100,000 columns (or a first
# line of megabytes) is not a table of trade statistics, and would make every reader slow.
MAX_COLUMNS = 1_000
HEADER_MAX_BYTES = 1024 * 1024

# Files that are none of the formats read, recognised by their first bytes, and what to do with each.
_UNPACK = "and load the file inside (balanza load reads CSV, XLSX, JSON and Parquet files, not archives)"
NOT_DATA_FILES = (
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it (gunzip) " + _UNPACK),
    (b"BZh", "a bzip2-compressed file", "decompress it (bunzip2) " + _UNPACK),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "decompress it (unxz) " + _UNPACK),
    (b"\x28\xb5\x2f\xfd", "a Zstandard-compressed file", "decompress it (unzstd) " + _UNPACK),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it " + _UNPACK),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it " + _UNPACK),
    (b"%PDF-", "a PDF document", "download the table as CSV, XLSX or JSON: tables inside a PDF are not read"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 workbook (.xls) or another old Office document",
        "open it in Excel or LibreOffice and save it as XLSX (or CSV), then load that file",
    ),
)


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
    try:  # bytes of another encoding in the name: no reader (DuckDB's included) takes it
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(path, "the file name is not valid UTF-8 text",
                         hint="rename the file (or copy it under a name in UTF-8) and load it again") from None  # fmt: skip
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError(path, "file not found", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file", hint="name the files inside it") from None
    if not head.strip():
        raise InputError(path, "file is empty", line=1, hint="download the file again; it has no content")
    for magic, what, hint in NOT_DATA_FILES:
        if head.startswith(magic) and (magic != b"BZh" or head[3:4].isdigit()):
            raise InputError(path, f"{what}, not a data file", hint=hint)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _refuse_other_zip(path)
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
    if stripped.startswith("<"):
        raise markup_refused(path, stripped)
    if stripped.startswith(("{", "[")):
        return Sniff(path, "json", encoding=encoding, json_keys=_json_keys(path, encoding))
    first_line = _first_line(path, text, encoding, complete=len(head) == SNIFF_BYTES)
    # Excel's "Unicode text" is tab-separated; a Spanish-locale "CSV" is ';'-separated.
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    header = [name.strip() for name in header]
    trailing = bool(header) and header[-1] == ""
    if trailing:
        header = header[:-1]
    if len(header) > MAX_COLUMNS:
        raise InputError(
            path,
            f"the header has {len(header):,} columns, more than the {MAX_COLUMNS:,}-column bound on input tables "
            "(the formats Balanza reads have at most a few dozen)",
            line=1,
            hint="check that this is the file you meant; if it is a table of trade statistics, keep only its columns "
            "(a spreadsheet may have saved thousands of empty ones)",
        )
    return Sniff(path, "text", encoding, tuple(header), delimiter, trailing_empty_column=trailing)


def _first_line(path: Path, text: str, encoding: str, *, complete: bool) -> str:
    """The file's first line: from the sniffed head, or (when the head holds no line break) read on to
    HEADER_MAX_BYTES; InputError when the line is longer than that."""
    if "\n" in text or "\r" in text or not complete:
        return text.splitlines()[0] if text.splitlines() else ""
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        line = handle.readline(HEADER_MAX_BYTES + 1)
    if len(line) > HEADER_MAX_BYTES:
        raise InputError(path, f"the first line is longer than {HEADER_MAX_BYTES:,} characters: not the header of a "
                         "table", line=1, hint="check that this is the file you meant (a CSV file starts with a "
                         "line of column names)")  # fmt: skip
    return line.lstrip("\ufeff").rstrip("\r\n")


_HTML = re.compile(r"<(!doctype\s+html|html|head|body|title|meta|script|div|p)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def html_title(text: str) -> str | None:
    """The title of an HTML page (spaces collapsed, cut at 80 characters), or None."""
    found = _TITLE.search(text)
    if not found:
        return None
    title = " ".join(found.group(1).split())
    return title[:80] + ("…" if len(title) > 80 else "") or None


def is_html(text: str) -> bool:
    """``text`` (the start of a body or file) is an HTML page."""
    return text.lstrip().startswith("<") and bool(_HTML.search(text[:4096]))


HTML_HINT = (
    "open it in a browser to see what it says: a login page, a network's sign-in (captive) portal or a server's "
    "error page was saved instead of the data; sign in (or use another network) and download the data again"
)


def markup_refused(path: Path, text: str) -> InputError:
    """A text file that starts with '<': an HTML page saved instead of the data, or an XML document."""
    if is_html(text):
        title = html_title(text)
        named = f" (title {title!r})" if title else ""
        return InputError(path, f"an HTML page{named}, not a data file", line=1, hint=HTML_HINT)
    return InputError(path, "an XML document, not one of the formats Balanza reads (CSV, XLSX, JSON, Parquet)",
                      line=1, hint="download the data as CSV, XLSX or JSON instead")  # fmt: skip


def _refuse_other_zip(path: Path) -> None:
    """A zip file that is not an XLSX workbook (a zip archive of CSV files, an OpenDocument spreadsheet, a Word
    file) is named for what it is; a damaged zip is left to the workbook reader's error."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            mimetype = (
                archive.read("mimetype")[:100].decode("ascii", "replace") if "mimetype" in names else ""
            )
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return
    if "xl/workbook.xml" in names:
        return
    if "spreadsheet" in mimetype:
        raise InputError(path, "an OpenDocument spreadsheet (.ods), not an XLSX workbook",
                         hint="open it in LibreOffice or Excel and save it as XLSX (or CSV), then load that file")  # fmt: skip
    if "word/document.xml" in names or "ppt/presentation.xml" in names or "opendocument" in mimetype:
        raise InputError(path, "an office document (text or slides), not a table of data",
                         hint="export the table as CSV or XLSX and load that file")  # fmt: skip
    if not names:
        raise InputError(path, "an empty zip archive, not a data file", hint="download the data again")
    others = len(names) - 1
    held = f"{names[0]!r}" + (f" and {others:,} other file{'s' if others > 1 else ''}" if others else "")
    raise InputError(path, f"a zip archive holding {held}, not an XLSX workbook", hint="unzip it " + _UNPACK)


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


# Bounds on what a workbook may make us do: a 2 MB zip can declare gigabytes of XML ("zip bomb"), XML entities can
# expand a few bytes into gigabytes ("billion laughs"), and the shared strings are all held in memory by the reader.
XLSX_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
XLSX_MAX_CELLS = 10_000_000
XLSX_MAX_SHARED_STRINGS = 1_000_000
XLSX_MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
_XLSX_HINT = "export the table as CSV instead (no size bound), or split the workbook"


def check_xlsx_bounds(path: Path) -> None:
    """Refuse a workbook whose parts decompress to more than XLSX_MAX_UNCOMPRESSED_BYTES (read from the zip's
    directory; Python's zip reader never inflates a member past its declared size), whose XML declares a document
    type or entities (Excel never writes one), whose worksheets hold more than XLSX_MAX_CELLS cells, or whose shared
    strings exceed their bounds. Every part is scanned as bytes, before any XML is parsed; the answer is kept for
    the file as it is (size and modification time), so the several readers of one load scan it once."""
    info = path.stat()
    _check_xlsx_parts(str(path), info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _check_xlsx_parts(name: str, size: int, mtime_ns: int) -> None:
    path = Path(name)
    del size, mtime_ns  # part of the cache key only
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(info.file_size for info in members)
            if declared > XLSX_MAX_UNCOMPRESSED_BYTES:
                raise InputError(
                    path,
                    f"the workbook decompresses to {declared:,} bytes, more than the {XLSX_MAX_UNCOMPRESSED_BYTES:,}-"
                    "byte bound on decompressed XLSX content (a zip bomb, or far larger than any trade table)",
                    hint=_XLSX_HINT,
                )
            for info in members:
                if info.filename.endswith((".xml", ".rels")):
                    _scan_part(path, archive, info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error) as exc:
        raise InputError(
            path, f"not a readable XLSX workbook ({exc})", hint="open and re-save it in Excel"
        ) from None


def _scan_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """One XML part as bytes: no document type or entity declaration; worksheet cells and shared strings counted."""
    part = info.filename.rsplit("/", 1)[-1]
    worksheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    shared = info.filename == "xl/sharedStrings.xml"
    if shared and info.file_size > XLSX_MAX_SHARED_STRINGS_BYTES:
        raise InputError(path, f"the workbook's shared strings take {info.file_size:,} bytes, more than the "
                         f"{XLSX_MAX_SHARED_STRINGS_BYTES:,}-byte bound on XLSX input", hint=_XLSX_HINT)  # fmt: skip
    cells = strings = 0
    tail = b""
    with archive.open(info) as handle:
        first = True
        while chunk := handle.read(1 << 20):
            if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise InputError(path, f"the workbook's part {part} is UTF-16 XML, which Excel does not write",
                                 hint="open and re-save the workbook in Excel")  # fmt: skip
            first = False
            data = tail + chunk
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise InputError(
                    path,
                    f"the workbook's part {part} declares a document type or XML entities, which Excel never writes "
                    "(entities can expand a few bytes into gigabytes)",
                    hint="open and re-save the workbook in Excel, or export the table as CSV",
                )
            if worksheet:
                cells += data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/") - _counted(tail, b"<c")
                if cells > XLSX_MAX_CELLS:
                    raise InputError(
                        path,
                        f"worksheet {part} holds more than the {XLSX_MAX_CELLS:,}-cell bound on XLSX input",
                        hint="export the table as CSV instead (no cell bound), or remove empty formatted rows",
                    )
            if shared:
                strings += data.count(b"<si>") + data.count(b"<si ") - _counted(tail, b"<si")
                if strings > XLSX_MAX_SHARED_STRINGS:
                    raise InputError(
                        path,
                        f"the workbook holds more than {XLSX_MAX_SHARED_STRINGS:,} distinct texts (shared strings), "
                        "the bound on XLSX input (the reader keeps them all in memory)",
                        hint=_XLSX_HINT,
                    )
            tail = data[-8:]  # a marker cut at the chunk's end is completed (and found) with the next one


def _counted(tail: bytes, marker: bytes) -> int:
    """How many cell or string openings the previous chunk's kept tail already contributed to the count."""
    return sum(tail.count(marker + end) for end in (b" ", b">", b"/")) if tail else 0


def xlsx_rows(
    path: Path, sheet: str | None = None, *, max_rows: int | None = None
) -> Iterator[tuple[str, list[tuple]]]:
    """(sheet title, rows as value tuples) for each sheet (or the one named), counting cells against
    XLSX_MAX_CELLS across the workbook: a sheet that claims a million rows stops at the bound, named."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx_bounds(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, InvalidFileException) as exc:
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
                if len(row) > MAX_COLUMNS:  # rows are padded to the sheet's width: only filled cells count
                    if any(value is not None for value in row[MAX_COLUMNS:]):
                        raise InputError(
                            path,
                            f"sheet {worksheet.title!r} has cells beyond column {MAX_COLUMNS:,}, more than the "
                            "column bound on input tables (the formats Balanza reads have at most a few dozen)",
                            line=len(rows) + 1,
                            hint="check that this is the workbook you meant; keep only the table's own columns",
                        )
                    row = row[:MAX_COLUMNS]
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
