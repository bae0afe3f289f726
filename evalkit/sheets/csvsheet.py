"""A CSV score sheet read as a stream: each record checked and kept as it is read, nothing of
the file held but the rows it keeps.

The header is looked for among the first rows; every record under it must have one field
per column of the header (:func:`~evalkit.sheets.csvfile.record_problem`), and reading stops
at the first that does not, or at the first problem of the text (:mod:`evalkit.sheets.csvtext`)
or of a budget (:mod:`evalkit.sheets.csvfile`). The cells kept are clean text; a value met
again (a year, an item, the agency's name on each of its rows) is kept once and shared, so a
sheet costs about what its distinct values and its rows do.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from evalkit.core.errors import Problem
from evalkit.core.i18n import msg
from evalkit.core.outputs import csv_kind, restored
from evalkit.sheets.cells import clean_lines, clean_text
from evalkit.sheets.columns import column
from evalkit.sheets.csvfile import MAX_CSV_BYTES, CSVProblem, Record, record_problem, records
from evalkit.sheets.csvtext import lines
from evalkit.sheets.tables import HEADER_SCAN_ROWS, ColumnMatcher, Table, headless

#: Distinct values remembered to be shared, and the longest value shared.
SHARED_VALUES = 100_000
SHARED_LENGTH = 200


@dataclass(frozen=True)
class OutputFile:
    """A CSV evalkit wrote (``kind``), not a score sheet: ``rows`` under its header."""

    kind: str
    rows: int


class _Cells:
    """Clean text of CSV fields, each distinct short value cleaned once and kept once."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def clean(self, field: str) -> str:
        found = self.known.get(field)
        if found is None:
            found = clean_text(restored(field))
            if len(field) <= SHARED_LENGTH and len(self.known) < SHARED_VALUES:
                found = self.known.setdefault(found, found)
                self.known[field] = found
        return found

    def row(self, fields: list[str]) -> list[str]:
        return [self.clean(f) for f in fields]


def _size_problem(file: str, path: Path) -> Problem | None:
    size = path.stat().st_size
    if size <= MAX_CSV_BYTES:
        return None
    return Problem(
        file=file,
        row=0,
        column="",
        found=msg("a CSV of {size} MB", size=f"{size / 2**20:,.0f}"),
        expected=msg("at most {limit} MB", limit=MAX_CSV_BYTES // 2**20),
    )


def csv_table(
    path: Path,
    encoding: str | None,
    match: ColumnMatcher,
    multiline: Collection[str],
    least: int = 3,
) -> Table | Problem | OutputFile:
    """The table of a CSV file, the Problem that stops reading it, or what evalkit output it
    is. OSError is the caller's to say."""
    file = str(path)
    too_large = _size_problem(file, path)
    if too_large:
        return too_large
    with path.open("rb") as handle:
        try:
            return _read(file, records(lines(handle, encoding)), match, multiline, least)
        except CSVProblem as exc:
            return Problem(
                file=file,
                row=exc.line,
                column="",
                found=exc.found,
                expected=exc.expected,
                hint=exc.hint,
            )


def _read(
    file: str,
    found: Iterator[Record],
    match: ColumnMatcher,
    multiline: Collection[str],
    least: int,
) -> Table | Problem | OutputFile:
    cells = _Cells()
    top: list[list[str]] = []
    for record in found:
        row = cells.row(record.fields)
        if not any(row):
            continue
        if not top and (kind := csv_kind(row)):
            return OutputFile(kind, sum(1 for _ in found))
        top.append(row)
        if record.row > HEADER_SCAN_ROWS:
            break
        if sum(match(c) is not None for c in row if c) >= least:
            return _body(file, record, row, found, cells, match, multiline)
    return headless(file, "", top)


def _body(
    file: str,
    header_record: Record,
    header_cells: list[str],
    found: Iterator[Record],
    cells: _Cells,
    match: ColumnMatcher,
    multiline: Collection[str],
) -> Table | Problem:
    """The rows under the header, each checked against it as it is read."""
    header = tuple(header_cells)
    original = tuple(clean_text(f) for f in header_record.fields)

    def free(name: str) -> bool:
        canon = match(name)
        return canon is None or canon in multiline or not column(canon).read

    width = len(header)
    kept = [i for i, name in enumerate(header) if match(name) in multiline]
    body: list[tuple[int, tuple[str, ...]]] = []
    for record in found:
        row = cells.row(record.fields)
        if not any(row):
            continue
        wrong = record_problem(file, original, record, free)
        if wrong:
            return wrong
        for i in kept:
            if i < len(record.fields):
                row[i] = clean_lines(restored(record.fields[i]))
        body.append((record.row, tuple((row + [""] * width)[:width])))
    return Table(file, "", header_record.row, header, tuple(body))
