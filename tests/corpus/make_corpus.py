"""Write the bad-input corpus into tests/corpus/files/ (run from the repository root; output is deterministic).

    .venv/bin/python tests/corpus/make_corpus.py

Every file here is TEST-ONLY: the layouts copy the real publishers' formats, but the numbers are made up
to trip one check each and are not trade statistics. What each file must produce (error fragment, line,
column) is in expectations.toml; tests/integration/test_corpus.py loads each one.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
OUT = HERE / "files"
ROOT = HERE.parents[1]
RAW = ROOT / "data" / "raw"

# The real Comtrade+ header (47 columns) and a template row for Colombia → USA coffee.
_REAL_CSV = RAW / "comtrade-plus-colombia-usa" / "5arSanti_comtrade_db_exportaciones_cafe_col_usa.csv"
with open(_REAL_CSV, encoding="utf-8", newline="") as _handle:
    _reader = csv.reader(_handle)
    CP_HEADER = next(_reader)
    CP_TEMPLATE = dict(zip(CP_HEADER, next(_reader), strict=True))
# Observations the bundled database does not hold (Colombia → Germany), so a clean row would load.
CP_TEMPLATE.update(partnerCode="276", partnerISO="DEU", partnerDesc="Germany", refYear="2019", period="2019",
                   refPeriodId="20190101", cmdCode="0901", primaryValue="1000.5")  # fmt: skip
FIXED_TIME = datetime(2025, 1, 1)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def cp_row(**changes: str) -> dict[str, str]:
    row = dict(CP_TEMPLATE)
    row.update(changes)
    return row


def cp_csv(rows: list[dict[str, str]], header: list[str] | None = None, *, delimiter: str = ",",
           line_end: str = "\n", trailing_comma: bool = False) -> str:  # fmt: skip
    header = header or CP_HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow([*header, ""] if trailing_comma else header)
    for row in rows:
        values = [row.get(name, "") for name in header]
        writer.writerow([*values, ""] if trailing_comma else values)
    return buffer.getvalue()


def write_text(name: str, text: str, encoding: str = "utf-8") -> None:
    (OUT / name).write_bytes(text.encode(encoding))


def write_bytes(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(data)


def save_workbook(workbook: Workbook, name: str) -> None:
    """Save with fixed timestamps (document properties and zip entries) so reruns give the same bytes."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "now" into modified regardless
                data = _fixed_core_times(data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    (OUT / name).write_bytes(target_buffer.getvalue())


def _fixed_core_times(xml: bytes) -> bytes:
    import re

    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2025-01-01T00:00:00Z\g<2>", xml)


# ---- Comtrade+ CSV ----------------------------------------------------------------------------------------


def comtrade_plus_csv() -> None:
    write_text(
        "cp_bom_crlf_unknown_partner.csv",
        "\ufeff" + cp_csv([cp_row(), cp_row(partnerCode="998877", cmdCode="0902")], line_end="\r\n"),
    )
    write_text(
        "cp_trailing_commas_negative.csv",
        cp_csv([cp_row(), cp_row(cmdCode="0902", primaryValue="-250")], trailing_comma=True),
    )
    renamed = [("partnerCd" if name == "partnerCode" else name) for name in CP_HEADER]
    write_text(
        "cp_renamed_partner_column.csv",
        cp_csv([{("partnerCd" if k == "partnerCode" else k): v for k, v in cp_row().items()}], renamed),
    )
    write_text("cp_duplicated_header.csv", cp_csv([cp_row()], [*CP_HEADER, "reporterCode"]))
    write_text(
        "cp_text_in_value.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", primaryValue="about 3 million")])
    )
    write_text("cp_text_in_netwgt.csv", cp_csv([cp_row(), cp_row(), cp_row(cmdCode="0902", netWgt="heavy")]))
    write_text("cp_nan_value.csv", cp_csv([cp_row(primaryValue="NaN")]))
    write_text("cp_minus_inf_value.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", primaryValue="-inf")]))
    write_text("cp_unknown_reporter.csv", cp_csv([cp_row(reporterCode="4242")]))
    write_text("cp_letters_in_hs_code.csv", cp_csv([cp_row(), cp_row(cmdCode="09O1")]))
    write_text("cp_odd_length_hs_code.csv", cp_csv([cp_row(), cp_row(cmdCode="09011")]))
    # One observation in two HS vintages (H5 and H6) with different values: a mixed download.
    write_text(
        "cp_mixed_hs_vintages.csv",
        cp_csv(
            [
                cp_row(classificationCode="H5", primaryValue="1000.5"),
                cp_row(cmdCode="0902"),
                cp_row(classificationCode="H6", primaryValue="1200.75"),
            ]
        ),
    )
    full = cp_csv([cp_row(), cp_row(cmdCode="0902"), cp_row(cmdCode="0903")])
    write_text("cp_truncated_mid_row.csv", full[: full.rindex("Germany") + 3])
    write_text(
        "cp_semicolon_text_year.csv",
        cp_csv([cp_row(), cp_row(refYear="2O19", cmdCode="0902")], delimiter=";"),
    )
    write_text(
        "cp_latin1_unknown_partner.csv",
        cp_csv([cp_row(cmdDesc="Café, tostado"), cp_row(partnerCode="55555", cmdDesc="Té y café")]),
        encoding="latin-1",
    )
    write_text("cp_implausible_year.csv", cp_csv([cp_row(refYear="1492", period="1492")]))
    # A 3 MB description on one line: more than DuckDB's default maximum line size.
    write_text("cp_very_long_line.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", cmdDesc="x" * 3_000_000)]))
    # Formula-looking text in description fields is data, not an error: it loads (see the test for exports).
    write_text(
        "ok_cp_formula_descriptions.csv",
        cp_csv(
            [
                cp_row(cmdDesc='=HYPERLINK("http://example.invalid","click")'),
                cp_row(cmdCode="0902", cmdDesc="+cmd|' /C calc'!A0", partnerDesc="@SUM(1+1)"),
                cp_row(cmdCode="0903", cmdDesc="-2+3", reporterDesc="\tColombia"),
            ]
        ),
    )


