"""Shared builders and paths for the tests: import them with ``from helpers import ...``."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE = ROOT / "data" / "sample" / "trat"

BAND_HEADER = "agency_id,agency_name,year,framework,assessor,item,percent\n"
#: A sheet with known comments per assessor and item (see tests/golden/feedback/README.md).
FEEDBACK = GOLDEN / "feedback" / "sheet.csv"


def item_section(html: str, key: str) -> str:
    """The HTML of one item of a feedback fragment or page (``<section id="fb-KEY">``)."""
    start = html.index(f'<section class="ek-fb-item" id="fb-{key}">')
    return html[start : html.index("</section>", start)]


def read_golden(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", dtype={"key": str, "year": "Int64"})


#: What a spreadsheet takes for the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cells(path: Path) -> list[tuple[str, object, bool]]:
    """Every non-empty cell of a CSV or XLSX file: (where, value, safe), ``safe`` meaning
    that the cell cannot run as a formula whatever its text (an XLSX text cell with Excel's
    quote prefix); a formula cell of a workbook is reported with its formula as its value
    and ``safe`` False."""
    import csv

    import openpyxl

    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [
                (f"{path.name}:{r}:{c}", value, False)
                for r, row in enumerate(csv.reader(handle), start=1)
                for c, value in enumerate(row, start=1)
                if value != ""
            ]
    book = openpyxl.load_workbook(path)
    return [
        (f"{path.name}[{ws.title}]{cell.coordinate}", cell.value, bool(cell.quotePrefix))
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None and cell.data_type != "f"
    ] + [
        (f"{path.name}[{ws.title}]{cell.coordinate}: a formula", cell.value, False)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def dangerous_cells(path: Path) -> list[str]:
    """The cells of a spreadsheet file that a spreadsheet program would run as a formula."""
    plain_number = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
    return [
        f"{where}: {value!r}"
        for where, value, safe in spreadsheet_cells(path)
        if where.endswith("a formula")
        or (
            isinstance(value, str)
            and value.startswith(FORMULA_STARTS)
            and not safe
            and not plain_number.fullmatch(value)
        )
    ]
