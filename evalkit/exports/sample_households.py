"""The sample's household file: an illustrative district (Bo Rai, Trat) as an office keeps it,
with its own columns beside evalkit's (the head of the household, the house number, the
officer assigned, a phone number), where each household is (หมู่, ตำบล, อำเภอ), the agency
that follows it up, the date of the data, and the indicators still failed by name. Every
name and number is invented, and says so; ``cannot_help`` is left blank where the answer is
no, as offices do."""

from __future__ import annotations

import random

import pandas as pd

from evalkit.analysis.dimensions import DEFAULT_EDITION
from evalkit.analysis.households import TEMPLATE_COLUMNS

#: The sub-districts of the sample's district (อำเภอบ่อไร่, Trat) and their villages.
DISTRICT = "บ่อไร่"
SUBDISTRICTS = {"บ่อพลอย": 8, "ช้างทูน": 5, "ด่านชุมพล": 6, "หนองบอน": 9, "นนทรีย์": 5}
#: Indicators a household still fails, by the short names offices write (those of
#: the edition :data:`~evalkit.analysis.dimensions.DEFAULT_EDITION`).
INDICATORS = (
    "น้ำหนักแรกเกิด",
    "ออกกำลังกาย",
    "ที่อยู่อาศัย",
    "น้ำดื่ม",
    "น้ำใช้",
    "การศึกษาภาคบังคับ",
    "อ่านออกเขียนได้",
    "อาชีพวัยทำงาน",
    "รายได้เฉลี่ย",
    "การดูแลผู้สูงอายุ",
)
RESPONSIBLE = ("สำนักงานพัฒนาชุมชนอำเภอบ่อไร่", "องค์การบริหารส่วนตำบล", "สำนักงานเกษตรอำเภอบ่อไร่")
#: The date of the sample's data: Trat's published figures of 5 August 2565.
AS_OF = "5/8/2565"
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
        cannot = "ใช่" if level == "F" else rng.choice(("", "", "ไม่ใช่"))
        rows.append(
            {
                "household_id": f"BR-{n:03d}",
                "ชื่อหัวหน้าครัวเรือน": f"ครัวเรือนตัวอย่าง {n:03d} (สมมติ)",
                "บ้านเลขที่": f"{rng.randint(1, 199)}/{rng.randint(1, 9)}",
                "village": f"หมู่ {rng.randint(1, SUBDISTRICTS[subdistrict])}",
                "subdistrict": subdistrict,
                "district": DISTRICT,
                "members": rng.randint(1, 6),
                "indicators_failed": failed,
                "indicators_now_passed": passed,
                "cannot_help": cannot,
                "menu": rng.choice(("ยั่งยืน", "พอเพียง", "อยู่รอด")),
                "still_failed": ", ".join(rng.sample(INDICATORS, failed - passed)),
                "responsible": rng.choice(RESPONSIBLE),
                "พ่อแม่เลี้ยง": f"เจ้าหน้าที่ตัวอย่าง {rng.randint(1, 6)} (สมมติ)",
                "โทรศัพท์": f"000-000-{n:04d}",
                "as_of": AS_OF,
            }
        )
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))
