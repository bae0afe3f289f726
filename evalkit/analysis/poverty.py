"""Poverty eradication (framework ``poverty-abcf``): households that failed basic-needs
indicators, followed up and classified A, B, C or F, counted by level and by support menu,
and the households still to follow up listed one by one.

The household file is read by :mod:`evalkit.analysis.households`. The levels are data
(:data:`LEVELS`), decided in this order:

- F: the household cannot be helped to pass (``cannot_help`` yes);
- A: it now passes every indicator it had failed (``indicators_now_passed >= indicators_failed``);
- B: it passes some of them (``0 < indicators_now_passed < indicators_failed``);
- C: it passes none yet (``indicators_now_passed == 0``).

The households still to follow up are listed in the order a field worker visits them: by
district, sub-district and village (``หมู่ 2`` before ``หมู่ 10``), then level (C, F, B), then
as the file lists them. Counts by district and sub-district are given where the file says
where households are, and every table states the date of its data (:func:`as_of_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd

from evalkit.analysis.dimensions import Edition, with_dimensions
from evalkit.analysis.household_checks import named
from evalkit.analysis.households import (
    ALIASES,
    AREAS,
    COLUMNS,
    MENU_EN,
    MENUS,
    OFFICE,
    load_households,
)
from evalkit.core.dates import thai_date
from evalkit.core.i18n import Message, bilingual, msg

__all__ = [
    "ALIASES",
    "AREAS",
    "COLUMNS",
    "FOLLOW_UP",
    "LEVELS",
    "MENUS",
    "MENU_EN",
    "TOTAL",
    "area_table",
    "as_of_text",
    "classify",
    "data_date",
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


def _level(code: str, said: Message) -> Level:
    return Level(code, said.render("th"), said.render("en"))


LEVELS = (
    _level("A", msg("passes every indicator it had failed")),
    _level("B", msg("passes some of them")),
    _level("C", msg("passes none of them yet")),
    _level("F", msg("cannot be helped to pass")),
)
#: The levels still to follow up, in the order the list shows them: none passed yet, cannot
#: be helped, part-way.
FOLLOW_UP = ("C", "F", "B")
TOTAL = "total"
#: The area of a household whose row leaves it blank.
NOT_STATED = bilingual(msg("not stated"))


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


_TONES = re.compile("[\u0e47-\u0e4c]")
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")


def _thai_key(text: str) -> tuple[str, str]:
    """Thai dictionary order: a leading vowel read after its consonant, tone marks compared
    only between words otherwise equal (so ช้าง comes before ช้างใต้); numbers by value."""
    text = re.sub(r"\d+", lambda m: m[0].zfill(12), text)
    return _LEADING_VOWEL.sub(r"\2\1", _TONES.sub("", text)), "".join(_TONES.findall(text))


def visit_order(values: Iterable[str]) -> dict[str, int]:
    """Each name's place in the order a person reads a list of places: Thai dictionary order
    (เกาะช้าง, เกาะช้างใต้, บ่อไร่), numbers by value (หมู่ 2 before หมู่ 10)."""
    ordered = sorted(set(values), key=_thai_key)
    return {v: n for n, v in enumerate(ordered)}


def follow_up(classified: pd.DataFrame, edition: Edition | None = None) -> pd.DataFrame:
    """The households still to follow up (levels C, F, B), in the order of a visit: by area
    (:data:`AREAS`), then level, then as listed in the file. Columns: ``level, household_id,
    members, menu, indicators_failed, indicators_now_passed, to_pass`` (indicators not passed
    yet), ``still_failed`` (their names, when the file gives them), ``dimensions`` (theirs,
    with an ``edition`` and names), ``district, subdistrict, village, responsible,
    source_row``, then the office's own columns as written (``office:``)."""
    rows = classified[classified["level"].isin(FOLLOW_UP)]
    rows = rows.assign(to_pass=rows["indicators_failed"] - rows["indicators_now_passed"])
    if edition is not None and rows["still_failed"].astype(bool).any():
        rows = with_dimensions(rows, edition, rows["still_failed"].map(named))
    places = {a: rows[a].map(visit_order(rows[a])) for a in AREAS}
    rows = rows.assign(**{f"_{a}": places[a] for a in AREAS})
    rows = rows.assign(_level=rows["level"].map({code: n for n, code in enumerate(FOLLOW_UP)}))
    keys = [*(f"_{a}" for a in AREAS), "_level", "source_sheet", "source_row"]
    rows = rows.sort_values(keys, kind="stable")
    columns = [
        "level",
        "household_id",
        "members",
        "menu",
        "indicators_failed",
        "indicators_now_passed",
        "to_pass",
        "still_failed",
        *(["dimensions"] if "dimensions" in rows else []),
        *AREAS,
        "responsible",
        "source_row",
        *(c for c in rows if c.startswith(OFFICE)),
    ]
    return rows[columns].reset_index(drop=True)


def area_table(classified: pd.DataFrame, areas: Sequence[str] = ("district",)) -> pd.DataFrame:
    """Households and people by area (``areas``: district, or district and sub-district),
    households at each level and those still to follow up, with a ``total`` row; empty when
    the file does not say where households are (a row that leaves its area blank is counted
    under :data:`NOT_STATED`)."""
    if not all(classified[a].astype(bool).any() for a in areas):
        return pd.DataFrame()
    keys = [classified[a].replace("", NOT_STATED) for a in areas]
    levels = pd.crosstab(keys, classified["level"])
    levels = levels.reindex(columns=[lv.code for lv in LEVELS], fill_value=0)
    counts = classified.groupby(keys)["members"].agg(households="count", people="sum")
    table = counts.join(levels).fillna(0).astype("int64")
    table["follow_up"] = table[list(FOLLOW_UP)].sum(axis=1)
    table = table.sort_index(key=lambda index: index.map(visit_order(index)))
    total = table.sum().to_frame().T.set_axis([(TOTAL,) + ("",) * (len(areas) - 1)])
    table = pd.concat([table, total if len(areas) > 1 else total.set_axis([TOTAL])])
    return table.rename_axis(list(areas)).reset_index()


def data_date(classified: pd.DataFrame, given: date | None = None) -> date | None:
    """The date of the data: ``given``, else the latest ``as_of`` of the file, else None."""
    if given is not None:
        return given
    dates = [d for d in classified["as_of"] if d is not None and not pd.isna(d)]
    return max(dates) if dates else None


def as_of_text(day: date | None) -> str:
    """The date of the data as every table states it, Thai first."""
    if day is None:
        column = ALIASES["as_of"][1]  # its Thai name
        unknown = msg("as of: not stated").render("th")
        return f"{unknown} (as of: not stated; a {column} column or --as-of)"
    known = msg("as of {date}", date=thai_date(day)).render("th")
    return f"{known} (as of {day.isoformat()})"