def comtrade_plus_binary_and_json() -> None:
    write_bytes("cp_zero_bytes.csv", b"")
    # Deterministic junk with NUL bytes, named .csv.
    write_bytes("cp_binary_junk.csv", bytes((i * 37 + 11) % 256 for i in range(4096)))
    write_bytes("cp_utf16.csv", cp_csv([cp_row()]).encode("utf-16"))

    records = [{name: _json_value(value) for name, value in cp_row(cmdCode=code).items()}
               for code in ("0901", "0902", "0903")]  # fmt: skip
    document = {"elapsedTime": "test fixture", "count": len(records), "data": records, "error": ""}
    text = json.dumps(document, indent=1)
    write_text("cp_api_truncated.json", text[: len(text) // 2])
    write_text("cp_api_count_mismatch.json", json.dumps(dict(document, count=7), indent=1))
    write_text("cp_api_data_not_list.json", json.dumps(dict(document, data={"0": records[0]}), indent=1))
    nan_records = [dict(records[0], primaryValue=float("nan"))]
    write_text("cp_api_nan_value.json", json.dumps(dict(document, data=nan_records, count=1), indent=1))
    write_text(
        "cp_api_error_body.json",
        json.dumps({"elapsedTime": "0s", "count": 0, "data": None, "error": "Invalid subscription key"}),
    )


def _json_value(text: str) -> object:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text or None


def comtrade_plus_xlsx() -> None:
    def sheet(rows: list[dict[str, str]], header: list[str], name: str) -> None:
        workbook = Workbook()
        worksheet = workbook.active
        worksheet.title = "Sheet1"
        worksheet.append(header)
        for row in rows:
            worksheet.append([_json_value(row.get(column, "")) if column != "cmdCode" else row.get(column)
                              for column in header])  # fmt: skip
        save_workbook(workbook, name)

    sheet(
        [cp_row(), cp_row(cmdCode="0902"), cp_row(cmdCode="0903", primaryValue="n/a")],
        CP_HEADER,
        "cpx_text_in_value.xlsx",
    )
    sheet([cp_row(), cp_row(cmdCode="0902", partnerCode="31337")], CP_HEADER, "cpx_unknown_partner.xlsx")
    without_flow = [name for name in CP_HEADER if name != "flowCode"]
    sheet([cp_row()], without_flow, "cpx_missing_flow_column.xlsx")
    sheet([cp_row(), cp_row(cmdCode="0902", primaryValue="-5")], CP_HEADER, "cpx_negative_value.xlsx")
    good = (OUT / "cpx_text_in_value.xlsx").read_bytes()
    write_bytes("cpx_truncated.xlsx", good[: len(good) // 2])


# ---- Legacy Comtrade CSV ----------------------------------------------------------------------------------

LEGACY_HEADER = ("Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,"
                 "Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,"
                 "Netweight (kg),Trade Value (US$)")  # fmt: skip


def legacy_csv() -> None:
    row = "H4,2019,2019,2019,6,1,0,X,170,Colombia,COL,276,Germany,DEU,252310,Cement clinkers,839062,{value}"
    write_text(
        "legacy_text_in_value.csv",
        "\n".join(
            [
                LEGACY_HEADER,
                row.format(value="58552"),
                row.replace("252310", "252390").format(value="fifty thousand"),
            ]
        )
        + "\n",
    )
    no_flow = LEGACY_HEADER.replace("Trade Flow Code,Trade Flow,", "")
    write_text(
        "legacy_missing_flow_columns.csv",
        no_flow + "\nH4,2019,2019,2019,6,1,170,Colombia,COL,276,Germany,DEU,252310,Cement,1,5\n",
    )
    write_text(
        "legacy_unknown_partner.csv",
        "\n".join(
            [
                LEGACY_HEADER,
                row.format(value="1"),
                row.replace(",276,", ",123123,").replace("252310", "252390").format(value="2"),
            ]
        )
        + "\n",
    )
    write_text(
        "legacy_text_in_year.csv",
        LEGACY_HEADER + "\n" + row.replace("H4,2019", "H4,MMXIX").format(value="1") + "\n",
    )


# ---- IMF DOTS XLSX ----------------------------------------------------------------------------------------


def dots_workbook(name: str, *, reporter: str = "Colombia", years: tuple = ("2019", "2020"),
                  partners: tuple = (("Germany", 10.5, 11.25), ("Japan", 3.0, 4.0))) -> None:  # fmt: skip
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, caption in (("Exports, FOB", "Exports, FOB to Partner Countries"),
                           ("Imports, CIF", "Imports, CIF from Partner Countries")):  # fmt: skip
        worksheet = workbook.create_sheet(title)
        worksheet.append([None])
        worksheet.append([None, caption])
        worksheet.append([None])
        worksheet.append([None, reporter])
        worksheet.append([None, "US Dollars, Millions"])
        worksheet.append([None])
        worksheet.append([None, None, *years])
        for partner in partners:
            worksheet.append([None, *partner])
    save_workbook(workbook, name)


def imf_dots() -> None:
    dots_workbook("dots_unknown_partner.xlsx", partners=(("Germany", 1.0, 2.0), ("Atlantis", 3.0, 4.0)))
    dots_workbook("dots_text_in_value.xlsx", partners=(("Germany", 1.0, 2.0), ("Japan", 3.0, "n.a.")))
    dots_workbook("dots_year_header_not_a_year.xlsx", years=("2019", "FY2020"))
    dots_workbook("dots_unknown_reporter.xlsx", reporter="Republic of Nowhere")
    dots_workbook("dots_negative_value.xlsx", partners=(("Germany", 1.0, 2.0), ("Japan", -3.0, 4.0)))
    dots_workbook("dots_infinite_value.xlsx", partners=(("Germany", 1.0, "inf"),))


def imf_dots_estimates() -> None:
    # IMF writes an estimated cell as text with thousands commas and a trailing " e" (Ecuador 1999: "1,830.91 e")
    dots_workbook(
        "ok_dots_estimate_with_thousands.xlsx", reporter="Uruguay", partners=(("Germany", 1.0, "1,830.91 e"),)
    )
    dots_workbook("dots_estimate_misgrouped_thousands.xlsx", partners=(("Germany", 1.0, "18,30.91 e"),))


# ---- IMF DOTS via DBnomics (CSV, one row per area, indicator, counterpart, year) ---------------------------

DBNOMICS_HEADER = "ref_area,indicator,counterpart,year,value\n"
# Uruguay with Germany and the World: observations the bundled database does not hold, so clean rows would load.
DBNOMICS_ROWS = "UY,TXG_FOB_USD,DE,2019,512.25\nUY,TMG_CIF_USD,W00,2019,8400.5\n"


def imf_dots_dbnomics() -> None:
    write_text("dbn_unknown_indicator.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TBG_USD,DE,2019,-12.0\n")
    write_text("dbn_aggregate_area.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "1C_080,TXG_FOB_USD,DE,2019,5.0\n")
    write_text(
        "dbn_quarterly_period.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TXG_FOB_USD,DE,2019-Q1,5.0\n"
    )
    write_text("dbn_negative_value.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TXG_FOB_USD,FR,2019,-5.2\n")
    write_text("dbn_text_value.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TXG_FOB_USD,FR,2019,n/a\n")
    write_text(
        "dbn_conflicting_duplicate.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TXG_FOB_USD,DE,2019,600\n"
    )
    write_text("dbn_exports_to_itself.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TXG_FOB_USD,UY,2019,5.0\n")
    write_text("dbn_value_1e300.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TXG_FOB_USD,FR,2019,1e300\n")
    write_text("ok_dbn_gaps_not_loaded.csv", DBNOMICS_HEADER + DBNOMICS_ROWS + "UY,TXG_FOB_USD,FR,2019,NA\n"
               "UY,TXG_FOB_USD,JP,2019,\n")  # fmt: skip


def comtrade_flow_table() -> None:
    # The pivoted Comtrade layout of China's trade with the Portuguese-speaking countries, without its reporter.
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "Sheet1"
    worksheet.append(["refYear", "partnerDesc", "Trocas", "Exportações", "Importações", "Saldo"])
    worksheet.append([2019, "Angola", 30, 10, 20, -10])
    save_workbook(workbook, "cflow_no_reporter_named.xlsx")


# ---- US Census parquet and country totals CSV -------------------------------------------------------------


def census() -> None:
    con = duckdb.connect()
    base = """
        SELECT 'GERMANY' AS CTY_NAME, CAST(v AS VARCHAR) AS CON_VAL_YR, '0' AS CAL_DUT_YR,
               code AS I_COMMODITY, 'desc' AS I_COMMODITY_SDESC, TIMESTAMP '2024-12-01' AS time,
               'HS10' AS COMM_LVL, cty AS CTY_CODE
        FROM (VALUES ('0901110010', '4280', 1000), ('0901110020', '4280', 2000), ('0901210000', {cty}, {v}))
             AS t(code, cty, v)
    """

    def parquet(name: str, sql: str) -> None:
        con.execute(f"COPY ({sql}) TO '{OUT / name}' (FORMAT parquet)")

    parquet(
        "census_text_in_value.parquet",
        base.replace(
            "CAST(v AS VARCHAR)", "CASE WHEN v = 3000 THEN 'confidential' ELSE CAST(v AS VARCHAR) END"
        ).format(cty="'4280'", v=3000),
    )
    parquet(
        "census_missing_time_column.parquet",
        base.replace("TIMESTAMP '2024-12-01' AS time,", "").format(cty="'4280'", v=3000),
    )
    parquet("census_unknown_country.parquet", base.format(cty="'0042'", v=3000))
    # CON_VAL_YR is the value for the year to date: a file for June is not a year (issue 19), nor is a future year.
    parquet(
        "census_time_not_december.parquet",
        base.replace("TIMESTAMP '2024-12-01'", "TIMESTAMP '2024-06-01'").format(cty="'4280'", v=3000),
    )
    parquet(
        "census_year_2099.parquet",
        base.replace("TIMESTAMP '2024-12-01'", "TIMESTAMP '2099-12-01'").format(cty="'4280'", v=3000),
    )
    parquet("census_negative_value.parquet", base.format(cty="'4280'", v=-3000))
    con.close()
    good = (OUT / "census_negative_value.parquet").read_bytes()
    write_bytes("census_truncated.parquet", good[: len(good) // 2])

    header = "us_partner_iso3,year,us_exports_usd_million,us_imports_usd_million,us_balance_usd_million\n"
    write_text("totals_text_in_imports.csv", header + "DEU,2019,1.5,2.5,-1.0\nDEU,2020,1.5,two,-1.0\n")
    write_text("totals_unknown_partner.csv", header + "DEU,2019,1.5,2.5,-1.0\nXYZ,2019,1.5,2.5,-1.0\n")
    write_text("totals_infinite_value.csv", header + "DEU,2019,1.5,2.5,-1.0\nDEU,2020,inf,2.5,-1.0\n")
    monthly = "us_partner_iso3,year,month,us_exports_usd_million,us_imports_usd_million\n"
    write_text("totals_monthly_month_is_text.csv", monthly + "DEU,2019,1,1.5,2.5\nDEU,2019,Feb,1.5,2.5\n")


# ---- DIAN and published figures ---------------------------------------------------------------------------

DIAN_HEADER = "month,destination,fob_usd_million,net_weight_thousand_tonnes\n"
PUBLISHED_HEADER = "year,reporter_iso3,partner_iso3,flow,value_usd,valuation,publisher,url,quote\n"


def dian_and_published() -> None:
    write_text(
        "dian_month_out_of_range.csv", DIAN_HEADER + "2019-01,Alemania,5.0,1.0\n2019-13,Alemania,5.0,1.0\n"
    )
    write_text(
        "dian_unknown_destination.csv", DIAN_HEADER + "2019-01,Alemania,5.0,1.0\n2019-01,Narnia,5.0,1.0\n"
    )
    write_text("dian_negative_fob.csv", DIAN_HEADER + "2019-01,Alemania,5.0,1.0\n2019-02,Alemania,-5.0,1.0\n")
    write_text(
        "dian_text_in_weight.csv", DIAN_HEADER + "2019-01,Alemania,5.0,1.0\n2019-02,Alemania,5.0,mucho\n"
    )
    write_text(
        "dian_crlf_bom_nan.csv", "\ufeff" + (DIAN_HEADER + "2019-01,Alemania,NaN,1.0\n").replace("\n", "\r\n")
    )
    write_text(
        "published_unknown_valuation.csv",
        PUBLISHED_HEADER + '2019,COL,DEU,export,1000,FOB,DANE,https://example.invalid,"q"\n'
        '2019,COL,DEU,import,1000,EXW,DANE,https://example.invalid,"q"\n',
    )
    write_text(
        "published_missing_publisher_column.csv",
        PUBLISHED_HEADER.replace(",publisher", "")
        + '2019,COL,DEU,export,1000,FOB,https://example.invalid,"q"\n',
    )
    write_text(
        "published_empty_publisher.csv",
        PUBLISHED_HEADER + '2019,COL,DEU,export,1000,FOB,,https://example.invalid,"q"\n',
    )
    write_text(
        "published_unknown_partner.csv",
        PUBLISHED_HEADER + '2019,COL,ZZZ,export,1000,FOB,DANE,https://example.invalid,"q"\n',
    )
    # Formula strings in the text columns that reach published_figures: they load, and exports neutralise them.
    write_text("ok_published_formulas.csv",
               PUBLISHED_HEADER
               + '2019,COL,DEU,export,1000,FOB,"=HYPERLINK(""http://example.invalid"",""DANE"")",'
                 'https://example.invalid,"+SUM(A1:A9)"\n'
               + '2019,COL,DEU,import,2000,CIF,@DANE,-https://example.invalid,"\tquoted with a tab"\n'
               + '2019,COL,JPN,export,3000,FOB,-DANE,https://example.invalid,"\rstarts with CR"\n')  # fmt: skip


# ---- meaning, not only type (issue 11): wrong numbers that used to load with exit 0 ---------------------------


def wrong_numbers() -> None:
    # A ';' file whose values are written 1.234 (thousands separator in a Spanish locale, or a decimal point?).
    write_text(
        "cp_semicolon_ambiguous_thousands.csv",
        cp_csv([cp_row(primaryValue="1.234"), cp_row(cmdCode="0902", primaryValue="5.678")], delimiter=";"),
    )
    write_text(
        "cp_semicolon_inconsistent_decimals.csv",
        cp_csv([cp_row(primaryValue="1.234,5"), cp_row(cmdCode="0902", primaryValue="12.5")], delimiter=";"),
    )
    write_text("cp_unknown_flow_code.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", flowCode="Z")]))
    write_text(
        "cp_sitc_classification.csv",
        cp_csv(
            [
                cp_row(classificationCode="S3", classificationSearchCode="SITC"),
                cp_row(cmdCode="0902", classificationCode="S3"),
            ]
        ),
    )
    write_text("cp_fractional_ref_year.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", refYear="2020.7")]))
    write_text("cp_period_month_13.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", period="201913")]))
    write_text("cp_period_letters.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", period="abcd")]))
    write_text("cp_period_other_year.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", period="2018")]))
    write_text(
        "cp_reporter_is_partner.csv",
        cp_csv(
            [cp_row(), cp_row(cmdCode="0902", partnerCode="170", partnerISO="COL", partnerDesc="Colombia")]
        ),
    )
    write_text(
        "cp_partner_iso_contradicts_code.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", partnerISO="FRA")])
    )
    write_text("cp_reporter_iso_contradicts_code.csv", cp_csv([cp_row(reporterISO="PER")]))
    write_text(
        "cp_value_1e300.csv",
        cp_csv(
            [
                cp_row(),
                cp_row(cmdCode="0902", primaryValue="1e300"),
                cp_row(cmdCode="0903", primaryValue="1e300"),
            ]
        ),
    )
    write_text("cp_value_in_cents_magnitude.csv", cp_csv([cp_row(primaryValue="250000000000000")]))
    write_text("cp_header_only.csv", cp_csv([]))
    write_text(
        "cp_only_breakdown_rows.csv",
        cp_csv([cp_row(motCode="2100"), cp_row(cmdCode="0902", customsCode="C01")]),
    )
    records = [{name: _json_value(value) for name, value in cp_row(cmdCode=code).items()}
               for code in ("0901", "0902", "0903")]  # fmt: skip
    document = {"elapsedTime": "test fixture", "count": 3, "data": records, "error": ""}
    write_text("cp_api_count_as_text.json", json.dumps(dict(document, count="7"), indent=1))
    write_text("cp_api_count_fraction.json", json.dumps(dict(document, count=2.5), indent=1))
    write_text("cp_api_empty_data.json", json.dumps(dict(document, count=0, data=[]), indent=1))
    write_text(
        "cp_api_value_1e300.json",
        json.dumps(dict(document, data=[dict(records[0], primaryValue=1e300)], count=1), indent=1),
    )
    write_text(
        "cp_api_unknown_flow.json",
        json.dumps(dict(document, data=[dict(records[0], flowCode="XX")], count=1), indent=1),
    )
    write_text(
        "cp_api_period_mismatch.json",
        json.dumps(dict(document, data=[dict(records[0], period=2017)], count=1), indent=1),
    )
    row = "H4,2019,2019,2019,6,1,0,X,170,Colombia,COL,276,Germany,DEU,252310,Cement clinkers,839062,{value}"
    write_text(
        "legacy_sitc_classification.csv",
        LEGACY_HEADER + "\n" + row.replace("H4,", "S3,").format(value="58552") + "\n",
    )
    write_text(
        "legacy_unknown_flow_word.csv",
        LEGACY_HEADER + "\n" + row.replace(",0,X,", ",0,Smuggled,").format(value="58552") + "\n",
    )
    write_text(
        "legacy_partner_iso_contradicts_code.csv",
        LEGACY_HEADER + "\n" + row.replace(",DEU,", ",JPN,").format(value="58552") + "\n",
    )
    write_text(
        "legacy_exports_to_itself.csv",
        LEGACY_HEADER
        + "\n"
        + row.replace(",276,Germany,DEU,", ",170,Colombia,COL,").format(value="5")
        + "\n",
    )
    published = PUBLISHED_HEADER + '2019,COL,DEU,export,{value},FOB,DANE,https://example.invalid,"q"\n'
    write_text("published_value_1e300.csv", published.format(value="1e300"))
    write_text("published_exports_to_itself.csv", published.replace(",DEU,", ",COL,").format(value="1000"))
    write_text("dian_value_1e300.csv", DIAN_HEADER + "2019-01,Alemania,5.0,1.0\n2019-02,Alemania,1e300,1.0\n")
    header = "us_partner_iso3,year,us_exports_usd_million,us_imports_usd_million,us_balance_usd_million\n"
    write_text(
        "totals_value_implausible.csv", header + "DEU,2019,1.5,2.5,-1.0\nDEU,2020,900000000,2.5,-1.0\n"
    )

    def sheet(rows: list[dict[str, str]], name: str) -> None:
        workbook = Workbook()
        worksheet = workbook.active
        worksheet.title = "Sheet1"
        worksheet.append(CP_HEADER)
        for values in rows:
            worksheet.append(
                [_json_value(values.get(c, "")) if c != "cmdCode" else values.get(c) for c in CP_HEADER]
            )
        save_workbook(workbook, name)

    sheet([cp_row(), cp_row(cmdCode="0902", refYear="2020.7")], "cpx_fractional_ref_year.xlsx")
    sheet([cp_row(), cp_row(cmdCode="0902", flowCode="FOO")], "cpx_unknown_flow_code.xlsx")


