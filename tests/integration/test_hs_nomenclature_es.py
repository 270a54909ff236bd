"""The Spanish HS nomenclature (EU Combined Nomenclature 2023, data/raw/reference/hs-nomenclature-es) loads
through the reference loader into hs_codes_es: every HS code of the bundled English nomenclature, the printed
Spanish text, and nothing that is not HS.

Expected values are read from the raw CSV with the csv module (lines picked by their printed code) and from the
English nomenclature file, not from the loader.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from etl import db
from etl.errors import InputError
from etl.load import load_into

ROOT = Path(__file__).resolve().parents[2]
ES = ROOT / "data" / "raw" / "reference" / "hs-nomenclature-es" / "cn2023_estructura_es.csv"
EN = ROOT / "data" / "raw" / "reference" / "hs-nomenclature" / "harmonized-system.csv"


def raw_rows() -> list[dict[str, str]]:
    with ES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def printed(cn_code: str) -> str:
    """NAME_ES of the line printed with this CN code (as in the file, spaces in the code included)."""
    (name,) = [r["NAME_ES"] for r in raw_rows() if r["CN_CODE"] == cn_code]
    return name


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path_factory.mktemp("es") / "es.duckdb"))
    db.create_schema(connection)
    result = load_into(connection, ES)
    assert result.table == "hs_codes_es"
    return connection


def test_every_hs_code_of_the_english_nomenclature_has_its_spanish_line(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with EN.open(encoding="utf-8", newline="") as handle:
        english = {
            (r["hscode"], int(r["level"])) for r in csv.DictReader(handle) if r["level"] in ("2", "4", "6")
        }
    # UN Comtrade's "commodities not specified" (99, 9999, 999999) is not HS.
    english -= {("99", 2), ("9999", 4), ("999999", 6)}
    spanish = {
        (c, int(lvl)) for c, lvl in con.execute("SELECT hs_code, hs_level FROM hs_codes_es").fetchall()
    }
    assert spanish == english
    counts = dict(con.execute("SELECT hs_level, count(*) FROM hs_codes_es GROUP BY 1").fetchall())
    assert counts == {2: 96, 4: 1228, 6: 5612}


def test_chapters_are_the_printed_titles_and_the_eu_chapter_98_is_left_out(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = raw_rows()
    chapters = {r["CN_CODE"]: r["NAME_ES"] for r in rows if r["LEVEL"] == "2" and r["CN_CODE"].isdigit()}
    assert chapters["98"].endswith("CONJUNTOS INDUSTRIALES")
    assert con.execute("SELECT count(*) FROM hs_codes_es WHERE hs_code = '98'").fetchone() == (0,)
    loaded = dict(con.execute("SELECT hs_code, description FROM hs_codes_es WHERE hs_level = 2").fetchall())
    assert loaded["09"] == "Café, té, yerba mate y especias"
    for code, description in loaded.items():
        # the printed title without 'CAPÍTULO n - ', same letters in another case
        assert chapters[code].upper().endswith(description.upper()), code


def test_headings_are_printed_as_is(con: duckdb.DuckDBPyConnection) -> None:
    for heading, cn_code in (("0901", "0901"), ("0603", "0603"), ("2701", "2701"), ("2709", "2709 00")):
        assert con.execute("SELECT description FROM hs_codes_es WHERE hs_code = ?", [heading]).fetchone() == (
            printed(cn_code),
        )
    assert printed("2709 00") == "Aceites crudos de petróleo o de mineral bituminoso"


def test_subheadings_carry_their_printed_lines(con: duckdb.DuckDBPyConnection) -> None:
    def loaded(code: str) -> str:
        return str(con.execute("SELECT description FROM hs_codes_es WHERE hs_code = ?", [code]).fetchone()[0])

    assert printed("0901 11 00") == "-- Sin descafeinar"
    assert loaded("090111") == "Café, incluso tostado o descafeinado — Café sin tostar — Sin descafeinar"
    assert printed("0603 11 00") == "-- Rosas"
    assert loaded("060311").endswith(" — Frescos — Rosas")
    assert loaded("720260") == "Ferroaleaciones — Ferroníquel"
    assert loaded("270900") == printed("2709 00")  # a heading without subheadings is its own subheading
    # The one coded line printed without its CN_CODE (its CNKEY says 8414 70 00).
    (line,) = [r for r in raw_rows() if r["CNKEY"] == "841470000080"]
    assert line["CN_CODE"] == ""
    assert loaded("841470").endswith("— Recintos de seguridad biológica herméticos a gases")
    heading = con.execute("SELECT heading FROM hs_codes_es WHERE hs_code = '060311'").fetchone()[0]
    assert heading == printed("0603")


def test_a_broken_level_is_refused_with_its_line(tmp_path: Path) -> None:
    lines = ES.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "cn_es.csv"
    broken.write_text(
        "".join([lines[0], lines[1], lines[2].replace(",2,", ",two,", 1), *lines[3:50]]), "utf-8"
    )
    connection = duckdb.connect(str(tmp_path / "b.duckdb"))
    db.create_schema(connection)
    with pytest.raises(InputError) as refused:
        load_into(connection, broken)
    assert refused.value.line == 3 and refused.value.column == "LEVEL"
    assert connection.execute("SELECT count(*) FROM hs_codes_es").fetchone() == (0,)
