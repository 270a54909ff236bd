from __future__ import annotations

import pytest

from dashboard.url_state import (
    CHOICE,
    FLOAT,
    INT,
    MULTI,
    TEXT,
    InvalidParam,
    Param,
    parse,
    read_params,
    serialise,
)

SPECS = [
    Param("partners", MULTI, ["CHN"], ("CHN", "USA", "WLD")),
    Param("view", CHOICE, "reporter", ("reporter", "mirror", "reconciled")),
    Param("factor", FLOAT, 1.06, minimum=1.0, maximum=1.5),
    Param("base", CHOICE, 2024, (2019, 2024)),
    Param("from", INT, 2000, minimum=1960, maximum=2026),
    Param("q", TEXT, "", max_length=10),
]


def test_valid_values_round_trip() -> None:
    raw = {
        "partners": "USA,WLD",
        "view": "mirror",
        "factor": "1.08",
        "base": "2019",
        "from": "1990",
        "q": "coffee",
    }
    values, problems = read_params(SPECS, raw)
    assert problems == []
    assert values == {
        "partners": ["USA", "WLD"],
        "view": "mirror",
        "factor": 1.08,
        "base": 2019,
        "from": 1990,
        "q": "coffee",
    }
    assert {spec.name: serialise(spec, values[spec.name]) for spec in SPECS} == raw


def test_invalid_values_fall_back_to_defaults_with_reasons() -> None:
    raw = {
        "partners": "CHN,XXX",
        "view": "sideways",
        "factor": "nan",
        "base": "abc",
        "from": "1800",
        "q": "x" * 11,
    }
    values, problems = read_params(SPECS, raw)
    assert values == {spec.name: spec.default for spec in SPECS}
    assert [name for name, _, _ in problems] == [spec.name for spec in SPECS]


def test_absent_parameters_take_defaults() -> None:
    values, problems = read_params(SPECS, {})
    assert problems == [] and values["factor"] == 1.06


def test_multi_drops_duplicates_and_rejects_empty() -> None:
    assert parse(SPECS[0], "CHN,CHN,USA") == ["CHN", "USA"]
    with pytest.raises(InvalidParam):
        parse(SPECS[0], ",")


def test_escape_markdown_neutralises_links_and_html() -> None:
    from dashboard.url_state import escape_markdown

    escaped = escape_markdown("[Sign in](https://evil.example) <img src=x> *bold*")
    assert "](" not in escaped and "\\<img" in escaped and "*bold*" not in escaped
    assert escaped.replace("\\", "") == "[Sign in](https://evil.example) <img src=x> *bold*"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2005-2010", (2005, 2010)),
        ("1990-2030", (2000, 2024)),  # a link from a longer series: clipped to the years this one has
        ("2030-2040", (2024, 2024)),
        ("1980-1990", (2000, 2000)),
        ("2024-2010", (2010, 2024)),  # written backwards
        ("soon", (2000, 2024)),  # unreadable: the default range
    ],
)
def test_a_year_range_from_the_url_is_clipped_to_the_series_years(
    raw: str, expected: tuple[int, int]
) -> None:
    from dashboard.time_charts import parse_year_range

    # st.slider refuses a value outside [min_value, max_value]: the range from the URL must be inside
    assert parse_year_range(raw, 2000, 2024) == expected
    low, high = parse_year_range(raw, 1995, 2024)
    assert 1995 <= low <= high <= 2024