# ---- quirks of real exports that must load (issue 11) ----------------------------------------------------------


def real_quirks() -> None:
    # Excel "Unicode text": UTF-16 with a byte-order mark, tab-separated, CRLF.
    write_bytes(
        "ok_cp_utf16_tab_unicode_text.txt",
        cp_csv(
            [cp_row(), cp_row(cmdCode="0902", primaryValue="2500.25")], delimiter="\t", line_end="\r\n"
        ).encode("utf-16"),
    )
    # Spanish-locale Excel CSV: ';' between fields, ',' decimal mark, '.' between thousands.
    write_text(
        "ok_cp_spanish_excel_semicolon.csv",
        cp_csv(
            [
                cp_row(primaryValue="1.234.567,89", netWgt="12,5"),
                cp_row(cmdCode="0902", primaryValue="250,5", netWgt="1.000"),
            ],
            delimiter=";",
        ),
    )
    write_text(
        "ok_cp_semicolon_point_decimals.csv",
        cp_csv([cp_row(primaryValue="1234.5"), cp_row(cmdCode="0902", primaryValue="7.25")], delimiter=";"),
    )
    # HS codes saved as numbers: the level from aggrLevel, or from every code in the file.
    write_text(
        "ok_cp_hs_as_numbers_aggr_level.csv",
        cp_csv(
            [
                cp_row(cmdCode="9", aggrLevel="2"),
                cp_row(cmdCode="901", aggrLevel="4"),
                cp_row(cmdCode="90111", aggrLevel="6"),
            ]
        ),
    )
    no_level = [name for name in CP_HEADER if name != "aggrLevel"]
    write_text(
        "ok_cp_hs_as_numbers_every_code_level_4.csv",
        cp_csv([cp_row(cmdCode="901"), cp_row(cmdCode="902"), cp_row(cmdCode="1001")], no_level),
    )
    write_text(
        "ok_cp_hs_as_numbers_chapters.csv",
        cp_csv(
            [
                cp_row(cmdCode="1", primaryValue="10"),
                cp_row(cmdCode="9", primaryValue="20"),
                cp_row(cmdCode="85", primaryValue="30"),
            ],
            no_level,
        ),
    )
    # A mixed file (901 and 90111 without a level) is not guessed: refused as invalid HS.
    write_text(
        "cp_hs_as_numbers_mixed_levels.csv",
        cp_csv([cp_row(cmdCode="901"), cp_row(cmdCode="90111")], no_level),
    )
    # Legacy files hold Comtrade's breakdown flows (DX domestic exports, FM foreign imports) next to X and M.
    row = "H4,2019,2019,2019,6,1,0,{flow},170,Colombia,COL,276,Germany,DEU,252310,Cement clinkers,839062,{value}"
    write_text(
        "ok_legacy_breakdown_flows_set_aside.csv",
        "\n".join(
            [
                LEGACY_HEADER,
                row.format(flow="X", value="58552"),
                row.format(flow="DX", value="58000"),
                row.format(flow="M", value="100"),
                row.format(flow="FM", value="90"),
            ]
        )
        + "\n",
    )
    # Workbooks: title rows above the header; the data on a second sheet after a cover sheet.
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "Comtrade"
    worksheet.append(["UN Comtrade - Trade data"])
    worksheet.append(["Downloaded 2025-01-01; values in US dollars"])
    worksheet.append([])
    worksheet.append(CP_HEADER)
    for values in (cp_row(), cp_row(cmdCode="0902", primaryValue="777.5")):
        worksheet.append(
            [_json_value(values.get(c, "")) if c != "cmdCode" else values.get(c) for c in CP_HEADER]
        )
    save_workbook(workbook, "ok_cpx_title_rows_above_header.xlsx")
    workbook = Workbook()
    cover = workbook.active
    cover.title = "About"
    cover.append(["This workbook holds a Comtrade+ extract on the sheet 'Data'."])
    data = workbook.create_sheet("Data")
    data.append(CP_HEADER)
    for values in (cp_row(), cp_row(cmdCode="0902", primaryValue="333")):
        data.append([_json_value(values.get(c, "")) if c != "cmdCode" else values.get(c) for c in CP_HEADER])
    save_workbook(workbook, "ok_cpx_data_on_second_sheet.xlsx")
    # A file of imports from the reporter itself (own goods returning) loads; exports to itself do not.
    write_text(
        "ok_cp_imports_of_own_goods.csv",
        cp_csv(
            [
                cp_row(
                    flowCode="M",
                    flowDesc="Import",
                    partnerCode="170",
                    partnerISO="COL",
                    partnerDesc="Colombia",
                )
            ]
        ),
    )
    # The World partner written W00 in partnerISO agrees with partnerCode 0.
    write_text(
        "ok_cp_world_partner_w00.csv",
        cp_csv(
            [
                cp_row(
                    partnerCode="0",
                    partnerISO="W00",
                    partnerDesc="World",
                    refYear="1999",
                    period="1999",
                    refPeriodId="19990101",
                )
            ]
        ),
    )


