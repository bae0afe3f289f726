"""XLSX workbooks read within bounds: visible sheets only, cells streamed, merged ranges
filled.

A workbook is a zip of XML files, and a small one can describe a huge sheet: a zip that
inflates to gigabytes, millions of empty cells, or one long shared string repeated in every
cell. Before openpyxl opens it, the archive's inflated size is checked; then each sheet's XML
is streamed cell by cell (the standard library's C parser, whose expat refuses entity
expansion bombs; openpyxl's cell parser for the values; one cell held at a time), counting
cells and characters, and reading stops with :class:`WorkbookTooLarge` at the first limit.

Hidden and very hidden sheets are skipped (and logged as a warning) unless named with
``sheet``: a hidden sheet is often an old copy or a lookup table, never scores to count.
"""

from __future__ import annotations

import bisect
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

log = logging.getLogger("evalkit.sheets")

#: Limits far above any score sheet (the national PMQA ledger holds about 200,000 cells).
MAX_INFLATED_BYTES = 256 * 2**20
MAX_ENTRIES = 10_000
MAX_CELLS = 1_000_000
MAX_CHARACTERS = 50_000_000
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell
MAX_MERGED = 20_000

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"

#: One sheet: its rows as (row number, cell values), empty rows left out.
Rows = list[tuple[int, list[object]]]


class SheetNotFound(LookupError):
    """A workbook has no sheet of the requested name."""


class WorkbookTooLarge(ValueError):
    """A workbook past one of the limits of this module; the message says which."""


def check_archive(path: Path) -> None:
    """Refuse a zip whose members would inflate past the limits, before anything inflates."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        raise WorkbookTooLarge(f"a workbook of {len(members):,} parts (at most {MAX_ENTRIES:,})")
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_INFLATED_BYTES:
        raise WorkbookTooLarge(
            f"a workbook that inflates to {inflated / 2**20:,.0f} MB "
            f"(at most {MAX_INFLATED_BYTES // 2**20} MB)"
        )


class _Counter:
    def __init__(self, sheet: str):
        self.sheet, self.cells, self.characters = sheet, 0, 0

    def add(self, cells: int, value: object, where: str) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise WorkbookTooLarge(f"sheet {self.sheet!r} has more than {MAX_CELLS:,} cells")
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARACTERS:
                raise WorkbookTooLarge(
                    f"cell {where} of sheet {self.sheet!r} holds {len(value):,} characters "
                    f"(at most {MAX_CELL_CHARACTERS:,})"
                )
            self.characters += len(value)
            if self.characters > MAX_CHARACTERS:
                raise WorkbookTooLarge(
                    f"sheet {self.sheet!r} holds more than {MAX_CHARACTERS:,} characters"
                )


@dataclass(frozen=True)
class _Sheet:
    """A worksheet of an opened workbook: where its XML is, and what it needs to be read."""

    title: str
    state: str
    target: str
    reader: Any  # openpyxl's ExcelReader, holding the archive, shared strings and styles


def _stream(ws: _Sheet) -> tuple[Rows, list[str]]:
    """Cell values of a sheet, and its merged ranges, one cell held at a time."""
    book = ws.reader.wb
    parser = WorkSheetParser(
        None,
        ws.reader.shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    count = _Counter(ws.title)
    rows: Rows = []
    merged: list[str] = []
    current: dict[int, object] = {}
    open_elements: list[Any] = []
    cells = 0
    with ws.reader.archive.open(ws.target) as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                open_elements.append(element)
                if tag == _ROW:
                    parser.row_counter = _row_number(element.get("r"), parser.row_counter)
                    parser.col_counter = 0
                    current = {}
                continue
            open_elements.pop()
            if tag == _CELL:
                cells += 1
                if cells > MAX_CELLS:
                    raise WorkbookTooLarge(f"sheet {ws.title!r} has more than {MAX_CELLS:,} cells")
                if len(element) or element.get("t") == "inlineStr":
                    cell = parser.parse_cell(element)
                    if cell["value"] not in (None, ""):
                        count.add(0, cell["value"], f"{cell['column']},{parser.row_counter}")
                        current[cell["column"]] = cell["value"]
                elif element.get("r"):
                    parser.col_counter = coordinate_to_tuple(element.get("r"))[1]
                else:
                    parser.col_counter += 1
            elif tag == _ROW and current:
                width = max(current)
                count.add(width - len(current), None, "")
                rows.append((parser.row_counter, [current.get(c) for c in range(1, width + 1)]))
            elif tag == _MERGE:
                merged.append(str(element.get("ref") or ""))
                if len(merged) > MAX_MERGED:
                    raise WorkbookTooLarge(f"sheet {ws.title!r} has over {MAX_MERGED:,} merges")
            if tag in (_CELL, _ROW) and open_elements:
                element.clear()
                open_elements[-1].remove(element)  # nothing read stays in memory
    rows.sort(key=lambda r: r[0])
    return rows, merged


def _row_number(text: str | None, previous: int) -> int:
    try:
        number = int(text) if text else previous + 1
    except ValueError:
        raise WorkbookTooLarge(f"a row numbered {text!r}") from None
    if not 1 <= number <= 1_048_576:
        raise WorkbookTooLarge(f"a row numbered {number:,} (Excel stops at 1,048,576)")
    return number


def _fill_merged(rows: Rows, merged: list[str], count: _Counter) -> None:
    """A merged range repeats its top-left value in every cell of it that has a row."""
    numbers = [number for number, _ in rows]
    for ref in merged:
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
            count.add(len(span), None, "")
            for column in span:
                cells[column] = value


def _open(path: Path) -> tuple[Any, list[_Sheet]]:
    """The workbook's parts other than its sheets, and where each worksheet is.

    openpyxl's ``load_workbook`` would scan every sheet's XML for its size before anything
    can count its cells; its reader's steps are taken here one by one, without that scan."""
    reader = ExcelReader(path, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    sheets = [
        _Sheet(sheet.name, sheet.state or "visible", rel.target, reader)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    return reader, sheets


def read_workbook(path: Path, sheet: str | None) -> list[tuple[str, Rows]]:
    """The visible sheets of a workbook (or the one named), each as its rows."""
    check_archive(path)
    reader, sheets = _open(path)
    try:
        names = [ws.title for ws in sheets]
        if sheet is not None and sheet not in names:
            raise SheetNotFound(f"no sheet named {sheet!r}; the sheets are {names}")
        chosen = [ws for ws in sheets if ws.title == sheet]
        for ws in [] if sheet else sheets:
            if ws.state == "visible":
                chosen.append(ws)
            else:
                log.warning(
                    "%s [%s]: a %s sheet, skipped; name it with --sheet to read it.",
                    path,
                    ws.title,
                    "very hidden" if ws.state == "veryHidden" else "hidden",
                )
        found = []
        for ws in chosen:
            rows, merged = _stream(ws)
            _fill_merged(rows, merged, _Counter(ws.title))
            found.append((ws.title, rows))
        return found
    finally:
        reader.archive.close()
