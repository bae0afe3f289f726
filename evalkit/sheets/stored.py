"""The ledger's stored rows read back as tables, to be checked as sheets are.

A ledger outlives the evalkit that wrote it, and its file can be copied, edited or damaged:
a row's stored data may be torn (cut off by a full disk), not evalkit's at all, or hold a
value its form refuses (a percent of 999). Each stored row becomes a row of a :class:`Table`
of its form, whose row number is the row's id in the ledger, so that the checks of
:mod:`evalkit.sheets.validate` name the ledger and the row. A row that cannot be read is set
aside with a word (:class:`~evalkit.sheets.skipped.Skipped`); the rows around it are read.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg
from evalkit.sheets.cells import clean_lines, clean_text
from evalkit.sheets.forms import COMMENTS, FORMS, get_form
from evalkit.sheets.history import stored_record
from evalkit.sheets.rows import ManyRows
from evalkit.sheets.sheetset import columns_of
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.tables import Table

#: What every stored row says of where it came from, restored once it is checked.
ORIGIN = ("source_file", "source_sheet", "source_row")
UNREADABLE = msg("stored rows that cannot be read (torn, or not written by evalkit), set aside")


@dataclass(frozen=True)
class StoredTables:
    """A ledger's current rows as one table per form, the rows set aside, and where each
    stored row came from (its id -> the sheet's file, sheet and row)."""

    tables: list[Table]
    aside: list[Skipped]
    origin: dict[int, tuple[str, str, object]]


def stored_tables(rows: pd.DataFrame, ledger: str) -> StoredTables:
    """The stored rows (columns ``id``, ``form``, ``data``, ``source_file``) as tables."""
    #: (form, the file and sheet it came from) -> its rows: one table per sheet, as read
    by_sheet: dict[tuple[str, str, str], list[tuple[int, dict[str, object]]]] = {}
    torn: list[int] = []
    origin: dict[int, tuple[str, str, object]] = {}
    for row_id, form, data, source in rows[["id", "form", "data", "source_file"]].itertuples(
        index=False
    ):
        record = stored_record(data)
        if record is None or form not in FORMS:
            torn.append(int(row_id))
            continue
        sheet = str(record.get("source_sheet") or "")
        by_sheet.setdefault((form, str(source), sheet), []).append((int(row_id), record))
        origin[int(row_id)] = (str(source), sheet, record.get("source_row"))
    tables = [_table(ledger, form, found) for (form, _, _), found in by_sheet.items()]
    aside = [Skipped(ledger, "", UNREADABLE, rows=tuple(torn))] if torn else []
    return StoredTables(tables, aside, origin)


def _table(ledger: str, form: str, found: list[tuple[int, dict[str, object]]]) -> Table:
    held = {k for _, r in found for k, v in r.items() if v not in (None, "")}
    required = set(get_form(form).required)
    base = [c for c in columns_of(get_form(form)) if c in held | required and c not in ORIGIN]
    extra = sorted(held - set(columns_of(get_form(form))) - set(ORIGIN))
    header = (*base, *extra)
    return Table(
        ledger,
        "",
        0,
        header,
        tuple((row_id, _cells(r, header)) for row_id, r in found),
    )


def _cells(record: dict[str, object], header: tuple[str, ...]) -> tuple[str, ...]:
    """A stored row's values under the header as text, as a sheet's cells are read (line
    breaks kept in comments)."""
    return tuple(
        clean_lines(record.get(c)) if c in COMMENTS else clean_text(record.get(c)) for c in header
    )


def refused(problems: list[Problem]) -> list[Skipped]:
    """The stored rows the checks refused, set aside with what was expected of them."""
    found = []
    for problem in problems:
        expected = problem.expected
        reason = msg(
            "stored values that the checks of their form refuse, set aside (expected {expected})",
            expected=expected if isinstance(expected, Message) else Message(expected),
        )
        rows = problem.rows if isinstance(problem, ManyRows) else (problem.row,) * bool(problem.row)
        found.append(Skipped(problem.file, "", reason, rows=rows, column=problem.column))
    return found


def restore_origin(frame: pd.DataFrame, origin: dict[int, tuple[str, str, object]]) -> pd.DataFrame:
    """Rows checked under their ledger ids, given back the file, sheet and row they came
    from."""
    ids = frame["source_row"].astype(int)
    places = [origin[i] for i in ids]
    return frame.assign(
        source_file=[p[0] for p in places],
        source_sheet=[p[1] for p in places],
        source_row=[p[2] for p in places],
    )
