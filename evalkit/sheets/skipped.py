"""What reading left aside, as data: every row is used, refused with its place, or counted
here with the reason, so that a command can say so in one line per reason.

Nothing here is logged: a warning logged inside a report process could reach a page, with
the paths of every workbook on the machine. A :class:`Skipped` names the file as the user gave
it, the sheet, how many rows (and which), and why; ``quiet`` marks what evalkit wrote itself
(a template's list sheet, the other sheets of an evalkit workbook): counted, shown only on
request (``--verbose``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evalkit.core.i18n import Message, msg
from evalkit.sheets.assessors import SELF, named

if TYPE_CHECKING:
    from evalkit.sheets.sheetset import SheetSet

#: Runs of rows listed in a line; past it, the rows left are counted.
ROWS_SHOWN = 8


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers as a person reads them: ``2-120, 125`` (a run of three rows or more as its
    first and last), at most :data:`ROWS_SHOWN` runs, then how many rows are left (``+40``)."""
    runs: list[list[int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    shown = [
        f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run))
        for run in runs[:ROWS_SHOWN]
    ]
    left = sum(len(run) for run in runs[ROWS_SHOWN:])
    return ", ".join(shown) + (f" +{left}" if left else "")


@dataclass(frozen=True)
class Skipped:
    """Rows (or a whole sheet, a column, a file) read but not used, and why."""

    file: str
    sheet: str
    reason: Message
    rows: tuple[int, ...] = ()
    count: int = 0
    column: str = ""
    quiet: bool = False

    @property
    def size(self) -> int:
        """How many rows (or cells) were left aside."""
        return self.count or len(self.rows)

    def place(self) -> str:
        """``file [sheet]``, with the column and the rows when there are some."""
        where = self.file + (f" [{self.sheet}]" if self.sheet else "")
        if self.column:
            where += f" {self.column!r}"
        if self.rows:
            where += " " + str(msg("(rows {rows})", rows=row_ranges(self.rows)))
        elif self.count:
            where += " " + str(msg("({count} rows)", count=self.count))
        return where


def own_rows(sheets: SheetSet) -> list[Skipped]:
    """The agency's self-assessment rows, per file and sheet: where only the panel counts (a
    feedback document), they are left aside with this word."""
    found = []
    reason = msg("rows of the agency's self-assessment, not the panel's feedback")
    for frame in sheets.frames().values():
        if "assessor" not in frame or not len(frame):
            continue
        own = frame[named(frame["assessor"], (SELF,))]
        for (file, sheet), rows in own.groupby(["source_file", "source_sheet"], sort=False):
            numbers = tuple(int(r) for r in rows["source_row"].dropna())
            found.append(
                Skipped(
                    str(file),
                    str(sheet),
                    reason,
                    count=len(rows) if not numbers else 0,
                    rows=numbers,
                )
            )
    return found


def skipped_lines(skipped: Iterable[Skipped], verbose: bool = False) -> list[str]:
    """One line per reason: ``skipped: <reason>: <file [sheet] (rows)>, ...``, in the current
    language; quiet entries only when ``verbose``."""
    by_reason: dict[str, tuple[Message, list[Skipped]]] = {}
    for entry in skipped:
        if entry.quiet and not verbose:
            continue
        key = entry.reason.render("en")
        by_reason.setdefault(key, (entry.reason, []))[1].append(entry)
    return [
        str(
            msg(
                "skipped: {reason}: {places}",
                reason=reason,
                places=", ".join(e.place() for e in entries),
            )
        )
        for reason, entries in by_reason.values()
    ]


def as_dicts(skipped: Iterable[Skipped]) -> list[dict[str, object]]:
    """Each entry as plain data (the reason in the current language), e.g. for ``--json``."""
    return [
        {
            "file": s.file,
            "sheet": s.sheet,
            "column": s.column,
            "rows": list(s.rows),
            "count": s.size,
            "reason": str(s.reason),
            "quiet": s.quiet,
        }
        for s in skipped
    ]
