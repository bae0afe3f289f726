"""What reading one workbook may cost, counted across the whole workbook.

A workbook is a zip of XML files, and a small one can describe a huge one: a zip that
inflates to gigabytes, a sheet listed ten thousand times, one merged range over every row,
millions of shared strings or of elements evalkit does not read. Limits per cell or per sheet
do not hold against these: ten thousand sheets within every per-sheet limit are still too
many. So one :class:`Budget` is spent by everything read from a workbook (the bytes inflated,
XML elements, rows, cells, characters, shared strings, merged ranges, sheet entries), and
reading stops with :class:`WorkbookTooLarge` at the first budget spent, its message saying
which, in the reader's language.

The budgets are far above any score sheet (the national PMQA ledger holds about 200,000
cells) and bound what a workbook costs in time and memory: see the README's limits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from evalkit.core.i18n import Message, msg

#: Bytes inflated from the archive, every part and every reading of it counted.
MAX_INFLATED_BYTES = 256 * 2**20
#: Files in the archive.
MAX_ENTRIES = 10_000
#: Sheets the workbook lists (Excel opens a few hundred at most with comfort).
MAX_SHEETS = 1_000
#: Parts read whole (the workbook's list of sheets, its styles, relations): bytes each.
MAX_PART_BYTES = 16 * 2**20
#: XML elements of the sheets and shared strings, read or not.
MAX_ELEMENTS = 20_000_000
#: Rows holding a value, and cells (filled, or filled in by a merged range), in all sheets.
MAX_ROWS = 1_048_576
MAX_CELLS = 2_000_000
#: Characters of text, in shared strings and in cells.
MAX_CHARACTERS = 50_000_000
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell
MAX_SHARED_STRINGS = 2_000_000
#: Merged ranges, and the rows they reach (each merged range is filled in row by row).
MAX_MERGED = 20_000


class WorkbookTooLarge(ValueError):
    """A workbook past one of evalkit's limits; ``message`` says which."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


@dataclass
class Budget:
    """What is left to spend on one workbook."""

    inflated: int = 0
    elements: int = 0
    rows: int = 0
    cells: int = 0
    characters: int = 0
    strings: int = 0
    merged: int = 0

    def inflate(self, count: int) -> None:
        self.inflated += count
        if self.inflated > MAX_INFLATED_BYTES:
            raise WorkbookTooLarge(
                msg(
                    "a workbook that inflates to more than {limit} MB",
                    limit=MAX_INFLATED_BYTES // 2**20,
                )
            )

    def element(self) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise WorkbookTooLarge(
                msg("a workbook of more than {limit} XML elements", limit=f"{MAX_ELEMENTS:,}")
            )

    def row(self) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise WorkbookTooLarge(
                msg("a workbook of more than {limit} filled rows", limit=f"{MAX_ROWS:,}")
            )

    def cell(self, count: int = 1) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise WorkbookTooLarge(
                msg("a workbook of more than {limit} cells", limit=f"{MAX_CELLS:,}")
            )

    def text(self, value: str, where: Callable[[], str | Message]) -> None:
        """Spend a cell's or a shared string's text; ``where`` names it, when too long."""
        if len(value) > MAX_CELL_CHARACTERS:
            raise WorkbookTooLarge(
                msg(
                    "{where} holds {count} characters (at most {limit})",
                    where=where(),
                    count=f"{len(value):,}",
                    limit=f"{MAX_CELL_CHARACTERS:,}",
                )
            )
        self.characters += len(value)
        if self.characters > MAX_CHARACTERS:
            raise WorkbookTooLarge(
                msg(
                    "a workbook of more than {limit} characters of text",
                    limit=f"{MAX_CHARACTERS:,}",
                )
            )

    def string(self) -> None:
        self.strings += 1
        if self.strings > MAX_SHARED_STRINGS:
            raise WorkbookTooLarge(
                msg(
                    "a workbook of more than {limit} shared strings",
                    limit=f"{MAX_SHARED_STRINGS:,}",
                )
            )

    def merge(self) -> None:
        self.merged += 1
        if self.merged > MAX_MERGED:
            raise WorkbookTooLarge(
                msg("a workbook of more than {limit} merged ranges", limit=f"{MAX_MERGED:,}")
            )


class Metered:
    """A part of the archive read as a stream, each byte inflated spent from ``budget``."""

    def __init__(self, source: IO[bytes], budget: Budget):
        self.source, self.budget = source, budget

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size if 0 <= size <= 2**20 else 2**20)
        self.budget.inflate(len(data))
        return data
