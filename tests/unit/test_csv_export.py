from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd

from dashboard.csv_export import (
    METADATA_COLUMNS,
    neutralise_cell,
    neutralise_frame,
    to_csv_bytes,
    with_metadata,
)

STAMP = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def _read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)


def test_formula_like_text_is_neutralised() -> None:
    for dangerous in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_cell(dangerous) == "'" + dangerous
    assert neutralise_cell("Colombia") == "Colombia"
    assert neutralise_cell(-5.0) == -5.0


def test_numeric_columns_stay_numeric_including_negatives() -> None:
    frame = pd.DataFrame({"partner": ['=HYPERLINK("x")', "CHN"], "balance": [-13.5, 2.0]})
    out = neutralise_frame(frame)
    assert out["balance"].tolist() == [-13.5, 2.0]
    assert pd.api.types.is_numeric_dtype(out["balance"])
    assert out["partner"].tolist() == ['\'=HYPERLINK("x")', "CHN"]
    assert frame["partner"].iloc[0].startswith("=")  # input untouched


def test_csv_holds_exactly_the_rows_plus_metadata() -> None:
    frame = pd.DataFrame({"year": [2023, 2024], "value": [1.5, -2.25], "note": ["a", "-b"]})
    data = to_csv_bytes(
        frame,
        source="IMF DOTS",
        valuation="FOB",
        units="USD billions (nominal)",
        filters={"partners": ["CHN", "USA"], "unit": "nominal"},
        view_url="http://127.0.0.1:8501/balances?partners=CHN%2CUSA",
        generated_at=STAMP,
    )
    read = _read(data)
    assert list(read.columns) == ["year", "value", "note", *METADATA_COLUMNS]
    assert read["year"].tolist() == [2023, 2024]
    assert read["value"].tolist() == [1.5, -2.25]
    assert read["note"].tolist() == ["a", "'-b"]
    assert set(read["filters"]) == {"partners=CHN,USA; unit=nominal"}
    assert set(read["generated_at"]) == {"2025-05-01T12:00:00Z"}
    assert set(read["view_url"]) == {"http://127.0.0.1:8501/balances?partners=CHN%2CUSA"}
    assert data.startswith(b"\xef\xbb\xbf")


def test_per_row_source_column_is_kept() -> None:
    frame = pd.DataFrame({"year": [2020, 2021], "source": ["imf_dots", "published"]})
    out = with_metadata(
        frame, source="mixed", valuation="FOB", units="USD", filters={}, view_url="u", generated_at=STAMP
    )
    assert out["source"].tolist() == ["imf_dots", "published"]
    assert out["valuation"].tolist() == ["FOB", "FOB"]


def test_empty_frame_gives_header_only() -> None:
    data = to_csv_bytes(
        pd.DataFrame({"year": pd.Series([], dtype="int64")}),
        source="s",
        valuation="v",
        units="u",
        filters={},
        view_url="u",
        generated_at=STAMP,
    )
    assert _read(data).empty


def test_a_carriage_return_inside_a_cell_stays_inside_the_cell() -> None:
    import csv

    frame = pd.DataFrame({"quote": ["\r=1+1", 'text\r=HYPERLINK("x")'], "value_usd": [1.0, 2.0]})
    data = to_csv_bytes(
        frame, source="s", valuation="v", units="u", filters={}, view_url="", generated_at=STAMP
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 3
    assert [row[0] for row in rows[1:]] == ["'\r=1+1", 'text\r=HYPERLINK("x")']
