"""The checks of a household file's rows (:mod:`evalkit.analysis.households` reads it): every
bad cell is flagged with its row and column, every repeated household with the row it was
first listed in.

A blank ``cannot_help`` cell means no, as offices leave it blank for the households that
can be helped; anything else must read as yes or no. A ``still_failed`` cell names exactly
the indicators not passed yet; an ``as_of`` cell is a date as Thai offices write it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

import pandas as pd
from pythainlp.util import thai_strftime

from evalkit.core.dates import read_date
from evalkit.core.i18n import Message, msg
from evalkit.sheets.forms import YES_NO_EXPECTED, closest, yes_no
from evalkit.sheets.rows import Rows

#: What separates the indicators named in ``still_failed``: a comma (not one between the
#: digits of a number, as in ``2,500``), a semicolon, a slash or a line break.
_SEPARATORS = re.compile(r"\s*(?:[;/\n]|,(?!\d{3}))\s*")
#: A date as offices type it, in figures and in words (5 August 2565), for the message of a
#: date that cannot be read.
_EXAMPLE = {
    "numeric": thai_strftime(datetime(2022, 8, 5), "%-d/%-m/%Y"),
    "written": thai_strftime(datetime(2022, 8, 5), "%-d %b %Y"),
}


def named(cell: str) -> list[str]:
    """The indicators a ``still_failed`` cell names."""
    return [name for name in _SEPARATORS.split(cell) if name]


def _whole(values: pd.Series, minimum: int) -> pd.Series:
    """True where a value is a whole number of at least ``minimum``."""
    return values.notna() & (values >= minimum) & (values % 1 == 0)


def _check_counts(rows: Rows) -> None:
    f = rows.frame
    members, failed = rows.number("members"), rows.number("indicators_failed")
    passed = rows.number("indicators_now_passed")
    rows.flag(~_whole(members, 1), "members", msg("a whole number of people, 1 or more"))
    rows.flag(
        ~_whole(failed, 1), "indicators_failed", msg("a whole number of indicators, 1 or more")
    )
    rows.flag(~_whole(passed, 0), "indicators_now_passed", msg("a whole number, 0 or more"))
    counted = _whole(failed, 1) & _whole(passed, 0)
    rows.flag(
        counted & (passed > failed),
        "indicators_now_passed",
        msg("at most indicators_failed"),
        msg("A household cannot pass more indicators than it had failed."),
    )
    if "still_failed" in f:
        listed = f["still_failed"].map(lambda cell: len(named(cell)))
        rows.flag(
            counted & (passed <= failed) & (f["still_failed"] != "") & (listed != failed - passed),
            "still_failed",
            "as many indicators as indicators_failed - indicators_now_passed, "
            "separated by commas (or an empty cell)",
        )


def check_rows(rows: Rows, menus: Mapping[str, str], menu_expected: Message) -> None:
    """Flag every bad cell and every repeated household id; ``menus`` maps every accepted
    spelling of a menu (case folded) to the menu."""
    f = rows.frame
    ids = f["household_id"]
    first = dict(zip(ids[~ids.duplicated()], f["source_row"][~ids.duplicated()], strict=True))
    rows.flag(ids == "", "household_id", msg("a household id"))
    rows.flag(
        ids.duplicated() & (ids != ""),
        "household_id",
        msg("each household once"),
        lambda found: msg(
            "Household {household} is already listed in row {row}.",
            household=found,
            row=first[found],
        ),
    )
    _check_counts(rows)
    answered = f["cannot_help"] != ""  # a blank cell means no
    rows.flag(yes_no(f["cannot_help"])[1] & answered, "cannot_help", YES_NO_EXPECTED)
    rows.flag(
        ~f["menu"].str.casefold().isin(list(menus)),
        "menu",
        menu_expected,
        lambda found: closest(found, list(menus)),
    )
    if "as_of" in f:
        dated = f["as_of"].map(read_date)
        rows.flag(
            (f["as_of"] != "") & dated.isna(),
            "as_of",
            msg("a date such as {numeric} or {written} (or an empty cell)", **_EXAMPLE),
        )
