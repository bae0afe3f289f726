"""Household records for poverty eradication: reading and checking a household file.

A household file (CSV or XLSX) has one row per household with the columns of
:data:`ALIASES` (English or Thai names, a gloss in parentheses allowed; a title block above
the header is skipped). ``still_failed`` is optional: the indicators the household still
fails, named and separated by commas, so that a follow-up worker sees which ones; when it is
given, it names exactly ``indicators_failed - indicators_now_passed`` indicators.
Classification and tables are in :mod:`evalkit.analysis.poverty`.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pandas as pd

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import msg
from evalkit.core.outputs import (
    CSV_SIGNATURES,
    KINDS,
    WRITTEN_BY_EVALKIT,
    column_name,
    csv_kind,
)
from evalkit.sheets.forms import YES_NO_EXPECTED, closest, yes_no
from evalkit.sheets.numbers import numbers
from evalkit.sheets.readers import Table, column_matcher, read_tables
from evalkit.sheets.rows import Rows

#: Column -> its Thai name and other accepted names (case, spaces, ``_-.`` ignored).
ALIASES: dict[str, tuple[str, ...]] = {
    "household_id": ("household_id", "รหัสครัวเรือน", "household", "รหัสบ้าน"),
    "members": ("members", "จำนวนสมาชิก", "people", "สมาชิก", "จำนวนคน"),
    "indicators_failed": ("indicators_failed", "ตัวชี้วัดที่ไม่ผ่าน", "failed", "ตัวชี้วัดที่ตกเกณฑ์"),
    "indicators_now_passed": ("indicators_now_passed", "ตัวชี้วัดที่ผ่านแล้ว", "now_passed"),
    "cannot_help": ("cannot_help", "ช่วยเหลือไม่ได้", "ทำไม่ได้"),
    "menu": ("menu", "เมนู", "เมนูแก้จน"),
    "still_failed": ("still_failed", "ตัวชี้วัดที่ยังไม่ผ่าน", "indicators_still_failed"),
}
#: Columns a household file may leave out.
OPTIONAL = ("still_failed",)
COLUMNS = tuple(c for c in ALIASES if c not in OPTIONAL)

#: Support menu (Thai name, as reported) -> English name and other accepted spellings
#: (ยังยืน is how the source spells it).
MENUS: dict[str, tuple[str, ...]] = {
    "ยั่งยืน": ("sustainable", "ยังยืน"),
    "พอเพียง": ("sufficient",),
    "อยู่รอด": ("survival",),
}
MENU_EN = {menu: names[0] for menu, names in MENUS.items()}
_MENU_INDEX = {n.casefold(): menu for menu, names in MENUS.items() for n in (menu, *names)}
#: What separates the indicators named in ``still_failed``.
_SEPARATORS = re.compile(r"\s*[,;/\n]\s*")

#: The column a header cell names, by any alias or either part of ``ไทย (english)``.
column_of = column_matcher(ALIASES)


def _output_kind(path: str | Path) -> str | None:
    """The kind of evalkit output a file is, known by its header (see
    :data:`evalkit.core.outputs.CSV_SIGNATURES`), or None."""
    known = {c for columns in CSV_SIGNATURES.values() for c in columns}
    tables = read_tables(
        path, match=lambda name: column_name(name) if column_name(name) in known else None
    )
    if isinstance(tables, Problem):
        return None
    return next((kind for t in tables if (kind := csv_kind(t.header))), None)


def _read(path: str | Path) -> list[Table]:
    """Every sheet with a household header, or InvalidInputError."""
    tables = read_tables(path, match=column_of, multiline=("still_failed",))
    if isinstance(tables, Problem) and str(tables.found).startswith("no header row"):
        kind = _output_kind(path)
        tables = Problem(
            file=str(path),
            row=0,
            column="",
            found=msg(WRITTEN_BY_EVALKIT, kind=KINDS[kind]) if kind else "no household header row",
            expected="a header row with " + ", ".join(COLUMNS),
            hint="Thai names work too: " + ", ".join(ALIASES[c][1] for c in COLUMNS) + ".",
        )
    if isinstance(tables, Problem):
        raise InvalidInputError([tables])
    return tables


def _whole(values: pd.Series, minimum: int) -> pd.Series:
    """True where a value is a whole number of at least ``minimum``."""
    return values.notna() & (values >= minimum) & (values % 1 == 0)


def named(cell: str) -> list[str]:
    """The indicators a ``still_failed`` cell names."""
    return [name for name in _SEPARATORS.split(cell) if name]


def _check_counts(rows: Rows) -> None:
    f = rows.frame
    members, failed = rows.number("members"), rows.number("indicators_failed")
    passed = rows.number("indicators_now_passed")
    rows.flag(~_whole(members, 1), "members", "a whole number of people, 1 or more")
    rows.flag(~_whole(failed, 1), "indicators_failed", "a whole number of indicators, 1 or more")
    rows.flag(~_whole(passed, 0), "indicators_now_passed", "a whole number, 0 or more")
    counted = _whole(failed, 1) & _whole(passed, 0)
    rows.flag(
        counted & (passed > failed),
        "indicators_now_passed",
        "at most indicators_failed",
        "A household cannot pass more indicators than it had failed.",
    )
    if "still_failed" in f:
        listed = f["still_failed"].map(lambda cell: len(named(cell)))
        rows.flag(
            counted & (passed <= failed) & (f["still_failed"] != "") & (listed != failed - passed),
            "still_failed",
            "as many indicators as indicators_failed - indicators_now_passed, "
            "separated by commas (or an empty cell)",
        )


def _check_rows(rows: Rows) -> None:
    """Flag every bad cell and every repeated household id."""
    f = rows.frame
    ids = f["household_id"]
    first = dict(zip(ids[~ids.duplicated()], f["source_row"][~ids.duplicated()], strict=True))
    rows.flag(ids == "", "household_id", "a household id")
    rows.flag(
        ids.duplicated() & (ids != ""),
        "household_id",
        "each household once",
        lambda found: f"Household {found} is already listed in row {first[found]}.",
    )
    _check_counts(rows)
    rows.flag(yes_no(f["cannot_help"])[1], "cannot_help", YES_NO_EXPECTED)
    rows.flag(
        ~f["menu"].str.casefold().isin(list(_MENU_INDEX)),
        "menu",
        "one of " + ", ".join(f"{m} ({e})" for m, e in MENU_EN.items()),
        lambda found: closest(found, list(_MENU_INDEX)),
    )


def _rows(table: Table) -> tuple[Rows | None, list[Problem]]:
    """The table's rows keyed by column, or the problem of missing columns or rows."""
    header: dict[str, str] = {}
    for name in table.header:
        if (column := column_of(name)) and column not in header:
            header[column] = name
    missing = [c for c in COLUMNS if c not in header]
    where = partial(Problem, file=table.file, row=table.header_row, sheet=table.sheet)
    if missing:
        found = f"the columns {[h for h in table.header if h]}"
        expected = "the columns " + ", ".join(COLUMNS)
        return None, [where(column=", ".join(missing), found=found, expected=expected)]
    if not table.rows:
        found = "a header with no rows under it"
        return None, [where(column="", found=found, expected="one row per household")]
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
            expected="each household once",
            hint=f"Household {row.household_id} is already listed in sheet "
            f"{first.at[row.household_id, 'source_sheet']!r}.",
            sheet=row.source_sheet,
        )
        for row in frame[frame["household_id"].duplicated()].itertuples()
    ]


