"""Award decisions as a committee makes them: one ordered outcome per entry (the highest level
whose rule it meets, "no award" below the lowest), eligibility screened first (an
ineligible entry is listed with its reason and left out of the ranking), ranks within each
award type, ties broken by the framework's declared order and never by id or file order (a tie
left after that order is shown as a tie), and the cheapest path to the next level
(:mod:`evalkit.analysis.next_level`). A framework that declares no levels takes its rules on
the total as levels, highest threshold first (a status assessment's targets).

``entries`` is a table of the entries (one row per scored ``agency_id``: an agency, or a work
an agency entered) with optional columns ``type``, ``applied`` (categories applied for,
separated by commas), the columns the framework's eligibility screens read and the closing
date of applications (``closing_date``, else the one :func:`decide` is given).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from evalkit.analysis.next_level import path_to
from evalkit.core.dates import read_date
from evalkit.core.i18n import Message, msg
from evalkit.core.outputs import DECISION_LIST_HEADINGS as SIGNATURE
from evalkit.frameworks.award import Screen, TieBreak
from evalkit.frameworks.model import Framework
from evalkit.scoring.conditions import judged
from evalkit.scoring.engine import absent_categories
from evalkit.scoring.methods import KEYS
from evalkit.scoring.rules import UNCONFIRMED
from evalkit.sheets.forms.entry import CLOSING
from evalkit.sheets.sheetset import SheetSet

#: The outcome below the lowest level, and the mark of a tie left after the tie-break order.
NO_AWARD = msg("no award").render("th")
TIE = msg("tie").render("th")
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
#: The headings of the list, in the catalogue's words (the list is in Thai).
HEADINGS = {
    "type": msg("award type"),
    "rank": SIGNATURE["rank"],
    "tie": msg("tie"),
    "agency_id": msg("entry id"),
    "agency_name": msg("agency or work"),
    "total": msg("total points"),
    "level": SIGNATURE["level"],
    "met": SIGNATURE["met"],
    "failed": SIGNATURE["failed"],
    "tie_break": msg("tie-break used"),
    "eligible": msg("eligibility"),
    "reason": msg("reason"),
    "next_level": msg("next level"),
    "path": msg("what it takes to reach the next level"),
    "confidence": msg("confidence of the threshold"),
}
THAI_HEADERS = {name: heading.render("th") for name, heading in HEADINGS.items()}


def _th(message: Message) -> str:
    return message.render("th")


def _text(entry: pd.Series, column: str) -> str:
    value = entry.get(column, "") if column else ""
    return "" if value is None or pd.isna(value) else str(value).strip()


def _screen(screen: Screen, entry: pd.Series, absent: bool, closing: date | None) -> str:
    """ "" when the entry passes the screen, else the reason, in Thai. A screen counted back
    from the closing date takes the entry's own (``closing_date``), else ``closing``."""
    text = _text(entry, screen.column)
    named = {"screen": screen.name_th, "column": screen.column}
    if screen.every_category:
        return _th(msg("{screen}: not every category assessed", **named)) if absent else ""
    if screen.present:
        return "" if text else _th(msg("{screen}: not stated ({column})", **named))
    if screen.equals:
        wanted = {v.strip().lower() for v in screen.equals}
        found = msg("{screen}: found '{value}'", value=text or "-", **named)
        return "" if text.lower() in wanted else _th(found)
    started = read_date(text)
    closing = read_date(_text(entry, CLOSING.name)) or closing
    if started is None:
        return _th(msg("{screen}: no readable date ({column})", **named))
    if closing is None:
        return _th(msg("{screen}: no closing date of applications (closing_date or --closing)",
                       screen=screen.name_th))  # fmt: skip
    days = (closing - started).days
    need = screen.days_before_closing or 0
    short = msg("{screen}: running {days} days (at least {need})", days=days, need=need, **named)
    return "" if days >= need else _th(short)


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


