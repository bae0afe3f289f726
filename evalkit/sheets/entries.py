"""The entries of an award: one row per scored ``agency_id`` (an agency, or a work an agency
entered) with its award ``type``, its ``work``, the categories it ``applied`` for and the
columns the framework's eligibility screens read.

They come from the score sheets' own entry columns (:func:`sheet_entries`), an entries file
(:func:`read_entries`, read by the bounded sheet readers, its cells checked as the sheets'
are), or both (:func:`entries_for`: a value the two give differently is refused). A column
the file has and evalkit does not read is said, not dropped in silence.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework
from evalkit.sheets.columns import COLUMNS, column
from evalkit.sheets.forms.entry import (
    ELIGIBILITY_COLUMNS,
    ENTRY_COLUMNS,
    check_columns,
    entries_of,
)
from evalkit.sheets.readers import column_matcher, read_tables
from evalkit.sheets.rows import Rows
from evalkit.sheets.sheetset import SheetSet
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.tables import ColumnMatcher, Table

#: Columns of an entries file by the names they are read by (the entry columns as the sheets
#: name them); ``note`` is known and left aside. A screen's column declared nowhere else is read
#: by its own name.
KNOWN: dict[str, tuple[str, ...]] = {
    "agency_id": COLUMNS["agency_id"].names,
    **{c: column(c).names for c in ENTRY_COLUMNS},
    "applied": ("applied", "categories_applied"),
    "note": ("note", "notes"),
}


def _matcher(framework: Framework) -> tuple[ColumnMatcher, tuple[str, ...]]:
    screens = tuple(s.column for s in framework.award.eligibility if s.column)
    names = {c: (c,) for c in screens} | KNOWN
    return column_matcher(names), (*ENTRY_COLUMNS, "applied", "note", *screens)


def _rows(table: Table, match: ColumnMatcher, skipped: list[Skipped]) -> Rows:
    """The table's known columns by canonical name (unknown filled columns said in
    ``skipped``), as rows the entry columns' checks read."""
    picked: dict[str, str] = {}
    for position, name in enumerate(table.header):
        canon = match(name)
        if canon is not None and canon not in picked:
            picked[canon] = name
        elif any(row[position] for _, row in table.rows):
            reason = msg("a column an entries file does not have, not read")
            count = sum(1 for _, row in table.rows if row[position])
            skipped.append(Skipped(table.file, table.sheet, reason, count=count, column=name))
    return Rows(table, picked, "entries")


def _agency_ids(table: Table, rows: Rows) -> list[Problem]:
    """No agency_id column, or an empty or repeated agency_id."""
    at = partial(Problem, file=table.file, sheet=table.sheet)
    if "agency_id" not in rows.frame:
        found = msg("the columns {columns}", columns=", ".join(h for h in table.header if h))
        return [at(row=table.header_row, column="agency_id", found=found,
                   expected=msg("a column agency_id"))]  # fmt: skip
    problems, seen = [], dict[str, int]()
    for number, agency in zip(rows.frame["source_row"], rows.frame["agency_id"], strict=True):
        here = partial(at, row=int(number), column=rows.header["agency_id"])
        if not agency:
            problems.append(here(found=msg("an empty cell"), expected=msg("the entry's agency_id")))
        elif agency in seen:
            again = msg("row {row} gives it too.", row=seen[agency])
            problems.append(here(found=repr(agency), expected=msg("one row per entry"), hint=again))
        seen.setdefault(agency, int(number))
    return problems


def _read(path: str | Path, framework: Framework, skipped: list[Skipped]) -> pd.DataFrame:
    """The entries file's rows, checked (InvalidInputError naming each wrong cell), with their
    ``source_row``."""
    match, free = _matcher(framework)
    tables = read_tables(path, match=match, multiline=free, skipped=skipped, least=1)
    if isinstance(tables, Problem):
        raise InvalidInputError([tables])
    frames, problems = [], []
    for table in tables:
        rows = _rows(table, match, skipped)
        problems += _agency_ids(table, rows)
        check_columns(rows, framework, pd.Series(True, index=rows.frame.index))
        problems += rows.listed()
        frames.append(rows.frame.drop(columns=["source_file", "source_sheet"]))
    if problems:
        raise InvalidInputError(problems)
    if not frames:
        return pd.DataFrame(columns=["agency_id", "source_row"])
    return pd.concat(frames, ignore_index=True).fillna("").drop(columns="note", errors="ignore")


def read_entries(
    path: str | Path, framework: Framework, skipped: list[Skipped] | None = None
) -> pd.DataFrame:
    """The entries file of ``framework``: one row per entry, every cell as text (columns
    ``agency_id`` and those of the file that evalkit reads; a type's Thai name read as its key,
    dates as ``YYYY-MM-DD``); InvalidInputError naming each row and column that is wrong.
    Columns not read are added to ``skipped``."""
    entries = _read(path, framework, [] if skipped is None else skipped)
    return entries.drop(columns="source_row")


def sheet_entries(sheets: SheetSet, framework: Framework, year: int) -> pd.DataFrame:
    """The entries the score sheets give (their entry columns) for ``framework`` in ``year``:
    ``agency_id, type, work`` and each eligibility column some entry gives; no rows when no
    sheet gives one."""
    found = entries_of(list(sheets.frames().values()))
    mine = found[(found["framework"] == framework.id) & (found["year"] == year)]
    given = [c for c in ELIGIBILITY_COLUMNS if (mine[c] != "").any()]
    return mine[["agency_id", *ENTRY_COLUMNS[:2], *given]].reset_index(drop=True)


def _disagreeing(given: pd.DataFrame, sheet: pd.DataFrame, file: str) -> list[Problem]:
    """Each cell of the entries file that gives an entry another value than the sheets do."""
    both = given.merge(sheet, on="agency_id", suffixes=("", "_sheet"))
    hint = msg("The entries file and the score sheets disagree: correct one.")
    problems = []
    for name in (c for c in ENTRY_COLUMNS if f"{c}_sheet" in both):
        mine, theirs = both[name].astype(str), both[f"{name}_sheet"].astype(str)
        for _, row in both[(mine != "") & (theirs != "") & (mine != theirs)].iterrows():
            expected = msg("{value} as the score sheets give it for {entry}, or an empty cell",
                           value=repr(row[f"{name}_sheet"]), entry=row["agency_id"])  # fmt: skip
            at = Problem(file=file, row=int(row["source_row"]), column=name,
                         found=repr(row[name]), expected=expected, hint=hint)  # fmt: skip
            problems.append(at)
    return sorted(problems, key=lambda p: p.row)


def entries_for(
    sheets: SheetSet, framework: Framework, year: int, path: str | Path,
    skipped: list[Skipped] | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The entries of the entries file at ``path`` and of the score sheets together: a cell
    one of them leaves empty is the other's; a cell they give different values is refused
    (InvalidInputError naming the file's row and column and the sheets' value)."""
    given = _read(path, framework, [] if skipped is None else skipped)
    sheet = sheet_entries(sheets, framework, year)
    problems = _disagreeing(given, sheet, str(path))
    if problems:
        raise InvalidInputError(problems)
    both = given.astype(object).merge(sheet.astype(object), on="agency_id", how="outer",
                                      suffixes=("", "_sheet")).fillna("")  # fmt: skip
    for name in (c for c in ENTRY_COLUMNS if f"{c}_sheet" in both):
        both[name] = both[name].where(both[name] != "", both.pop(f"{name}_sheet"))
    return both.drop(columns="source_row").reset_index(drop=True)
