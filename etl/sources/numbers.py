"""Numbers written as text with separators: read the file's own style, or refuse; never a wrong magnitude.

A value may group thousands and mark decimals two ways: '1,334,162,658.44' (',' between thousands, '.' decimal
point: English) or '1.334.162.658,44' ('.' between thousands, ',' decimal mark: Spanish, and what a spreadsheet
in a Spanish locale saves, with ';' between fields). Each value is put in one class:

- evidence of the English style: comma groups that are unambiguous ('1,334,162', '1,334.5') or a '.' decimal that
  cannot be a thousands group ('1.5', '1334.25', '0.125');
- evidence of the Spanish style: dot groups that are unambiguous ('1.334.162', '1.334,5') or a ',' decimal that
  cannot be a thousands group ('1,5', '1334,25', '0,125');
- ambiguous: one separator followed by exactly three digits ('1,334' is 1334 or 1.334; '1.334' is 1.334 or 1334);
- neutral: no separator ('1334', '1e9'), or not a number at all (left to the checks that name such values).

The style is the file's (every numeric column together): with evidence of one style only, every value is read in
it; with evidence of both, the file is refused as inconsistent; with none, an ambiguous ',' value is refused, and
an ambiguous '.' value is a decimal point, except in a ';'-separated file, where it is refused too (a Spanish
spreadsheet writes 1.334 for one thousand three hundred and thirty-four). A separator is removed only from a value
whose groups are well formed, so '1,2,3' stays text and is refused, never read as 123.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from etl.errors import InputError
from etl.sources.base import LoadContext, locate_line

# One pattern per class, in the syntax Python's re and DuckDB's RE2 share (matched against the trimmed text).
_GROUP_HEAD = "[-+]?[1-9][0-9]{0,2}"
PATTERNS = {
    "comma_ambiguous": f"{_GROUP_HEAD},[0-9]{{3}}",
    "dot_ambiguous": f"{_GROUP_HEAD}[.][0-9]{{3}}",
    "comma_groups": f"{_GROUP_HEAD}(,[0-9]{{3}})+[.][0-9]*|{_GROUP_HEAD}(,[0-9]{{3}}){{2,}}",
    "dot_groups": f"{_GROUP_HEAD}([.][0-9]{{3}})+,[0-9]*|{_GROUP_HEAD}([.][0-9]{{3}}){{2,}}",
    "comma_decimal": "[-+]?[0-9]*,[0-9]+|[-+]?[0-9]+,",
    "dot_decimal": "[-+]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?",
}
# Checked in this order: the first pattern a value matches is its class.
ORDER = ("comma_ambiguous", "dot_ambiguous", "comma_groups", "dot_groups", "comma_decimal", "dot_decimal")
ENGLISH_EVIDENCE = ("comma_groups", "dot_decimal")
SPANISH_EVIDENCE = ("dot_groups", "comma_decimal")
_COMPILED = {name: re.compile(pattern) for name, pattern in PATTERNS.items()}
# A well-formed number in the Spanish style: '.' groups of three, then an optional ',' decimal part.
_SPANISH_NUMBER = f"{_GROUP_HEAD}([.][0-9]{{3}})*(,[0-9]*)?|{PATTERNS['comma_decimal']}"
_SPANISH_COMPILED = re.compile(_SPANISH_NUMBER)

PLAIN, ENGLISH, SPANISH = "plain", "english", "spanish"
ENGLISH_NOTE = "numbers read with ',' between thousands and '.' as the decimal point"
SPANISH_NOTE = "numbers read in the Spanish format (',' decimal mark, '.' between thousands)"
HINT = "save the file again with '.' as the decimal mark and no thousands separators (or as XLSX), then load it again"


def classify(text: str) -> str | None:
    """The class of one value (a key of PATTERNS), or None for a neutral value."""
    value = text.strip()
    if "," not in value and "." not in value:
        return None
    return next((name for name in ORDER if _COMPILED[name].fullmatch(value)), None)


@dataclass
class Evidence:
    """How many values of each class each column holds, and an example of each class per column (its text)."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, column: str, text: str | None) -> None:
        if text is None:
            return
        found = classify(text)
        if found is None:
            return
        self.counts[(column, found)] = self.counts.get((column, found), 0) + 1
        self.examples.setdefault((column, found), text.strip())

    def has(self, names: Iterable[str], column: str | None = None) -> tuple[str, str] | None:
        """(column, example) of the first class in ``names`` the file (or ``column``) holds, or None."""
        for name in names:
            for (where, kind), text in sorted(self.examples.items()):
                if kind == name and column in (None, where):
                    return where, text
        return None

    def columns(self) -> list[str]:
        return sorted({column for column, _ in self.counts})


