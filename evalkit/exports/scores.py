"""Exports for Excel users: scores and the panel's consensus, as CSV or XLSX.

CSV is UTF-8 with a BOM so that Excel shows Thai; XLSX has Thai headers and a frozen header
row. Text that begins with ``=``, ``+``, ``-`` or ``@`` is neutralised with a leading
apostrophe, so that opening an export never runs a formula that came from a sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.core.files import atomic_path
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import panel_rows, score
from evalkit.sheets.columns import thai_header
from evalkit.sheets.sheetset import KEYS, SheetSet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula, prefixed with an apostrophe."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            text = frame[column].astype(object)
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
            frame[column] = text.where(~risky, "'" + text.astype(str))
    return frame


def consensus_table(sheets: SheetSet, registry: Registry) -> pd.DataFrame:
    """Per agency, year and item: the panel's percent and points, and the assessors' spread."""
    result = score(sheets, registry)
    items = result[result["level"] == "item"].rename(columns={"key": "item"})
    bands = panel_rows(sheets).bands
    value = bands["percent"].fillna(bands["rating"])
    spread = (
        bands.assign(value=value)
        .astype({"item": object, "agency_id": object, "framework": object})
        .groupby([*KEYS, "item"], observed=True)["value"]
        .agg(assessors="count", low="min", high="max")
        .reset_index()
    )
    table = items.merge(spread, on=[*KEYS, "item"], how="left")
    columns = [
        *KEYS[:1],
        "agency_name",
        *KEYS[1:],
        "item",
        "percent",
        "points",
        "max_points",
        "label",
        "assessors",
        "low",
        "high",
    ]
    return table[columns]


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        neutralize(frame).to_csv(tmp, index=False, encoding="utf-8-sig")


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> None:
    """One worksheet per frame, Thai headers (English in parentheses), header row frozen."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        ws = book.create_sheet(title)
        ws.append([thai_header(c) for c in frame.columns])
        for row in neutralize(frame).itertuples(index=False):
            ws.append([None if pd.isna(v) else v for v in row])
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, even when it looks like a formula
        ws.freeze_panes = "A2"
    with atomic_path(path) as tmp:
        book.save(tmp)


def export(sheets: SheetSet, registry: Registry, fmt: str, out: str | Path) -> list[Path]:
    """Write scores and consensus; CSV into the folder ``out``, XLSX into the file ``out``."""
    tables = {"scores": score(sheets, registry), "consensus": consensus_table(sheets, registry)}
    out = Path(out)
    if fmt == "xlsx":
        write_xlsx(
            {"คะแนน (scores)": tables["scores"], "ฉันทามติ (consensus)": tables["consensus"]}, out
        )
        return [out]
    written = []
    for name, frame in tables.items():
        write_csv(frame, out / f"{name}.csv")
        written.append(out / f"{name}.csv")
    return written


def write_results(result: pd.DataFrame, path: str | Path) -> None:
    """Write results as CSV in UTF-8 with a BOM (Excel shows Thai), formulas neutralised."""
    write_csv(result, path)
