"""Years: the range a trade statistic's year may take, and year lists as text (the one way every page, claim card
and CLI table writes them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# No series Balanza reads starts earlier (IMF DOTS starts in 1960); an older year is a typo or a misread column.
FIRST_YEAR = 1900


def today() -> date:
    """The date loads compare periods with (one place, so every adapter agrees)."""
    return date.today()


def latest_year(*, provisional: bool = False) -> int:
    """The last year a statistic can be for: the current one, or the next one for figures the publisher marks
    provisional (a fiscal year or a forecast-based first release may be dated ahead)."""
    return today().year + (1 if provisional else 0)


def latest_month(*, provisional: bool = False) -> int:
    """The last month (YYYYMM) a monthly statistic can be for: the current month; for provisional figures, any
    month of the next year."""
    now = today()
    return (now.year + 1) * 100 + 12 if provisional else now.year * 100 + now.month


def year_problem(year: int, *, provisional: bool = False) -> str | None:
    """Why ``year`` cannot be the year of a trade statistic (a sentence), or None when it can."""
    if year < FIRST_YEAR:
        return f"year {year} is before {FIRST_YEAR}: not the year of a trade statistic"
    latest = latest_year(provisional=provisional)
    if year > latest:
        which = "next year" if provisional else "the current year"
        return f"year {year} is after {which} ({latest}): no statistics exist for it yet"
    return None


FUTURE_HINT = (
    "check the year (a typo, or a date read in another format); a source's figures may be dated one year ahead "
    "only when the publisher marks them provisional"
)


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
