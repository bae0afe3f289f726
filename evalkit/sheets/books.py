"""A workbook's sheets as the reader takes them: what a workbook evalkit wrote says it is
(only its input sheets are read; one that holds no input is skipped with a word), hidden
sheets marked, and formula cells whose result was never saved refused."""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg
from evalkit.core.outputs import KINDS
from evalkit.sheets.budget import WorkbookTooLarge
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.tables import ColumnMatcher, RawSheet
from evalkit.sheets.workbook import SheetNotFound, read_workbook


def _kind(kind: str) -> Message | str:
    """What a kind of workbook evalkit writes is, as a person would name it."""
    return KINDS.get(kind, kind or "?")


def workbook_sheets(
    path: Path, sheet: str | None, skipped: list[Skipped]
) -> list[RawSheet] | Problem:
    """The sheets of a workbook to read, or the Problem that stops reading; evalkit's own
    sheets, and a workbook evalkit wrote that holds no input, are added to ``skipped``."""
    file, suffix = str(path), path.suffix.lower()
    try:
        book = read_workbook(path, sheet)
    except SheetNotFound as exc:
        return Problem(
            file=file, row=0, column="", found=exc.message, expected=msg("an existing sheet name")
        )
    except WorkbookTooLarge as exc:
        return Problem(
            file=file,
            row=0,
            column="",
            found=exc.message,
            expected=msg("a workbook within evalkit's limits"),
            hint=msg("Split the workbook, or save only its score sheets."),
        )
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged workbook
        return Problem(
            file=file,
            row=0,
            column="",
            found=msg("a file that cannot be read as a workbook ({error})", error=exc),
            expected=msg("a valid {suffix} spreadsheet", suffix=suffix),
        )
    for title in book.own:
        reason = msg("a sheet evalkit wrote for its own use, not score input")
        skipped.append(Skipped(file, title, reason, quiet=True))
    if not book.input:
        reason = msg("{kind} evalkit wrote, not a score sheet", kind=_kind(book.kind))
        skipped.append(Skipped(file, "", reason))
        return []
    if not book.sheets:
        return Problem(
            file=file,
            row=0,
            column="",
            found=msg("no sheet of scores"),
            expected=msg("a visible score sheet"),
            hint=msg("Unhide the score sheet, or name it with --sheet."),
        )
    return [RawSheet(s.title, s.rows, s.hidden, s.hidden_rows, s.formulas) for s in book.sheets]


def unsaved_formula(
    file: str, raw: RawSheet, header_row: int, header: tuple[str, ...], match: ColumnMatcher
) -> Problem | None:
    """A formula under the header, in a column evalkit reads, whose result the workbook does
    not hold (a file written by a program that does not calculate): refused at its first
    cell, the others counted."""
    read = {i + 1 for i, name in enumerate(header) if name and match(name)}
    cells = sorted(
        (row, column)
        for (row, column) in raw.formulas
        if row > header_row and column in read and row not in raw.hidden_rows
    )
    if not cells:
        return None
    row, column = cells[0]
    more = len(cells) - 1
    hint = msg(
        "Open the file in Excel or LibreOffice and save it, so that the results of its "
        "formulas are saved with it."
    )
    if more:
        hint = msg("{count} more cells like it. {hint}", count=more, hint=hint)
    return Problem(
        file=file,
        row=row,
        column=header[column - 1] or get_column_letter(column),
        found=msg(
            "a formula (={formula}) whose result was never saved",
            formula=raw.formulas[(row, column)],
        ),
        expected=msg("a value, or a formula with its result saved"),
        hint=hint,
        sheet=raw.name,
    )