def decide(ctx: LoadContext, evidence: Evidence, *, semicolon: bool) -> str:
    """The file's number style (PLAIN, ENGLISH or SPANISH); raises InputError (value, line, column) when it is
    inconsistent or a value's magnitude cannot be known.

    A ';'-separated file comes from a spreadsheet in a locale that writes 1.234 for one thousand two hundred and
    thirty-four: there, a value like '1.234' is read as a decimal only when its own column shows a '.' decimal.
    """
    ctx.number_style = _decide(ctx, evidence, semicolon=semicolon)
    return ctx.number_style


def _decide(ctx: LoadContext, evidence: Evidence, *, semicolon: bool) -> str:
    english, spanish = evidence.has(ENGLISH_EVIDENCE), evidence.has(SPANISH_EVIDENCE)
    if english and spanish:
        column, value = english
        raise ctx.error(
            f"numbers use the Spanish format (',' decimal mark, '.' between thousands) but {value!r} does not: the "
            f"number format is inconsistent (compare {spanish[1]!r} in {spanish[0]})",
            column=column, line=_line_of_value(ctx, column, value), hint=HINT,
        )  # fmt: skip
    if spanish:
        ctx.notes.append(SPANISH_NOTE)
        return SPANISH
    ambiguous = evidence.has(("comma_ambiguous",))
    if ambiguous and not english:
        column, value = ambiguous
        raise ctx.error(
            f"ambiguous number {value!r}: it may be {value.replace(',', '')} (',' between thousands) or "
            f"{value.replace(',', '.')} (decimal comma), and nothing in the file says which",
            column=column, line=_line_of_value(ctx, column, value),
            hint="write the number without thousands separators (or with '.' as the decimal mark), or as XLSX, "
            "and load the file again",
        )  # fmt: skip
    for column in evidence.columns() if semicolon else ():
        dotted = evidence.has(("dot_ambiguous",), column)
        if dotted and not evidence.has(ENGLISH_EVIDENCE, column):
            value = dotted[1]
            raise ctx.error(
                f"ambiguous number {value!r} in a ';'-separated file: it may be {value.replace('.', '')} (Spanish "
                f"thousands separator) or {value} (decimal point), and nothing in the column says which",
                column=column, line=_line_of_value(ctx, column, value), hint=HINT,
            )  # fmt: skip
    if english and (evidence.has(("comma_groups", "comma_ambiguous"))):
        ctx.notes.append(ENGLISH_NOTE)
        return ENGLISH
    return ENGLISH if english else PLAIN


def sql_reader(style: str) -> str:
    """SQL reading a text column (``{}``, a str.format template) as a DOUBLE in ``style``: NULL for text that is
    not a number in it. In the plain style a column the reader already typed as a number is read as it is."""
    if style == PLAIN:
        return "TRY_CAST({0} AS DOUBLE)"  # DuckDB's cast ignores surrounding spaces
    text = "trim(CAST({0} AS VARCHAR))"
    if style == ENGLISH:
        grouped = _braces(f"{PATTERNS['comma_groups']}|{PATTERNS['comma_ambiguous']}")
        text = (
            f"CASE WHEN regexp_full_match({text}, '{grouped}') THEN replace({text}, ',', '') ELSE {text} END"
        )
    elif style == SPANISH:
        text = (f"CASE WHEN regexp_full_match({text}, '{_braces(_SPANISH_NUMBER)}') "
                f"THEN replace(replace({text}, '.', ''), ',', '.') "
                f"WHEN {text} LIKE '%,%' OR {text} LIKE '%.%' THEN '?' ELSE {text} END")  # fmt: skip
    return f"TRY_CAST({text} AS DOUBLE)"


def _braces(pattern: str) -> str:
    """A regular expression made safe inside a str.format template."""
    return pattern.replace("{", "{{").replace("}", "}}")


def parse(text: str | None, style: str) -> float | None:
    """One value read in ``style`` (Python side of sql_reader); None when it is not a number in that style."""
    if text is None:
        return None
    value = text.strip()
    if style == ENGLISH and (_COMPILED["comma_groups"].fullmatch(value) or
                             _COMPILED["comma_ambiguous"].fullmatch(value)):  # fmt: skip
        value = value.replace(",", "")
    elif style == SPANISH and ("," in value or "." in value):
        if not _SPANISH_COMPILED.fullmatch(value):
            return None
        value = value.replace(".", "").replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


def number_parser(ctx: LoadContext, reader_sql: str, params: list, columns: Sequence[str]) -> str:
    """A SQL template (``{}`` = a text column) that reads the numbers in ``columns`` of the relation ``reader_sql``
    (run with ``params``) in the file's style, found by one scan of those columns (see the module's rules)."""
    return sql_reader(number_style(ctx, reader_sql, params, columns))


