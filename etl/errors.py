"""Small named errors. Raised deep, caught only at the CLI or UI boundary."""

from __future__ import annotations

import unicodedata
from pathlib import Path


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: every control or format character (escape sequences, carriage
    returns, bidirectional overrides, zero-width characters, line separators) and every undecodable byte of a file
    name written as an escape (\\x1b, \\u202e), so a file name or a cell can neither move the cursor, recolour,
    retitle or clear the terminal, nor disguise itself."""
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (Python's surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == " " or (
            char.isprintable() and unicodedata.category(char) not in ("Cf", "Zl", "Zp", "Cs")
        ):
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out)


class BalanzaError(Exception):
    """Base of every error Balanza raises on purpose."""

    def __init__(self, message: str = "", *, hint: str = "") -> None:
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        """The message and what to do, each made safe to print (file names and cells are echoed in them)."""
        text = printable(super().__str__())
        return f"{text}\n  what to do: {printable(self.hint)}" if self.hint else text


class InputError(BalanzaError):
    """A file that cannot be loaded: names the file, and the line and column where they apply."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        column: str | int | None = None,
        hint: str = "",
        cell: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        self.cell = cell  # the text of the bad field, where the reader gave it
        where = self.path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}", hint=hint)


class OverlapError(InputError):
    """The file's observations are already loaded from another file: a conflict between files, not a bad file."""


class UnknownFormatError(InputError):
    """The content matches none of the supported formats."""


class ManifestError(BalanzaError):
    """data/sources.toml is malformed or names a missing file."""


class DatabaseError(BalanzaError):
    """The database file is missing, locked or not a Balanza database."""


class DiskFullError(DatabaseError):
    """Writing the new copy of the database failed for lack of space (or a file size limit)."""

    def __init__(self, message: str, *, problem: str, hint: str = "") -> None:
        self.problem = problem
        super().__init__(message, hint=hint)


class SpecError(BalanzaError):
    """A scenario specification is invalid; names the field."""

    def __init__(self, field: str, message: str, hint: str = "") -> None:
        self.field = field
        super().__init__(f"scenario field '{field}': {message}", hint=hint)


class FetchError(BalanzaError):
    """A remote API answered with an error, a truncated body or inconsistent data."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived while Balanza was working; whatever it was writing has been discarded."""

    def __init__(self, signum: int) -> None:
        self.signum = int(signum)
        super().__init__(f"interrupted by signal {self.signum}")

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as shells report it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM."""
        return 128 + self.signum
