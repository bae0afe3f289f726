"""The poverty section of an agency report: what levels A, B, C and F mean, households and
people by level and by menu with their shares, the two crossed, and the households still to
follow up."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from evalkit.analysis.households import MENU_EN, load_households
from evalkit.analysis.poverty import (
    FOLLOW_UP,
    LEVELS,
    TOTAL,
    classify,
    follow_up,
    level_by_menu,
    tables,
    with_shares,
)
from evalkit.report.display import note, table

#: Households of the follow-up list shown in a page; the rest are counted in a note.
SHOWN = 300
_MENU_LABEL = {m: f"{m} ({e})" for m, e in MENU_EN.items()} | {TOTAL: "รวม (total)"}
_COUNT_HEADINGS = {
    "households": "ครัวเรือน (households)",
    "households_pct": "ร้อยละของครัวเรือน (% of households)",
    "people": "คน (people)",
    "people_pct": "ร้อยละของคน (% of people)",
}


def _levels_explained() -> str:
    items = "".join(
        f"<li><b>{level.code}</b>: {escape(level.th)} ({escape(level.en)})</li>" for level in LEVELS
    )
    return (
        '<p class="ek-note">ครัวเรือนที่ไม่ผ่านเกณฑ์ความจำเป็นพื้นฐานได้รับการติดตามช่วยเหลือ '
        "และจัดระดับตามผลล่าสุดดังนี้ (households that failed basic-needs indicators are "
        "followed up and classified):</p>"
        f'<ul class="ek-levels">{items}</ul>'
        '<p class="ek-note">ครัวเรือนระดับ C, F และ B ยังต้องติดตาม รายชื่ออยู่ท้ายหัวข้อนี้ '
        "(households at C, F and B still need follow-up; they are listed at the end of this "
        "section).</p>"
    )


def _counts(frame: pd.DataFrame, key: str, heading: str) -> str:
    shown = with_shares(frame)
    shown[key] = shown[key].map(lambda v: _MENU_LABEL.get(v, v))
    columns = {key: heading, **_COUNT_HEADINGS}
    return table(shown.astype({c: str for c in ("households_pct", "people_pct")}), columns).body


def _crossed(classified: pd.DataFrame) -> str:
    households = level_by_menu(classified).set_index("level")
    people = level_by_menu(classified, "people").set_index("level")
    cells = households.astype(str) + " / " + people.astype(str)
    cells = cells.rename(columns=_MENU_LABEL, index={TOTAL: "รวม (total)"}).reset_index()
    caption = note("ครัวเรือน / คน ตามระดับและเมนู (households / people by level and menu)")
    return (
        caption.body + table(cells, {c: c if c != "level" else "ระดับ (level)" for c in cells}).body
    )


def _follow_up_list(classified: pd.DataFrame) -> str:
    listed = follow_up(classified)
    levels = ", ".join(FOLLOW_UP)
    heading = note(
        f"ครัวเรือนที่ต้องติดตาม ระดับ {levels}: {len(listed)} ครัวเรือน "
        f"{int(listed['members'].sum())} คน (households to follow up)"
    )
    if listed.empty:
        return heading.body
    shown = listed.head(SHOWN).assign(menu=lambda f: f["menu"].map(_MENU_LABEL))
    body = table(
        shown,
        {
            "level": "ระดับ (level)",
            "household_id": "รหัสครัวเรือน (household)",
            "members": "สมาชิก (members)",
            "menu": "เมนู (menu)",
            "to_pass": "จำนวนตัวชี้วัดที่ยังไม่ผ่าน (number to pass)",
            "still_failed": "ตัวชี้วัดที่ยังไม่ผ่าน (indicators still failed)",
        },
    ).body
    rest = len(listed) - SHOWN
    more = (
        note(
            f"และอีก {rest} ครัวเรือน: evalkit poverty --follow-up FILE.csv เขียนรายชื่อทั้งหมด "
            f"(and {rest} more: evalkit poverty --follow-up writes them all)"
        ).body
        if rest > 0
        else ""
    )
    return heading.body + body + more


def poverty_tables(path: str | Path) -> str:
    """The section's body (without its heading) for a household file."""
    classified = classify(load_households(path))
    by_level, by_menu = tables(classified)
    return "".join(
        [
            _levels_explained(),
            _counts(by_level, "level", "ระดับ (level)"),
            _counts(by_menu, "menu", "เมนู (menu)"),
            _crossed(classified),
            _follow_up_list(classified),
        ]
    )
