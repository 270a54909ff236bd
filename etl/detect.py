"""Recognise a file's format from its content (never from its name)."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import InputError, UnknownFormatError

SNIFF_BYTES = 64 * 1024
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
    _refuse_binary_tail(path)
    text = head.decode(encoding, errors="replace")
    if encoding == "utf-8-sig":
        text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return Sniff(path, "json", encoding=encoding, json_keys=_json_keys(path, encoding))
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
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
        raise InputError(
            path, "file is UTF-16 encoded", line=1, hint="save it as UTF-8 (or Latin-1) CSV and load it again"
        )
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


def _json_keys(path: Path, encoding: str) -> frozenset[str]:
    try:
        with open(path, encoding=encoding) as handle:
            document = json.load(handle)
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


def xlsx_first_cells(path: Path, max_rows: int = 8) -> dict[str, list[tuple]]:
    """Sheet name → first rows of each sheet (values only), for recognising workbook layouts."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(path, f"not a readable XLSX workbook ({exc})", hint="open and re-save it in Excel") from None
    try:
        return {
            sheet.title: [row for _, row in zip(range(max_rows), sheet.iter_rows(values_only=True), strict=False)]
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def unknown_format(path: Path, header: tuple[str, ...] = ()) -> UnknownFormatError:
    shown = ", ".join(header[:8]) + (" …" if len(header) > 8 else "")
    return UnknownFormatError(
        path,
        f"unrecognised format (header: {shown or 'none'})",
        line=1,
        hint="supported: UN Comtrade+ CSV/XLSX/JSON, legacy Comtrade CSV and export-edge CSV, IMF DOTS XLSX, US Census "
        "HS10 parquet, HS2 CSV and country totals CSV, DIAN exports CSV, DANE imports-by-origin CSV, GACC by-country "
        "CSV, published-figures CSV, and the bundled reference tables",
    )
