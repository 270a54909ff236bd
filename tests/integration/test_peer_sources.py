"""Colombia's peers (ARG, BRA, CHL, ECU, MEX, PER): the new files as loaded, against values read here straight
from the raw files (pandas, openpyxl; never through the adapters), the series of record's choice among them, and
bad copies refused by name with the database unchanged."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl import record, record_balance, settings
from etl.errors import InputError
from etl.load import FileMetadata, load_files
from etl.manifest import read_manifest
from tests.dbstate import snapshot

RAW = settings.DATA_DIR / "raw"
EDGES = RAW / "comtrade-latam-exports-10-reporters-2000-2025" / "trade_edges_global_partners.csv"
EDGES_COL = RAW / "comtrade-latam-exports-col-2000-2025" / "trade_edges_global_partners_COL_exporter_rows.csv"
DBNOMICS = RAW / "imf-dots-dbnomics-latam-2015-2024" / "dots_trade_LATAM7_rows.csv"
WORKBOOKS = RAW / "imf-dots-latam-peers-1960-2020"
CENSUS_FOLDER = RAW / "us-census-trade-latam-peers-2021-2024"
CENSUS = CENSUS_FOLDER / "us_census_goods_trade_ARG_BRA_CHL_ECU_MEX_PER_2021_2024_annual.csv"
CHINA_PLP = RAW / "comtrade-china-reported-plp-incl-brazil-2003-2024" / "cn_plp_trocas_2003-2024.xlsx"
PEERS = ("ARG", "BRA", "CHL", "ECU", "MEX", "PER")
ISO2 = {"AR": "ARG", "BR": "BRA", "CL": "CHL", "CO": "COL", "EC": "ECU", "MX": "MEX", "PE": "PER",
        "CN": "CHN", "US": "USA", "W00": "WLD"}  # fmt: skip
WORKBOOK_OF = {"ARG": "DOTS_8_Argentina.xlsx", "BRA": "DOTS_28_Brazil.xlsx", "CHL": "DOTS_39_Chile.xlsx",
               "ECU": "DOTS_60_Ecuador.xlsx", "MEX": "DOTS_127_Mexico.xlsx", "PER": "DOTS_156_Peru.xlsx"}  # fmt: skip
IMF_NAMES = {"WLD": "World", "USA": "United States", "CHN": "China, P.R.: Mainland"}
SHEETS = {"export": "Exports, FOB", "import": "Imports, CIF"}


# ---------------------------------------------------------------------------- the raw files, read here
@cache
def edges() -> pd.DataFrame:
    return pd.read_csv(EDGES, dtype={"exporter": str, "importer": str, "year": int, "value_usd": float})


@cache
def dbnomics() -> dict[tuple[str, str, str, int], float]:
    """(reporter, partner, flow, year) → USD, from the DBnomics rows (USD millions in the file)."""
    frame = pd.read_csv(DBNOMICS, dtype=str)
    flows = {"TXG_FOB_USD": "export", "TMG_CIF_USD": "import"}
    return {(ISO2[r.ref_area], ISO2[r.counterpart], flows[r.indicator], int(r.year)): float(r.value) * 1e6
            for r in frame.itertuples()}  # fmt: skip


@cache
def workbook_cells(reporter: str) -> dict[tuple[str, str, int], float]:
    """(partner, flow, year) → USD for the World, the USA and China in the reporter's DOTS workbook; empty cells
    are left out."""
    book = openpyxl.load_workbook(WORKBOOKS / WORKBOOK_OF[reporter], read_only=True, data_only=True)
    out: dict[tuple[str, str, int], float] = {}
    for flow, title in SHEETS.items():
        rows = list(book[title].iter_rows(values_only=True))
        years = {
            index: int(cell) for index, cell in enumerate(rows[6]) if cell and str(cell).strip().isdigit()
        }
        for row in rows[7:]:
            for partner, name in IMF_NAMES.items():
                if len(row) > 1 and row[1] == name:
                    for index, year in years.items():
                        if index < len(row) and row[index] not in (None, ""):
                            out[(partner, flow, year)] = _imf_number(row[index]) * 1e6
    book.close()
    return out


def _imf_number(cell: object) -> float:
    """A workbook cell: a number, or IMF's estimate written as text ('1,830.91 e')."""
    if isinstance(cell, str):
        return float(cell.removesuffix(" e").replace(",", ""))
    return float(cell)  # type: ignore[arg-type]


