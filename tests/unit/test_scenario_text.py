"""The model's notes, band basis, 'left out' list and preset names, worded in English and Spanish by kind."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from dashboard.scenarios import model_text, tables
from model.market import DEFAULT_IMPORT_DEMAND
from model.purchase import PURCHASE_LEFT_OUT, _flags_note
from model.result import LEFT_OUT, Note
from model.scenario import BAND_BASIS, BAND_BASIS_KIND, _notes
from model.smart import DEFAULT_SUBSTITUTION
from model.spec import parse_spec, preset_path, preset_paths

ENGLISH = re.compile(r"\b(the|and|with|of|from|which|imports|exports|balance|year|between)\b", re.I)


def test_a_note_is_its_english_text_and_carries_its_kind_and_numbers() -> None:
    note = Note("Export supply is infinitely elastic.", "infinite_supply", {"x": 1.5})
    assert note == "Export supply is infinitely elastic." and "elastic" in note
    assert (note.kind, note.values) == ("infinite_supply", {"x": 1.5})
    assert json.dumps([note]) == '["Export supply is infinitely elastic."]'


def _everyone_notes() -> list[Note]:
    """The notes of the 'US 10% on everyone' preset for made-up totals (the wording, not the model, is tested)."""
    doc = json.loads(preset_path("us_10pct_everyone").read_text(encoding="utf-8"))
    doc["elasticities"] = {"substitution": "data", "supply": 99, "import_demand": "data"}
    spec = parse_spec(json.dumps(doc))
    coverage = {
        "import_demand": {
            "same code": 0.6125,
            "5-digit group": 0.2,
            "heading median": 0.15,
            "default": 0.0375,
        },
        "substitution": {"default": 0.25},
    }
    totals = {"gross_diversion_usd": 1_234_567_890.0, "gross_diversion_share": 0.00123456,
              "elasticity_coverage": coverage, "partners_left_out": ["SVK", "AUT"]}  # fmt: skip
    return _notes(spec, totals)  # type: ignore[arg-type]


def test_every_note_the_tariff_model_writes_is_worded_in_spanish_from_its_numbers() -> None:
    notes = _everyone_notes()
    kinds = [n.kind for n in notes]
    assert kinds == [
        "same_change_for_all",
        "import_demand_sources",
        "substitution_sources",
        "eu_members_left_out",
        "infinite_supply",
    ]
    spanish = model_text.notes_text(notes, "es")
    for english, text in zip(notes, spanish, strict=True):
        assert text != english
        assert len(ENGLISH.findall(text)) < 2, text
    # the numbers, in the Spanish format, computed here from the totals above
    assert "1,23 mil millones de USD" in spanish[0] and "0,123 %" in spanish[0]
    assert (
        "61,3 %" in spanish[1]
        and "3,8 %" in spanish[1]
        and str(DEFAULT_IMPORT_DEMAND).replace(".", ",") in spanish[1]
    )
    assert "75,0 %" in spanish[2] and f"σ = {DEFAULT_SUBSTITUTION:.1f}".replace(".", ",") in spanish[2]
    assert "SVK, AUT" in spanish[3]
    # English wording from the same numbers is the model's own sentence, number for number
    assert model_text.notes_text(notes[2:4], "en") == [str(n) for n in notes[2:4]]


def test_a_note_of_an_unknown_kind_is_shown_as_written() -> None:
    assert model_text.note_text(Note("Something new.", "new_kind"), "es") == "Something new."
    assert model_text.note_text("plain text", "es") == "plain text"


def test_the_band_basis_is_worded_by_kind() -> None:
    totals = {"band_basis": BAND_BASIS, "band_basis_kind": BAND_BASIS_KIND}
    assert model_text.band_basis(totals, "en") == BAND_BASIS
    spanish = model_text.band_basis(totals, "es")
    assert spanish.startswith("Banda:") and "1,96" in spanish and len(ENGLISH.findall(spanish)) < 2
    assert model_text.band_basis({"band_basis": "other"}, "es") == "other"


@pytest.mark.parametrize("items", [LEFT_OUT, PURCHASE_LEFT_OUT])
def test_what_the_model_leaves_out_has_a_spanish_text_for_every_kind(items: tuple[Note, ...]) -> None:
    assert all(item.kind for item in items)
    spanish = model_text.left_out(items, "es")
    assert len(set(spanish)) == len(items)
    for english, text in zip(items, spanish, strict=True):
        assert text != english and len(ENGLISH.findall(text)) < 2, text
    assert model_text.left_out(items, "en") == list(items)


def test_every_bundled_preset_has_a_spanish_name_and_description() -> None:
    stems = {p.stem for p in preset_paths()}
    assert stems == set(model_text.PRESETS_ES)
    for path in preset_paths():
        doc = json.loads(path.read_text(encoding="utf-8"))
        name, description = doc["name"], doc["description"]
        assert model_text.preset_name(name, "en") == name
        assert model_text.preset_name(name, "es") == model_text.PRESETS_ES[path.stem][0]
        assert model_text.preset_description(name, description, "es") == model_text.PRESETS_ES[path.stem][1]
    # a user's own scenario keeps its name; a preset whose description was edited keeps the edit
    assert model_text.preset_name("My scenario", "es") == "My scenario"
    doc = json.loads(preset_path("us_10pct_everyone").read_text(encoding="utf-8"))
    assert model_text.preset_description(doc["name"], "edited", "es") == "edited"


def test_the_largest_lines_are_described_in_spanish_by_their_subheading() -> None:
    lines = pd.DataFrame({"hs10": ["0603110060", "2709002090"], "partner_iso3": ["COL", "COL"],
                          "description": ["Roses, fresh cut", "Crude oil"], "elasticity_is_default": [False, True]})  # fmt: skip
    spanish = {"060311": "Rosas, frescas"}
    shown = tables.lines_table(lines, "es", spanish)
    assert shown["description"].tolist()[0] == "Rosas, frescas"
    assert (
        shown["description"].tolist()[1].startswith("Crude oil")
        and "(en inglés)" in shown["description"].iloc[1]
    )
    assert tables.lines_table(lines, "en", spanish)["description"].tolist() == lines["description"].tolist()


def test_purchase_flags_note_in_both_languages() -> None:
    """A purchase run on a provisional, non-comparable year says so beside its deficit, in either language."""
    note = _flags_note(2025, {"provisional": True, "comparable": False,
                              "caveat": "exports: provisional; not comparable with earlier years: DIAN withholds "
                                        "destinations from 2025; imports: provisional"})  # fmt: skip
    assert model_text.note_text(note, "en") == str(note)
    spanish = model_text.note_text(note, "es")
    assert spanish.startswith("Advertencia: la balanza de 2025 es provisional")
    assert "no comparable con años anteriores" in spanish and "la DIAN reserva destinos desde 2025" in spanish
    only_provisional = _flags_note(
        2025, {"provisional": True, "comparable": True, "caveat": "imports: provisional"}
    )
    assert "not comparable" not in str(only_provisional)
    assert "no comparable" not in model_text.note_text(only_provisional, "es")
