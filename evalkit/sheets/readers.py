"""Read CSV and XLSX score sheets into rows of clean text, finding the header row.

Sheets made by hand often carry a title block above the header, Thai column names, stray
spaces and zero-width characters. The reader keeps every value as text (typing is the job of
:mod:`evalkit.sheets.load`) and remembers the row number a person sees in Excel or an editor.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from evalkit.core.errors import Problem
from evalkit.core.files import not_regular
from evalkit.core.i18n import Message, msg
from evalkit.core.outputs import KINDS
from evalkit.sheets.books import unsaved_formula, workbook_sheets
from evalkit.sheets.cells import clean_lines, clean_text, name_key
from evalkit.sheets.columns import COLUMNS, FACTOR_COLUMNS, aliases
from evalkit.sheets.csvsheet import OutputFile, csv_table
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.tables import (
    HEADER_SCAN_ROWS,
    ColumnMatcher,
    RawSheet,
    Table,
    find_header,
    headless,
)

#: Columns of free text, whose values keep their line breaks and may run over several lines
#: of a CSV (as may a column evalkit does not read, such as a template's check texts).
FREE_TEXT = ("strength", "improvement", "evidence", "explanation")

__all__ = ["HEADER_SCAN_ROWS", "Table", "canonical_column", "find_header", "read_tables"]

CSV_SUFFIXES = (".csv", ".txt")

_PARENTHESES = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


def column_matcher(names_of: Mapping[str, tuple[str, ...]]) -> ColumnMatcher:
    """A function naming the column a header cell means, by any of its aliases.

    Matching ignores case, spaces, ``_``, ``-`` and ``.``; a name with a gloss in parentheses,
    ``ร้อยละ (percent)``, matches by either part.
    """
    index = {name_key(a): canon for canon, names in names_of.items() for a in names}

    def match(name: str) -> str | None:
        found = index.get(name_key(name))
        if found is None and (parts := _PARENTHESES.match(clean_text(name))):
            found = index.get(name_key(parts[1])) or index.get(name_key(parts[2]))
        return found

    return match


_matchers: dict[tuple[str, ...], ColumnMatcher] = {}


def canonical_column(name: str) -> str | None:
    """The canonical name of a score-sheet header cell (a declared column, or a factor letter
    evalkit knows), or None when it is not a known column."""
    declared = (*COLUMNS, *FACTOR_COLUMNS)
    if declared not in _matchers:
        _matchers.clear()
        _matchers[declared] = column_matcher(aliases([*COLUMNS.values(), *FACTOR_COLUMNS.values()]))
    return _matchers[declared](name)


def _problem(
    file: str, sheet: str, found: str | Message, expected: str | Message, **more: Any
) -> Problem:
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
    multiline: Collection[str],
    skipped: list[Skipped],
    least: int = 3,
) -> Table | Problem:
    rows = [(n, [clean_text(cell) for cell in cells]) for n, cells in raw.rows]
    rows = [(n, cells) for n, cells in rows if any(cells)]
    top = [cells for n, cells in rows if n <= HEADER_SCAN_ROWS]
    found = find_header(top, match, least)
    if found is None:
        return headless(file, raw.name, [cells for _, cells in rows[:1]])
    header_row, header_cells = rows[found]
    header = tuple(header_cells)
    unsaved = unsaved_formula(file, raw, header_row, header, match)
    if unsaved:
        return unsaved
    body = rows[found + 1 :]
    hidden = [n for n, _ in body if n in raw.hidden_rows]
    if hidden and not raw.hidden:
        reason = msg("rows hidden in the workbook, not read; unhide them to read them")
        skipped.append(Skipped(file, raw.name, reason, rows=tuple(hidden)))
        body = [(n, cells) for n, cells in body if n not in raw.hidden_rows]
    width = len(header)
    kept = [i for i, name in enumerate(header) if match(name) in multiline]
    if kept:
        cells_of = dict(raw.rows)
        for number, cells in body:
            for i in kept:
                if i < len(cells_of[number]):
                    cells[i] = clean_lines(cells_of[number][i])
    table = tuple((number, tuple((row + [""] * width)[:width])) for number, row in body)
    return Table(file, raw.name, header_row, header, table)


def _path_problem(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a score sheet, or None."""
    file, suffix = str(path), path.suffix.lower()
    if path.is_dir():
        return _problem(file, "", msg("a folder"), msg("a .csv or .xlsx score sheet"))
    if suffix not in (".xlsx", ".xlsm", *CSV_SUFFIXES):
        found = msg("a file ending in {suffix}", suffix=repr(suffix or "(nothing)"))
        return _problem(file, "", found, msg("a .csv or .xlsx score sheet"))
    reason = not_regular(path)
    if reason is not None:
        return _problem(file, "", reason, msg("an existing .csv or .xlsx file"))
    return None


