"""Scenario documents: every preset parses, the canonical form round-trips, bad fields are named."""

from __future__ import annotations

import json

import pytest

from etl.errors import SpecError
from model.spec import (
    MAX_TARIFF_CHANGES,
    PurchaseScenario,
    TariffScenario,
    parse_spec,
    preset_paths,
    spec_to_dict,
)

MINIMAL = {"name": "x", "tariff_changes": [{"partners": ["COL"], "add_pp": 10}]}


def test_the_presets_ship_and_parse() -> None:
    names = {parse_spec(path.read_text()).name for path in preset_paths()}
    assert names == {
        "US 10% baseline, April 2025, with exemptions",
        "US 10% on everyone",
        "Colombia faces 10 points more than its competitors",
        "China buys enough more to close the deficit",
        "US Section 232 tariffs of 2025: steel, aluminium, autos, copper",
        "US tariffs on 5 April 2025: the 10% baseline",
        "US tariffs on 10 April 2025: China at 125% + 20%",
        "US tariffs on 14 May 2025: after Geneva",
        "US tariffs on 7 August 2025: country rates",
        "US tariffs on 27 August 2025: India +25",
        "US tariffs on 25 September 2025: Japan and EU all-in",
        "US tariffs on 14 November 2025: farm exemptions",
    }
    assert {path.stem for path in preset_paths()} >= {"us_august_2025_country_rates", "us_section_232_2025"}
    for path in preset_paths():  # every preset says which date it describes
        assert parse_spec(path.read_text()).as_of is not None, path.stem


def test_rate_lists_and_product_lists_parse_and_are_checked() -> None:
    spec = parse_spec({"name": "x", "level": "hs6", "elasticities": {"substitution": "data"}, "tariff_changes": [
        {"action": "a", "products": ["s232_steel_2025", "7308"], "except_products": ["annex_ii_2025_04"],
         "min_rate": 0.5},
        {"add_pp": {"list": "eo14326_aug_2025", "others": 10}},
    ]})  # fmt: skip
    assert spec.level == "hs6" and spec.elasticities.substitution is None
    assert spec.tariff_changes[0].products == ("s232_steel_2025", "7308")
    assert spec.tariff_changes[1].rate_list == "eo14326_aug_2025" and spec.tariff_changes[1].others == 10
    assert parse_spec(json.dumps(spec_to_dict(spec))) == spec
    for bad, field in (
        ({"name": "x", "level": "hs8"}, "level"),
        ({"name": "x", "tariff_changes": [{"add_pp": {"list": "nope"}}]}, "tariff_changes[0].add_pp.list"),
        (
            {"name": "x", "tariff_changes": [{"products": ["steel"], "add_pp": 1}]},
            "tariff_changes[0].products[0]",
        ),
        ({"name": "x", "elasticities": {"supply": 0.001}}, "elasticities.supply"),
    ):
        with pytest.raises(SpecError) as caught:
            parse_spec(bad)
        assert caught.value.field == field


@pytest.mark.parametrize("path", preset_paths(), ids=lambda p: p.stem)
def test_canonical_form_round_trips(path) -> None:
    spec = parse_spec(path.read_text())
    again = parse_spec(json.dumps(spec_to_dict(spec)))
    assert again == spec


def test_defaults() -> None:
    spec = parse_spec(MINIMAL)
    assert isinstance(spec, TariffScenario)
    assert (spec.importer, spec.year, spec.products, spec.exemptions) == ("USA", 2024, None, ())
    assert spec.elasticities.substitution == 1.5 and spec.elasticities.supply == 99
    assert spec.elasticities.import_demand is None
    assert spec.tariff_changes[0].kind == "add_pp" and spec.tariff_changes[0].value == 10


