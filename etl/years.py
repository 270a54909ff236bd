"""Year lists as text, the one way every page, claim card and CLI table writes them."""

from __future__ import annotations

from collections.abc import Iterable


def format_years(years: Iterable[int], dash: str = "–") -> str:
    """[2007, 2001, 2002, 2003] → '2001–2003, 2007' (sorted, repeats dropped; '' for none): gaps stay visible."""
    ordered = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in runs)