def _csv_tables(
    path: Path,
    encoding: str | None,
    match: ColumnMatcher,
    multiline: Collection[str],
    skipped: list[Skipped],
    least: int,
) -> list[Table] | Problem:
    """A CSV's table, read as a stream; a CSV evalkit wrote is added to ``skipped``."""
    file = str(path)
    try:
        found = csv_table(path, encoding, match, multiline, least)
    except OSError as exc:
        return _problem(
            file,
            "",
            msg("a file that cannot be read ({error})", error=exc.strerror or exc),
            msg("a readable CSV"),
        )
    if isinstance(found, OutputFile):
        reason = msg("{kind} evalkit wrote, not a score sheet", kind=KINDS[found.kind])
        skipped.append(Skipped(file, "", reason, count=found.rows))
        return []
    return found if isinstance(found, Problem) else [found]


def read_tables(
    path: str | Path,
    sheet: str | None = None,
    encoding: str | None = None,
    match: ColumnMatcher = canonical_column,
    multiline: Collection[str] = FREE_TEXT,
    skipped: list[Skipped] | None = None,
    least: int = 3,
) -> list[Table] | Problem:
    """Read a file's score sheets: a CSV, or the sheets of a workbook (the one named, or
    every sheet it holds as input, with a header row: the first row that names ``least``
    columns ``match`` knows). Return the tables, or the Problem that stops reading; what is
    left aside (hidden sheets and rows, evalkit's own sheets) is added to ``skipped``.

    Cells of the ``multiline`` columns (canonical names) keep their line breaks, and in a CSV
    a quoted value may run over several lines only there (and in columns ``match`` does not
    know, which are not read)."""
    aside: list[Skipped] = [] if skipped is None else skipped
    path = Path(path)
    wrong = _path_problem(path)
    if wrong is not None:
        return wrong
    if path.suffix.lower() in CSV_SUFFIXES:
        return _csv_tables(path, encoding, match, multiline, aside, least)
    sheets = workbook_sheets(path, sheet, aside)
    if isinstance(sheets, Problem):
        return sheets
    tables = [_table(str(path), raw, match, multiline, aside, least) for raw in sheets]
    hidden = {raw.name for raw in sheets if raw.hidden}
    aside += [_hidden(str(path), t) for t in tables if t.sheet in hidden]
    tables = [t for t in tables if t.sheet not in hidden]
    found = [t for t in tables if isinstance(t, Table)]
    if not tables:
        return []
    # a sheet with a problem at a row is refused; sheets without a header row (notes,
    # summaries) are left aside
    if any(isinstance(t, Problem) and t.row for t in tables):
        return next(t for t in tables if isinstance(t, Problem) and t.row)
    if not found:
        return next(t for t in tables if isinstance(t, Problem))
    for table in tables:
        if isinstance(table, Problem):
            reason = msg("a sheet without a header row of score columns")
            aside.append(Skipped(str(path), table.sheet, reason, quiet=True))
    return found


def _hidden(file: str, table: Table | Problem) -> Skipped:
    """A hidden sheet, read to say what it holds and never used."""
    if isinstance(table, Table) and table.rows:
        reason = msg("a hidden sheet, not read; unhide it, or name it with --sheet to read it")
        return Skipped(file, table.sheet, reason, count=len(table.rows))
    return Skipped(file, table.sheet, msg("a hidden sheet without score rows"), quiet=True)