# ---- bounded resources (issue 11) ------------------------------------------------------------------------------


def _bomb_workbook(name: str, sheet_xml_parts: tuple[bytes, bytes, bytes], repeat: int) -> None:
    """A minimal valid workbook whose one sheet repeats ``middle`` ``repeat`` times (streamed, never in memory)."""
    head, middle, tail = sheet_xml_parts
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(entry, "w", force_zip64=True) as handle:
                    handle.write(head)
                    for _ in range(repeat):
                        handle.write(middle)
                    handle.write(tail)
            else:
                data = source.read(info.filename)
                if info.filename == "docProps/core.xml":
                    data = _fixed_core_times(data)
                target.writestr(entry, data)
    (OUT / name).write_bytes(target_buffer.getvalue())


def bounded_resources() -> None:
    required = ("refYear", "period", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in required)
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + f"<row>{header}</row>".encode())  # fmt: skip
    tail = b"</sheetData></worksheet>"
    # 600 MB of XML in a small zip: refused from the zip directory before anything is inflated.
    _bomb_workbook("cpx_zip_bomb_600mb.xlsx", (head, b"<row>" + b"<c/>" * 250 + b"</row>", tail), 600_000)
    # 12 million empty cells in 120 MB of XML: under the byte bound, stopped at the cell bound.
    _bomb_workbook(
        "cpx_twelve_million_cells.xlsx", (head, b"<row>" + b"<c/>" * 120 + b"</row>", tail), 100_000
    )
    # JSON nested 100,000 levels deep (the parser's recursion used to end in a traceback) and 40 levels.
    write_text("cp_api_nested_100k.json", "[" * 100_000 + "]" * 100_000)
    write_text(
        "cp_api_nested_40_levels.json",
        json.dumps({"count": 0, "data": [], "error": "", "elapsedTime": "0", "x": _nested(40)}),
    )


