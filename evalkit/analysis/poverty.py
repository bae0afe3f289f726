"""Poverty eradication (framework ``poverty-abcf``): households that failed basic-needs
indicators, followed up and classified A, B, C or F, counted by level and by support menu,
and the households still to follow up listed one by one.

The household file is read by :mod:`evalkit.analysis.households`. The levels are data
(:data:`LEVELS`), decided in this order:

- F: the household cannot be helped to pass (``cannot_help`` yes);
- A: it now passes every indicator it had failed (``indicators_now_passed >= indicators_failed``);
- B: it passes some of them (``0 < indicators_now_passed < indicators_failed``);
- C: it passes none yet (``indicators_now_passed == 0``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from evalkit.analysis.households import ALIASES, COLUMNS, MENU_EN, MENUS, load_households

__all__ = [
    "ALIASES",
    "COLUMNS",
    "FOLLOW_UP",
    "LEVELS",
    "MENUS",
    "MENU_EN",
    "TOTAL",
    "classify",
    "follow_up",
    "level_by_menu",
    "load_households",
    "tables",
    "with_shares",
]


class Level(NamedTuple):
    code: str
    th: str
    en: str


LEVELS = (
    Level("A", "ผ่านเกณฑ์ครบทุกตัวชี้วัดที่เคยไม่ผ่าน", "passes every indicator it had failed"),
    Level("B", "ผ่านเกณฑ์แล้วบางตัวชี้วัด ยังเหลือตัวชี้วัดที่ไม่ผ่าน", "passes some of them"),
    Level("C", "ยังไม่ผ่านเกณฑ์ตัวชี้วัดใดที่เคยไม่ผ่านเลย", "passes none of them yet"),
    Level("F", "ครัวเรือนที่ไม่สามารถช่วยเหลือให้ผ่านเกณฑ์ได้", "cannot be helped to pass"),
)
#: The levels still to follow up, in the order the list shows them: none passed yet, cannot
#: be helped, part-way.
FOLLOW_UP = ("C", "F", "B")
TOTAL = "total"


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


def _percent(part: pd.Series, whole: float) -> pd.Series:
    return (part / whole * 100).round(1) if whole else part * 0.0


def with_shares(table: pd.DataFrame) -> pd.DataFrame:
    """A table of :func:`tables` with ``households_pct`` and ``people_pct``: each group's
    share of the total in percent, to one decimal (the total row is 100)."""
    total = table.iloc[-1]
    return table.assign(
        households_pct=_percent(table["households"], float(total["households"])),
        people_pct=_percent(table["people"], float(total["people"])),
    )


def level_by_menu(classified: pd.DataFrame, value: str = "households") -> pd.DataFrame:
    """Households (or ``value="people"``) by level (rows A, B, C, F, total) and menu
    (columns, then ``total``)."""
    measure = classified["members"] if value == "people" else classified["members"] * 0 + 1
    table = pd.crosstab(classified["level"], classified["menu"], values=measure, aggfunc="sum")
    levels = [level.code for level in LEVELS]
    table = table.reindex(index=levels, columns=list(MENUS)).fillna(0).astype("int64")
    table[TOTAL] = table.sum(axis=1)
    table.loc[TOTAL] = table.sum()
    return table.rename_axis(index="level", columns=None).reset_index()


def follow_up(classified: pd.DataFrame) -> pd.DataFrame:
    """The households still to follow up (levels C, F, then B; in file order within a
    level): ``level, household_id, members, menu, indicators_failed, indicators_now_passed,
    to_pass`` (indicators not passed yet), ``still_failed`` (their names, when the file
    gives them), ``source_row``."""
    rows = classified[classified["level"].isin(FOLLOW_UP)]
    order = rows["level"].map({code: n for n, code in enumerate(FOLLOW_UP)})
    rows = rows.assign(_order=order).sort_values(["_order", "source_row"], kind="stable")
    rows = rows.assign(to_pass=rows["indicators_failed"] - rows["indicators_now_passed"])
    columns = [
        "level",
        "household_id",
        "members",
        "menu",
        "indicators_failed",
        "indicators_now_passed",
        "to_pass",
        "still_failed",
        "source_row",
    ]
    return rows[columns].reset_index(drop=True)
