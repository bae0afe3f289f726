"""Household records for poverty eradication: reading and checking a household file.

A household file (CSV or XLSX) has one row per household with the columns of
:data:`ALIASES` (English or Thai names, a gloss in parentheses allowed; a title block above
the header is skipped). Optional: ``still_failed``, the indicators the household still fails,
named and separated by commas, so that a follow-up worker sees which ones (when given, it
names exactly ``indicators_failed - indicators_now_passed`` indicators); where the household
is (``district`` อำเภอ, ``subdistrict`` ตำบล, ``village`` หมู่), who follows it up
(``responsible``), and the date of the data (``as_of``, วันที่ข้อมูล).

Every other column the office keeps (names, addresses, phone numbers, the officer assigned)
is kept as written, in the file's order, as ``office:<header>`` columns, and passed through to
the follow-up list. The checks are in :mod:`evalkit.analysis.household_checks`;
classification and tables in :mod:`evalkit.analysis.poverty`.
"""

from __future__ import annotations

from functools import partial
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml
from openpyxl.utils import get_column_letter

from evalkit.analysis.household_checks import check_rows, named
from evalkit.core.dates import read_date
from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import Message, msg
from evalkit.core.outputs import written_by_evalkit
from evalkit.sheets.forms import yes_no
from evalkit.sheets.numbers import numbers
from evalkit.sheets.readers import column_matcher, read_tables
from evalkit.sheets.rows import Rows
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.tables import Table

#: The words of a household file, declared in ``households.yaml`` beside this module.
_WORDS = yaml.safe_load(
    (resources.files("evalkit.analysis") / "households.yaml").read_text(encoding="utf-8")
)
#: Column -> its Thai name and other accepted names (case, spaces, ``_-.`` ignored).
ALIASES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _WORDS["columns"].items()}
#: Columns a household file may leave out: what it names, where the household is, who
#: follows it up, the date of the data.
OPTIONAL = ("still_failed", "village", "subdistrict", "district", "responsible", "as_of")
COLUMNS = tuple(c for c in ALIASES if c not in OPTIONAL)
#: Where a household is, from the largest area down.
AREAS = ("district", "subdistrict", "village")
#: The columns of the household template: these, and those an office often keeps beside
#: them (the head of the household, the house number, the officer assigned, a phone number).
TEMPLATE_COLUMNS: tuple[str, ...] = tuple(_WORDS["template_columns"])
#: The prefix of the columns that keep the office's cells as written.
OFFICE = "office:"
#: Headers of the columns evalkit adds to a follow-up list: left aside when it is read back.
FOLLOW_UP_HEADINGS: dict[str, str] = dict(_WORDS["follow_up_headings"])

#: Support menu (Thai name, as reported) -> English name and other accepted spellings.
MENUS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _WORDS["menus"].items()}
MENU_EN = {menu: names[0] for menu, names in MENUS.items()}
_MENU_INDEX = {n.casefold(): menu for menu, names in MENUS.items() for n in (menu, *names)}
MENU_EXPECTED = msg("one of {choices}", choices=", ".join(f"{m} ({e})" for m, e in MENU_EN.items()))

#: The column a header cell names, by any alias or either part of ``ไทย (english)``.
column_of = column_matcher(ALIASES)


def _tables(path: str | Path, sheet: str | None = None) -> list[Table] | Problem:
    """The sheets of a household file with a household header (or the one named)."""
    return read_tables(path, sheet, match=column_of, multiline=("still_failed",))


def _read(path: str | Path) -> list[Table]:
    """Every sheet with a household header, or InvalidInputError. A workbook evalkit wrote
    that holds no score input (a household template, a follow-up list) is left aside by the
    score reader: its sheets of households are read by name. Another output of evalkit's is
    named as such."""
    aside: list[Skipped] = []
    tables = read_tables(path, match=column_of, multiline=("still_failed",), skipped=aside)
    if tables == []:  # its sheets of households; its other sheets (a summary) are its own
        by_name = [_tables(path, s.sheet) for s in aside if s.sheet]
        found = [t for tables in by_name if isinstance(tables, list) for t in tables]
        tables = [t for t in found if set(COLUMNS) <= {column_of(h) for h in t.header}]
    said = tables.found if isinstance(tables, Problem) else ""
    said = said.render("en") if isinstance(said, Message) else said  # what, not its Thai
    no_header = said.startswith("no header")
    if tables == [] or no_header:
        kinds = [dict(s.reason.args).get("kind") for s in aside if not s.sheet]
        tables = Problem(
            file=str(path),
            row=0,
            column="",
            found=written_by_evalkit(kinds[0]) if kinds else msg("no household header row"),
            expected=msg("a header row with {columns}", columns=", ".join(COLUMNS)),
            hint=msg(
                "Thai names work too: {names}.", names=", ".join(ALIASES[c][1] for c in COLUMNS)
            ),
        )
    if isinstance(tables, Problem):
        raise InvalidInputError([tables])
    return tables


