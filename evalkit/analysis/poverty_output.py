"""``evalkit poverty``: the poverty tables and the follow-up list as aligned text, and the
tables in one long table (written by :mod:`evalkit.exports.poverty`)."""

from __future__ import annotations

import unicodedata

import pandas as pd

from evalkit.analysis.households import MENU_EN
from evalkit.analysis.poverty import TOTAL, follow_up, level_by_menu, tables, with_shares

THAI = {"level": "ระดับ", "menu": "เมนู", "households": "ครัวเรือน", "people": "คน"}
HEADINGS = {
    en: f"{th} ({en})"
    for en, th in (
        THAI
        | {
            "table": "ตาราง",
            "group": "กลุ่ม",
            "households_pct": "ร้อยละของครัวเรือน",
            "people_pct": "ร้อยละของคน",
            "household_id": "รหัสครัวเรือน",
            "members": "สมาชิก",
            "indicators_failed": "ไม่ผ่าน",
            "indicators_now_passed": "ผ่านแล้ว",
            "to_pass": "ยังไม่ผ่าน",
            "still_failed": "ตัวชี้วัดที่ยังไม่ผ่าน",
            "source_row": "แถว",
        }
    ).items()
}
LABELS = {"A": "A", "B": "B", "C": "C", "F": "F", TOTAL: "รวม (total)"}
LABELS |= {m: f"{m} ({e})" for m, e in MENU_EN.items()}
#: Households of the follow-up list printed on the terminal; ``--follow-up`` writes all.
PRINTED = 50


def _width(text: str) -> int:
    """Columns a text takes on a terminal: Thai vowel and tone marks take none."""
    return sum(unicodedata.category(c) != "Mn" for c in text)


def _cell(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else LABELS.get(str(value), str(value))


def format_table(table: pd.DataFrame) -> str:
    """A table as aligned text with Thai headings (English in parentheses); the first column
    is aligned left, the others right."""
    cells = [[HEADINGS.get(c, LABELS.get(c, c)) for c in table.columns]]
    cells += [[_cell(v) for v in row] for row in table.itertuples(index=False)]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for row in cells:
        first = row[0] + " " * (widths[0] - _width(row[0]))
        rest = [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
    return "\n".join(lines)


def long_tables(classified: pd.DataFrame) -> pd.DataFrame:
    """Every count in one long table: ``table`` (level, menu or level_menu), ``group`` (a
    level, a menu, or ``level/menu``), households, people and both shares in percent."""
    by_level, by_menu = (with_shares(t) for t in tables(classified))
    households = level_by_menu(classified).set_index("level")
    people = level_by_menu(classified, "people").set_index("level")
    cross = pd.DataFrame(
        [
            {"group": f"{level}/{menu}", "households": households.at[level, menu]}
            | {"people": people.at[level, menu]}
            for level in households.index
            for menu in households.columns
        ]
    )
    whole = float(households.at[TOTAL, TOTAL]), float(people.at[TOTAL, TOTAL])
    cross["households_pct"] = (cross["households"] / whole[0] * 100).round(1) if whole[0] else 0.0
    cross["people_pct"] = (cross["people"] / whole[1] * 100).round(1) if whole[1] else 0.0
    return pd.concat(
        [
            by_level.rename(columns={"level": "group"}).assign(table="level"),
            by_menu.rename(columns={"menu": "group"}).assign(table="menu"),
            cross.assign(table="level_menu"),
        ],
        ignore_index=True,
    )[["table", "group", "households", "people", "households_pct", "people_pct"]]


def report_text(classified: pd.DataFrame) -> str:
    """What ``evalkit poverty`` prints: both tables with shares, households by level and
    menu, and the follow-up list (its first :data:`PRINTED` households)."""
    by_level, by_menu = (with_shares(t) for t in tables(classified))
    listed = follow_up(classified)
    parts = [
        format_table(by_level),
        format_table(by_menu),
        "ครัวเรือนตามระดับและเมนู (households by level and menu)\n"
        + format_table(level_by_menu(classified)),
        f"ครัวเรือนที่ต้องติดตาม ระดับ C, F และ B: {len(listed)} ครัวเรือน (households to follow up)",
    ]
    if len(listed):
        shown = listed.head(PRINTED).drop(columns="source_row")
        if not shown["still_failed"].astype(bool).any():
            shown = shown.drop(columns="still_failed")
        parts[-1] += "\n" + format_table(shown)
    if len(listed) > PRINTED:
        parts.append(
            f"... และอีก {len(listed) - PRINTED} ครัวเรือน: --follow-up FILE.csv เขียนรายชื่อทั้งหมด "
            f"(and {len(listed) - PRINTED} more: --follow-up FILE.csv writes them all)"
        )
    return "\n\n".join(parts)
