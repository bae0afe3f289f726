"""XLSX workbooks read within bounds: visible sheets only, cells streamed, merged ranges
filled.

A workbook is a zip of XML files, and a small one can describe a huge sheet: a zip that
inflates to gigabytes, millions of empty cells, or one long shared string repeated in every
cell. Before openpyxl opens it, the archive's inflated size is checked; then each sheet's XML
is streamed cell by cell (the standard library's C parser, whose expat refuses entity
expansion bombs; openpyxl's cell parser for the values; one cell held at a time), counting
cells and characters, and reading stops with :class:`WorkbookTooLarge` at the first limit.

A workbook evalkit wrote says what it is in its custom document properties
(``evalkit-kind``, and ``evalkit-input-sheets``: the JSON list of the titles of its sheets
that are score input): only those sheets are read, its other sheets are evalkit's own and left
aside quietly, and a workbook whose list is empty is plainly not input. An older template,
without the properties, is known by its hidden ``_lists`` sheet, left aside quietly.

Hidden sheets are read but not used (the reader says how many score rows they hold), unless
named with ``sheet``; rows hidden by hand and formula cells whose result was never saved are
marked for the reader. Nothing is logged: what is left aside comes back as data.
"""

from __future__ import annotations

import bisect
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

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
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_PROPERTY = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
CUSTOM_PROPERTIES = "docProps/custom.xml"
#: The custom document properties by which a workbook evalkit wrote says what it is.
KIND, INPUT_SHEETS = "evalkit-kind", "evalkit-input-sheets"
#: The hidden sheet of drop-down lists in templates evalkit wrote before the properties.
LISTS_SHEET = "_lists"

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
class SheetRows:
    """One worksheet as read: its rows, whether it is hidden, the rows hidden by hand, and the
    formula cells whose result was never saved (``(row, column)`` -> the formula)."""

    title: str
    rows: Rows
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Book:
    """The sheets of a workbook to read, what it says it is (``kind``, "" when it says
    nothing), and the titles of the sheets left aside as evalkit's own (``own``). ``input``
    is False for a workbook evalkit wrote that holds no score input."""

    sheets: list[SheetRows]
    kind: str = ""
    own: tuple[str, ...] = ()
    input: bool = True


@dataclass(frozen=True)
class _Sheet:
    """A worksheet of an opened workbook: where its XML is, and what it needs to be read."""

    title: str
    state: str
    target: str
    reader: Any  # openpyxl's ExcelReader, holding the archive, shared strings and styles


def _stream(ws: _Sheet) -> tuple[Rows, list[str], set[int], dict[tuple[int, int], str]]:
    """Cell values of a sheet, its merged ranges, the rows hidden by hand and the formula
    cells without a saved result, one cell held at a time."""
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
    hidden: set[int] = set()
    formulas: dict[tuple[int, int], str] = {}
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
                    if element.get("hidden") in ("1", "true"):
                        hidden.add(parser.row_counter)
                continue
            open_elements.pop()
            if tag == _CELL:
                cells += 1
                if cells > MAX_CELLS:
                    raise WorkbookTooLarge(f"sheet {ws.title!r} has more than {MAX_CELLS:,} cells")
                if len(element) or element.get("t") == "inlineStr":
                    formula = element.find(_FORMULA)
                    cell = parser.parse_cell(element)
                    if cell["value"] not in (None, ""):
                        count.add(0, cell["value"], f"{cell['column']},{parser.row_counter}")
                        current[cell["column"]] = cell["value"]
                    elif formula is not None and not (element.findtext(_VALUE) or ""):
                        text = (formula.text or "")[:200]
                        formulas[(parser.row_counter, cell["column"])] = text
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
    return rows, merged, hidden, formulas


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


def _properties(reader: Any) -> dict[str, str]:
    """The workbook's custom document properties (text values), {} when it has none."""
    archive = reader.archive
    if CUSTOM_PROPERTIES not in archive.namelist():
        return {}
    if archive.getinfo(CUSTOM_PROPERTIES).file_size > 2**20:
        raise WorkbookTooLarge("custom document properties of more than 1 MB")
    found: dict[str, str] = {}
    with archive.open(CUSTOM_PROPERTIES) as source:
        for _, element in iterparse(source):
            if element.tag == _PROPERTY and len(element):
                found[str(element.get("name") or "")] = str(element[0].text or "")
    return found


def _input_sheets(properties: dict[str, str]) -> list[str] | None:
    """The titles a workbook evalkit wrote lists as score input; None when it lists none."""
    try:
        listed = json.loads(properties[INPUT_SHEETS])
    except (KeyError, ValueError):
        return None
    if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
        return None
    return listed


def _chosen(sheets: list[_Sheet], properties: dict[str, str]) -> tuple[list[_Sheet], list[str]]:
    """The sheets to read, and the titles of evalkit's own sheets, left aside."""
    listed = _input_sheets(properties)
    if listed is not None:
        return [ws for ws in sheets if ws.title in listed], [
            ws.title for ws in sheets if ws.title not in listed
        ]
    own = [ws.title for ws in sheets if ws.title == LISTS_SHEET and ws.state != "visible"]
    return [ws for ws in sheets if ws.title not in own], own


def read_workbook(path: Path, sheet: str | None) -> Book:
    """The sheets of a workbook to read (the one named, or every sheet it holds as input;
    hidden ones marked), each as its rows."""
    check_archive(path)
    reader, sheets = _open(path)
    try:
        names = [ws.title for ws in sheets]
        if sheet is not None and sheet not in names:
            raise SheetNotFound(f"no sheet named {sheet!r}; the sheets are {names}")
        properties = _properties(reader)
        kind = properties.get(KIND, "")
        if sheet is not None:
            chosen, own = [ws for ws in sheets if ws.title == sheet], list[str]()
        else:
            chosen, own = _chosen(sheets, properties)
        if sheet is None and _input_sheets(properties) == []:
            return Book([], kind, tuple(own), input=False)
        found = []
        for ws in chosen:
            rows, merged, hidden, formulas = _stream(ws)
            _fill_merged(rows, merged, _Counter(ws.title))
            is_hidden = ws.state != "visible" and sheet is None
            found.append(SheetRows(ws.title, rows, is_hidden, frozenset(hidden), formulas))
        return Book(found, kind, tuple(own))
    finally:
        reader.archive.close()
