"""A sheet as read (:class:`RawSheet`) and as rows of text under its header (:class:`Table`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evalkit.sheets.csvfile import Record

#: Maps a header cell to its canonical column name, or None.
ColumnMatcher = Callable[[str], "str | None"]


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
    """A sheet's cells as read: rows by number, for a CSV the records behind them, for a
    workbook's sheet whether it is hidden, its rows hidden by hand and its formula cells
    without a saved result."""

    name: str
    rows: list[tuple[int, list[object]]]
    records: dict[int, Record] | None = None
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