def award_levels(framework: Framework) -> tuple[str, ...]:
    """The rule ids that are the award's levels, highest first: those the framework declares,
    or else its rules on the total, highest threshold first."""
    if framework.award.levels:
        return framework.award.levels
    total = [r for r in framework.rules if r.level == "total" and r.min_points is not None]
    return tuple(r.id for r in sorted(total, key=lambda r: -(r.min_points or 0.0)))


def _level(
    rules: pd.DataFrame, framework: Framework, unit: pd.DataFrame, sheets: SheetSet | None
) -> tuple[str, str, str]:
    """The level reached (a rule name or NO_AWARD; nothing for a framework without levels),
    the next level up, and the cheapest path to it: the total's shortfall, the exact search's
    steps, the conditions that failed."""
    levels = award_levels(framework)
    if not levels:
        return "", "", ""  # no level to reach: the rules met and failed say it all
    total = rules[rules["level"] == "total"].set_index("rule")
    reached, above = NO_AWARD, ""
    for rule_id in levels:
        if rule_id not in total.index:
            continue
        if bool(total.loc[rule_id, "met"]):
            reached = str(total.loc[rule_id, "rule_name"])
            break
        above = rule_id
    if not above:
        return reached, "", ""
    row = total.loc[above]
    path = []
    if row["shortfall"] > 0:
        path.append(_th(msg("total {shortfall:.2f} points short", shortfall=row["shortfall"])))
        steps = path_to(unit, framework, float(row["threshold"]), sheets)
        path += [_th(steps)] if steps is not None else []
    path += [str(line) for line in str(row["failed"]).splitlines() if line]
    return reached, str(row["rule_name"]), "; ".join(path)


def _met(rules: pd.DataFrame) -> str:
    """The rules met, each with what it judged (a category award: the category)."""
    met = rules[rules["met"].eq(True).fillna(False).astype(bool)]
    return "; ".join(f"{n}: {j}" for n, j in zip(met["rule_name"], met["judged"], strict=True))


def decide(
    result: pd.DataFrame,
    rules: pd.DataFrame,
    framework: Framework,
    entries: pd.DataFrame | None = None,
    closing: date | None = None,
    sheets: SheetSet | None = None,
) -> pd.DataFrame:
    """One row per entry (scored agency or work) of ``framework``: see the module docstring.
    ``sheets`` give a checklist's verdicts, for the fewest checks to the next level."""
    result = result[result["framework"] == framework.id]
    entries = entries if entries is not None else pd.DataFrame(columns=["agency_id"])
    by_id = entries.astype(object).set_index("agency_id") if len(entries) else None
    absent = set(absent_categories(result)["agency_id"].astype(str))
    type_names = {key: name_th or key for key, name_th, _ in framework.types}
    unconfirmed = any(
        not r.confirmed
        for r in framework.rules
        if r.id in award_levels(framework) or not award_levels(framework)
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
        reasons = eligibility(framework, entry, agency in absent, closing)
        level, next_level, path = _level(mine, framework, unit, sheets)
        if reasons:  # no score takes an ineligible entry up: its reason is its path
            level, next_level, path = "", "", ""
        kind = str(entry.get("type", "") or "")
        rows.append(
            {
                "type": type_names.get(kind, kind),
                "rank": pd.NA,
                "tie": "",
                "agency_id": agency,
                "agency_name": str(entry.get("work", "") or unit["agency_name"].iloc[0]),
                "total": float(unit.loc[unit["level"] == "total", "points"].iloc[0]),
                "level": level,
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


def applied_of(entries: pd.DataFrame | None) -> dict[str, list[str]] | None:
    """The categories each entry applied for (the ``applied`` column, separated by commas or
    semicolons), or None when no entry says."""
    if entries is None or "applied" not in entries:
        return None
    return {
        str(a): [k.strip() for k in str(v).replace(";", ",").split(",") if k.strip()]
        for a, v in zip(entries["agency_id"], entries["applied"], strict=True)
        if str(v).strip()
    }


def committee_announces(framework: Framework) -> bool:
    """Whether the award outcome is the committee's to announce (feedback shows no verdict)."""
    return framework.award.announce == "committee"
