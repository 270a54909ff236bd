"""A whole scenario set (the current scenario and the saved ones) in one URL parameter: compact JSON, zlib,
base64url, and its bounded inverse that raises `SpecError('(link)', …)` for anything unreadable."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

from etl.errors import SpecError

MAX_SET_BYTES = 200_000  # decoded size limit: a link cannot make the server inflate a huge payload


def encode_scenario_set(scenario_set: dict[str, Any]) -> str:
    """Compact JSON → zlib → base64url (no padding): short enough for a link."""
    raw = json.dumps(scenario_set, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


MAX_SET_DEPTH = 12  # a scenario set is 5 levels deep
MAX_LINK_CHARS = 64_000  # the encoded parameter itself


def nesting_depth(value: Any) -> int:
    """Nesting depth, iteratively (a hostile document cannot exhaust the stack here); past MAX_SET_DEPTH it stops
    counting and returns a level beyond it."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_SET_DEPTH:
            return level
        if isinstance(node, dict):
            stack.extend((item, level + 1) for item in node.values())
        elif isinstance(node, list):
            stack.extend((item, level + 1) for item in node)
    return deepest


def decode_scenario_set(text: str) -> dict[str, Any]:
    """The inverse of `encode_scenario_set`; raises SpecError('(link)', …) for anything unreadable.

    Bounded: the parameter's length, the inflated size (MAX_SET_BYTES) and the nesting depth (MAX_SET_DEPTH).
    """
    if len(text) > MAX_LINK_CHARS:
        raise SpecError("(link)", f"the scenario parameter is longer than {MAX_LINK_CHARS:,} characters")
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_SET_BYTES)
        if inflater.unconsumed_tail:
            raise SpecError("(link)", "the scenario set in the link is too large")
        value = json.loads(raw.decode("utf-8"))
        if nesting_depth(value) > MAX_SET_DEPTH:
            raise SpecError(
                "(link)", f"the scenario set in the link is nested more than {MAX_SET_DEPTH} levels deep"
            )
    except SpecError:
        raise
    except RecursionError:  # "[[[[…" inflated from a few dozen characters
        raise SpecError("(link)", f"the scenario set in the link is nested more than {MAX_SET_DEPTH} levels deep",
                        hint="copy the whole link") from None  # fmt: skip
    except (ValueError, zlib.error, UnicodeDecodeError) as exc:
        raise SpecError(
            "(link)", "the scenario set in the link cannot be read", hint="copy the whole link"
        ) from exc
    if not isinstance(value, dict):
        raise SpecError("(link)", "the scenario set in the link is not an object")
    return value
