"""Cells and sheets as the one spreadsheet writer writes them (see
:mod:`evalkit.exports.spreadsheet`): how a value becomes a cell (text that could run as a
formula, :func:`evalkit.core.outputs.is_risky`, neutralised), and :class:`Sheet`, one table
with its layout."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from evalkit.core.outputs import needs_quote

#: Characters XML 1.0, and so XLSX, cannot hold.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The most characters Excel keeps in a cell.
CELL_LIMIT = 32_767
#: What a sheet's title cannot hold, and its longest.
_NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\\x00-\x1f]+")
TITLE_LIMIT = 31


def plain(value: object) -> object:
    """A value as a cell holds it: None for missing, a Python bool, int, float, date or text
    (anything else as its text); an infinite or NaN number is missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (datetime, date, str)):
        return value
    return str(value)


def csv_cell(value: object) -> object:
    """A value for a CSV field: formulas neutralised with an apostrophe."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return "'" + value if isinstance(value, str) and needs_quote(value) else value


def sheet_titles(titles: Sequence[str]) -> list[str]:
    """Titles a workbook accepts, in order: what a title cannot hold replaced, cut to
    :data:`TITLE_LIMIT` characters, none empty, none twice (case aside: a repeat is numbered)."""
    found: list[str] = []
    for title in titles:
        base = _NOT_IN_TITLES.sub("-", title).strip(" '")[:TITLE_LIMIT] or "-"
        name, n = base, 1
        while name.casefold() in {f.casefold() for f in found}:
            n += 1
            name = f"{base[: TITLE_LIMIT - len(str(n)) - 3]} ({n})"
        found.append(name)
    return found


def xlsx_text(value: str) -> str:
    """Text as an XLSX cell can hold it: without the control characters XML forbids, and cut
    to Excel's :data:`CELL_LIMIT` with a mark saying so."""
    value = _NOT_IN_XML.sub("", value)
    if len(value) > CELL_LIMIT:
        mark = f" …[{len(value):,} ตัวอักษร (characters)]"
        value = value[: CELL_LIMIT - len(mark)] + mark
    return value


@dataclass(frozen=True)
class Sheet:
    """One table as a sheet of a workbook, or as a CSV file.

    ``headers`` maps a column to the header shown (the column's own name when absent);
    ``above`` holds lines written above the header row (a title, the date of the data);
    ``input`` marks a sheet that is score input; ``choices`` gives drop-down lists by column,
    covering ``choice_rows`` data rows (at least the frame's); ``row_choices`` gives a column
    one list per data row (an empty list: none), where a value typed that is not on the list
    is warned about, not refused (a percent may be typed as a number); ``widths`` and ``wrap`` set
    column widths and wrapped text; ``paper`` sets A4, fit to the page's width, the header
    repeated on every printed page (``landscape`` turns the page); ``show_header`` False
    writes the rows alone (an instructions sheet).
    """

    title: str
    frame: pd.DataFrame
    headers: Mapping[str, str] = field(default_factory=dict)
    above: Sequence[str] = ()
    input: bool = False
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    choice_rows: int = 0
    row_choices: Mapping[str, Sequence[Sequence[str]]] = field(default_factory=dict)
    widths: Mapping[str, float] = field(default_factory=dict)
    wrap: Collection[str] = ()
    paper: bool = False
    landscape: bool = False
    show_header: bool = True

    def header(self) -> list[str]:
        return [self.headers.get(c, c) for c in self.frame.columns]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.frame.itertuples(index=False, name=None))

    @property
    def header_row(self) -> int:
        """The spreadsheet row number of the header (1 when nothing is written above it)."""
        return len(self.above) + 1
