"""The table of 2025 US measures: read with named errors, dated, stacked as its rules say, and the dated presets are
exactly what it gives."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from etl.errors import InputError
from model import measures as m
from model import tariff_measures as tm
from model.spec import parse_spec, preset_path


@pytest.fixture(scope="module")
def table() -> tm.MeasureTable:
    return tm.read_table()


def test_the_committed_presets_are_what_the_table_gives(table: tm.MeasureTable) -> None:
    for stem, text in m.generated_presets(table).items():
        assert preset_path(stem).read_text(encoding="utf-8") == text, (
            f"run python -m model.measures --write ({stem})"
        )
    assert m.main(["--check"]) == 0


def test_every_dated_preset_names_its_date_and_every_instrument_in_force(table: tm.MeasureTable) -> None:
    for as_of, stem, name, description in m.PRESET_DATES:
        spec = parse_spec(preset_path(stem).read_text(encoding="utf-8"))
        assert spec.as_of == as_of and spec.name == name
        for measure in table.in_force(date.fromisoformat(as_of)):
            for number in re.findall(r"\d{5}", measure.instrument):
                assert number in description, (as_of, measure.measure, number)


def test_measures_in_force_by_date(table: tm.MeasureTable) -> None:
    def ids(day: str) -> set[str]:
        return {x.measure for x in table.in_force(date.fromisoformat(day))}

    assert "china_reciprocal_125" in ids("2025-04-10") and "china_reciprocal_125" not in ids("2025-05-14")
    assert "canada_fentanyl_25" in ids("2025-07-31") and "canada_fentanyl_35" in ids("2025-08-01")
    assert "india_25" not in ids("2025-08-07") and "india_25" in ids("2025-08-27")
    assert "china_fentanyl_20" in ids("2025-11-09") and "china_fentanyl_10" in ids("2025-11-10")
    assert "s232_autos_parts" not in ids("2025-04-05") and "s232_autos_parts" in ids("2025-05-03")


def test_stacking_rules_become_change_kinds(table: tm.MeasureTable) -> None:
    changes = m.measure_changes(table, date(2025, 9, 25))
    kinds = {
        measure: next(k for k in ("add_pp", "min_rate", "new_rate") if k in change)
        for measure, change in changes
    }
    assert kinds["s232_steel_aluminium_50"] == "min_rate"  # floor
    assert kinds["s232_copper_50"] == "add_pp"  # added
    assert kinds["recip_japan_all_in"] == "min_rate"  # instead: a floor once the replaced measure is gone
    ids = [measure for measure, _ in changes]
    assert "recip_japan_aug" not in ids  # replaced for Japan entirely
    # The USMCA share scales the added rate, partner by partner.
    canada = [c for measure, c in changes if measure == "canada_fentanyl_35"]
    assert len(canada) == 1 and canada[0]["partners"] == ["CAN"]
    assert canada[0]["add_pp"] == pytest.approx(35 * (1 - table.parameters["usmca_share:CAN"].value))
    # EU and Japanese autos leave the 25 % measures and pay 15 % all-in.
    parts = next(c for measure, c in changes if measure == "s232_autos_parts")
    assert {"EUN", "JPN"} <= set(parts["except_partners"])
    # An exemption (instead, rate 0) emits no change of its own but takes its products out of what it replaces.
    recip = next(c for measure, c in changes if measure == "recip_country_rates_aug")
    assert {"8471", "8542", "85171300"} <= set(recip["except_products"])  # the memorandum's electronics
    assert "electronics_exempt" not in ids


def test_an_instead_measure_for_some_partners_splits_what_it_replaces() -> None:
    def measure(
        name: str, partners: tuple[str, ...] | None, products: tuple[str, ...] | None, **kw
    ) -> tm.Measure:
        return tm.Measure(name, name, "x", "x", date(2025, 1, 1), date(2025, 1, 1), None, partners, (), products, (),
                         kw.pop("rate", 10.0), None, kw.pop("stacking", "added"), None, kw.pop("replaces", ()), "", "")  # fmt: skip

    base = measure("base", None, None)
    cut = measure("cut", ("BRA",), ("0901",), rate=0.0, stacking="instead", replaces=("base",))
    table = tm.MeasureTable([base, cut], {})
    changes = m.tariff_changes(table, date(2025, 6, 1))
    assert changes == [
        {
            "action": "base",
            "partners": ["BRA"],
            "products": "all",
            "except_products": ["0901"],
            "add_pp": 10.0,
        },
        {"action": "base", "partners": "all", "products": "all", "except_partners": ["BRA"], "add_pp": 10.0},
    ]


# ---- bad input: each a named error (file, line, column) --------------------------------------------------------


def _copy_with(tmp_path: Path, name: str, edit) -> Path:
    for source in (tm.MEASURES_PATH, tm.PARAMETERS_PATH, tm.GROUPS_PATH):
        shutil.copy(source, tmp_path / source.name)
    path = tmp_path / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path


def _read(folder: Path) -> tm.MeasureTable:
    return tm.read_table(
        folder / tm.MEASURES_PATH.name, folder / tm.PARAMETERS_PATH.name, folder / tm.GROUPS_PATH.name
    )


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("stacking", "replace", "unknown stacking rule 'replace'"),
        ("products", "s232_timber_2025", "unknown product list 's232_timber_2025'"),
        ("except_products", "@s232_everything", "unknown group '@s232_everything'"),
        ("effective", "7 August 2025", "is not a date"),
        ("ends", "2025-02-30", "is not a date"),
        ("exempt_share", "usmca_share_2030", "unknown parameter"),
        ("rate_list", "eo99999", "unknown rate list"),
        ("rate_pct", "ten", "is not a rate"),
        ("partners", "COLOMBIA", "is not an ISO3 partner code"),
        ("replaces", "recip_mars", "replaces unknown measure"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, column: str, value: str, words: str) -> None:
    def edit(rows: list[dict[str, str]]) -> None:
        rows[2][column] = value

    folder = _copy_with(tmp_path, tm.MEASURES_PATH.name, edit)
    with pytest.raises(InputError) as caught:
        _read(folder)
    assert words in str(caught.value)
    assert caught.value.line == 4 and caught.value.column == column
    assert caught.value.path.endswith(tm.MEASURES_PATH.name)


def test_bad_groups_and_parameters_are_named(tmp_path: Path) -> None:
    folder = _copy_with(tmp_path, tm.GROUPS_PATH.name, lambda rows: rows[0].update(items="s232_steel;7206"))
    with pytest.raises(InputError) as caught:
        _read(folder)
    assert "unknown product list or code 's232_steel'" in str(caught.value) and caught.value.line == 2
    folder = _copy_with(tmp_path, tm.PARAMETERS_PATH.name, lambda rows: rows[0].update(value="1.7"))
    with pytest.raises(InputError) as caught:
        _read(folder)
    assert "not a share" in str(caught.value) and caught.value.column == "value"


def test_every_preset_file_is_valid_json_with_one_change_a_line() -> None:
    for _, stem, _, _ in m.PRESET_DATES:
        text = preset_path(stem).read_text(encoding="utf-8")
        document = json.loads(text)
        assert len(document["tariff_changes"]) == sum(
            1 for line in text.splitlines() if line.startswith('    {"')
        )


RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def _annex_codes(name: str) -> set[str]:
    with open(RAW / "us-tariffs-2025" / name, newline="", encoding="utf-8-sig") as handle:
        codes = [row["HTSUS"].strip() for row in csv.DictReader(handle)]
    return {code[:8] if len(code) == 10 and code.endswith("00") else code for code in codes}


def test_brazils_november_exemptions_are_the_annex_ii_additions_it_names(table: tm.MeasureTable) -> None:
    """The order of 20 November 2025 excepts from Brazil's 40 % the farm goods EO 14360 added to Annex II, plus
    potassic fertilisers and two essential oils (its Annex II, U.S. note 2(x)(iii)): rebuilt here from the raw
    annex files, the group is what the measure uses, and it holds the order's 238 + 11 codes + 4 already excepted."""
    added = _annex_codes("annex-II-exemptions-nov14.csv") - _annex_codes("annex-II-exemptions.csv")
    farm = {c for c in added if int(c[:2]) <= 24 or c.startswith(("31", "3301"))}
    expected = farm | {"31042000", "31043000", "31049001", "33011200", "33019050"}
    group = set(table.groups["brazil_ag_nov"])
    assert group == expected and len(group) == 238 + 11 + 4
    assert {"09011100", "08031010", "02013002", "20089921"} <= group  # coffee, bananas, beef, acai
    assert not group & {"27090010", "27090020", "30049092"}  # no energy or medicines: farm goods only
    brazil_nov = next(x for x in table.measures if x.measure == "brazil_ag_nov")
    # in force from the order (20 November), retroactive to 13 November (its note says so)
    assert set(brazil_nov.products or ()) == group and brazil_nov.effective == date(2025, 11, 20)


def test_the_electronics_exemption_is_the_memorandums_list(table: tm.MeasureTable) -> None:
    electronics = next(x for x in table.measures if x.measure == "electronics_exempt")
    assert electronics.products == table.groups["electronics_memorandum"]
    assert len(electronics.products) == 20 and {"8471", "847330", "8486", "8524", "8542"} <= set(
        electronics.products
    )


def test_the_docs_list_every_measure_as_the_table_holds_it(table: tm.MeasureTable) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert m.measures_markdown(table) in doc, "python -m model.measures --measures"
