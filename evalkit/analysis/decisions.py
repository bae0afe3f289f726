"""Award decisions as a committee makes them: one ordered outcome per entry (the highest level
whose rule it meets, "ไม่ได้รับรางวัล" below the lowest), eligibility screened first (an
ineligible entry is listed with its reason and left out of the ranking), ranks within each
award type, ties broken by the framework's declared order and never by id or file order (a tie
left after that order is shown as "เสมอ"), and the path to the next level.

``entries`` is a table of the entries (one row per scored ``agency_id``: an agency, or a work
an agency entered) with optional columns ``type``, ``applied`` (categories applied for,
separated by commas) and the columns the framework's eligibility screens read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from evalkit.frameworks.award import Screen, TieBreak
from evalkit.frameworks.model import Framework
from evalkit.scoring.conditions import judged
from evalkit.scoring.engine import absent_categories
from evalkit.scoring.methods import KEYS
from evalkit.scoring.rules import UNCONFIRMED

NO_AWARD = "ไม่ได้รับรางวัล"
TIE = "เสมอ"
DECISION_COLUMNS = [
    "type",
    "rank",
    "tie",
    "agency_id",
    "agency_name",
    "total",
    "level",
    "met",
    "failed",
    "tie_break",
    "eligible",
    "reason",
    "next_level",
    "path",
    "confidence",
]
THAI_HEADERS = {
    "type": "ประเภท",
    "rank": "ลำดับ",
    "tie": "เสมอ",
    "agency_id": "รหัส",
    "agency_name": "หน่วยงาน/ผลงาน",
    "total": "คะแนนรวม",
    "level": "ผลการตัดสิน",
    "met": "เงื่อนไขที่ผ่าน",
    "failed": "เงื่อนไขที่ไม่ผ่าน",
    "tie_break": "เกณฑ์ตัดสินเมื่อคะแนนเท่ากัน",
    "eligible": "คุณสมบัติ",
    "reason": "เหตุผล",
    "next_level": "ระดับถัดไป",
    "path": "สิ่งที่ต้องเพิ่มเพื่อถึงระดับถัดไป",
    "confidence": "ความมั่นใจของเกณฑ์",
}


def _parse_day(value: Any) -> date | None:
    """A date as offices write it: ISO or day/month/year, Buddhist-era years read too."""
    text = str(value).strip() if value is not None and not pd.isna(value) else ""
    if not text:
        return None
    found = pd.to_datetime(text, dayfirst="/" in text, errors="coerce")
    if pd.isna(found):
        return None
    year = found.year - 543 if found.year > 2400 else found.year
    return date(year, found.month, found.day)


def _screen(screen: Screen, entry: pd.Series, absent: bool, closing: date | None) -> str:
    """ "" when the entry passes the screen, else the reason, in Thai."""
    value = entry.get(screen.column, "") if screen.column else ""
    text = "" if value is None or pd.isna(value) else str(value).strip()
    if screen.every_category:
        return f"{screen.name_th}: ประเมินไม่ครบทุกหมวด" if absent else ""
    if screen.present:
        return "" if text else f"{screen.name_th}: ไม่ได้ระบุ ({screen.column})"
    if screen.equals:
        wanted = {v.strip().lower() for v in screen.equals}
        return "" if text.lower() in wanted else f"{screen.name_th}: พบ '{text or '-'}'"
    started = _parse_day(text)
    if started is None or closing is None:
        return f"{screen.name_th}: ไม่มีวันที่ที่อ่านได้ ({screen.column})"
    days = (closing - started).days
    need = screen.days_before_closing or 0
    return "" if days >= need else f"{screen.name_th}: ดำเนินการมา {days} วัน (ต้องไม่น้อยกว่า {need})"


def eligibility(
    framework: Framework, entry: pd.Series, absent: bool, closing: date | None
) -> list[str]:
    """The reasons an entry is not eligible; empty when it is."""
    found = (_screen(s, entry, absent, closing) for s in framework.award.eligibility)
    return [r for r in found if r]


def _tie_values(unit: pd.DataFrame, steps: tuple[TieBreak, ...]) -> tuple[float, ...]:
    values = []
    for step in steps:
        rows = unit[(unit["level"] == step.level) & (unit["key"].astype(str) == step.key)]
        values.append(float(rows["points"].iloc[0]) if len(rows) else float("-inf"))
    return tuple(values)


def _rank_group(group: pd.DataFrame, steps: tuple[TieBreak, ...]) -> pd.DataFrame:
    """Ranks of the eligible entries of one type: by total, then the tie-break steps."""
    names = [judged(s.level, s.key).render("th") for s in steps]
    ok = group[group["eligible"]]
    order = {i: (row["total"], *row["_ties"]) for i, row in ok.iterrows()}
    for i, key in order.items():
        group.loc[i, "rank"] = 1 + sum(other > key for other in order.values())
        peers = [o for j, o in order.items() if j != i and o[0] == key[0]]
        if any(o == key for o in peers):
            group.loc[i, "tie"] = TIE
        if peers:
            used = max(
                next((n for n in range(1, len(key)) if o[n] != key[n]), len(key)) for o in peers
            )
            group.loc[i, "tie_break"] = ", ".join(names[:used]) if names else ""
    return group


def _level(rules: pd.DataFrame, framework: Framework) -> tuple[str, str, str]:
    """The level reached (a rule name or NO_AWARD), the next level up, and its path."""
    total = rules[rules["level"] == "total"].set_index("rule")
    reached, above = NO_AWARD, ""
    for rule_id in framework.award.levels:
        if rule_id in total.index and bool(total.loc[rule_id, "met"]):
            reached = str(total.loc[rule_id, "rule_name"])
            break
        above = rule_id
    if not above or above not in total.index:
        return reached, "", ""
    row = total.loc[above]
    path = [f"คะแนนรวมขาดอีก {row['shortfall']:.2f}"] if row["shortfall"] > 0 else []
    path += [str(line) for line in str(row["failed"]).splitlines() if line]
    return reached, str(row["rule_name"]), "; ".join(path)


def _met(rules: pd.DataFrame) -> str:
    """The rules met, each with what it judged: "รางวัลรายหมวด: หมวด 2"."""
    met = rules[rules["met"].eq(True).fillna(False).astype(bool)]
    return "; ".join(f"{n}: {j}" for n, j in zip(met["rule_name"], met["judged"], strict=True))


def decide(
    result: pd.DataFrame,
    rules: pd.DataFrame,
    framework: Framework,
    entries: pd.DataFrame | None = None,
    closing: date | None = None,
) -> pd.DataFrame:
    """One row per entry (scored agency or work) of ``framework``: see the module docstring."""
    result = result[result["framework"] == framework.id]
    entries = entries if entries is not None else pd.DataFrame(columns=["agency_id"])
    by_id = entries.astype(object).set_index("agency_id") if len(entries) else None
    absent = set(absent_categories(result)["agency_id"].astype(str))
    type_names = {key: name_th or key for key, name_th, _ in framework.types}
    unconfirmed = any(
        not r.confirmed
        for r in framework.rules
        if r.id in framework.award.levels or not framework.award.levels
    )
    rows = []
    for keys, unit in result.groupby(KEYS, sort=True):
        agency = str(keys[0])
        entry = (
            by_id.loc[agency]
            if by_id is not None and agency in by_id.index
            else pd.Series(dtype=object)
        )
        mine = rules[(rules["agency_id"] == agency) & (rules["year"] == keys[1])]
        level, next_level, path = _level(mine, framework)
        reasons = eligibility(framework, entry, agency in absent, closing)
        kind = str(entry.get("type", "") or "")
        rows.append(
            {
                "type": type_names.get(kind, kind),
                "rank": pd.NA,
                "tie": "",
                "agency_id": agency,
                "agency_name": str(entry.get("work", "") or unit["agency_name"].iloc[0]),
                "total": float(unit.loc[unit["level"] == "total", "points"].iloc[0]),
                "level": level if not reasons else "",
                "met": _met(mine),
                "failed": "; ".join(str(f) for f in mine["failed"] if f),
                "tie_break": "",
                "eligible": not reasons,
                "reason": "; ".join(reasons),
                "next_level": next_level,
                "path": path,
                "confidence": UNCONFIRMED if unconfirmed else "",
                "_ties": _tie_values(unit, framework.award.tie_break),
            }
        )
    table = pd.DataFrame(rows, columns=[*DECISION_COLUMNS, "_ties"])
    if table.empty:
        return table[DECISION_COLUMNS]
    parts = [
        _rank_group(g.copy(), framework.award.tie_break)
        for _, g in table.groupby("type", sort=True)
    ]
    table = pd.concat(parts)
    table["rank"] = table["rank"].astype("Int64")
    table = table.sort_values(["type", "rank", "agency_id"], na_position="last", kind="stable")
    return table[DECISION_COLUMNS].reset_index(drop=True)


def committee_announces(framework: Framework) -> bool:
    """Whether the award outcome is the committee's to announce (feedback shows no verdict)."""
    return framework.award.announce == "committee"
