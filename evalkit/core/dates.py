"""Dates as people read them: Buddhist era, Thai month abbreviations, Bangkok time
(``21 พ.ย. 2569 17:03``), through pythainlp's :func:`~pythainlp.util.thai_strftime`.

Machine files (the run manifest, the ledger, exports) keep ISO 8601 timestamps with their
offset; only what is shown to a person goes through :func:`thai_datetime`.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pythainlp.util import thai_strftime

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
