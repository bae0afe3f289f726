"""The entries of an award: one row per scored ``agency_id`` (an agency, or a work an agency
entered) with its award ``type``, its ``work``, the categories it ``applied`` for and the
columns the framework's eligibility screens read.

They come from an entries file (:func:`read_entries`, read by the bounded sheet readers with
their row and column messages) or from the score sheets' own ``type`` and ``work`` columns
(:func:`sheet_entries`). A column the file has and evalkit does not read is said, not
dropped in silence.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework
from evalkit.sheets.columns import COLUMNS, column
from evalkit.sheets.forms.entry import ENTRY_COLUMNS, entries_of
from evalkit.sheets.readers import column_matcher, read_tables
from evalkit.sheets.sheetset import SheetSet
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.tables import ColumnMatcher, Table

#: Columns of an entries file besides the framework's eligibility columns, by the names they
#: are read by; ``note`` is known and left aside.
KNOWN: dict[str, tuple[str, ...]] = {
    "agency_id": COLUMNS["agency_id"].names,
    **{c: column(c).names for c in ENTRY_COLUMNS},
    "applied": ("applied", "categories_applied"),
    "note": ("note", "notes"),
}


def _matcher(framework: Framework) -> tuple[ColumnMatcher, tuple[str, ...]]:
    screens = tuple(s.column for s in framework.award.eligibility if s.column)
    names = KNOWN | {c: (c,) for c in screens}
    return column_matcher(names), (*ENTRY_COLUMNS, "applied", "note", *screens)


def _frame(table: Table, match: ColumnMatcher, skipped: list[Skipped]) -> pd.DataFrame:
    """The table's known columns by canonical name (unknown filled columns said in
    ``skipped``), with ``source_row``."""
    picked: dict[str, int] = {}
    for position, name in enumerate(table.header):
        canon = match(name)
        if canon is not None and canon not in picked:
            picked[canon] = position
        elif any(row[position] for _, row in table.rows):
            reason = msg("a column an entries file does not have, not read")
            count = sum(1 for _, row in table.rows if row[position])
            skipped.append(Skipped(table.file, table.sheet, reason, count=count, column=name))
    frame = pd.DataFrame(
        {c: [row[p] for _, row in table.rows] for c, p in picked.items()}, dtype=object
    )
    frame["source_row"] = [n for n, _ in table.rows]
    return frame


def _entry_cells(row: pd.Series, framework: Framework, at: Callable[..., Problem]) -> list[Problem]:
    """A type the framework does not declare, a work in an award given to agencies."""
    keys = [key for key, _, _ in framework.types]
    kind, work, problems = str(row.get("type", "")), str(row.get("work", "")), []
    if kind and kind not in keys:
        expected = msg("one of {known}", known=", ".join(keys) or "-")
        problems.append(at(column="type", found=repr(kind), expected=expected))
    if work and framework.award.entry != "work":
        expected = msg("an empty cell: the entries of {framework} are agencies, not works",
                       framework=framework.id)  # fmt: skip
        problems.append(at(column="work", found=repr(work), expected=expected))
    return problems


def _problems(table: Table, frame: pd.DataFrame, framework: Framework) -> list[Problem]:
    """Every wrong cell of the table: no agency_id column, an empty or repeated agency_id, and
    the entry's cells (:func:`_entry_cells`; a type's Thai name is read as its key)."""
    at = partial(Problem, file=table.file, sheet=table.sheet)
    if "agency_id" not in frame:
        found = msg("the columns {columns}", columns=", ".join(h for h in table.header if h))
        return [at(row=table.header_row, column="agency_id", found=found,
                   expected=msg("a column agency_id"))]  # fmt: skip
    by_thai = {name_th: key for key, name_th, _ in framework.types if name_th}
    if "type" in frame:
        frame["type"] = frame["type"].map(lambda v: by_thai.get(v, v))
    problems, seen = [], dict[str, int]()
    for _, row in frame.iterrows():
        number, agency = int(row["source_row"]), str(row["agency_id"])
        here = partial(at, row=number)
        if not agency:
            problems.append(here(column="agency_id", found=msg("an empty cell"),
                                 expected=msg("the entry's agency_id")))  # fmt: skip
        elif agency in seen:
            again = msg("row {row} gives it too.", row=seen[agency])
            problems.append(here(column="agency_id", found=repr(agency),
                                 expected=msg("one row per entry"), hint=again))  # fmt: skip
        seen.setdefault(agency, number)
        problems += _entry_cells(row, framework, here)
    return problems


def read_entries(
    path: str | Path, framework: Framework, skipped: list[Skipped] | None = None
) -> pd.DataFrame:
    """The entries file of ``framework``: one row per entry, every cell as text (columns
    ``agency_id`` and those of the file that evalkit reads); InvalidInputError naming each
    row and column that is wrong. Columns not read are added to ``skipped``."""
    match, free = _matcher(framework)
    aside: list[Skipped] = [] if skipped is None else skipped
    tables = read_tables(path, match=match, multiline=free, skipped=aside, least=1)
    if isinstance(tables, Problem):
        raise InvalidInputError([tables])
    frames, problems = [], []
    for table in tables:
        frame = _frame(table, match, aside)
        problems += _problems(table, frame, framework)
        frames.append(frame)
    if problems:
        raise InvalidInputError(problems)
    if not frames:
        return pd.DataFrame(columns=["agency_id"])
    entries = pd.concat(frames, ignore_index=True).fillna("")
    return entries.drop(columns=["source_row", "note"], errors="ignore")


def sheet_entries(sheets: SheetSet, framework: Framework, year: int) -> pd.DataFrame:
    """The entries the score sheets give (their ``type`` and ``work`` columns) for
    ``framework`` in ``year``: ``agency_id, type, work``; no rows when no sheet gives one."""
    found = entries_of(list(sheets.frames().values()))
    mine = found[(found["framework"] == framework.id) & (found["year"] == year)]
    return mine[["agency_id", *ENTRY_COLUMNS]].reset_index(drop=True)