def _rows(table: Table) -> tuple[Rows | None, list[Problem]]:
    """The table's rows keyed by column, or the problem of missing columns or rows."""
    header: dict[str, str] = {}
    for name in table.header:
        if (column := column_of(name)) and column not in header:
            header[column] = name
    missing = [c for c in COLUMNS if c not in header]
    where = partial(Problem, file=table.file, row=table.header_row, sheet=table.sheet)
    if missing:
        found = msg("the columns {columns}", columns=[h for h in table.header if h])
        expected = msg("the columns {columns}", columns=", ".join(COLUMNS))
        return None, [where(column=", ".join(missing), found=found, expected=expected)]
    if not table.rows:
        found = msg("a header with no rows under it")
        return None, [where(column="", found=found, expected=msg("one row per household"))]
    return Rows(table, header, "households"), []


def _repeated(frames: list[pd.DataFrame]) -> list[Problem]:
    """Households listed in more than one sheet of a workbook."""
    frame = pd.concat(frames, ignore_index=True)
    first = frame.drop_duplicates("household_id").set_index("household_id")
    return [
        Problem(
            file=row.source_file,
            row=int(row.source_row),
            column="household_id",
            found=repr(row.household_id),
            expected=msg("each household once"),
            hint=msg(
                "Household {household} is already listed in sheet {sheet}.",
                household=row.household_id,
                sheet=repr(first.at[row.household_id, "source_sheet"]),
            ),
            sheet=row.source_sheet,
        )
        for row in frame[frame["household_id"].duplicated()].itertuples()
    ]


def _office(table: Table) -> pd.DataFrame:
    """Every cell of a table as the office wrote it, by header, in the file's order; a column
    without a header is named by its letter, evalkit's own follow-up columns left aside."""
    columns: dict[str, list[str]] = {}
    for i, header in enumerate(table.header):
        cells = [row[i] for _, row in table.rows]
        name = header or f"({get_column_letter(i + 1)})"
        if header in FOLLOW_UP_HEADINGS.values() or not (header or any(cells)):
            continue
        while OFFICE + name in columns:
            name += "'"
        columns[OFFICE + name] = cells
    return pd.DataFrame(columns, dtype=object)


def load_households(path: str | Path) -> pd.DataFrame:
    """Read and check a household file: ``household_id, members, indicators_failed,
    indicators_now_passed, cannot_help`` (bool; a blank cell is no), ``menu`` (its Thai
    name), ``still_failed`` (the indicators named, "" when none are), ``district,
    subdistrict, village, responsible`` ("" when not given), ``as_of`` (a date, or None),
    ``source_sheet, source_row``, then every column of the file as written (``office:``).
    Raise InvalidInputError listing every problem (file, row, column) when any is found."""
    frames, problems = [], []
    for table in _read(path):
        rows, found = _rows(table)
        if rows is not None:
            check_rows(rows, _MENU_INDEX, MENU_EXPECTED)
            found = rows.problems
            frames.append(pd.concat([rows.frame, _office(table)], axis=1))
        problems += sorted(found, key=lambda p: p.row)
    if not problems:
        problems = _repeated(frames)
    if problems:
        raise InvalidInputError(problems)
    return _typed(pd.concat(frames, ignore_index=True))


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].fillna("") if column in frame else pd.Series("", index=frame.index)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    counts = ["members", "indicators_failed", "indicators_now_passed"]
    out = frame[["household_id", *counts]].astype({"household_id": str})
    for column in counts:
        out[column] = numbers(frame[column]).astype("int64")
    out["cannot_help"] = yes_no(frame["cannot_help"])[0]
    out["menu"] = frame["menu"].str.casefold().map(_MENU_INDEX)
    out["still_failed"] = _text(frame, "still_failed").map(lambda cell: ", ".join(named(cell)))
    for column in (*AREAS, "responsible"):
        out[column] = _text(frame, column).astype(str)
    out["as_of"] = _text(frame, "as_of").map(read_date)
    out["source_sheet"] = frame["source_sheet"].fillna("").astype(str)
    out["source_row"] = frame["source_row"].astype("int64")
    office = [c for c in frame if c.startswith(OFFICE)]
    return pd.concat([out, frame[office].fillna("")], axis=1)
