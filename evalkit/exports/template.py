"""Blank score sheets for a framework, ready for assessors to fill in Excel.

An XLSX template has one sheet per form the framework needs (band, checklist, indicators),
Thai headers with the English column name in parentheses, every item (and every check)
listed, drop-down lists where the values are fixed and a frozen header row. A CSV template
holds one form; a framework that needs several gets one CSV per form.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.core.files import atomic_path
from evalkit.frameworks.model import Framework
from evalkit.sheets.columns import thai_header
from evalkit.sheets.forms import FORM_METHODS

SHEET_NAMES = {"band": "คะแนน", "checklist": "รายการตรวจ", "indicators": "ตัวชี้วัด"}
LEAD = ["agency_id", "agency_name", "year", "framework"]


def _band(framework: Framework) -> pd.DataFrame:
    items = [i for i in framework.items if i.method in FORM_METHODS["band"]]
    value = "rating" if all(i.method == "rating" for i in items) else "percent"
    columns = [*LEAD, "assessor", "item", "item_name", value, "strength", "improvement", "evidence"]
    if value == "percent" and any(i.method == "rating" for i in items):
        columns.insert(columns.index("percent") + 1, "rating")
    rows = [{"framework": framework.id, "item": i.key, "item_name": i.name_th} for i in items]
    return pd.DataFrame(rows, columns=columns)


def _checklist(framework: Framework) -> pd.DataFrame:
    rows = [
        {
            "framework": framework.id,
            "item": item.key,
            "level": check.level,
            "check": check.id,
            "check_text": check.text_th,
            "level_text": item.level_text(check.level),
        }
        for item in framework.items
        for check in item.checks
    ]
    columns = [*LEAD, "assessor", "item", "level", "check", "check_text", "met"]
    columns += ["explanation", "evidence", "level_text"]
    return pd.DataFrame(rows, columns=columns)


def _indicators(framework: Framework) -> pd.DataFrame:
    rows = [
        {"framework": framework.id, "item": i.key, "item_name": i.name_th}
        for i in framework.items
        if i.method == "indicator-success"
    ]
    columns = [*LEAD, "item", "item_name", "indicator", "target", "actual", "direction"]
    columns += ["floor", "goal", "ceiling", "explanation", "evidence"]
    return pd.DataFrame(rows, columns=columns)


def template_frames(framework: Framework) -> dict[str, pd.DataFrame]:
    """One blank frame per form the framework's items need, keyed by form."""
    builders = {"band": _band, "checklist": _checklist, "indicators": _indicators}
    return {
        form: build(framework)
        for form, build in builders.items()
        if framework.methods & set(FORM_METHODS[form])
    }


def _header(column: str) -> str:
    return thai_header(column)


def _choices(framework: Framework, form: str) -> dict[str, list[str]]:
    choices = {
        "framework": [framework.id],
        "met": ["ใช่", "ไม่ใช่"],
        "direction": ["ยิ่งมากยิ่งดี", "ยิ่งน้อยยิ่งดี", "higher", "lower"],
        "level": ["basic", "advance", "significance"],
    }
    if form == "band":
        steps = int(100 // framework.step)
        choices["percent"] = [f"{framework.step * n:g}" for n in range(steps + 1)]
        choices["rating"] = [str(r.value) for r in framework.ratings]
    return choices


def _write_xlsx(frames: dict[str, pd.DataFrame], framework: Framework, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    lists = book.create_sheet("_lists")
    lists.sheet_state = "hidden"
    list_column = 0
    for form, frame in frames.items():
        ws = book.create_sheet(SHEET_NAMES[form])
        ws.append([_header(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            ws.append([None if pd.isna(v) else v for v in row])
        ws.freeze_panes = "A2"
        last = max(len(frame) + 1, 2)
        for n, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(n)
            wide = column.endswith(("_name", "_text")) or column == "explanation"
            ws.column_dimensions[letter].width = 40 if wide else 16
            values = _choices(framework, form).get(column)
            if not values:
                continue
            list_column += 1
            source = get_column_letter(list_column)
            for r, value in enumerate(values, start=1):
                lists[f"{source}{r}"] = value
            rule = DataValidation(
                type="list",
                allow_blank=True,
                formula1=f"=_lists!${source}$1:${source}${len(values)}",
                error=f"เลือกจากรายการ (choose one of: {', '.join(values)})",
                showErrorMessage=True,
            )
            ws.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{last}")
    with atomic_path(path) as tmp:
        book.save(tmp)


def write_template(framework: Framework, path: str | Path) -> list[Path]:
    """Write a blank sheet (or one per form, for CSV) and return the paths written."""
    path = Path(path)
    frames = template_frames(framework)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(frames, framework, path)
        return [path]
    written = []
    for form, frame in frames.items():
        target = path if len(frames) == 1 else path.with_stem(f"{path.stem}-{form}")
        with atomic_path(target) as tmp:
            frame.rename(columns=_header).to_csv(tmp, index=False, encoding="utf-8-sig")
        written.append(target)
    return written
