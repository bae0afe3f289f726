"""CSV records parsed strictly as the lines are read, within budgets, and checked against
their header.

Records are parsed with the csv module's strict mode over the lines of
:mod:`evalkit.sheets.csvtext`, one at a time, so that a quote that is never closed, or text
after a closing quote, stops reading at the record where it happens instead of swallowing the
rows after it. What a file may hold is bounded as a workbook's is
(:mod:`evalkit.sheets.budget`): characters in one value (Excel's 32,767: the csv module's
field limit, so an unterminated quote is refused there instead of being read to the end of the
file), filled rows (Excel's 1,048,576), cells and characters in the whole file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg
from evalkit.sheets.budget import MAX_CELL_CHARACTERS, MAX_ROWS
from evalkit.sheets.cells import clean_text
from evalkit.sheets.csvtext import ENCODING_EXPECTED, ENCODINGS, MAX_CSV_BYTES, CSVProblem

__all__ = ["ENCODINGS", "ENCODING_EXPECTED", "MAX_CSV_BYTES", "CSVProblem", "Record", "records"]

#: Cells in one CSV (a band sheet of a million rows holds 7 or 8 million).
MAX_CSV_CELLS = 20_000_000
#: Characters in one CSV (a band sheet of a million rows with Thai names holds about 80 million).
MAX_CSV_CHARACTERS = 128_000_000


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: its row number (as a spreadsheet shows it), the lines it spans in the
    file, and its fields."""

    row: int
    first_line: int
    last_line: int
    fields: list[str]


_WITHIN = msg("a CSV within evalkit's limits")
_SPLIT = msg("Split the file into several CSV files.")


def _parse_error(error: csv.Error, first: int, last: int) -> CSVProblem:
    """What a csv module error means, said for the record that starts on line ``first``."""
    if "field larger" in str(error):
        return CSVProblem(
            0,
            msg(
                "a value of more than {limit} characters in the row that starts on line {line}",
                limit=f"{MAX_CELL_CHARACTERS:,}",
                line=first,
            ),
            msg(
                "at most {limit} characters in one cell, as in Excel",
                limit=f"{MAX_CELL_CHARACTERS:,}",
            ),
            msg("Shorten the value; if a quote was left open, close it where the value ends."),
        )
    if "end of data" in str(error):
        return CSVProblem(
            0,
            msg(
                "a quote opened in the row that starts on line {line} and never closed", line=first
            ),
            msg("a closing quote before the end of the row"),
            msg("Close the quote, or remove it."),
        )
    return CSVProblem(
        0,
        msg("text the CSV format does not allow on line {line}", line=last),
        msg("fields separated by commas, each either plain or wholly inside quotes"),
        msg('Write a quote inside a quoted field as two quotes ("").'),
    )


class _Spent:
    """Cells and characters read from one CSV so far."""

    def __init__(self) -> None:
        self.cells = self.characters = 0

    def spend(self, record: Record) -> None:
        if record.row > MAX_ROWS:
            raise CSVProblem(
                0,
                msg("a filled row after row {limit}, Excel's last", limit=f"{MAX_ROWS:,}"),
                _WITHIN,
                _SPLIT,
            )
        self.cells += len(record.fields)
        self.characters += sum(map(len, record.fields))
        if self.cells > MAX_CSV_CELLS:
            raise CSVProblem(
                0,
                msg("a CSV of more than {limit} cells", limit=f"{MAX_CSV_CELLS:,}"),
                _WITHIN,
                _SPLIT,
            )
        if self.characters > MAX_CSV_CHARACTERS:
            raise CSVProblem(
                0,
                msg(
                    "a CSV of more than {limit} characters of text", limit=f"{MAX_CSV_CHARACTERS:,}"
                ),
                _WITHIN,
                _SPLIT,
            )


