"""XLSX workbooks read within bounds: visible sheets only, cells streamed, merged ranges
filled.

A workbook is a zip of XML files, and a small one can describe a huge sheet. Everything read
from one workbook is spent from one :class:`~evalkit.sheets.budget.Budget`: the archive's
declared sizes are checked before anything inflates, parts read whole (the list of sheets,
styles, relations) are checked one by one, and the shared strings and each sheet's XML are
streamed element by element (the standard library's C parser, whose expat refuses entity
expansion bombs; openpyxl's cell parser for the values; one cell held at a time, every
element dropped once read), counting bytes, elements, rows, cells, characters, strings and
merged ranges across the whole workbook. Reading stops with :class:`WorkbookTooLarge` at the
first budget spent.

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

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from evalkit.core.i18n import Message, msg
from evalkit.sheets.budget import (
    MAX_ENTRIES,
    MAX_INFLATED_BYTES,
    MAX_PART_BYTES,
    MAX_SHEETS,
    Budget,
    Metered,
    WorkbookTooLarge,
)
from evalkit.sheets.parts import KIND, custom_properties, input_sheets, percent_styles
from evalkit.sheets.sheetxml import MAX_CELL_ELEMENTS, Rows, read_sheet

_STRING = f"{{{SHEET_MAIN_NS}}}si"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_PHONETIC = f"{{{SHEET_MAIN_NS}}}rPh"
#: The parts openpyxl reads whole, known by how their names end.
_WHOLE_PARTS = (".rels", "[Content_Types].xml", "workbook.xml", "styles.xml", "custom.xml")
#: The hidden sheet of drop-down lists in templates evalkit wrote before the properties.
LISTS_SHEET = "_lists"


class SheetNotFound(LookupError):
    """A workbook has no sheet of the requested name; ``message`` names the sheets it has."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


def check_archive(path: Path) -> None:
    """Refuse a zip whose members would inflate past the limits, before anything inflates."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        raise WorkbookTooLarge(
            msg(
                "a workbook of {count} parts (at most {limit})",
                count=f"{len(members):,}",
                limit=f"{MAX_ENTRIES:,}",
            )
        )
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_INFLATED_BYTES:
        raise WorkbookTooLarge(
            msg(
                "a workbook that inflates to {size} MB (at most {limit} MB)",
                size=f"{inflated / 2**20:,.0f}",
                limit=MAX_INFLATED_BYTES // 2**20,
            )
        )
    for member in members:
        if member.filename.endswith(_WHOLE_PARTS) and member.file_size > MAX_PART_BYTES:
            raise WorkbookTooLarge(
                msg(
                    "a part {part} of {size} MB (at most {limit} MB)",
                    part=repr(member.filename),
                    size=f"{member.file_size / 2**20:,.1f}",
                    limit=MAX_PART_BYTES // 2**20,
                )
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
    #: the styles whose number format shows a percent (a cell of 0.6 shown as 60%)
    percent: frozenset[int] = frozenset()


def _shared_strings(reader: Any, budget: Budget) -> list[str]:
    """The workbook's shared strings, streamed: each string and its characters spent, every
    element dropped once read."""
    found = reader.package.find(SHARED_STRINGS)
    if found is None:
        return []
    strings: list[str] = []
    in_string = 0
    with reader.archive.open(found.PartName[1:]) as source:
        for event, element in iterparse(Metered(source, budget), events=("start", "end")):
            if event == "start":
                budget.element()
                in_string += 1 if in_string or element.tag == _STRING else 0
                if in_string > MAX_CELL_ELEMENTS:
                    raise WorkbookTooLarge(
                        msg(
                            "a shared string of more than {count} parts",
                            count=f"{MAX_CELL_ELEMENTS:,}",
                        )
                    )
                continue
            if element.tag == _STRING:
                budget.string()
                text = "".join(
                    t.text or "" for t in element.iter(_TEXT) if t not in _phonetic(element)
                ).replace("_x005F_", "_")
                budget.text(text, lambda: msg("shared string {number}", number=len(strings) + 1))
                strings.append(text)
                in_string = 0
            if not in_string:
                element.clear()
    return strings


def _phonetic(string: Any) -> set[Any]:
    """The text of a shared string's phonetic guides (not part of the string)."""
    return {t for run in string.iter(_PHONETIC) for t in run.iter(_TEXT)}


def _open(path: Path, budget: Budget) -> tuple[Any, list[_Sheet]]:
    """The workbook's parts other than its sheets, and where each worksheet is.

    openpyxl's ``load_workbook`` would scan every sheet's XML for its size before anything
    can count its cells; its reader's steps are taken here one by one, without that scan."""
    reader = ExcelReader(path, read_only=True, data_only=True)
    reader.read_manifest()
    reader.shared_strings = _shared_strings(reader, budget)
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    percent = percent_styles(reader.wb)
    sheets = [
        _Sheet(sheet.name, sheet.state or "visible", rel.target, reader, percent)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    if len(sheets) > MAX_SHEETS:
        raise WorkbookTooLarge(
            msg(
                "a workbook of {count} sheets (at most {limit})",
                count=f"{len(sheets):,}",
                limit=f"{MAX_SHEETS:,}",
            )
        )
    return reader, sheets


def _chosen(sheets: list[_Sheet], properties: dict[str, str]) -> tuple[list[_Sheet], list[str]]:
    """The sheets to read, and the titles of evalkit's own sheets, left aside."""
    listed = input_sheets(properties)
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
    budget = Budget()
    reader, sheets = _open(path, budget)
    try:
        names = [ws.title for ws in sheets]
        if sheet is not None and sheet not in names:
            raise SheetNotFound(
                msg(
                    "no sheet named {sheet}; the sheets are {names}", sheet=repr(sheet), names=names
                )
            )
        properties = custom_properties(reader.archive)
        kind = properties.get(KIND, "")
        if sheet is not None:
            chosen, own = [ws for ws in sheets if ws.title == sheet], list[str]()
        else:
            chosen, own = _chosen(sheets, properties)
        if sheet is None and input_sheets(properties) == []:
            return Book([], kind, tuple(own), input=False)
        found = []
        for ws in chosen:
            with reader.archive.open(ws.target) as source:
                read = read_sheet(Metered(source, budget), ws.title, reader, ws.percent, budget)
            is_hidden = ws.state != "visible" and sheet is None
            found.append(
                SheetRows(ws.title, read.rows, is_hidden, frozenset(read.hidden), read.formulas)
            )
        return Book(found, kind, tuple(own))
    finally:
        reader.archive.close()
