"""Filters ↔ URL query parameters, validated.

Each page declares its filters as :class:`Param` specs. On every run :func:`init_state` reads the URL,
rejects invalid values with a visible message (falling back to the default) and seeds the widgets'
session state; after the widgets, :func:`sync_url` writes the current values back, so the browser URL
always reproduces the view. Parsing and serialising are pure and tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import t

CHOICE = "choice"
MULTI = "multi"
INT = "int"
FLOAT = "float"
TEXT = "text"


@dataclass(frozen=True)
class Param:
    """One URL parameter: its name (also the widget key), kind, default and allowed values."""

    name: str
    kind: str
    default: object
    choices: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 100


class InvalidParam(ValueError):
    """A URL value that cannot be used; the message says why."""


def parse(spec: Param, raw: str) -> object:
    """The value a raw URL string stands for, or InvalidParam."""
    if spec.kind == CHOICE:
        value = _typed(spec, raw)
        if spec.choices is not None and value not in spec.choices:
            raise InvalidParam(f"not one of {', '.join(str(c) for c in spec.choices)}")
        return value
    if spec.kind == MULTI:
        items = [item for item in raw.split(",") if item]
        if not items:
            raise InvalidParam("empty list")
        unknown = [i for i in items if spec.choices is not None and i not in spec.choices]
        if unknown:
            raise InvalidParam(f"unknown {', '.join(unknown)}")
        return list(dict.fromkeys(items))
    if spec.kind in (INT, FLOAT):
        try:
            value = int(raw) if spec.kind == INT else float(raw)
        except ValueError:
            raise InvalidParam("not a number") from None
        if (
            value != value
            or (spec.minimum is not None and value < spec.minimum)
            or (spec.maximum is not None and value > spec.maximum)
        ):
            raise InvalidParam(f"outside {spec.minimum}–{spec.maximum}")
        return value
    if spec.kind == TEXT:
        if len(raw) > spec.max_length:
            raise InvalidParam(f"longer than {spec.max_length} characters")
        return raw
    raise ValueError(f"unknown parameter kind {spec.kind!r}")


def _typed(spec: Param, raw: str) -> object:
    """Choices may be ints (years): compare like with like."""
    if spec.choices and all(isinstance(c, int) for c in spec.choices):
        try:
            return int(raw)
        except ValueError:
            raise InvalidParam("not a whole number") from None
    return raw


def serialise(spec: Param, value: object) -> str:
    if spec.kind == MULTI:
        assert isinstance(value, list | tuple), f"{spec.name}: a MULTI parameter holds a list"
        return ",".join(str(v) for v in value)
    if spec.kind == FLOAT:
        return f"{float(value):g}"  # type: ignore[arg-type]
    return str(value)


def read_params(
    specs: Iterable[Param], raw: Mapping[str, str]
) -> tuple[dict[str, object], list[tuple[str, str, str]]]:
    """Values for every spec (default where absent or invalid) and the (name, raw, reason) rejected."""
    values: dict[str, object] = {}
    problems: list[tuple[str, str, str]] = []
    for spec in specs:
        if spec.name not in raw or raw[spec.name] is None:
            values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = parse(spec, raw[spec.name])
        except InvalidParam as exc:
            problems.append((spec.name, raw[spec.name], str(exc)))
            values[spec.name] = spec.default
    return values, problems


def init_state(specs: Sequence[Param], lang: str = "en") -> dict[str, object]:
    """Seed each widget's state from the URL (once per widget lifetime); warn about rejected values."""
    raw = {spec.name: st.query_params[spec.name] for spec in specs if spec.name in st.query_params}
    values, problems = read_params(specs, raw)
    for name, value, reason in problems:
        # The raw value comes from whoever wrote the link: shown as plain text, never as Markdown.
        st.warning(
            t("invalid_param", lang, name=name, value=escape_markdown(value), reason=escape_markdown(reason))
        )
    for spec in specs:
        if spec.name not in st.session_state:
            st.session_state[spec.name] = values[spec.name]
        elif spec.choices is not None:  # the options may have changed under a kept widget
            current = st.session_state[spec.name]
            if spec.kind == CHOICE and current not in spec.choices:
                st.session_state[spec.name] = spec.default
            elif spec.kind == MULTI and any(item not in spec.choices for item in current):
                st.session_state[spec.name] = [item for item in current if item in spec.choices]
    return {spec.name: st.session_state[spec.name] for spec in specs}


def sync_url(specs: Sequence[Param]) -> None:
    """Write the widgets' current values into the URL."""
    for spec in specs:
        if spec.name in st.session_state:
            value = serialise(spec, st.session_state[spec.name])
            if st.query_params.get(spec.name) != value:
                st.query_params[spec.name] = value


MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~$:")


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown-significant character backslash-escaped (links, images, HTML, math)."""
    return "".join("\\" + char if char in MARKDOWN_SPECIALS else char for char in text)


def current_params(names: Iterable[str]) -> dict[str, str]:
    """The named parameters present in the URL right now (for links that carry filters)."""
    return {name: st.query_params[name] for name in names if name in st.query_params}