def _nested(levels: int) -> object:
    node: object = 1
    for _ in range(levels):
        node = [node]
    return node


# ---- hostile input, round two (issue 19) -----------------------------------------------------------------------


def _xlsx_parts(name: str, sheet: bytes, shared: bytes | None = None, *, repeat_shared: tuple[bytes, int] | None = None,
                ) -> None:  # fmt: skip
    """A minimal workbook written part by part: one sheet (``sheet``, its XML), and shared strings (``shared``,
    or a head, ``repeat_shared[0]`` written ``repeat_shared[1]`` times, and a tail, streamed)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+'
        'xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets><sheet '
        'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part, text in parts.items():
            archive.writestr(zipfile.ZipInfo(part, date_time=ZIP_TIME), text, zipfile.ZIP_DEFLATED)
        archive.writestr(
            zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=ZIP_TIME), sheet, zipfile.ZIP_DEFLATED
        )
        entry = zipfile.ZipInfo("xl/sharedStrings.xml", date_time=ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w", force_zip64=True) as handle:
            if repeat_shared is None:
                handle.write(shared or b"")
            else:
                handle.write(f'<?xml version="1.0"?><sst xmlns="{ns}">'.encode())
                for _ in range(repeat_shared[1]):
                    handle.write(repeat_shared[0])
                handle.write(b"</sst>")
    (OUT / name).write_bytes(buffer.getvalue())


def _shared_strings_sheet(values: list[str], prefix: bytes = b'<?xml version="1.0"?>') -> tuple[bytes, bytes]:
    """A sheet of one header row and one data row (Comtrade+ minimal columns) as shared strings, and its strings."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    header = ["refYear", "period", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue"]
    cells = lambda row, texts, first: "".join(  # noqa: E731
        f'<c r="{chr(65 + i)}{row}" t="s"><v>{first + i}</v></c>' for i in range(len(texts))
    )
    sheet = prefix + (f'<worksheet xmlns="{ns}"><sheetData><row r="1">{cells(1, header, 0)}</row>'
                      f'<row r="2">{cells(2, values, len(header))}</row></sheetData></worksheet>').encode()  # fmt: skip
    strings = "".join(f"<si><t>{text}</t></si>" for text in header + values)
    return sheet, f'<?xml version="1.0"?><sst xmlns="{ns}">{strings}</sst>'.encode()


