"""Award decisions as data: the conditions of a rule, the ordered levels of an award, its
tie-break order and its eligibility screen (``award:`` of a framework file).

A rule is a threshold on the total (``min_points``/``min_percent``) and/or conditions that all
(``all_of``) or some (``any_of``) must hold, each on named categories or items: a minimum percent
or points, a minimum band, or a minimum checklist level. The committee's shapes (TQC, TQC Plus,
TQA) are written that way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from evalkit.core.i18n import Message, msg, pmsg

#: The checklist levels a condition may ask for, lowest first (an item's ``label``).
CHECK_LEVEL_NAMES = {"basic": "Basic", "advance": "Advance", "significance": "Significance"}
#: What a rule's confidence must start with for its threshold to count as confirmed.
CONFIRMED = ("high", "confirmed")
#: Who announces the outcome: evalkit's verdicts, or the committee (feedback shows no verdict).
ANNOUNCERS = ("verdict", "committee")


class EntryWords(NamedTuple):
    """What a count of an award's entries is called: after the number (``9 หน่วยงาน``) and
    on a chart's axis (``จำนวนหน่วยงาน``)."""

    counted: Message
    axis: Message


#: What one entry of an award is: an agency, or a work an agency entered (several per agency),
#: and what a count of them is called (a portfolio counts and charts its entries so).
ENTRIES: dict[str, EntryWords] = {
    "agency": EntryWords(pmsg("counted", "agencies"), msg("agencies")),
    "work": EntryWords(pmsg("counted", "works"), msg("works")),
}


@dataclass(frozen=True)
class Condition:
    """One condition of a rule: every one of ``keys`` (categories or items; the total when
    ``level`` is ``total``) reaches the minimum."""

    level: str
    keys: tuple[str, ...]
    min_percent: float | None = None
    min_points: float | None = None
    min_band: int | None = None
    min_level: str | None = None


@dataclass(frozen=True)
class TieBreak:
    """One step of a tie-break order: the higher points of a category, an item or the total."""

    level: str
    key: str


@dataclass(frozen=True)
class Screen:
    """One eligibility condition on an entry's column (or on the scores: ``every_category``)."""

    id: str
    name_th: str
    column: str = ""
    #: the column is a date at least this many days before the closing date
    days_before_closing: int | None = None
    #: the column holds one of these values (yes, ใช่, ...)
    equals: tuple[str, ...] = ()
    #: the column holds some text
    present: bool = False
    #: every category of the framework was assessed
    every_category: bool = False


@dataclass(frozen=True)
class Award:
    """How a framework's rules become one decision per entry."""

    #: rule ids, highest level first; an entry below the lowest gets no award
    levels: tuple[str, ...] = ()
    tie_break: tuple[TieBreak, ...] = ()
    announce: str = "verdict"
    entry: str = "agency"
    eligibility: tuple[Screen, ...] = ()

    @property
    def entry_words(self) -> EntryWords:
        """What a count of this award's entries is called (:data:`ENTRIES`)."""
        return ENTRIES[self.entry]
