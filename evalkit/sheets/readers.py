"""Read CSV and XLSX score sheets into rows of clean text, finding the header row.

Sheets made by hand often carry a title block above the header, Thai column names, stray
spaces and zero-width characters. The reader keeps every value as text (typing is the job of
:mod:`evalkit.sheets.load`) and remembers the row number a person sees in Excel or an editor.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.core.errors import Problem
from evalkit.sheets.columns import COLUMN_ALIASES

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u00a0]+")
_NAME_NOISE = re.compile(r"[\s\u00a0_\-.]+")
HEADER_SCAN_ROWS = 30


def clean_text(value: object) -> str:
    """Text of a cell with invisible characters removed and white space trimmed and folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", _INVISIBLE.sub("", str(value))).strip()


_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
_LINE_SPACES = re.compile(r"[^\S\n]+")


def clean_lines(value: object) -> str:
    """Like :func:`clean_text`, but line breaks inside the cell are kept (one per line, blank
    lines at either end dropped): for comments, where a list of points is one per line."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _LINE_BREAKS.sub("\n", _INVISIBLE.sub("", str(value)).replace("\u00a0", " "))
    return "\n".join(_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _name_key(name: str) -> str:
    return _NAME_NOISE.sub("", clean_text(name)).casefold()


_PARENTHESES = re.compile(r"^(.*?)\s*\((.*)\)\s*$")

#: Maps a header cell to its canonical column name, or None.
ColumnMatcher = Callable[[str], "str | None"]


def column_matcher(aliases: Mapping[str, tuple[str, ...]]) -> ColumnMatcher:
    """A function naming the column a header cell means, by any of its aliases.

    Matching ignores case, spaces, ``_``, ``-`` and ``.``; a name with a gloss in parentheses,
    ``ร้อยละ (percent)``, matches by either part.
    """
    index = {_name_key(a): canon for canon, names in aliases.items() for a in names}

    def match(name: str) -> str | None:
        found = index.get(_name_key(name))
        if found is None and (parts := _PARENTHESES.match(clean_text(name))):
            found = index.get(_name_key(parts[1])) or index.get(_name_key(parts[2]))
        return found

    return match


#: The canonical name of a score-sheet header cell, or None when it is not a known column.
canonical_column = column_matcher(COLUMN_ALIASES)


@dataclass(frozen=True)
class Table:
    """Rows of text under a header, with the spreadsheet row number of each row."""

    file: str
    sheet: str
    header_row: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


#: Encodings a sheet may be named with; TIS-620 files are read as cp874, its superset.
ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "tis-620": "cp874",
    "tis620": "cp874",
    "cp874": "cp874",
    "windows-874": "cp874",
}


class SheetNotFound(LookupError):
    """A workbook has no sheet of the requested name."""


def decode(data: bytes, encoding: str | None = None) -> str:
    """Text of a CSV file: in ``encoding`` when named, else detected (BOM, UTF-8, cp874)."""
    if encoding:
        return data.decode(ENCODINGS.get(encoding.lower(), encoding))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp874", errors="replace")


def _csv_rows(path: Path, encoding: str | None) -> list[list[object]]:
    text = decode(path.read_bytes(), encoding)
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _sheet_rows(ws: Any) -> list[list[object]]:
    """Cell values from row 1 down; a merged range repeats its value in every cell."""
    rows = [list(r) for r in ws.iter_rows(min_row=1, values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                rows[r][c] = value
    return rows


def _xlsx_sheets(path: Path, sheet: str | None) -> list[tuple[str, list[list[object]]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SheetNotFound(f"no sheet named {sheet!r}; the sheets are {book.sheetnames}")
        sheets = [book[sheet]] if sheet else book.worksheets
        return [(ws.title, _sheet_rows(ws)) for ws in sheets]
    finally:
        book.close()


def find_header(rows: list[list[str]], match: ColumnMatcher = canonical_column) -> int | None:
    """Index of the first row (within the first rows) that names three known columns."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if sum(match(cell) is not None for cell in row if cell) >= 3:
            return index
    return None