def issue_19_periods() -> None:
    """Years after the current one and periods a row contradicts, in every format (issue 19)."""
    y2099 = {"refYear": "2099", "period": "2099", "refPeriodId": "20990101"}
    write_text("cp_year_2099.csv", cp_csv([cp_row(), cp_row(cmdCode="0902", **y2099)]))
    write_text("cp_year_zero.csv", cp_csv([cp_row(refYear="0", period="0", refPeriodId="")]))
    write_text("cp_freqcode_contradicts_period.csv", cp_csv([cp_row(period="201903")]))
    write_text("cp_refperiodid_contradicts_period.csv", cp_csv([cp_row(refPeriodId="20180101")]))
    records = [{name: _json_value(value) for name, value in cp_row(**y2099).items()}]
    write_text(
        "cp_api_year_2099.json", json.dumps({"elapsedTime": "0s", "count": 1, "data": records, "error": ""})
    )
    workbook = Workbook()
    workbook.active.append(CP_HEADER)
    workbook.active.append([_json_value(cp_row(**y2099)[c]) if c != "cmdCode" else "0901" for c in CP_HEADER])
    save_workbook(workbook, "cpx_year_2099.xlsx")
    row = "H4,2019,2019,2019,6,1,0,X,170,Colombia,COL,276,Germany,DEU,252310,Cement clinkers,839062,{value}"
    write_text("legacy_year_2099.csv", LEGACY_HEADER + "\n" + row.replace("2019,2019,2019", "2099,2099,2099")
               .format(value="5") + "\n")  # fmt: skip
    totals = "us_partner_iso3,year,us_exports_usd_million,us_imports_usd_million\n"
    write_text("totals_year_2099.csv", totals + "DEU,2019,1.5,2.5\nDEU,2099,1.5,2.5\n")
    monthly = "us_partner_iso3,year,month,us_exports_usd_million,us_imports_usd_million\n"
    write_text("totals_monthly_month_13.csv", monthly + "DEU,2019,12,1.5,2.5\nDEU,2019,13,1.5,2.5\n")
    write_text("dian_year_2099.csv", DIAN_HEADER + "2019-01,Alemania,5.0,1.0\n2099-01,Alemania,5.0,1.0\n")
    # A printed balance reaches published_figures only (not trade): its year is checked all the same.
    write_text("published_balance_year_2099.csv", PUBLISHED_HEADER
               + '2019,COL,DEU,export,1000,FOB,DANE,https://example.invalid,"q"\n'
               + '2099,COL,DEU,balance,-5,FOB,DANE,https://example.invalid,"q"\n')  # fmt: skip
    dots_workbook("dots_year_2099.xlsx", years=("2019", "2099"))
    write_text("edges_year_2099.csv", "exporter,importer,year,value_usd\nCOL,DEU,2019,5\nCOL,DEU,2099,5\n")


