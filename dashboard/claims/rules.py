"""Verdict names and the rules that turn measured numbers into a verdict (pure functions)."""

from __future__ import annotations

import math
from collections.abc import Sequence

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
CANNOT_CHECK = "cannot be checked with the bundled data"
SCENARIO = "scenario"
CONTEXT = "context"
OUT_OF_SCOPE = "out of scope"

VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, CANNOT_CHECK, SCENARIO, CONTEXT, OUT_OF_SCOPE)


def verdict_close_to(value: float | None, target: float, match_pct: float, partial_pct: float) -> str:
    """A stated amount against a measured one: within match_pct % → supported, partial_pct % → partly."""
    if value is None or _missing(value):
        return CANNOT_CHECK
    gap_pct = abs(value - target) / abs(target) * 100
    if gap_pct <= match_pct:
        return SUPPORTED
    if gap_pct <= partial_pct:
        return PARTLY
    return NOT_SUPPORTED


def verdict_within(value: float | None, supported: tuple[float, float], partly: tuple[float, float]) -> str:
    """A measured value against the range the words imply, both bounds included: inside `supported` → supported,
    inside `partly` → partly supported, outside both → not supported. `partly` must contain `supported`."""
    if value is None or _missing(value):
        return CANNOT_CHECK
    if not (partly[0] <= supported[0] <= supported[1] <= partly[1]):
        raise ValueError(f"range {supported} must lie inside {partly}")
    if supported[0] <= value <= supported[1]:
        return SUPPORTED
    if partly[0] <= value <= partly[1]:
        return PARTLY
    return NOT_SUPPORTED


def verdict_conditions(conditions: Sequence[bool | None]) -> str:
    """A premise made of several tests: all pass → supported, some → partly, none → not supported."""
    known = [c for c in conditions if c is not None]
    if not known or len(known) < len(conditions):
        return CANNOT_CHECK
    if all(known):
        return SUPPORTED
    if any(known):
        return PARTLY
    return NOT_SUPPORTED


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