def load_households(path: str | Path) -> pd.DataFrame:
    """Read and check a household file: ``household_id, members, indicators_failed,
    indicators_now_passed, cannot_help`` (bool), ``menu`` (its Thai name), ``still_failed``
    (the indicators named, "" when none are), ``source_row``.
    Raise InvalidInputError listing every problem (file, row, column) when any is found."""
    frames, problems = [], []
    for table in _read(path):
        rows, found = _rows(table)
        if rows is not None:
            _check_rows(rows)
            found = rows.problems
            frames.append(rows.frame)
        problems += sorted(found, key=lambda p: p.row)
    if not problems:
        problems = _repeated(frames)
    if problems:
        raise InvalidInputError(problems)
    return _typed(pd.concat(frames, ignore_index=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    counts = ["members", "indicators_failed", "indicators_now_passed"]
    out = frame[["household_id", *counts]].astype({"household_id": str})
    for column in counts:
        out[column] = numbers(frame[column]).astype("int64")
    out["cannot_help"] = yes_no(frame["cannot_help"])[0]
    out["menu"] = frame["menu"].str.casefold().map(_MENU_INDEX)
    still = frame["still_failed"] if "still_failed" in frame else pd.Series("", index=frame.index)
    out["still_failed"] = still.fillna("").map(lambda cell: ", ".join(named(cell)))
    out["source_row"] = frame["source_row"].astype("int64")
    return out
