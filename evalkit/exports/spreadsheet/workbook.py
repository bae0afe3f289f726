"""Workbooks built with openpyxl for the one spreadsheet writer (see
:mod:`evalkit.exports.spreadsheet`): write-only sheets (rows streamed, not held as cell
objects), text kept as text with Excel's quote prefix where it could run, bold headers,
column widths, drop-down lists on a hidden sheet, and A4 print settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING

from evalkit.core.outputs import LISTS_SHEET, is_risky
from evalkit.exports.spreadsheet.cells import Sheet, plain, xlsx_text

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

#: Width of a column, in characters, unless the sheet says otherwise.
DEFAULT_WIDTH = 16
#: The longest error message of a drop-down Excel accepts, in characters.
ERROR_LENGTH = 255
#: The paper size code of A4 in a workbook's page setup (ECMA-376).
A4 = "9"


def new_workbook(props: Mapping[str, str]) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook(write_only=True)
    for name, value in props.items():
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    return book


def fill(book: Workbook, sheets: Sequence[Sheet]) -> None:
    lists = _ListSheet()
    for sheet in sheets:
        _write_sheet(book.create_sheet(sheet.title), sheet, lists)
    lists.write(book)


def discard(book: Workbook) -> None:
    """After a failed save (a full disk), close the streams openpyxl left open on its
    temporary files and remove those files, so that nothing fails again, with a traceback,
    when the workbook is collected."""
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            with suppress(OSError, ValueError, RuntimeError):
                writer.close()
            with suppress(OSError, ValueError):
                writer.cleanup()


def _write_sheet(ws: Worksheet, sheet: Sheet, lists: _ListSheet) -> None:
    """Fill a write-only sheet: its layout first (openpyxl writes it before the rows), then
    the rows, then the drop-down lists."""
    from openpyxl.utils import get_column_letter

    columns = list(sheet.frame.columns)
    for n, column in enumerate(columns, start=1):
        width = sheet.widths.get(column, DEFAULT_WIDTH)
        ws.column_dimensions[get_column_letter(n)].width = width
    if sheet.show_header:
        ws.freeze_panes = f"A{sheet.header_row + 1}"
    if sheet.paper:
        _paper(ws, sheet)
    cell = _CellMaker(ws)
    for line in sheet.above:
        ws.append([cell(line)])
    if sheet.show_header:
        ws.append([cell(h, bold=True) for h in sheet.header()])
    wrapped = [c in sheet.wrap for c in columns]
    for row in sheet.rows():
        ws.append([cell(v, wrap=w) for v, w in zip(row, wrapped, strict=True)])
    last = sheet.header_row + max(len(sheet.frame), sheet.choice_rows, 1)
    for n, column in enumerate(columns, start=1):
        if sheet.choices.get(column):
            letter = get_column_letter(n)
            rule = lists.rule(list(sheet.choices[column]))
            rule.add(f"{letter}{sheet.header_row + 1}:{letter}{last}")
            ws.data_validations.append(rule)
    for column, by_row in sheet.row_choices.items():
        _row_rules(ws, get_column_letter(columns.index(column) + 1), sheet, by_row, lists)


def _row_rules(
    ws: Worksheet, letter: str, sheet: Sheet, by_row: Sequence[Sequence[str]], lists: _ListSheet
) -> None:
    """One drop-down rule per distinct list of a column whose rows have lists of their own,
    over the runs of rows that share it."""
    rows: dict[tuple[str, ...], list[int]] = {}
    for number, values in enumerate(by_row, start=sheet.header_row + 1):
        if values:
            rows.setdefault(tuple(values), []).append(number)
    for values, numbers in rows.items():
        rule = lists.rule(list(values), typed=True)
        given = set(numbers)
        starts = [n for n in numbers if n - 1 not in given]
        ends = [n for n in numbers if n + 1 not in given]
        for start, end in zip(starts, ends, strict=True):
            rule.add(f"{letter}{start}:{letter}{end}")
        ws.data_validations.append(rule)


def _paper(ws: Worksheet, sheet: Sheet) -> None:
    """A4, as wide as the page, the header row printed atop every page."""
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.show_header:
        ws.print_title_rows = f"{sheet.header_row}:{sheet.header_row}"


class _CellMaker:
    """Cells of a write-only sheet: text kept as text, formulas neutralised by Excel's quote
    prefix, headers bold, long text wrapped."""

    def __init__(self, ws: Worksheet):
        self.ws = ws

    def __call__(self, value: object, bold: bool = False, wrap: bool = False) -> object:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        value = plain(value)
        if isinstance(value, str):
            value = xlsx_text(value) or None  # an empty text is an empty cell
        if not (isinstance(value, str) or bold or wrap):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text, even when it looks like a formula
            cell.quotePrefix = is_risky(value)
        if bold:
            cell.font = Font(bold=True)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell


class _ListSheet:
    """The hidden sheet :data:`LISTS_SHEET` that holds the drop-down lists, one a column."""

    def __init__(self) -> None:
        self.columns: list[list[str]] = []

    def rule(self, values: list[str], typed: bool = False) -> DataValidation:
        """A drop-down of ``values``: anything else refused, or only warned about when
        ``typed`` (a value typed rather than chosen is read too)."""
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        if values not in self.columns:
            self.columns.append(values)
        letter = get_column_letter(self.columns.index(values) + 1)
        listed = f"เลือกจากรายการ (choose one of: {', '.join(values)})"
        if typed:
            listed = "เลือกจากรายการ หรือพิมพ์ตัวเลข (choose from the list, or type a number)"
        elif len(listed) > ERROR_LENGTH:
            listed = "เลือกจากรายการ (choose from the list)"
        return DataValidation(
            type="list",
            allow_blank=True,
            formula1=f"={LISTS_SHEET}!${letter}$1:${letter}${len(values)}",
            error=listed,
            errorStyle="warning" if typed else "stop",
            showErrorMessage=True,
        )

    def write(self, book: Workbook) -> None:
        if not self.columns:
            return
        ws = book.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
        cell = _CellMaker(ws)
        for r in range(max(map(len, self.columns))):
            ws.append([cell(c[r]) if r < len(c) else None for c in self.columns])
