"""Property: whatever Comtrade+ JSON or workbook arrives, `load_files` either loads it whole or raises InputError.

The CSV formats are fuzzed in test_fuzz_csv.py; here hypothesis builds API answers (a `count`, a `data` list of
records whose fields are plausible, hostile or of the wrong JSON type, extra nesting, a wrong count, error bodies)
and Comtrade+ workbooks (title rows above the header, a cover sheet first, cells of every openpyxl type, blank
rows). A refusal must be an InputError that leaves the database exactly as it was; a load must leave exactly the
reported rows, none with a missing, negative, implausible or non-finite value, an unknown or contradicting
country, an unknown flow or a period that is not its year's.
"""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from etl import settings as balanza_settings
from etl.errors import InputError
from etl.load import load_files
from etl.store import copy_database
from etl.validate import MAX_VALUE_USD
from tests.dbstate import snapshot

FIELDS = ["refYear", "period", "reporterCode", "reporterISO", "partnerCode", "partnerISO", "flowCode", "cmdCode",
          "aggrLevel", "classificationCode", "customsCode", "motCode", "partner2Code", "primaryValue", "netWgt"]  # fmt: skip
PLAUSIBLE: dict[str, list[object]] = {
    "refYear": [1999, 1999, "1999", 1999.0, 1999.5, 2101, None],
    "period": [1999, "1999", "199901", "199913", "abcd", 1998],
    "reporterCode": [170, 170, "170", 842, 4242],
    "reporterISO": ["COL", "COL", "", None, "PER"],
    "partnerCode": [276, 392, 0, "276", 170, 99999],
    "partnerISO": ["DEU", "JPN", "W00", "", None, "FRA"],
    "flowCode": ["X", "M", "RX", "DX", "FM", "Z", None, 1],
    "cmdCode": ["TOTAL", "0901", "901", 901, "09", 9, "090111", "9O01", None],
    "aggrLevel": [0, 2, 4, 6, "4", None],
    "classificationCode": ["H5", "H6", "HS", "S3", None],
    "customsCode": ["C00", "C00", "C01", None],
    "motCode": [0, 0, 2100, None],
    "partner2Code": [0, 0, 56, None],
    "primaryValue": [1000.5, 0, 12, "12", -3, 1e300, 2.5e14, None, "n/a", True],
    "netWgt": [1.5, None, "heavy", -1],
}  # fmt: skip
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "NaN", "inf", "1,5", "1.234", "=HYPERLINK(\"x\")", "\u202e", "x" * 3000]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=10),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip


@st.composite
def clean_records(draw: st.DrawFn) -> list[dict[str, object]]:
    """Records that must load: Colombia → Germany/Japan 1999, distinct products, finite values (one in three files)."""
    codes = draw(st.lists(st.sampled_from(["TOTAL", "0901", "0902", "1001", "8517", "090111"]), min_size=1,
                          max_size=4, unique=True))  # fmt: skip
    out = []
    for code in codes:
        partner, iso = draw(st.sampled_from([(276, "DEU"), (392, "JPN")]))
        out.append({"refYear": 1999, "period": "1999", "reporterCode": 170, "reporterISO": "COL",
                    "partnerCode": partner, "partnerISO": iso, "flowCode": draw(st.sampled_from(["X", "M"])),
                    "cmdCode": code, "aggrLevel": 0 if code == "TOTAL" else len(code), "classificationCode": "H5",
                    "customsCode": "C00", "motCode": 0, "partner2Code": 0,
                    "primaryValue": draw(st.floats(0, 1e12, allow_nan=False)), "netWgt": None})  # fmt: skip
    return out


@st.composite
def records(draw: st.DrawFn, *, json_types: bool) -> list[dict[str, object]]:
    if draw(st.integers(0, 2)) == 0:
        return draw(clean_records())
    fields = [f for f in FIELDS if draw(st.integers(0, 19)) > 0]  # sometimes a field is missing
    out = []
    for _ in range(draw(st.integers(0, 5))):
        record: dict[str, object] = {}
        for name in fields:
            if draw(st.integers(0, 9)) < 8:
                record[name] = draw(st.sampled_from(PLAUSIBLE[name]))
            else:
                value = draw(HOSTILE)
                record[name] = value if json_types or not isinstance(value, list | dict) else str(value)
        out.append(record)
    return out


@st.composite
def api_answers(draw: st.DrawFn) -> bytes:
    data = draw(records(json_types=True))
    document: dict[str, object] = {"elapsedTime": "0.1 secs", "count": len(data), "data": data, "error": ""}
    mutation = draw(st.sampled_from(["none", "none", "none", "count", "count_text", "error", "data_object",
                                     "no_count", "deep"]))  # fmt: skip
    if mutation == "count":
        document["count"] = len(data) + draw(st.sampled_from([-1, 1, 100]))
    elif mutation == "count_text":
        document["count"] = str(len(data))
    elif mutation == "error":
        document["error"] = draw(st.sampled_from(["Invalid subscription key", "rate limit"]))
    elif mutation == "data_object":
        document["data"] = {"0": data}
    elif mutation == "no_count":
        del document["count"]
    elif mutation == "deep":
        nested: object = 1
        for _ in range(draw(st.integers(20, 60))):
            nested = [nested]
        document["extra"] = nested
    text = json.dumps(document, allow_nan=draw(st.booleans()), default=str)
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode("utf-8")