def _table(
    file: str,
    sheet_name: str,
    raw: list[list[object]],
    match: ColumnMatcher,
    multiline: Collection[str] = (),
) -> Table | Problem:
    rows = [[clean_text(cell) for cell in row] for row in raw]
    if not any(any(row) for row in rows):
        return Problem(
            file=file,
            row=0,
            column="",
            found="an empty sheet" if sheet_name else "an empty file",
            expected="a header row and at least one data row",
            sheet=sheet_name,
        )
    header_index = find_header(rows, match)
    if header_index is None:
        first = next(row for row in rows if any(row))
        return Problem(
            file=file,
            row=0,
            column="",
            found=f"no header row; the first non-empty row holds {[c for c in first if c]}",
            expected="a header row naming the columns " + ", ".join(list(COLUMN_ALIASES)[:7]),
            hint="Thai column names are accepted too (see the README).",
            sheet=sheet_name,
        )
    header = tuple(rows[header_index])
    width = len(header)
    for column, name in enumerate(header):
        if multiline and match(name) in multiline:
            for number in range(header_index + 1, len(rows)):
                if column < len(raw[number]):
                    rows[number][column] = clean_lines(raw[number][column])
    body = tuple(
        (number, tuple((row + [""] * width)[:width]))
        for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(row)
    )
    return Table(file, sheet_name, header_index + 1, header, body)


def _raw_sheets(
    path: Path, sheet: str | None, encoding: str | None
) -> list[tuple[str, list[list[object]]]] | Problem:
    file, suffix = str(path), path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        return Problem(
            file=file,
            row=0,
            column="",
            found=f"a file ending in {suffix or '(nothing)'!r}",
            expected="a .csv or .xlsx score sheet",
        )
    if not path.is_file():
        return Problem(
            file=file,
            row=0,
            column="",
            found="no such file",
            expected="an existing .csv or .xlsx file",
        )
    if suffix in (".csv", ".txt"):
        try:
            return [("", _csv_rows(path, encoding))]
        except (UnicodeDecodeError, LookupError) as exc:
            return Problem(
                file=file,
                row=0,
                column="",
                found=f"text that is not {encoding} ({exc})",
                expected="a CSV in UTF-8, UTF-16 or TIS-620",
                hint="Name the right --encoding.",
            )
        except (OSError, csv.Error) as exc:
            return Problem(
                file=file,
                row=0,
                column="",
                found=f"a file that cannot be read ({exc})",
                expected="a valid CSV",
            )
    try:
        return _xlsx_sheets(path, sheet)
    except SheetNotFound as exc:
        return Problem(
            file=file, row=0, column="", found=str(exc), expected="an existing sheet name"
        )
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged workbook
        return Problem(
            file=file,
            row=0,
            column="",
            found=f"a file that cannot be read as a workbook ({exc})",
            expected=f"a valid {suffix} spreadsheet",
        )


def read_tables(
    path: str | Path,
    sheet: str | None = None,
    encoding: str | None = None,
    match: ColumnMatcher = canonical_column,
    multiline: Collection[str] = (),
) -> list[Table] | Problem:
    """Read a file's score sheets: a CSV, or the sheets of a workbook (the one named, or
    every sheet with a header row). Return the tables, or the Problem that stops reading.

    Cells of the ``multiline`` columns (canonical names) keep their line breaks."""
    sheets = _raw_sheets(Path(path), sheet, encoding)
    if isinstance(sheets, Problem):
        return sheets
    tables = [_table(str(path), name, raw, match, multiline) for name, raw in sheets]
    found = [t for t in tables if isinstance(t, Table)]
    # in a workbook, sheets without a header row (notes, summaries) are skipped
    return found or next(t for t in tables if isinstance(t, Problem))