@cache
def china_plp() -> pd.DataFrame:
    book = openpyxl.load_workbook(CHINA_PLP, read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return pd.DataFrame(rows[1:], columns=rows[0])


def expected_record(reporter: str, partner: str, flow: str, year: int) -> tuple[float, str] | None:
    """The documented order, from the raw files: what the reporter told UN Comtrade, then IMF DOTS newest
    vintage first (DBnomics), then the early-2022 workbooks. None: a gap."""
    comtrade = edges()[
        (edges().exporter == reporter) & (edges().importer == partner) & (edges().year == year)
    ]
    if flow == "export" and len(comtrade):
        return float(comtrade.value_usd.iloc[0]), "comtrade"
    if (reporter, partner, flow, year) in dbnomics():
        return dbnomics()[(reporter, partner, flow, year)], "imf_dots_dbnomics"
    cell = workbook_cells(reporter).get((partner, flow, year))
    return (cell, "imf_dots") if cell is not None else None


# ---------------------------------------------------------------------------- every loaded row is the file's
def test_the_ten_reporter_file_loads_row_for_row(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    frame = edges()
    assert len(frame) == 3565
    loaded = {
        (r, p, y): v
        for r, p, y, v in small_bundle_con.execute(
            "SELECT reporter_iso3, partner_iso3, year, value_usd FROM trade WHERE source = 'comtrade' "
            "AND hs_code = 'TOTAL' AND flow = 'export' AND valuation = 'FOB' AND reporter_iso3 <> 'CHN'"
        ).fetchall()
    }
    assert loaded == {(r.exporter, r.importer, r.year): r.value_usd for r in frame.itertuples()}
    # PROVENANCE: Brazil → China 2023 104,324.8 million; Peru has no 2025 (absent, not zero)
    assert round(loaded[("BRA", "CHN", 2023)] / 1e6, 1) == 104_324.8
    assert not [key for key in loaded if key[0] == "PER" and key[2] == 2025]
    assert not [key for key in loaded if key[0] == "HND" and key[2] in (2008, 2013, 2022, 2025)]
    provisional = small_bundle_con.execute(
        "SELECT DISTINCT year FROM provisional WHERE source = 'comtrade'"
    ).fetchall()
    assert provisional == [(2025,)]  # the compiler: 2025 may be incomplete or revised


def test_the_colombia_subset_is_the_full_files_colombia_rows_and_is_not_loaded_twice() -> None:
    """The bundled Colombia extract is byte for byte the header and COL rows of the complete file, which the
    manifest loads instead (the store refuses the same observations from a second file of the same source)."""
    lines = EDGES.read_text(encoding="utf-8").splitlines(keepends=True)
    subset = [lines[0], *(line for line in lines[1:] if line.startswith("COL,"))]
    assert "".join(subset) == EDGES_COL.read_text(encoding="utf-8")
    listed = {entry.path.resolve() for entry in read_manifest(settings.MANIFEST_PATH)}
    assert EDGES.resolve() in listed and EDGES_COL.resolve() not in listed


def test_the_dbnomics_rows_load_in_us_dollars(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    loaded = {
        (r, p, f, y): (v, val)
        for r, p, f, y, v, val in small_bundle_con.execute(
            "SELECT reporter_iso3, partner_iso3, flow, year, value_usd, valuation FROM trade "
            "WHERE source = 'imf_dots_dbnomics'"
        ).fetchall()
    }
    assert len(loaded) == len(dbnomics()) == 420
    for key, value in dbnomics().items():
        assert loaded[key] == (pytest.approx(value, rel=1e-12), "FOB" if key[2] == "export" else "CIF")
    # PROVENANCE, 2024: Chile's imports from China 21,166 and Mexico's exports to the USA 512,711 (USD millions)
    assert round(loaded[("CHL", "CHN", "import", 2024)][0] / 1e6) == 21_166
    assert round(loaded[("MEX", "USA", "export", 2024)][0] / 1e6) == 512_711


@pytest.mark.parametrize("reporter", PEERS)
def test_the_peer_workbooks_load_cell_for_cell(
    small_bundle_con: duckdb.DuckDBPyConnection, reporter: str
) -> None:
    cells = workbook_cells(reporter)
    loaded = {
        (p, f, y): v
        for p, f, y, v in small_bundle_con.execute(
            "SELECT partner_iso3, flow, year, value_usd FROM trade WHERE source = 'imf_dots' AND reporter_iso3 = ? "
            "AND partner_iso3 IN ('WLD', 'USA', 'CHN')",
            [reporter],
        ).fetchall()
    }
    assert set(loaded) == set(cells)
    for key, value in cells.items():
        assert loaded[key] == pytest.approx(value, rel=1e-12)
    total = small_bundle_con.execute(
        "SELECT count(*) FROM trade WHERE source = 'imf_dots' AND reporter_iso3 = ?", [reporter]
    ).fetchone()[0]
    assert total > 10_000  # every partner, not only these three


def test_ecuadors_exports_to_china_2000_2002_are_gaps_in_the_workbook() -> None:
    cells = workbook_cells("ECU")
    assert not [y for y in (2000, 2001, 2002) if ("CHN", "export", y) in cells]
    assert ("CHN", "export", 2003) in cells
    # PROVENANCE: Brazil exports to the World 2020, 211,261 million
    assert round(workbook_cells("BRA")[("WLD", "export", 2020)] / 1e6) == 211_261


def test_the_us_census_side_loads(small_bundle_con: duckdb.DuckDBPyConnection) -> None:
    frame = pd.read_csv(CENSUS)
    loaded = {
        (p, f, y): v
        for p, f, y, v in small_bundle_con.execute(
            "SELECT partner_iso3, flow, year, value_usd FROM trade WHERE source = 'us_census_general' "
            "AND reporter_iso3 = 'USA' AND partner_iso3 IN ('ARG', 'BRA', 'CHL', 'ECU', 'MEX', 'PER')"
        ).fetchall()
    }
    expected = {}
    for row in frame.itertuples():
        expected[(row.us_partner_iso3, "export", row.year)] = row.us_exports_usd_million * 1e6
        expected[(row.us_partner_iso3, "import", row.year)] = row.us_imports_usd_million * 1e6
    assert set(loaded) == set(expected) and len(expected) == 48
    for key, value in expected.items():
        assert loaded[key] == pytest.approx(value, rel=1e-12)


def test_china_reported_trade_with_brazil_loads_from_the_workbook(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    frame = china_plp()
    brazil = frame[frame.partnerDesc == "Brazil"]
    loaded = {
        (f, y): (v, val)
        for f, y, v, val in small_bundle_con.execute(
            "SELECT flow, year, value_usd, valuation FROM trade WHERE source = 'comtrade' AND reporter_iso3 = 'CHN' "
            "AND partner_iso3 = 'BRA'"
        ).fetchall()
    }
    assert len(loaded) == 2 * len(brazil) == 44
    for row in brazil.itertuples():
        assert loaded[("export", row.refYear)] == (float(row[4]), "FOB")  # Exportações: China's exports
        assert loaded[("import", row.refYear)] == (float(row[5]), "CIF")  # Importações: China's imports
    # PROVENANCE: China's imports from Brazil 2023, 122,490.6 million
    assert round(loaded[("import", 2023)][0] / 1e6, 1) == 122_490.6
    cells = int(frame[["Exportações", "Importações"]].notna().sum().sum())
    china_rows = "SELECT count(*) FROM trade WHERE source = 'comtrade' AND reporter_iso3 = 'CHN'"
    assert small_bundle_con.execute(china_rows).fetchone()[0] == cells == 388  # empty cells: gaps, not zeros


# ---------------------------------------------------------------------------- the series of record
@pytest.mark.parametrize("reporter", PEERS)
def test_the_record_follows_the_documented_order_for_every_peer_year(
    small_bundle_con: duckdb.DuckDBPyConnection, reporter: str
) -> None:
    frame = record.query_record(small_bundle_con, reporter=reporter, partners=["CHN", "USA", "WLD"],
                                years=range(2000, 2025))  # fmt: skip
    got = {(r.partner_iso3, r.flow, r.year): (r.value_usd, r.source) for r in frame.itertuples()}
    expected = {}
    for partner in ("CHN", "USA", "WLD"):
        for flow in ("export", "import"):
            for year in range(2000, 2025):
                value = expected_record(reporter, partner, flow, year)
                if value is not None:
                    expected[(partner, flow, year)] = value
    assert set(got) == set(expected)
    for key, (value, source) in expected.items():
        assert got[key][1] == source, key
        assert got[key][0] == pytest.approx(value, rel=1e-12), key


def test_the_vintages_disagree_where_the_provenance_says_and_the_later_one_is_the_record(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    """Ecuador's imports from China 2015-2019: the DBnomics vintage is 20-25 % above the workbooks; Peru 2020
    (incomplete in the workbooks): the record is the later vintage."""
    for year in range(2015, 2020):
        later, earlier = (
            dbnomics()[("ECU", "CHN", "import", year)],
            workbook_cells("ECU")[("CHN", "import", year)],
        )
        assert 1.15 < later / earlier < 1.30
    frame = record.query_record(
        small_bundle_con, reporter="PER", partners=["WLD"], flows=["import"], years=[2020]
    )
    assert frame.value_usd.iloc[0] == pytest.approx(dbnomics()[("PER", "WLD", "import", 2020)])
    assert round(frame.value_usd.iloc[0] / 1e6) == 42_281  # not the workbooks' 30,952


# ---------------------------------------------------------------------------- bad copies are refused
def _refused(db: Path, path: Path, options: dict | None = None) -> InputError:
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        load_files(db, [path], metadata=[FileMetadata(options=options or {})])
    assert snapshot(db) == before
    return caught.value


def _plp_copy(tmp_path: Path, row: int, column: str, value: object) -> Path:
    book = openpyxl.load_workbook(CHINA_PLP)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1, value=value)
    path = tmp_path / "plp.xlsx"
    book.save(path)
    return path


def test_the_china_workbook_needs_its_reporter_named(scratch_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "plp.xlsx"  # the bundled path is loaded already (unchanged): load it under another one
    shutil.copyfile(CHINA_PLP, copy)
    error = _refused(scratch_db, copy)
    assert "does not name its reporter" in error.message and "options" in error.hint
    error = _refused(scratch_db, copy, {"reporter": "XXX"})
    assert "reporter 'XXX'" in error.message


@pytest.mark.parametrize(
    ("column", "value", "message", "letter"),
    [
        ("Trocas", 123, "the total (exports + imports) column says 123 but the flows give", "C"),
        ("Saldo", 5, "the balance (exports − imports) column says 5 but the flows give", "F"),
        ("Exportações", "n.d.", "value 'n.d.' is not a number", "D"),
        ("partnerDesc", "Atlantis", "unknown partner 'Atlantis'", "B"),
        ("refYear", "2003/04", "refYear '2003/04' is not a calendar year", "A"),
    ],
)
def test_a_broken_china_workbook_is_refused_with_line_and_column(
    scratch_db: Path, tmp_path: Path, column: str, value: object, message: str, letter: str
) -> None:
    path = _plp_copy(tmp_path, 3, column, value)  # line 3: 2003, Brazil
    error = _refused(scratch_db, path, {"reporter": "CHN"})
    assert message in error.message, error.message
    assert (error.line, error.column) == (3, letter)


def test_a_negative_china_export_is_refused(scratch_db: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(CHINA_PLP)
    sheet = book.worksheets[0]
    sheet.delete_rows(3, sheet.max_row)  # keep 2003 Angola only, not in the bundle under another path
    sheet.cell(row=2, column=1, value=1999)
    sheet.cell(row=2, column=4, value=-5)
    sheet.cell(row=2, column=3, value=2205934875)
    sheet.cell(row=2, column=6, value=-2205934885)
    path = tmp_path / "negative.xlsx"
    book.save(path)
    error = _refused(scratch_db, path, {"reporter": "CHN"})
    assert "negative trade value" in error.message and error.line == 2


def test_the_china_workbook_under_another_path_is_refused_as_a_double_count(
    scratch_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "again.xlsx"
    shutil.copyfile(CHINA_PLP, copy)
    error = _refused(scratch_db, copy, {"reporter": "CHN"})
    assert "it is the same file as" in error.message and CHINA_PLP.name in error.message


def test_balanza_status_lists_the_peers_record_by_source(small_bundle_db: Path) -> None:
    from etl.status import peer_coverage, render_peer_coverage

    text = render_peer_coverage(peer_coverage(small_bundle_db))
    lines = {tuple(line.split()[:3]): line for line in text.splitlines()[2:]}
    assert {reporter for reporter, _, _ in lines} == {"COL", *PEERS}
    assert len(lines) == 7 * 2 * 3  # every country, flow and partner (China, the USA, the World)
    ecuador_imports = lines[("ECU", "import", "CHN")]
    assert "imf_dots_dbnomics 2015-2024" in ecuador_imports and "imf_dots " in ecuador_imports
    assert lines[("PER", "export", "CHN")].endswith("comtrade 2000-2024")  # Peru has no 2025: a gap
    assert "comtrade 2000-2025 (2025 provisional)" in lines[("BRA", "export", "USA")]


def test_colombias_balance_with_china_on_the_peers_page_is_the_records_headline(
    small_bundle_con: duckdb.DuckDBPyConnection,
) -> None:
    """One number: the Peers page divides the record's headline balance (the Overview's, with its CIF/FOB rule), it
    does not recompute it with a factor of its own."""
    from dashboard import peers

    indicators = peers.query_peer_indicators(small_bundle_con, reporters=["COL", "BRA"])
    headline = record_balance.query_balance(
        small_bundle_con, reporter="COL", partners=["CHN"], basis="headline"
    )
    for year in (2015, 2024):
        shown = indicators[(indicators["reporter_iso3"] == "COL") & (indicators["indicator"] == "balance_chn")
                           & (indicators["year"] == year)].iloc[0]  # fmt: skip
        expected = headline[headline["year"] == year].iloc[0]
        assert shown["numerator_usd"] == pytest.approx(float(expected["balance_usd"]), rel=1e-12)
        assert str(expected["basis_label"]) in shown["basis"]