def number_style(ctx: LoadContext, reader_sql: str, params: list, columns: Sequence[str]) -> str:
    """The number style of ``columns`` of the relation ``reader_sql`` (one scan; see the module's rules)."""
    if not columns:
        return PLAIN
    union = " UNION ALL ".join(
        f"SELECT trim(CAST(\"{c}\" AS VARCHAR)) AS v, '{c}' AS c FROM ({reader_sql})" for c in columns
    )
    cases = " ".join(f"WHEN regexp_full_match(v, '{PATTERNS[name]}') THEN '{name}'" for name in ORDER)
    rows = ctx.con.execute(
        f"""
        SELECT c, kind, count(*), min(v) FROM (
            SELECT v, c, CASE {cases} END AS kind FROM ({union})
            WHERE v IS NOT NULL AND (v LIKE '%,%' OR v LIKE '%.%')
        ) WHERE kind IS NOT NULL GROUP BY ALL
        """,
        params * len(columns),
    ).fetchall()
    evidence = Evidence()
    for column, kind, count, value in rows:
        evidence.counts[(column, kind)] = int(count)
        evidence.examples[(column, kind)] = value
    return decide(ctx, evidence, semicolon=ctx.sniff.kind == "text" and ctx.sniff.delimiter == ";")


def _line_of_value(ctx: LoadContext, column: str | None, value: str | None) -> int | None:
    if column is None or value is None or ctx.sniff.kind != "text":
        return None
    return locate_line(ctx.path, ctx.sniff.encoding, ctx.sniff.delimiter, column, lambda v: v == value)


def style_of(ctx: LoadContext, columns: dict[str, Iterable[object]]) -> str:
    """The number style of text values read in Python (column name → its values; non-text values are ignored)."""
    evidence = Evidence()
    for column, values in columns.items():
        for value in values:
            if isinstance(value, str):
                evidence.add(column, value)
    return decide(ctx, evidence, semicolon=ctx.sniff.kind == "text" and ctx.sniff.delimiter == ";")


def read_number(
    ctx: LoadContext, value: object, style: str, *, column: str, line: int | None, hint: str
) -> float | None:
    """One cell as a number in ``style``: None for an empty cell; InputError (line, column) for text that is not
    a number in it (never a number guessed from part of the text)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    number = parse(text, style)
    if number is None:
        raise ctx.error(f"{column} {text!r} is not a number", line=line, column=column, hint=hint)
    return number


def separators_refused(problem: InputError | None, numeric: Sequence[str]) -> bool:
    """DuckDB's reader refused a number in one of the ``numeric`` columns because it holds a ',' or '.' separator
    ('1,334,162,658.44'), not because it is not a number: the file is read again with its numbers as text."""
    return (
        problem is not None
        and problem.column in numeric
        and problem.cell is not None
        and classify(problem.cell) is not None
    )


def read_frame_numbers(
    ctx: LoadContext, frame: pd.DataFrame, columns: Sequence[str], lines: Sequence[int | None], hint: str
) -> None:
    """Replace the text ``columns`` of ``frame`` by their numbers in the file's style (empty cells become NULL);
    InputError naming the line of the first cell that is not a number in it."""
    style = style_of(ctx, {column: frame[column] for column in columns})
    for column in columns:
        values = [read_number(ctx, value, style, column=column, line=line, hint=hint)
                  for value, line in zip(frame[column], lines, strict=True)]  # fmt: skip
        frame[column] = pd.array(values, dtype="Float64")


def read_table_numbers(ctx: LoadContext, table: str, columns: Sequence[str], hint: str) -> None:
    """Replace the text ``columns`` of the temporary ``table`` (which has a ``line`` column) by their numbers in the
    file's style (empty cells become NULL); InputError naming the first cell that is not a number in it."""
    style = number_style(ctx, f"SELECT * FROM {table}", [], columns)
    reader = sql_reader(style)
    for column in columns:
        bad = ctx.con.execute(
            f"SELECT line, \"{column}\" FROM {table} WHERE trim(coalesce(\"{column}\", '')) <> '' "
            f"AND {reader.format(chr(34) + column + chr(34))} IS NULL ORDER BY line LIMIT 1"
        ).fetchone()
        if bad:
            raise ctx.error(f"{column} {bad[1].strip()!r} is not a number", line=int(bad[0]), column=column,
                            hint=hint)  # fmt: skip
    replaced = ", ".join(f'{reader.format(chr(34) + c + chr(34))} AS "{c}"' for c in columns)
    ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * REPLACE ({replaced}) FROM {table}")
