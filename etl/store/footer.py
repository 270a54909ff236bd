"""A Parquet file's footer read with one pread, its row count parsed from the Thrift compact encoding, and a whole
file's sha256: what the store records for every file it writes and checks at every open."""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path
from typing import BinaryIO

from etl.store.layout import HASH_CHUNK

TAIL_BYTES = 64 * 1024  # one read covers the footer of any file Balanza writes (a few KiB)


def _footer_bytes(handle: BinaryIO, size: int) -> bytes:
    """The Parquet footer (FileMetaData) at the end of an open file of ``size`` bytes, read with one pread
    where it fits in :data:`TAIL_BYTES`; ValueError when the file has none."""
    if size < 12:
        raise ValueError("too short to be a Parquet file")
    tail = os.pread(handle.fileno(), min(size, TAIL_BYTES), size - min(size, TAIL_BYTES))
    length = struct.unpack("<I", tail[-8:-4])[0]
    if tail[-4:] != b"PAR1" or length + 12 > size:
        raise ValueError("no Parquet footer at its end")
    if length + 8 <= len(tail):
        return tail[-8 - length : -8]
    return os.pread(handle.fileno(), length, size - 8 - length)


def read_footer(path: Path) -> tuple[int, str]:
    """(row count, sha256 of the footer) of a Parquet file; ValueError when it has no readable footer."""
    with open(path, "rb") as handle:
        footer = _footer_bytes(handle, os.fstat(handle.fileno()).st_size)
    return _footer_rows(footer), hashlib.sha256(footer).hexdigest()


def _footer_rows(footer: bytes) -> int:
    """num_rows (field 3) of the Parquet FileMetaData, read from its Thrift compact encoding."""
    reader = _Compact(footer)
    rows = reader.struct_field(3)
    if rows is None:
        raise ValueError("the footer holds no row count")
    return rows


class _Compact:
    """Just enough of Thrift's compact protocol to skip to one integer field of a struct."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _byte(self) -> int:
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self._byte()
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def skip(self, kind: int) -> None:
        if kind in (1, 2):  # booleans live in the type nibble
            return
        if kind == 3:
            self.pos += 1
        elif kind in (4, 5, 6):
            self.varint()
        elif kind == 7:
            self.pos += 8
        elif kind == 8:
            length = self.varint()  # read before pos is: the length's own bytes come first
            self.pos += length
        elif kind in (9, 10):
            head = self._byte()
            size = head >> 4 if head >> 4 != 15 else self.varint()
            for _ in range(size):
                self.skip(head & 0x0F)
        elif kind == 11:
            size = self.varint()
            if size:
                types = self._byte()
                for _ in range(size):
                    self.skip(types >> 4)
                    self.skip(types & 0x0F)
        elif kind == 12:
            self.struct_field(None)
        else:
            raise ValueError(f"unknown Thrift type {kind}")

    def struct_field(self, wanted: int | None) -> int | None:
        last = 0
        while True:
            head = self._byte()
            if head == 0:
                return None
            kind, delta = head & 0x0F, head >> 4
            field = last + delta if delta else self.zigzag()
            last = field
            if field == wanted and kind == 6:
                return self.zigzag()
            self.skip(kind)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
