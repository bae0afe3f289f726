"""Poverty eradication (framework ``poverty-abcf``): households that failed basic-needs
indicators, followed up and classified A, B, C or F, counted by level and by support menu.

A household file (CSV or XLSX) has one row per household with the columns of
:data:`ALIASES` (English or Thai names, a gloss in parentheses allowed; a title block above
the header is skipped). The levels are data (:data:`LEVELS`), decided in this order:

- F: the household cannot be helped to pass (``cannot_help`` yes);
- A: it now passes every indicator it had failed (``indicators_now_passed >= indicators_failed``);
- B: it passes some of them (``0 < indicators_now_passed < indicators_failed``);
- C: it passes none yet (``indicators_now_passed == 0``).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.files import atomic_path
from evalkit.sheets.forms import YES_NO_EXPECTED, Rows, closest, numbers, yes_no
from evalkit.sheets.readers import Table, column_matcher, read_tables

#: Column -> its Thai name and other accepted names (case, spaces, ``_-.`` ignored).
ALIASES: dict[str, tuple[str, ...]] = {
    "household_id": ("household_id", "รหัสครัวเรือน", "household", "รหัสบ้าน"),
    "members": ("members", "จำนวนสมาชิก", "people", "สมาชิก", "จำนวนคน"),
    "indicators_failed": ("indicators_failed", "ตัวชี้วัดที่ไม่ผ่าน", "failed", "ตัวชี้วัดที่ตกเกณฑ์"),
    "indicators_now_passed": ("indicators_now_passed", "ตัวชี้วัดที่ผ่านแล้ว", "now_passed"),
    "cannot_help": ("cannot_help", "ช่วยเหลือไม่ได้", "ทำไม่ได้"),
    "menu": ("menu", "เมนู", "เมนูแก้จน"),
}
COLUMNS = tuple(ALIASES)


class Level(NamedTuple):
    code: str
    th: str
    en: str


LEVELS = (
    Level("A", "ผ่านเกณฑ์ทุกตัวชี้วัดที่ตกเกณฑ์", "passes every indicator it had failed"),
    Level("B", "ผ่านเกณฑ์บางตัวชี้วัดที่ตกเกณฑ์", "passes some of them"),
    Level("C", "ยังไม่ผ่านทุกตัวชี้วัดที่ตกเกณฑ์", "passes none of them yet"),
    Level("F", "ครัวเรือนที่ทำไม่ได้", "cannot be helped to pass"),
)
#: Support menu (Thai name, as reported) -> English name and other accepted spellings
#: (ยังยืน is how the source spells it).
MENUS: dict[str, tuple[str, ...]] = {
    "ยั่งยืน": ("sustainable", "ยังยืน"),
    "พอเพียง": ("sufficient",),
    "อยู่รอด": ("survival",),
}
MENU_EN = {menu: names[0] for menu, names in MENUS.items()}
TOTAL = "total"
THAI = {"level": "ระดับ", "menu": "เมนู", "households": "ครัวเรือน", "people": "คน"}
HEADINGS = {en: f"{th} ({en})" for en, th in (THAI | {"table": "ตาราง", "group": "กลุ่ม"}).items()}

_MENU_INDEX = {n.casefold(): menu for menu, names in MENUS.items() for n in (menu, *names)}

#: The column a header cell names, by any alias or either part of ``ไทย (english)``.
column_of = column_matcher(ALIASES)


def _read(path: str | Path) -> list[Table]:
    """Every sheet with a household header, or InvalidInputError."""
    tables = read_tables(path, match=column_of)
    if isinstance(tables, Problem) and tables.found.startswith("no header row"):
        expected = "a header row with " + ", ".join(COLUMNS)
        hint = "Thai names work too: " + ", ".join(a[1] for a in ALIASES.values()) + "."
        tables = Problem(
            file=str(path),
            row=0,
            column="",
            found="no household header row",
            expected=expected,
            hint=hint,
        )
    if isinstance(tables, Problem):
        raise InvalidInputError([tables])
    return tables


def _whole(values: pd.Series, minimum: int) -> pd.Series:
    """True where a value is a whole number of at least ``minimum``."""
    return values.notna() & (values >= minimum) & (values % 1 == 0)


def _check_counts(rows: Rows) -> None:
    f = rows.frame
    members, failed = numbers(f["members"]), numbers(f["indicators_failed"])
    passed = numbers(f["indicators_now_passed"])
    rows.flag(~_whole(members, 1), "members", "a whole number of people, 1 or more")
    rows.flag(~_whole(failed, 1), "indicators_failed", "a whole number of indicators, 1 or more")
    rows.flag(~_whole(passed, 0), "indicators_now_passed", "a whole number, 0 or more")
    rows.flag(
        _whole(failed, 1) & _whole(passed, 0) & (passed > failed),
        "indicators_now_passed",
        "at most indicators_failed",
        "A household cannot pass more indicators than it had failed.",
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
    indicators_now_passed, cannot_help`` (bool), ``menu`` (its Thai name), ``source_row``.
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
    out["source_row"] = frame["source_row"].astype("int64")
    return out


def classify(households: pd.DataFrame) -> pd.DataFrame:
    """The households with ``level``: F, A, B or C by the rules in the module docstring."""
    failed, passed = households["indicators_failed"], households["indicators_now_passed"]
    level = np.select(
        [households["cannot_help"].astype(bool), passed >= failed, passed > 0],
        ["F", "A", "B"],
        default="C",
    )
    return households.assign(level=level)


def _count(classified: pd.DataFrame, by: str, groups: Sequence[str]) -> pd.DataFrame:
    counts = classified.groupby(by)["members"].agg(households="count", people="sum")
    counts = counts.reindex(list(groups), fill_value=0).astype("int64")
    counts.loc[TOTAL] = counts.sum()
    return counts.rename_axis(by).reset_index()


def tables(classified: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Households and people by level (A, B, C, F) and by menu, each with a ``total`` row;
    a level or menu with no households is listed with zeros."""
    return (
        _count(classified, "level", [level.code for level in LEVELS]),
        _count(classified, "menu", list(MENUS)),
    )


