from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd

from dashboard.csv_export import (
    METADATA_COLUMNS,
    TableFile,
    metadata_header,
    neutralise_cell,
    neutralise_frame,
    rounded,
    to_csv_bytes,
    with_metadata,
)
from dashboard.xlsx_export import MAX_CELLS, fits, to_xlsx_bytes

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
    metadata = [metadata_header(name) for name in METADATA_COLUMNS]
    assert list(read.columns) == ["year", "value", "note", *metadata]
    assert metadata == [
        "Publisher",
        "Valuation",
        "Units",
        "Filters",
        "Generated at (UTC)",
        "Link to this view",
    ]
    assert read["year"].tolist() == [2023, 2024]
    assert read["value"].tolist() == [1.5, -2.25]
    assert read["note"].tolist() == ["a", "'-b"]
    assert set(read["Filters"]) == {"partners=CHN,USA; unit=nominal"}
    assert set(read["Generated at (UTC)"]) == {"2025-05-01T12:00:00Z"}
    assert set(read["Link to this view"]) == {"http://127.0.0.1:8501/balances?partners=CHN%2CUSA"}
    assert data.startswith(b"\xef\xbb\xbf")


def test_per_row_source_column_is_kept() -> None:
    frame = pd.DataFrame({"year": [2020, 2021], "source": ["imf_dots", "published"]})
    out = with_metadata(
        frame, source="mixed", valuation="FOB", units="USD", filters={}, view_url="u", generated_at=STAMP
    )
    assert out["source"].tolist() == ["imf_dots", "published"]
    assert out["Valuation"].tolist() == ["FOB", "FOB"]
    assert "Publisher" not in out  # the per-row column says it


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


# ---- a spreadsheet that opens right in a Spanish locale ----------------------------------------------------------

SPANISH = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}


def test_spanish_csv_uses_semicolons_a_decimal_comma_and_the_pages_rounding() -> None:
    # 2.377153 (USD bn) must read back as 2,38 — never 2 377 153 — and 15,936,097,370.2 dollars as a whole number.
    frame = pd.DataFrame(
        {"Año": [2024, 2023], "Valor (miles de millones de USD)": [2.377153, -13.559204871],
         "Valor (USD)": [2377153000.4, 15936097370.2], "Socio": ["China", "=1+1"]}
    )  # fmt: skip
    data = to_csv_bytes(
        frame, source="DANE", valuation="FOB", units="miles de millones de USD", filters={"socios": ["CHN"]},
        view_url="balances?lang=es", generated_at=STAMP, lang="es",
        decimals={"Valor (miles de millones de USD)": 2, "Valor (USD)": 0},
    )  # fmt: skip
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header, first = text.split("\r\n")[:2]
    assert header.split(";")[:4] == ["Año", "Valor (miles de millones de USD)", "Valor (USD)", "Socio"]
    assert first.split(";")[:3] == ["2024", "2,38", "2377153000"]
    read = pd.read_csv(io.BytesIO(data), **SPANISH)
    assert read["Valor (miles de millones de USD)"].tolist() == [2.38, -13.56]
    assert read["Valor (USD)"].tolist() == [2377153000, 15936097370]
    assert read["Socio"].tolist() == ["China", "'=1+1"]
    assert read["Publicador"].tolist() == ["DANE", "DANE"]
    assert read["Enlace a esta vista"].tolist() == ["balances?lang=es"] * 2


def test_english_csv_uses_commas_and_points() -> None:
    frame = pd.DataFrame({"Year": [2024], "Value (USD bn)": [2.377153]})
    data = to_csv_bytes(frame, source="s", valuation="v", units="u", filters={}, view_url="", lang="en",
                        decimals={"Value (USD bn)": 2})  # fmt: skip
    assert data.decode("utf-8-sig").split("\r\n")[1].startswith("2024,2.38,")


def test_rounding_keeps_gaps_and_leaves_unnamed_columns_alone() -> None:
    frame = pd.DataFrame({"a": [1.23456, None], "b": [1.23456, 2.5]})
    out = rounded(frame, {"a": 0})
    assert out["a"].iloc[0] == 1.0 and pd.isna(out["a"].iloc[1])
    assert out["b"].tolist() == [1.23456, 2.5]
    assert rounded(frame, {"b": 0})["b"].dtype == "int64"


# ---- the same table as a workbook ---------------------------------------------------------------------------


def _table(lang: str) -> TableFile:
    frame = pd.DataFrame(
        {"Año": [2023, 2024], "Valor (millones de USD)": [2377.153, None], "Participación (%)": [12.3456, 7.0],
         "Socio": ["China", '=HYPERLINK("http://x")'], "Publicador": ["DANE", "Oficina del Censo de EE. UU."]}
    )  # fmt: skip
    return TableFile(
        frame, source="DANE; Oficina del Censo de EE. UU.", valuation="FOB", units="millones de USD",
        filters={"socios": ["CHN", "USA"]}, view_url="https://balanza.example.org/balances?lang=es", lang=lang,
        generated_at=STAMP, decimals={"Valor (millones de USD)": 1, "Participación (%)": 2},
    )  # fmt: skip


def test_workbook_has_numeric_cells_a_units_row_and_a_sources_sheet() -> None:
    from openpyxl import load_workbook

    data = to_xlsx_bytes(_table("es"))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Datos", "Fuentes"]
    sheet = book["Datos"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Año", "Valor (millones de USD)", "Participación (%)", "Socio", "Publicador")
    assert rows[1] == (None, "millones de USD", "%", None, None)  # the units row (none for years and text)
    assert rows[2][:3] == (2023, 2377.2, 12.35)
    assert rows[3][1] is None  # a gap stays empty, never 0
    assert isinstance(rows[2][1], float) and sheet["B3"].number_format == "#,##0.0"
    assert sheet["C3"].number_format == "#,##0.00" and sheet["A3"].number_format == "0"
    # text is text: a formula-like name is stored as a string, not a formula
    assert sheet["D4"].data_type == "s" and sheet["D4"].value == '=HYPERLINK("http://x")'
    about = {row[0]: row[1] for row in book["Fuentes"].iter_rows(values_only=True)}
    assert about["Publicador"] == "DANE; Oficina del Censo de EE. UU."
    assert about["Valoración"] == "FOB" and about["Unidades"] == "millones de USD"
    assert about["Enlace a esta vista"] == "https://balanza.example.org/balances?lang=es"
    assert about["Generado (UTC)"] == "2025-05-01T12:00:00Z"
    # pandas reads the numbers back as numbers (the units row skipped)
    read = pd.read_excel(io.BytesIO(data), sheet_name="Datos", skiprows=[1])
    assert read["Valor (millones de USD)"].iloc[0] == 2377.2
    assert read["Participación (%)"].tolist() == [12.35, 7.0]


def test_workbook_in_english_names_its_sheets_in_english() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx_bytes(_table("en"))))
    assert book.sheetnames == ["Data", "Sources"]
    assert {row[0] for row in book["Sources"].iter_rows(values_only=True)} >= {
        "Publisher",
        "Link to this view",
    }


def test_a_table_too_large_for_a_workbook_is_refused_by_size() -> None:
    assert fits(pd.DataFrame({"a": range(10)}))
    assert not fits(pd.DataFrame({c: range(MAX_CELLS // 4 + 1) for c in "abcd"}))