def _cell(value: object) -> object:
    """A value a workbook can hold (control characters are not allowed in XLSX text)."""
    if value is not None and not isinstance(value, int | float | str | bool):
        value = str(value)
    return ILLEGAL_CHARACTERS_RE.sub("?", value) if isinstance(value, str) else value


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    data = draw(records(json_types=False))
    header = [name for name in FIELDS if any(name in r for r in data)] or [
        "refYear",
        "cmdCode",
        "primaryValue",
    ]
    if draw(st.integers(0, 4)) == 0:
        header = header + [draw(st.sampled_from(header))]  # a duplicated header
    workbook = Workbook()
    sheet = workbook.active
    if draw(st.booleans()):  # a cover sheet first
        sheet.title = "About"
        sheet.append(["Comtrade extract"])
        sheet = workbook.create_sheet("Data")
    for _ in range(draw(st.integers(0, 3))):  # title rows
        sheet.append([draw(st.sampled_from(["UN Comtrade", "Values in USD", None]))])
    sheet.append(header)
    for record in data:
        if draw(st.integers(0, 9)) == 0:
            sheet.append([])
        sheet.append([_cell(record.get(name)) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    raw = buffer.getvalue()
    if draw(st.integers(0, 14)) == 0:
        # A cut at a drawn fraction, not a drawn offset: the saved bytes carry the time of saving, so their
        # length can differ between a run and hypothesis's replay of it.
        raw = raw[: len(raw) * draw(st.integers(0, 1000)) // 1000]
    return raw


@pytest.fixture(scope="module")
def fuzz_db(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("fuzz_xj") / "fuzz.duckdb"
    copy_database(bundled_db, copy)
    return copy


# Half of BALANZA_FUZZ_EXAMPLES per format (workbooks are slow to write and read): 30 each by default.
EXAMPLES = max(1, balanza_settings.FUZZ_EXAMPLES.get_int() // 2)
OUTCOMES = {"json": {"loaded": 0, "refused": 0}, "xlsx": {"loaded": 0, "refused": 0}}
_names = itertools.count()


def _check(fuzz_db: Path, kind: str, suffix: str, data: bytes, same_path: bool) -> None:
    folder = fuzz_db.parent / "inputs"
    folder.mkdir(exist_ok=True)
    path = folder / (f"same{suffix}" if same_path else f"file_{next(_names)}{suffix}")
    path.write_bytes(data)
    before = snapshot(fuzz_db)
    try:
        results = load_files(fuzz_db, [path])
    except InputError as error:
        OUTCOMES[kind]["refused"] += 1
        assert error.path == str(path)
        assert snapshot(fuzz_db) == before
        return
    OUTCOMES[kind]["loaded"] += 1
    [result] = results
    con = duckdb.connect(str(fuzz_db), read_only=True)
    try:
        if result.status == "unchanged":
            return
        dataset_id = con.execute(
            "SELECT dataset_id FROM datasets WHERE path = ? ORDER BY dataset_id DESC LIMIT 1", [result.path]
        ).fetchone()[0]
        assert result.rows > 0  # nothing loaded is an error, not a success
        held = con.execute("SELECT count(*) FROM trade WHERE dataset_id = ?", [dataset_id]).fetchone()[0]
        assert held == result.rows
        bad = con.execute(
            f"""SELECT count(*) FROM trade WHERE dataset_id = ? AND (value_usd IS NULL OR NOT isfinite(value_usd)
                OR value_usd < 0 OR value_usd > {MAX_VALUE_USD} OR reporter_iso3 LIKE '?%' OR partner_iso3 LIKE '?%'
                OR reporter_iso3 LIKE '!%' OR partner_iso3 LIKE '!%'
                OR flow NOT IN ('export', 'import', 're-export', 're-import')
                OR substr(period, 1, 4) <> CAST(year AS VARCHAR)
                OR (reporter_iso3 = partner_iso3 AND flow IN ('export', 're-export'))
                OR (hs_vintage IS NOT NULL AND hs_vintage NOT IN ('H0','H1','H2','H3','H4','H5','H6','HS')))""",
            [dataset_id],
        ).fetchone()[0]
        assert bad == 0
        orphans = con.execute(
            "SELECT count(*) FROM trade WHERE dataset_id NOT IN (SELECT dataset_id FROM datasets)"
        )
        assert orphans.fetchone()[0] == 0
    finally:
        con.close()


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=api_answers(), same_path=st.booleans())
def test_any_api_answer_loads_whole_or_is_refused_with_input_error(fuzz_db: Path, data: bytes,
                                                                   same_path: bool) -> None:  # fmt: skip
    _check(fuzz_db, "json", ".json", data, same_path)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=workbooks(), same_path=st.booleans())
def test_any_comtrade_workbook_loads_whole_or_is_refused_with_input_error(fuzz_db: Path, data: bytes,
                                                                          same_path: bool) -> None:  # fmt: skip
    _check(fuzz_db, "xlsx", ".xlsx", data, same_path)


def test_fuzzing_reached_both_outcomes_for_json_and_xlsx() -> None:
    """Runs after the properties (file order): the generators are not so hostile that nothing ever loads."""
    if sum(sum(kind.values()) for kind in OUTCOMES.values()) == 0:
        pytest.skip("the fuzz tests did not run in this session")
    for kind, counts in OUTCOMES.items():
        print(
            f"\nfuzzed {kind} inputs: {counts['loaded']} loaded whole, {counts['refused']} refused with InputError"
        )
        assert counts["refused"] > 0, kind
        assert counts["loaded"] > 0, kind