def test_purchase() -> None:
    spec = parse_spec(
        {
            "kind": "purchase",
            "name": "p",
            "buyer": "chn",
            "seller": "COL",
            "increase": {"percent": 20, "chapters": ["09"]},
        }
    )
    assert isinstance(spec, PurchaseScenario)
    assert (spec.buyer, spec.percent, spec.amount_usd, spec.chapters) == ("CHN", 20.0, None, ("09",))


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ("{not json", "(document)"),
        ([], "(document)"),
        ({**MINIMAL, "name": ""}, "name"),
        ({**MINIMAL, "kind": "quota"}, "kind"),
        ({**MINIMAL, "importer": "US"}, "importer"),
        ({**MINIMAL, "year": "2024"}, "year"),
        ({**MINIMAL, "products": [603]}, "products[0]"),
        ({**MINIMAL, "products": []}, "products"),
        ({**MINIMAL, "tariffs": []}, "tariffs"),
        ({"name": "x", "tariff_changes": {}}, "tariff_changes"),
        ({"name": "x", "tariff_changes": [{"partners": "all"}]}, "tariff_changes[0]"),
        ({"name": "x", "tariff_changes": [{"add_pp": 10, "new_rate": 0.1}]}, "tariff_changes[0]"),
        ({"name": "x", "tariff_changes": [{"new_rate": 10}]}, "tariff_changes[0].new_rate"),
        ({"name": "x", "tariff_changes": [{"add_pp": "10"}]}, "tariff_changes[0].add_pp"),
        ({"name": "x", "tariff_changes": [{"linear_cut": 1.5}]}, "tariff_changes[0].linear_cut"),
        ({"name": "x", "tariff_changes": [{"swiss": 0}]}, "tariff_changes[0].swiss"),
        ({"name": "x", "tariff_changes": [{"add_pp": 1, "partners": ["COL", "Colombia"]}]}, "tariff_changes[0].partners[1]"),
        ({"name": "x", "tariff_changes": [{"add_pp": 1, "partner": ["COL"]}]}, "tariff_changes[0].partner"),
        ({**MINIMAL, "exemptions": ["annex_iii"]}, "exemptions[0]"),
        ({**MINIMAL, "elasticities": {"import_demand": 1.25}}, "elasticities.import_demand"),
        ({**MINIMAL, "elasticities": {"substitution": -1}}, "elasticities.substitution"),
        ({**MINIMAL, "elasticities": {"supply": 0}}, "elasticities.supply"),
        ({**MINIMAL, "elasticities": {"sigma": 2}}, "elasticities.sigma"),
        ({"kind": "purchase", "name": "p", "seller": "COL", "increase": {"percent": 1}}, "buyer"),
        ({"kind": "purchase", "name": "p", "buyer": "COL", "seller": "COL", "increase": {"percent": 1}}, "seller"),
        ({"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "increase": {}}, "increase"),
        ({"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "increase": {"percent": -5}}, "increase.percent"),
        ({"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "increase": {"amount_usd": 1, "chapters": ["0901"]}}, "increase.chapters"),
    ],
)  # fmt: skip
def test_bad_specs_name_the_field(document, field: str) -> None:
    text = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    assert caught.value.field == field
    assert f"'{field}'" in str(caught.value)


def test_hs_prefixes_keep_leading_zeros_and_drop_dots() -> None:
    spec = parse_spec(
        {**MINIMAL, "products": ["0603.11", "0901"], "exemptions": ["2709.00.10", "annex_ii_2025_04"]}
    )
    assert spec.products == ("060311", "0901")
    assert spec.exemptions == ("27090010", "annex_ii_2025_04")


def test_the_example_in_the_docs_parses() -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.S)
    assert example is not None
    spec = parse_spec(example.group(1))
    assert [c.kind for c in spec.tariff_changes] == ["add_pp", "max_rate"]
    assert spec.exemptions == ("annex_ii_2025_04", "2709")


def test_a_scenario_has_at_most_max_tariff_changes_and_deep_json_is_a_named_error() -> None:
    change = {"partners": ["ECU"], "products": ["0603"], "add_pp": 5}
    assert (
        len(parse_spec({"name": "x", "tariff_changes": [change] * MAX_TARIFF_CHANGES}).tariff_changes) == 50
    )
    with pytest.raises(SpecError, match="51 changes: at most 50 in one scenario"):
        parse_spec({"name": "x", "tariff_changes": [change] * (MAX_TARIFF_CHANGES + 1)})
    with pytest.raises(SpecError, match="nested more than 12 levels deep"):
        parse_spec("[" * 100_000)  # RecursionError before
    presets = [parse_spec(path.read_text(encoding="utf-8")) for path in preset_paths()]
    assert max(len(s.tariff_changes) for s in presets if isinstance(s, TariffScenario)) <= MAX_TARIFF_CHANGES


def test_method_and_as_of_parse_and_bad_values_are_named() -> None:
    spec = parse_spec({**MINIMAL, "method": "linear", "level": "hs6", "as_of": "2025-08-07"})
    assert (spec.method, spec.as_of) == ("linear", "2025-08-07")
    assert parse_spec(json.dumps(spec_to_dict(spec))) == spec
    assert parse_spec(MINIMAL).method == "levels" and parse_spec(MINIMAL).as_of is None
    purchase = parse_spec({"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "as_of": "2024-12-31",
                           "increase": {"amount_usd": 1}})  # fmt: skip
    assert purchase.as_of == "2024-12-31"
    for bad, field, words in (
        ({**MINIMAL, "method": "loglinear"}, "method", "unknown method"),
        ({**MINIMAL, "method": ["linear"]}, "method", "unknown method"),
        ({**MINIMAL, "as_of": "2025-13-01"}, "as_of", "is not a date"),
        ({**MINIMAL, "as_of": "7 August 2025"}, "as_of", "is not a date"),
        ({**MINIMAL, "as_of": 20250807}, "as_of", "is not a date"),
        ({**MINIMAL, "as_of": "2025-02-30"}, "as_of", "is not a date"),
        ({**MINIMAL, "method": "linear", "elasticities": {"supply": 2}}, "elasticities.supply", "infinite"),
    ):
        with pytest.raises(SpecError) as caught:
            parse_spec(bad)
        assert caught.value.field == field
        assert words in str(caught.value)


def test_a_purchase_reads_the_sellers_or_the_buyers_records() -> None:
    base = {
        "kind": "purchase",
        "name": "p",
        "buyer": "CHN",
        "seller": "COL",
        "increase": {"close_balance": True},
    }
    assert parse_spec(base).record == "seller"
    spec = parse_spec({**base, "record": "buyer"})
    assert spec.record == "buyer" and parse_spec(json.dumps(spec_to_dict(spec))) == spec
    with pytest.raises(SpecError) as caught:
        parse_spec({**base, "record": "china"})
    assert caught.value.field == "record" and "unknown record" in str(caught.value)