def _width(text: str) -> int:
    """Columns a text takes on a terminal: Thai vowel and tone marks take none."""
    return sum(unicodedata.category(c) != "Mn" for c in text)


def format_table(table: pd.DataFrame) -> str:
    """A table as aligned text with Thai headings (English in parentheses)."""
    labels = {"A": "A", "B": "B", "C": "C", "F": "F", TOTAL: "รวม (total)"}
    labels |= {m: f"{m} ({e})" for m, e in MENU_EN.items()}
    cells = [[HEADINGS[c] for c in table.columns]]
    cells += [[labels.get(str(v), str(v)) for v in row] for row in table.itertuples(index=False)]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for row in cells:
        first = row[0] + " " * (widths[0] - _width(row[0]))
        rest = [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]))
    return "\n".join(lines)


def write_tables(by_level: pd.DataFrame, by_menu: pd.DataFrame, out: str | Path) -> None:
    """Both tables in one CSV (UTF-8 with a BOM, so that Excel shows Thai)."""
    long = pd.concat(
        [
            by_level.rename(columns={"level": "group"}).assign(table="level"),
            by_menu.rename(columns={"menu": "group"}).assign(table="menu"),
        ],
        ignore_index=True,
    )[["table", "group", "households", "people"]]
    with atomic_path(out) as tmp:
        long.rename(columns=HEADINGS).to_csv(tmp, index=False, encoding="utf-8-sig")


def main_poverty(path: str | Path, out: str | Path | None = None) -> int:
    """``evalkit poverty FILE [--out FILE.csv]``: print the tables by level and by menu and
    write them to ``out`` when given. Return 0, or 1 with every problem on stderr."""
    try:
        by_level, by_menu = tables(classify(load_households(path)))
    except InvalidInputError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(format_table(by_level), format_table(by_menu), sep="\n\n")
    if out is not None:
        write_tables(by_level, by_menu, out)
    return 0
