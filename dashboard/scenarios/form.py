"""The Scenarios page's state without Streamlit: presets, form values ↔ scenario documents, the saved set,
the link and uploaded files.

Pure functions over plain dicts: a scenario document (``spec_to_dict`` form) gives the form's widget values
(``form_values``) and the widget values give a document back (``tariff_document``, ``purchase_document``),
checked by ``model.spec.parse_spec`` when the page applies it. Uploaded bytes become scenarios or a named
``ScenarioFileError``, never a traceback.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dashboard import i18n
from etl import settings
from etl.errors import SpecError
from etl.schema import BILLION, UNITED_STATES
from model.market import DEFAULT_IMPORT_DEMAND
from model.scenario_link import (
    MAX_LINK_CHARS,
    MAX_SET_BYTES,
    MAX_SET_DEPTH,
    decode_scenario_set,
    encode_scenario_set,
)
from model.spec import CHANGE_KINDS, EXEMPTION_LISTS, parse_spec, preset_paths, spec_to_dict

MAX_SAVED = 4  # scenarios compared side by side
# The bundled presets by name, in the order of the dates they describe (their ``as_of``): the dated presets of
# 2025 read as a timeline.
PRESETS: dict[str, dict[str, Any]] = {
    doc["name"]: doc
    for doc in sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in preset_paths()),
        key=lambda doc: (str(doc.get("as_of", "")), str(doc["name"])),
    )
}
DEFAULT_PRESET = "Colombia faces 10 points more than its competitors"
INCREASE_MODES = ("amount", "percent", "close")


class ScenarioFileError(ValueError):
    """An uploaded file that holds no usable scenario; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Loaded:
    """Scenarios read from a link or a file: the one to show (None: keep the current one) and the saved set
    (None: keep the saved set)."""

    current: dict[str, Any] | None
    saved: list[dict[str, Any]] | None = field(default=None)


def canonical(doc: Any) -> dict[str, Any]:
    """The document checked and written out in full (defaults filled in); raises ``SpecError``."""
    return spec_to_dict(parse_spec(doc))


def codes(text: str) -> list[str] | str:
    """'0603, 0901' → ['0603', '0901']; '' or 'all' → 'all'."""
    text = text.strip()
    return "all" if text in ("", "all") else [part.strip() for part in text.split(",") if part.strip()]


def _joined(value: list[str] | str) -> str:
    return "all" if value == "all" else ", ".join(value)


