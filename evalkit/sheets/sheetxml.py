"""One worksheet's XML streamed element by element, every element spent from the workbook's
:class:`~evalkit.sheets.budget.Budget` and dropped once read: the cell values (openpyxl's cell
parser, one cell held at a time), merged ranges filled in, rows hidden by hand, and formula
cells whose result was never saved."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from evalkit.core.i18n import msg
from evalkit.sheets.budget import Budget, Metered, WorkbookTooLarge

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
#: XML elements one cell may hold (its formula, value, and runs of rich text).
MAX_CELL_ELEMENTS = 1_000
#: Excel's last row.
LAST_ROW = 1_048_576

#: One sheet: its rows as (row number, cell values), empty rows left out.
Rows = list[tuple[int, list[object]]]


@dataclass
class SheetXML:
    """What a worksheet's XML holds, as read: rows, merged ranges, rows hidden by hand, and
    formula cells without a saved result (``(row, column)`` -> the formula)."""

    title: str
    rows: Rows = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def _parser(book: Any, strings: list[str]) -> WorkSheetParser:
    return WorkSheetParser(
        None,
        strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )


def read_sheet(
    source: Metered, title: str, reader: Any, percent: frozenset[int], budget: Budget
) -> SheetXML:
    """The rows of one worksheet's XML, merged ranges filled in."""
    parser = _parser(reader.wb, reader.shared_strings)
    sheet = SheetXML(title)
    current: dict[int, object] = {}
    open_elements: list[Any] = []
    in_cell = 0  # elements of the cell being read, the cell included
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            budget.element()
            in_cell += 1 if in_cell or element.tag == _CELL else 0
            if in_cell > MAX_CELL_ELEMENTS:
                raise WorkbookTooLarge(
                    msg(
                        "a cell of more than {count} parts in row {row}",
                        count=f"{MAX_CELL_ELEMENTS:,}",
                        row=parser.row_counter,
                    )
                )
            if element.tag == _ROW:
                parser.row_counter = _row_number(element.get("r"), parser.row_counter)
                parser.col_counter, current = 0, {}
                if element.get("hidden") in ("1", "true"):
                    sheet.hidden.add(parser.row_counter)
            open_elements.append(element)
            continue
        open_elements.pop()
        tag = element.tag
        if tag == _CELL:
            in_cell = 0
            _cell(element, parser, current, sheet, percent, budget)
        elif tag == _ROW and current:
            width = max(current)
            budget.row()
            budget.cell(width - len(current))  # the empty cells between
            sheet.rows.append((parser.row_counter, [current.get(c) for c in range(1, width + 1)]))
        elif tag == _MERGE:
            budget.merge()
            sheet.merged.append(str(element.get("ref") or ""))
        if open_elements and not in_cell:
            element.clear()  # nothing read stays in memory, known or not
            open_elements[-1].remove(element)
    sheet.rows.sort(key=lambda r: r[0])
    _fill_merged(sheet, budget)
    return sheet


def _cell(
    element: Any,
    parser: WorkSheetParser,
    current: dict[int, object],
    sheet: SheetXML,
    percent: frozenset[int],
    budget: Budget,
) -> None:
    """One cell: its value kept in ``current``, or its column counted when it is empty."""
    budget.cell()
    if not (len(element) or element.get("t") == "inlineStr"):
        if element.get("r"):
            parser.col_counter = coordinate_to_tuple(element.get("r"))[1]
        else:
            parser.col_counter += 1
        return
    formula = element.find(_FORMULA)
    cell = parser.parse_cell(element)
    value = cell["value"]
    if cell["style_id"] in percent and type(value) in (int, float):
        value = round(value * 100, 9)  # 0.6 shown as 60%
    if value not in (None, ""):
        if isinstance(value, str):
            budget.text(value, lambda: f"{sheet.title!r}!{element.get('r') or ''}")
        current[cell["column"]] = value
    elif formula is not None and not (element.findtext(_VALUE) or ""):
        sheet.formulas[(parser.row_counter, cell["column"])] = (formula.text or "")[:200]


def _row_number(text: str | None, previous: int) -> int:
    try:
        number = int(text) if text else previous + 1
    except ValueError:
        raise WorkbookTooLarge(msg("a row numbered {number}", number=repr(text))) from None
    if not 1 <= number <= LAST_ROW:
        raise WorkbookTooLarge(
            msg("a row numbered {number} (Excel stops at 1,048,576)", number=f"{number:,}")
        )
    return number


def _fill_merged(sheet: SheetXML, budget: Budget) -> None:
    """A merged range repeats its top-left value in every cell of it that has a row; every
    row a range reaches is spent, filled or not, so that one range over a million rows costs
    what it reaches."""
    rows = sheet.rows
    numbers = [number for number, _ in rows]
    for ref in sheet.merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue
        start = bisect.bisect_left(numbers, min_row)
        stop = bisect.bisect_right(numbers, max_row)
        top = rows[start][1] if start < len(rows) and numbers[start] == min_row else []
        value = top[min_col - 1] if min_col <= len(top) else None
        for _, cells in rows[start:stop]:
            span = range(min_col - 1, min(max_col, len(cells)))
            budget.cell(max(len(span), 1))
            for column in span:
                cells[column] = value