def issue_19_numbers_and_names() -> None:
    """Numbers with separators, read when their meaning is certain and refused by name when it is not; files that
    are not what they seem (an HTML page, an archive, an XML bomb), bad fields after quoted line breaks, column
    names that differ in letter case (issue 19)."""
    row = "H4,2019,2019,2019,6,1,0,X,170,Colombia,COL,276,Germany,DEU,252310,Cement clinkers,839062,{value}"
    totals = "us_partner_iso3,year,us_exports_usd_million,us_imports_usd_million\n"
    write_text(
        "ok_cp_quoted_thousands.csv",
        cp_csv([cp_row(primaryValue="1,334,162,658.44"), cp_row(cmdCode="0902", primaryValue="2,500.25")]),
    )
    write_text(
        "cp_quoted_thousands_ambiguous.csv",
        cp_csv(
            [cp_row(primaryValue="1,334", netWgt=""), cp_row(cmdCode="0902", primaryValue="2,500", netWgt="")]
        ),
    )
    # The same values, in a file whose weights use '.' as the decimal point: ',' can only group thousands there.
    write_text(
        "ok_cp_thousands_told_by_other_column.csv",
        cp_csv([cp_row(primaryValue="1,334", netWgt="5.5"), cp_row(cmdCode="0902", primaryValue="2,500")]),
    )
    write_text(
        "cp_semicolon_comma_ambiguous.csv", cp_csv([cp_row(primaryValue="1,334", netWgt="")], delimiter=";")
    )
    write_text("cp_semicolon_malformed_groups.csv",
               cp_csv([cp_row(primaryValue="1,5", netWgt=""), cp_row(cmdCode="0902", primaryValue="1.2.3", netWgt="")],
                      delimiter=";"))  # fmt: skip
    write_text(
        "ok_legacy_quoted_thousands.csv", LEGACY_HEADER + "\n" + row.format(value='"1,334,162,658.44"') + "\n"
    )
    write_text("ok_totals_quoted_thousands.csv", totals + 'DEU,2019,"1,500.5","2,500.25"\n')
    write_text("ok_dian_quoted_thousands.csv", DIAN_HEADER + '2019-01,Alemania,"1,005.5","1,000.0"\n')
    write_text(
        "ok_published_quoted_thousands.csv",
        PUBLISHED_HEADER + '2019,COL,DEU,export,"1,334,162,658",FOB,DANE,https://example.invalid,"q"\n',
    )
    text_records = [
        {name: _json_value(value) for name, value in cp_row().items()} | {"primaryValue": "1,334,162.5"}
    ]
    write_text(
        "ok_cp_api_text_thousands.json",
        json.dumps({"elapsedTime": "0s", "count": 1, "data": text_records, "error": ""}),
    )
    workbook = Workbook()
    workbook.active.append(CP_HEADER)
    workbook.active.append([("1,334,162.5" if c == "primaryValue" else _json_value(cp_row()[c]) if c != "cmdCode"
                             else "0901") for c in CP_HEADER])  # fmt: skip
    save_workbook(workbook, "ok_cpx_text_thousands.xlsx")

    # Files that are not what their name says.
    write_text("html_login_page.csv", "<!DOCTYPE html>\n<html><head><title>Sign in - Campus Wi-Fi</title></head>"
               "<body><form>Please sign in</form></body></html>\n")  # fmt: skip
    write_text("html_error_page.json", "<html><body><h1>502 Bad Gateway</h1></body></html>\n")
    write_text("xml_document.csv", '<?xml version="1.0"?>\n<message><data>1</data></message>\n')
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(zipfile.ZipInfo("comtrade.csv", date_time=ZIP_TIME), cp_csv([cp_row()]))
    write_bytes("zip_holding_a_csv.csv", archive.getvalue())
    write_bytes("gzip_holding_a_csv.csv", gzip_bytes(cp_csv([cp_row()]).encode()))
    write_bytes("old_excel_97.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    values = ["2019", "2019", "170", "276", "X", "0901", "1000.5"]
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b"]>"
    )
    sheet, shared = _shared_strings_sheet(values)
    _xlsx_parts(
        "cpx_entity_bomb.xlsx",
        sheet,
        laughs + shared.split(b"?>", 1)[1].replace(b"<t>1000.5</t>", b"<t>&lol9;</t>"),
    )
    _xlsx_parts("cpx_entity_in_sheet.xlsx", _shared_strings_sheet(values, prefix=laughs)[0], shared)
    # A million and one shared strings (about 20 MB of XML) in a small zip.
    _xlsx_parts("cpx_shared_strings_1m.xlsx", sheet, repeat_shared=(b"<si><t>text</t></si>", 1_000_001))
    # Quoted line breaks: the line named is the one the bad field is on.
    write_text("cp_quoted_newline_unknown_partner.csv", cp_csv([
        cp_row(cmdDesc="Coffee,\nnot roasted\n(three lines)"),
        cp_row(cmdCode="0902", cmdDesc="Tea,\ngreen", partnerCode="778899")]))  # fmt: skip
    write_text("cp_quoted_newline_text_value.csv", cp_csv([
        cp_row(cmdDesc="Coffee,\nnot roasted"), cp_row(cmdCode="0902", cmdDesc="Tea\n", primaryValue="lots")]))  # fmt: skip
    # Column names that differ only in letter case.
    write_text(
        "cp_header_case_duplicate.csv", cp_csv([cp_row() | {"REFYEAR": "2018"}], [*CP_HEADER, "REFYEAR"])
    )
    renamed = {"primaryValue": "PrimaryValue", "cmdCode": "CmdCode"}
    write_text(
        "cp_header_other_case.csv",
        cp_csv([{renamed.get(k, k): v for k, v in cp_row().items()}], [renamed.get(c, c) for c in CP_HEADER]),
    )


def gzip_bytes(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    comtrade_plus_csv()
    comtrade_plus_binary_and_json()
    comtrade_plus_xlsx()
    legacy_csv()
    imf_dots()
    imf_dots_estimates()
    imf_dots_dbnomics()
    comtrade_flow_table()
    census()
    dian_and_published()
    wrong_numbers()
    real_quirks()
    bounded_resources()
    issue_19_periods()
    issue_19_numbers_and_names()
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