def form_values(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The widget values (by session-state key) that show ``doc`` in the JSON tab and in the form of its kind;
    the tariff form edits the first change."""
    values: dict[str, Any] = {"sc_json": json.dumps(doc, indent=2, ensure_ascii=False)}
    if doc["kind"] == "tariff":
        change = (doc["tariff_changes"] or [{"partners": "all", "products": "all", "add_pp": 0.0}])[0]
        kind = next(k for k in CHANGE_KINDS if k in change)
        elasticities = doc["elasticities"]
        sigma = elasticities["substitution"]
        eta = elasticities["import_demand"]
        values.update(
            sc_t_name=doc["name"],
            sc_t_kind=kind,
            sc_t_value=float(change[kind]) if isinstance(change[kind], int | float) else 0.0,
            sc_t_level=doc.get("level", "hs10"),
            sc_t_sigma_data=sigma == "data",
            sc_t_partners=[] if change["partners"] == "all" else list(change["partners"]),
            sc_t_except=list(change.get("except_partners", [])),
            sc_t_products=_joined(change["products"]),
            sc_t_scope=_joined(doc["products"]),
            sc_t_lists=[e for e in doc["exemptions"] if e in EXEMPTION_LISTS],
            sc_t_prefixes=", ".join(e for e in doc["exemptions"] if e not in EXEMPTION_LISTS),
            sc_t_sigma=1.5 if sigma == "data" else float(sigma),
            sc_t_supply=float(elasticities["supply"]),
            sc_t_eta_data=eta == "data",
            sc_t_eta=DEFAULT_IMPORT_DEMAND if eta == "data" else float(eta),
        )
    else:
        increase = doc["increase"]
        mode = "close" if increase.get("close_balance") else "percent" if "percent" in increase else "amount"
        values.update(
            sc_p_name=doc["name"],
            sc_p_buyer=doc["buyer"],
            sc_p_seller=doc["seller"],
            sc_p_year=int(doc["year"]),
            sc_p_mode=mode,
            sc_p_value=float(increase.get("percent", (increase.get("amount_usd") or 0) / BILLION)),
            sc_p_chapters=_joined(increase["chapters"]),
        )
    return values


def tariff_document(values: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The tariff scenario the form describes. The form edits the first change of ``current``; the other
    changes, and the first change's ``action`` and ``except_products`` (edited in the JSON tab), are kept."""
    change: dict[str, Any] = {
        "partners": values["sc_t_partners"] or "all",
        "products": codes(values["sc_t_products"]),
        values["sc_t_kind"]: values["sc_t_value"],
    }
    if values["sc_t_except"]:
        change["except_partners"] = values["sc_t_except"]
    tariff = current["kind"] == "tariff"
    others = current["tariff_changes"][1:] if tariff else []
    first = current["tariff_changes"][0] if tariff and current["tariff_changes"] else {}
    for kept in ("action", "except_products"):
        if kept in first:
            change[kept] = first[kept]
    prefixes = codes(values["sc_t_prefixes"])
    # The method and the legal date are not on the form: they are kept (edited in the JSON tab).
    kept_fields = {key: current[key] for key in ("as_of", "method") if tariff and key in current}
    return {
        "kind": "tariff",
        "name": values["sc_t_name"],
        **kept_fields,
        "importer": UNITED_STATES,
        "year": 2024,
        "level": values["sc_t_level"],
        "products": codes(values["sc_t_scope"]),
        "tariff_changes": [change, *others],
        "exemptions": list(values["sc_t_lists"]) + ([] if isinstance(prefixes, str) else prefixes),
        "elasticities": {
            "substitution": "data" if values["sc_t_sigma_data"] else values["sc_t_sigma"],
            "supply": values["sc_t_supply"],
            "import_demand": "data" if values["sc_t_eta_data"] else values["sc_t_eta"],
        },
    }


def purchase_document(values: Mapping[str, Any], current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The purchase scenario the form describes (an amount is entered in USD billion); the legal date of
    ``current`` (not on the form) is kept."""
    mode = values["sc_p_mode"]
    increase: dict[str, Any] = (
        {"close_balance": True}
        if mode == "close"
        else {"percent": values["sc_p_value"]}
        if mode == "percent"
        else {"amount_usd": values["sc_p_value"] * BILLION}
    )
    increase["chapters"] = codes(values["sc_p_chapters"])
    return {
        "kind": "purchase",
        "name": values["sc_p_name"],
        "buyer": values["sc_p_buyer"],
        "seller": values["sc_p_seller"],
        "year": int(values["sc_p_year"]),
        "increase": increase,
        **(
            {"as_of": current["as_of"]}
            if current and current.get("kind") == "purchase" and "as_of" in current
            else {}
        ),
    }


def unique_name(name: str, taken: Sequence[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``, … whichever is not taken."""
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def with_saved(saved: Sequence[Mapping[str, Any]], doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The saved set with ``doc`` added under a name no saved scenario has; ValueError when it is full."""
    if len(saved) >= MAX_SAVED:
        raise ValueError(f"up to {MAX_SAVED} scenarios can be saved")
    added = dict(doc)
    added["name"] = unique_name(str(added["name"]), [str(d["name"]) for d in saved])
    return [dict(d) for d in saved] + [added]


def full_message(lang: str) -> str:
    """What the page says when the saved set is full."""
    return i18n.pick(
        lang,
        f"Up to {MAX_SAVED} scenarios can be compared: remove one first.",
        f"Se pueden comparar hasta {MAX_SAVED} escenarios: quite uno primero.",
    )


def from_link(raw: str | None) -> Loaded:
    """The current scenario and saved set in the page's link (``sc``); the default preset when there is none.
    Raises ``SpecError`` for a link that holds no usable set."""
    current: Mapping[str, Any] = PRESETS[DEFAULT_PRESET]
    if not raw:
        return Loaded(canonical(current), [])
    decoded = decode_scenario_set(raw)
    current = canonical(decoded.get("current") or current)
    saved = [canonical(doc) for doc in decoded.get("saved", [])][:MAX_SAVED]
    return Loaded(current, saved)


def preset_link(preset: str) -> str:
    """The page's ``sc`` link value that opens a bundled preset (by its id, the file name in model/presets)."""
    path = next(p for p in preset_paths() if p.stem == preset)
    document = canonical(json.loads(path.read_text(encoding="utf-8")))
    return encode_scenario_set({"current": document, "saved": []})


def link_message(exc: Exception, lang: str) -> str:
    """What the page says when its link's scenarios cannot be used."""
    return i18n.pick(
        lang,
        f"The link's scenarios could not be used ({exc}); showing a preset.",
        f"No se pudieron usar los escenarios del enlace ({exc}); se muestra uno predefinido.",
    )


# Bounds on what a file (or the JSON tab) may hold: it cannot take a worker's memory or CPU. The size is the
# server's upload limit (Streamlit and nginx refuse larger bodies before the page sees them); the depth is the
# link's; the CPU is the thread's own time to read and check the file (a 1 MiB file takes at most about 0.25 s,
# docs/reliability.md). What a scenario may then cost the engine is bounded by model.spec.MAX_TARIFF_CHANGES.
MAX_FILE_BYTES = settings.MAX_UPLOAD_MB * 1024 * 1024
MAX_CHECK_SECONDS = 2.0


def _refusal(name: str, lang: str, english: str, spanish: str) -> ScenarioFileError:
    return ScenarioFileError(f"{name}: {i18n.pick(lang, english, spanish)}")


_ESCAPE = re.compile(rb"\\.", re.S)  # a backslash and the byte after it (inside strings: an escape)
_STRING = re.compile(rb'"[^"]*"')  # once escapes are gone: a string's whole text, in one linear pass
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(data: bytes) -> int:
    """How deeply the JSON text ``data`` nests ([ and { outside strings), in passes at C speed: no parser recursion
    and no Python loop over the document's items (a megabyte of ``[{},{},…]`` takes milliseconds)."""
    brackets = np.frombuffer(
        _STRING.sub(b"", _ESCAPE.sub(b"", data)).translate(None, _NOT_BRACKETS), np.uint8
    )
    if not brackets.size:
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), np.int8(1), np.int8(-1))
    return int(np.cumsum(steps, dtype=np.int32).max())


def read_json(name: str, data: bytes, lang: str) -> Any:
    """The JSON value in ``data`` (UTF-8, a byte-order mark allowed), within MAX_FILE_BYTES and MAX_SET_DEPTH;
    raises ``ScenarioFileError`` naming the file and what is wrong, in the page's language."""
    if len(data) > MAX_FILE_BYTES:
        raise _refusal(name, lang,
                       f"{len(data):,} bytes: a scenario file can be at most {settings.MAX_UPLOAD_MB} MB",
                       f"{len(data):,} bytes: un archivo de escenarios puede tener como máximo {settings.MAX_UPLOAD_MB} MB")  # fmt: skip
    too_deep = _refusal(name, lang,
                        f"nested more than {MAX_SET_DEPTH} levels deep (a scenario file has 5 levels)",
                        f"anidado a más de {MAX_SET_DEPTH} niveles (un archivo de escenarios tiene 5)")  # fmt: skip
    if json_depth(data) > MAX_SET_DEPTH:
        raise too_deep
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError:  # not JSON, but deep before its first error
        raise too_deep from None
    except ValueError as exc:  # not UTF-8 or not JSON (UnicodeDecodeError is a ValueError)
        raise _refusal(
            name, lang, f"not a JSON scenario file ({exc})", f"no es un archivo JSON de escenario ({exc})"
        ) from None


def _within_budget(name: str, lang: str, started: float, budget: float) -> None:
    if time.thread_time() - started > budget:
        raise _refusal(name, lang,
                       f"took more than {budget:g} s of processor time to check: split it into smaller files",
                       f"su revisión tomó más de {budget:g} s de procesador: divídalo en archivos más pequeños")  # fmt: skip


def from_upload(name: str, data: bytes, lang: str, *, cpu_budget: float = MAX_CHECK_SECONDS) -> Loaded:
    """An uploaded JSON file: one scenario (it becomes the current one) or ``{"scenarios": [...]}`` (the
    saved set, at most ``MAX_SAVED``, the first shown). Raises ``ScenarioFileError`` naming the file and what is
    wrong, in the page's language: too large, too deep, too many scenarios, too long to check, not a scenario."""
    started = time.thread_time()
    document = read_json(name, data, lang)
    try:
        if isinstance(document, dict) and "scenarios" in document:
            listed = document["scenarios"]
            if not isinstance(listed, list):
                raise _refusal(name, lang, '"scenarios" must be a list of scenarios ([{...}, {...}])',
                               '"scenarios" debe ser una lista de escenarios ([{...}, {...}])')  # fmt: skip
            if len(listed) > MAX_SAVED:
                raise _refusal(name, lang,
                               f"{len(listed)} scenarios: up to {MAX_SAVED} can be compared, keep {MAX_SAVED} in the file",
                               f"{len(listed)} escenarios: se pueden comparar hasta {MAX_SAVED}, deje {MAX_SAVED} en el archivo")  # fmt: skip
            docs = []
            for doc in listed:
                docs.append(canonical(doc))
                _within_budget(name, lang, started, cpu_budget)
            loaded = Loaded(docs[0] if docs else None, docs)
        else:
            loaded = Loaded(canonical(document))
            _within_budget(name, lang, started, cpu_budget)
    except SpecError as exc:
        raise ScenarioFileError(f"{name}: {exc}") from exc
    _fits_link(name, lang, {"current": loaded.current, "saved": loaded.saved or []})
    return loaded


def _fits_link(name: str, lang: str, scenario_set: dict[str, Any]) -> None:
    """The page keeps its scenarios in its link (a colleague opens the same view): refuse what the link could not
    carry back (model.scenario_link.decode_scenario_set's bounds)."""
    compact = len(json.dumps(scenario_set, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if compact > MAX_SET_BYTES:
        size_en = f"{compact:,} bytes of JSON; at most {MAX_SET_BYTES:,}"
        size_es = f"{compact:,} bytes de JSON; como máximo {MAX_SET_BYTES:,}"
    elif (encoded := len(encode_scenario_set(scenario_set))) > MAX_LINK_CHARS:
        size_en = f"{encoded:,} characters; at most {MAX_LINK_CHARS:,}"
        size_es = f"{encoded:,} caracteres; como máximo {MAX_LINK_CHARS:,}"
    else:
        return
    raise _refusal(name, lang,
                   f"too large to keep in the page's link ({size_en}): shorten its lists of products or partners",
                   f"demasiado grande para el enlace de la página ({size_es}): acorte sus listas de productos o socios")  # fmt: skip


def from_text(text: str, label: str, lang: str) -> dict[str, Any]:
    """The scenario written in the JSON tab (called ``label`` in messages), checked and in full, within the same
    bounds as a file; raises ``ScenarioFileError``."""
    loaded = from_upload(label, text.encode("utf-8"), lang)
    if loaded.current is None or loaded.saved is not None:
        raise _refusal(label, lang, "one scenario here; a set of scenarios is uploaded as a file",
                       "aquí va un escenario; un conjunto de escenarios se carga como archivo")  # fmt: skip
    return loaded.current
