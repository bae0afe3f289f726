"""The sample's household file: an illustrative district (Bo Rai, Trat) as an office keeps it,
with its own columns beside evalkit's (the head of the household, the house number, the
officer assigned, a phone number), where each household is (หมู่, ตำบล, อำเภอ), the agency
that follows it up, the date of the data, and the indicators still failed by name. Every
name and number is invented, and says so; ``cannot_help`` is left blank where the answer is
no, as offices do. The places, the indicators and what is written in the office's own
columns are data, in ``sample_data/households.yaml``."""

from __future__ import annotations

import random

import pandas as pd

from evalkit.analysis.dimensions import DEFAULT_EDITION
from evalkit.analysis.households import MENUS, TEMPLATE_COLUMNS
from evalkit.exports.sample_data import sample_data
from evalkit.sheets.forms.common import WRITTEN_NO, WRITTEN_YES

_DATA = sample_data("households")
#: The sample's district (อำเภอบ่อไร่, Trat), its sub-districts and how many villages each has.
DISTRICT: str = _DATA["district"]
SUBDISTRICTS: dict[str, int] = _DATA["subdistricts"]
#: Indicators a household still fails, by the short names offices write (those of
#: the edition :data:`~evalkit.analysis.dimensions.DEFAULT_EDITION`).
INDICATORS: tuple[str, ...] = tuple(_DATA["indicators"])
RESPONSIBLE: tuple[str, ...] = tuple(_DATA["responsible"])
#: The date of the sample's data: Trat's published figures of 5 August 2565.
AS_OF: str = _DATA["as_of"]
#: The office's own columns, and what the sample writes in them.
OWN: dict[str, str] = _DATA["own"]
WRITTEN: dict[str, str] = _DATA["written"]
EDITION = DEFAULT_EDITION


def _level(rng: random.Random) -> tuple[str, int, int]:
    """A level (mostly A), the indicators failed and those passed since."""
    failed = rng.randint(1, 3)
    level = rng.choices("ABCF", weights=(24, 8, 5, 3))[0]
    passed = {"A": failed, "B": rng.randint(1, failed - 1) if failed > 1 else 0}.get(level, 0)
    if level == "B" and failed == 1:
        failed, passed = 2, 1
    return level, failed, passed


def households(rng: random.Random, count: int = 40) -> pd.DataFrame:
    """An illustrative household file of one district: mostly A, some B, C and F."""
    rows = []
    for n in range(1, count + 1):
        level, failed, passed = _level(rng)
        subdistrict = rng.choice(list(SUBDISTRICTS))
        cannot = WRITTEN_YES if level == "F" else rng.choice(("", "", WRITTEN_NO))
        rows.append(
            {
                "household_id": f"BR-{n:03d}",
                OWN["head"]: WRITTEN["head"].format(n=n),
                OWN["house"]: f"{rng.randint(1, 199)}/{rng.randint(1, 9)}",
                "village": WRITTEN["village"].format(n=rng.randint(1, SUBDISTRICTS[subdistrict])),
                "subdistrict": subdistrict,
                "district": DISTRICT,
                "members": rng.randint(1, 6),
                "indicators_failed": failed,
                "indicators_now_passed": passed,
                "cannot_help": cannot,
                "menu": rng.choice(list(MENUS)),
                "still_failed": ", ".join(rng.sample(INDICATORS, failed - passed)),
                "responsible": rng.choice(RESPONSIBLE),
                OWN["officer"]: WRITTEN["officer"].format(n=rng.randint(1, 6)),
                OWN["phone"]: f"000-000-{n:04d}",
                "as_of": AS_OF,
            }
        )
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))
