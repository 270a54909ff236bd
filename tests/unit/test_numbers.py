"""Numbers written with separators (etl/sources/numbers.py) and text made safe to print (etl/errors.py)."""

from __future__ import annotations

import pytest

from etl.errors import InputError, printable
from etl.sources.numbers import ENGLISH, PLAIN, SPANISH, classify, parse


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1,334", "comma_ambiguous"), (" 12,500 ", "comma_ambiguous"), ("1.334", "dot_ambiguous"),
        ("1,334,162,658.44", "comma_groups"), ("1,334.5", "comma_groups"), ("-1,334,162", "comma_groups"),
        ("1.334.162,5", "dot_groups"), ("1.334,5", "dot_groups"), ("1.334.162", "dot_groups"),
        ("1,5", "comma_decimal"), ("1334,25", "comma_decimal"), ("0,125", "comma_decimal"),
        ("1.5", "dot_decimal"), ("1334.25", "dot_decimal"), ("0.125", "dot_decimal"), ("1.5e3", "dot_decimal"),
        ("1334", None), ("1e9", None), ("1,2,3", None), ("12,34,567", None), ("1.2.3", None), ("n/a", None),
    ],
)  # fmt: skip
def test_each_value_is_put_in_one_class(text: str, kind: str | None) -> None:
    assert classify(text) == kind


@pytest.mark.parametrize(
    ("text", "style", "number"),
    [
        ("1,334,162,658.44", ENGLISH, 1334162658.44), ("1,334", ENGLISH, 1334.0), ("1.334", ENGLISH, 1.334),
        ("1.334.162,5", SPANISH, 1334162.5), ("1.334", SPANISH, 1334.0), ("1,334", SPANISH, 1.334),
        ("1334", SPANISH, 1334.0), ("1.334", PLAIN, 1.334),
        # malformed groups are never read as a number made of their digits
        ("1,2,3", ENGLISH, None), ("12,34,567", ENGLISH, None), ("1.2.3", SPANISH, None), ("1,5.5", SPANISH, None),
        ("1,334", PLAIN, None),
    ],
)  # fmt: skip
def test_a_value_is_read_in_its_file_style_or_not_at_all(text: str, style: str, number: float | None) -> None:
    assert parse(text, style) == number


def test_control_and_format_characters_are_escaped_for_the_terminal() -> None:
    assert (
        printable("a\x1b[31mb\x07\x9b\u202e\u200bc\r\n\t")
        == "a\\x1b[31mb\\x07\\x9b\\u202e\\u200bc\\x0d\\x0a\\x09"
    )
    assert printable("caf\udce9.csv") == "caf\\xe9.csv"  # a byte of a name that is not UTF-8
    assert printable("Bogotá, 中国 → ok") == "Bogotá, 中国 → ok"


def test_an_error_prints_its_file_name_and_cells_escaped_but_keeps_them_raw() -> None:
    error = InputError("x\x1b]0;t\x07.csv", "unknown code '\x1b[2J'", line=2, hint="rename \u202e")
    assert str(error) == "x\\x1b]0;t\\x07.csv, line 2: unknown code '\\x1b[2J'\n  what to do: rename \\u202e"
    assert error.path == "x\x1b]0;t\x07.csv"
