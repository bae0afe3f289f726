"""Read CSV and XLSX score sheets into rows of clean text, finding the header row.

Sheets made by hand often carry a title block above the header, Thai column names, stray
spaces and zero-width characters. The reader keeps every value as text (typing is the job of
:mod:`evalkit.sheets.load`) and remembers the row number a person sees in Excel or an editor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.core.errors import Problem
from evalkit.sheets.cells import clean_lines, clean_text
from evalkit.sheets.columns import COLUMN_ALIASES
from evalkit.sheets.csvfile import (
    MAX_CSV_BYTES,
    CSVProblem,
    Record,
    decode,
    record_problem,
    records,
)
from evalkit.sheets.workbook import SheetNotFound, WorkbookTooLarge, read_workbook

#: Columns of free text, whose values keep their line breaks and may run over several lines
#: of a CSV (as may a column evalkit does not read, such as a template's check texts).
FREE_TEXT = ("strength", "improvement", "evidence", "explanation")

_NAME_NOISE = re.compile(r"[\s\u00a0_\-.]+")
HEADER_SCAN_ROWS = 30


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


@dataclass(frozen=True)
class RawSheet:
    """A sheet's cells as read: rows by number, and for a CSV the records behind them."""

    name: str
    rows: list[tuple[int, list[object]]]
    records: dict[int, Record] | None = None


def _csv_sheet(path: Path, encoding: str | None) -> RawSheet:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise CSVProblem(
            0, f"a CSV of {size / 2**20:,.0f} MB", f"at most {MAX_CSV_BYTES // 2**20} MB"
        )
    found = records(decode(path.read_bytes(), encoding))
    return RawSheet("", [(r.row, list[object](r.fields)) for r in found], {r.row: r for r in found})


def find_header(
    rows: list[list[str]], match: ColumnMatcher = canonical_column, least: int = 3
) -> int | None:
    """Index of the first row (within the first rows) that names ``least`` known columns."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if sum(match(cell) is not None for cell in row if cell) >= least:
            return index
    return None


def _problem(file: str, sheet: str, found: str, expected: str, **more: Any) -> Problem:
    return Problem(
        file=file,
        row=more.pop("row", 0),
        column=more.pop("column", ""),
        found=found,
        expected=expected,
        sheet=sheet,
        **more,
    )


def _table(
    file: str,
    raw: RawSheet,
    match: ColumnMatcher,
    multiline: Collection[str] = FREE_TEXT,
    least: int = 3,
) -> Table | Problem:
    rows = [(n, [clean_text(cell) for cell in cells]) for n, cells in raw.rows]
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        return _problem(
            file,
            raw.name,
            "an empty sheet" if raw.name else "an empty file",
            "a header row and at least one data row",
        )
    top = [cells for n, cells in rows if n <= HEADER_SCAN_ROWS]
    found = find_header(top, match, least)
    if found is None:
        return _problem(
            file,
            raw.name,
            f"no header row; the first non-empty row holds {[c for c in rows[0][1] if c]}",
            "a header row naming the columns " + ", ".join(list(COLUMN_ALIASES)[:7]),
            hint="Thai column names are accepted too (see the README).",
        )
    header_row, header_cells = rows[found]
    header = tuple(header_cells)
    if raw.records is not None:
        original = tuple(clean_text(f) for f in raw.records[header_row].fields)

        def free(name: str) -> bool:
            return match(name) in multiline or match(name) is None

        for number, _ in rows[found + 1 :]:
            wrong = record_problem(file, original, raw.records[number], free)
            if wrong:
                return wrong
    width = len(header)
    kept = [i for i, name in enumerate(header) if match(name) in multiline]
    if kept:
        cells_of = dict(raw.rows)
        for number, cells in rows[found + 1 :]:
            for i in kept:
                if i < len(cells_of[number]):
                    cells[i] = clean_lines(cells_of[number][i])
    body = tuple((number, tuple((row + [""] * width)[:width])) for number, row in rows[found + 1 :])
    return Table(file, raw.name, header_row, header, body)


def _raw_sheets(path: Path, sheet: str | None, encoding: str | None) -> list[RawSheet] | Problem:
    file, suffix = str(path), path.suffix.lower()
    if path.is_dir():
        return _problem(file, "", "a folder", "a .csv or .xlsx score sheet")
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        return _problem(
            file, "", f"a file ending in {suffix or '(nothing)'!r}", "a .csv or .xlsx score sheet"
        )
    if not path.is_file():
        return _problem(file, "", "no such file", "an existing .csv or .xlsx file")
    if suffix in (".csv", ".txt"):
        try:
            return [_csv_sheet(path, encoding)]
        except CSVProblem as exc:
            return _problem(file, "", exc.found, exc.expected, row=exc.line, hint=exc.hint)
        except OSError as exc:
            return _problem(
                file, "", f"a file that cannot be read ({exc.strerror or exc})", "a readable CSV"
            )
    try:
        sheets = read_workbook(path, sheet)
    except SheetNotFound as exc:
        return _problem(file, "", str(exc), "an existing sheet name")
    except WorkbookTooLarge as exc:
        return _problem(
            file,
            "",
            str(exc),
            "a workbook within evalkit's limits",
            hint="Split the workbook, or save only its score sheets.",
        )
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged workbook
        return _problem(
            file,
            "",
            f"a file that cannot be read as a workbook ({exc})",
            f"a valid {suffix} spreadsheet",
        )
    if not sheets:
        return _problem(
            file,
            "",
            "no visible sheet (hidden sheets are skipped)",
            "a visible score sheet",
            hint="Unhide the score sheet, or name it with --sheet.",
        )
    return [RawSheet(name, rows) for name, rows in sheets]


def read_tables(
    path: str | Path,
    sheet: str | None = None,
    encoding: str | None = None,
    match: ColumnMatcher = canonical_column,
    multiline: Collection[str] = FREE_TEXT,
    least: int = 3,
) -> list[Table] | Problem:
    """Read a file's score sheets: a CSV, or the sheets of a workbook (the one named, or
    every visible sheet with a header row: the first row that names ``least`` columns
    ``match`` knows). Return the tables, or the Problem that stops reading.

    Cells of the ``multiline`` columns (canonical names) keep their line breaks, and in a CSV
    a quoted value may run over several lines only there (and in columns ``match`` does not
    know, which are not read)."""
    sheets = _raw_sheets(Path(path), sheet, encoding)
    if isinstance(sheets, Problem):
        return sheets
    tables = [_table(str(path), raw, match, multiline, least) for raw in sheets]
    found = [t for t in tables if isinstance(t, Table)]
    # in a workbook, sheets without a header row (notes, summaries) are skipped; a CSV that
    # breaks is refused
    if any(isinstance(t, Problem) and t.row for t in tables):
        return next(t for t in tables if isinstance(t, Problem) and t.row)
    return found or next(t for t in tables if isinstance(t, Problem))
