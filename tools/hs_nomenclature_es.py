"""Write data/raw/reference/hs-nomenclature-es/cn2023_estructura_es.csv from the published Spanish
Combined Nomenclature 2023 structure file (``Estruc_NC2023.xlsx``), values unchanged.

The workbook ships inside the PyPI wheel ``odoo-addon-l10n-es-intrastat-report`` 19.0.1.0.1 (OCA/l10n-spain);
see the PROVENANCE.md beside the CSV. Reproduce with::

    pip download --no-deps odoo-addon-l10n-es-intrastat-report==19.0.1.0.1 -d /tmp/nc
    unzip -o /tmp/nc/*.whl 'odoo/addons/l10n_es_intrastat_report/data/Estruc_NC2023.xlsx' -d /tmp/nc
    python -m tools.hs_nomenclature_es /tmp/nc/odoo/addons/l10n_es_intrastat_report/data/Estruc_NC2023.xlsx

What changes: the format only (first sheet, 'CN2023 All languages', to UTF-8 CSV). The sheet's second column
(no header; a spreadsheet formula ``=LEN(C2)`` per row, not data) is left out; every other cell is written as
stored, non-breaking spaces included. The second sheet ('Hoja1', CN codes and supplementary units again) is not
copied: the first sheet holds the same units in its SU column.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "raw" / "reference" / "hs-nomenclature-es" / "cn2023_estructura_es.csv"
XLSX_SHA256 = "733b5722e144104aa6f4ba03faedfe63a56174d827f0a6f2a5e899a264cf3453"
HEADER = ("CNKEY", "CN_CODE", "LEVEL", "PARENT", "SU", "NAME_ES")


def convert(xlsx: Path, out: Path = OUT) -> int:
    """Write the CSV; returns the number of data rows. Refuses a workbook other than the documented one."""
    digest = hashlib.sha256(xlsx.read_bytes()).hexdigest()
    if digest != XLSX_SHA256:
        raise SystemExit(f"{xlsx}: sha256 {digest}, expected {XLSX_SHA256} (Estruc_NC2023.xlsx of the wheel)")
    sheet = openpyxl.load_workbook(xlsx, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    if (header[0],) + tuple(header[2:]) != HEADER:
        raise SystemExit(f"{xlsx}: unexpected header {header}")
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(["" if v is None else v for v in (row[0],) + tuple(row[2:])])
            count += 1
    return count


if __name__ == "__main__":
    print(f"{OUT}: {convert(Path(sys.argv[1])):,} rows")
