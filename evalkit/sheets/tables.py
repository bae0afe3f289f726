"""A sheet as read (:class:`RawSheet`) and as rows of text under its header (:class:`Table`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evalkit.core.errors import Problem
from evalkit.core.i18n import msg
from evalkit.sheets.columns import COLUMNS

#: Maps a header cell to its canonical column name, or None.
ColumnMatcher = Callable[[str], "str | None"]
#: Rows of a sheet in which its header row is looked for.
HEADER_SCAN_ROWS = 30


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
    """A workbook's sheet as read: its cells by row number, whether it is hidden, its rows
    hidden by hand and its formula cells without a saved result."""

    name: str
    rows: list[tuple[int, list[object]]]
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def find_header(rows: list[list[str]], match: ColumnMatcher, least: int = 3) -> int | None:
    """Index of the first row (within the first rows) that names ``least`` known columns."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if sum(match(cell) is not None for cell in row if cell) >= least:
            return index
    return None


def headless(file: str, sheet: str, rows: list[list[str]]) -> Problem:
    """The problem of a sheet without a header row: empty, or the first filled row of
    ``rows`` (its filled rows, cleaned) named."""
    if not rows:
        return Problem(
            file=file,
            row=0,
            column="",
            found=msg("an empty sheet") if sheet else msg("an empty file"),
            expected=msg("a header row and at least one data row"),
            sheet=sheet,
        )
    return Problem(
        file=file,
        row=0,
        column="",
        found=msg(
            "no header row; the first non-empty row holds {cells}", cells=[c for c in rows[0] if c]
        ),
        expected=msg(
            "a header row naming the columns {columns}", columns=", ".join(list(COLUMNS)[:7])
        ),
        hint=msg("Thai column names are accepted too (see the README)."),
        sheet=sheet,
    )
