"""Dates as people read them: Buddhist era, Thai month abbreviations, Bangkok time
(``21 พ.ย. 2569 17:03``), through pythainlp's :func:`~pythainlp.util.thai_strftime`.

Machine files (the run manifest, the ledger, exports) keep ISO 8601 timestamps with their
offset; only what is shown to a person goes through :func:`thai_datetime`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from pythainlp.util import thai_digit_to_arabic_digit, thai_strftime
from pythainlp.util.date import thai_abbr_months, thai_full_months

from evalkit.core.declared import declaration

BANGKOK = ZoneInfo("Asia/Bangkok")
THAI_FORMAT = "%-d %b %Y %H:%M"
#: A date in full, as a letter or a document gives it: ``14 มีนาคม 2566``.
THAI_DATE = "%-d %B %Y"


def now_iso() -> str:
    """Now in Bangkok as ISO 8601 with its offset, for machine files."""
    return datetime.now(BANGKOK).isoformat(timespec="seconds")


def parse_timestamp(value: str | datetime) -> datetime:
    """An ISO timestamp as an aware datetime; one without an offset is local time."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.astimezone()


def thai_datetime(value: str | datetime | None) -> str:
    """``21 พ.ย. 2569 17:03`` (Bangkok time, Buddhist era); "" for nothing, and text that is
    not a timestamp as it was."""
    if value is None or value == "":
        return ""
    try:
        moment = parse_timestamp(value)
    except ValueError:
        return str(value)
    return thai_strftime(moment.astimezone(BANGKOK), THAI_FORMAT)


def thai_date(day: date) -> str:
    """A date as Thai write it in a document: day, month name, Buddhist-era year."""
    return thai_strftime(datetime(day.year, day.month, day.day), THAI_DATE)


#: Thai month names, in full and abbreviated (pythainlp's), -> the month's number.
_MONTHS = {name: n % 12 + 1 for n, name in enumerate([*thai_full_months, *thai_abbr_months])}
_MONTH_NAMES = "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True))
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?")


def era_marker(era: str, between: str = r"\.", after: str = r"\.") -> str:
    r"""A regular expression of an era's marker (``buddhist``, ``common``; its letters in
    ``core/words.yaml``): ``พ\.ศ\.`` by default, ``between`` its letters and ``after`` them
    given (``พ\s*\.?\s*ศ\s*\.?``)."""
    letters = declaration("evalkit.core", "words")["eras"][era]
    return between.join(map(re.escape, letters)) + after


@cache
def _in_words() -> re.Pattern[str]:
    """A date in words: ``5 ส.ค. 2565``, ``5 สิงหาคม พ.ศ. 2565``."""
    eras = f"{era_marker('buddhist')}|{era_marker('common')}"
    return re.compile(rf"(\d{{1,2}})\s*({_MONTH_NAMES})\s*(?:{eras})?\s*(\d{{4}})")


#: The first Buddhist-era year read as such; a year below it is of the common era.
FIRST_BE_YEAR = 2400
#: The Buddhist-era years a sheet or a command may name, and the years between the eras.
BE_YEARS = range(2500, 2701)
CE_OFFSET = 543


def read_date(text: str) -> date | None:
    """A date as Thai offices write it, or None: ``5/8/2565``, ``05-08-2022`` (day first),
    ``2565-08-05``, ``5 ส.ค. 2565``, ``5 สิงหาคม พ.ศ. 2565`` (Thai digits too); a year from
    2400 is Buddhist era."""
    text = thai_digit_to_arabic_digit(text).strip()
    if match := _YEAR_FIRST.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _in_words().fullmatch(text):
        day, month, year = int(match[1]), _MONTHS[match[2]], int(match[3])
    else:
        return None
    year -= 543 if year >= FIRST_BE_YEAR else 0
    try:
        return date(year, month, day)
    except ValueError:
        return None