def records(lines: Iterable[str]) -> Iterator[Record]:
    """The filled records of a CSV's lines, one at a time, or :class:`CSVProblem` at the
    record that breaks (its ``line`` set to the record's row). The csv module's field limit
    (one setting for the whole process) is one cell's characters while they are read."""
    previous = csv.field_size_limit(MAX_CELL_CHARACTERS)
    try:
        yield from _parsed(lines)
    finally:
        csv.field_size_limit(previous)


def _parsed(lines: Iterable[str]) -> Iterator[Record]:
    reader = csv.reader(lines, strict=True)
    spent = _Spent()
    number = 0
    while True:
        first = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = _parse_error(exc, first, reader.line_num)
            problem.line = number + 1
            raise problem from None
        except CSVProblem as problem:  # from the lines: a decoding error, a NUL, a long line
            problem.line = number + 1
            raise
        number += 1
        if any(fields):  # a blank line keeps its number and costs nothing
            record = Record(number, first, reader.line_num, fields)
            try:
                spent.spend(record)
            except CSVProblem as problem:
                problem.line = number
                raise
            yield record


def _problem(
    file: str, record: Record, column: str, found: Message, expected: Message, hint: Message
) -> Problem:
    return Problem(
        file=file, row=record.row, column=column, found=found, expected=expected, hint=hint
    )


@lru_cache(maxsize=64)
def _width(header: tuple[str, ...]) -> int:
    """The fields a record under ``header`` must have: up to its last named column."""
    return max((i + 1 for i, name in enumerate(header) if name), default=0)


def _multiline_problem(
    file: str, header: tuple[str, ...], record: Record, free: Callable[[str], bool]
) -> Problem | None:
    """A value over several lines where the column is not ``free`` to hold one, or one that
    holds lines that look like rows."""
    for name, field in zip(header, record.fields, strict=False):
        if "\n" not in field and "\r" not in field:
            continue
        width = _width(header)
        lines = {"first": record.first_line, "last": record.last_line}
        rows_inside = [
            line for line in field.splitlines()[1:] if line.count(",") >= max(2, width - 2)
        ]
        if free(name) and not rows_inside:
            continue
        return _problem(
            file,
            record,
            name,
            msg(
                "a value that runs over lines {first}-{last} of the file and holds lines that "
                "look like rows",
                **lines,
            )
            if rows_inside
            else msg("a value that runs over lines {first}-{last} of the file", **lines),
            msg("a comment without rows") if free(name) else msg("a value on one line"),
            msg(
                "A quote opened on line {first} closes only on line {last}: close it where the "
                "value ends.",
                **lines,
            ),
        )
    return None


def _fields_found(record: Record) -> Message:
    """A record's fields and the lines it spans, as a problem names them."""
    if record.last_line > record.first_line:
        return msg(
            "a row of {count} fields (on lines {first}-{last} of the file)",
            count=len(record.fields),
            first=record.first_line,
            last=record.last_line,
        )
    return msg(
        "a row of {count} fields (on line {line} of the file)",
        count=len(record.fields),
        line=record.first_line,
    )


def record_problem(
    file: str, header: tuple[str, ...], record: Record, free: Callable[[str], bool]
) -> Problem | None:
    """What is wrong with one CSV record under its header, or None.

    A record must have one field per column of the header; a field may run over several
    lines only in a column ``free`` to hold one (free text, or a column that is not read),
    and not hold lines that look like rows (a quote left open in a comment swallows the rows
    after it until the next quote)."""
    width = _width(header)
    fields = record.fields
    extra = len(fields) > width and any(clean_text(f) for f in fields[width:])
    if len(fields) < width or extra:
        return _problem(
            file,
            record,
            "",
            _fields_found(record),
            msg("{count} fields, one per column of the header", count=width),
            msg("A value with a comma in it belongs in quotes.")
            if extra
            else msg("A comma is missing, or a quote joined two values."),
        )
    return _multiline_problem(file, header, record, free)
