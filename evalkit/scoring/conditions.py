"""The conditions of award rules (``all_of``, ``any_of``) judged on scored results: for each
agency, year and framework, whether each condition holds and, when it does not, what fell
short and by how much, in words the committee uses ("หมวด 2: ร้อยละ 62.5 ต่ำกว่า 70")."""

from __future__ import annotations

import pandas as pd

from evalkit.core.i18n import Message, joined, msg
from evalkit.frameworks.award import CHECK_LEVEL_NAMES, Condition
from evalkit.frameworks.model import Framework, Rule
from evalkit.scoring.methods import KEYS, LEVEL_NAMES

_LEVEL_RANK = {name: rank for rank, name in enumerate(LEVEL_NAMES)}


def judged(level: str, key: str) -> Message:
    """What a verdict judged, as the committee names it: หมวด 2, หัวข้อ 7.2, คะแนนรวม."""
    if level == "total":
        return msg("the total")
    return msg("category {key}", key=key) if level == "category" else msg("item {key}", key=key)


def _shortfall(condition: Condition, row: pd.Series, framework: Framework) -> Message | None:
    """None when ``row`` meets the condition; else what it has against what is asked."""
    where = judged(condition.level, str(row["key"]))
    percent, points = float(row["percent"] or 0), float(row["points"] or 0)
    if condition.min_percent is not None and percent < condition.min_percent - 1e-9:
        short = condition.min_percent - percent
        return msg(
            "{where}: {found:.2f}% below {wanted:g}% (short by {short:.2f})",
            where=where,
            found=percent,
            wanted=condition.min_percent,
            short=short,
        )
    if condition.min_points is not None and points < condition.min_points - 1e-9:
        short = condition.min_points - points
        return msg(
            "{where}: {found:.2f} points below {wanted:g} (short by {short:.2f})",
            where=where,
            found=points,
            wanted=condition.min_points,
            short=short,
        )
    if condition.min_band is not None and framework.bands:
        low = framework.bands[min(condition.min_band, len(framework.bands)) - 1][0]
        if percent < low - 1e-9:
            return msg(
                "{where}: {found:.2f}% below band {band} (from {low:g}%)",
                where=where,
                found=percent,
                band=condition.min_band,
                low=low,
            )
    if condition.min_level is not None:
        wanted = CHECK_LEVEL_NAMES[condition.min_level]
        if _LEVEL_RANK.get(str(row["label"]), -1) < _LEVEL_RANK[wanted]:
            return msg(
                "{where}: level {found} below {wanted}",
                where=where,
                found=str(row["label"]) or "-",
                wanted=wanted,
            )
    return None


def _rows(unit: pd.DataFrame, condition: Condition) -> pd.DataFrame:
    rows = unit[unit["level"] == condition.level]
    return rows if condition.level == "total" else rows[rows["key"].isin(condition.keys)]


def condition_failures(
    unit: pd.DataFrame, condition: Condition, framework: Framework
) -> list[Message]:
    """Every key of ``condition`` that falls short in the results of one unit (a key not
    scored falls short too)."""
    rows = _rows(unit, condition)
    failures = [f for _, row in rows.iterrows() if (f := _shortfall(condition, row, framework))]
    missing = (
        sorted(set(condition.keys) - set(rows["key"].astype(str)))
        if condition.level != "total"
        else []
    )
    failures += [msg("{where}: not assessed", where=judged(condition.level, k)) for k in missing]
    return failures


def rule_failures(unit: pd.DataFrame, rule: Rule, framework: Framework) -> list[Message]:
    """The conditions of ``rule`` that do not hold for one unit: every failed ``all_of``
    condition, and the ``any_of`` conditions when none of them holds."""
    failed = [f for c in rule.all_of for f in condition_failures(unit, c, framework)]
    if rule.any_of:
        options = [condition_failures(unit, c, framework) for c in rule.any_of]
        if all(options):
            parts = [f for option in options for f in option]
            conditions = joined(parts, msg("{first}; {second}"))
            failed += [msg("none of: {conditions}", conditions=conditions)]
    return failed


def conditions_table(result: pd.DataFrame, rule: Rule, framework: Framework) -> pd.DataFrame:
    """Per unit (``KEYS``): ``conditions_met`` and ``failed`` (the failures, one a line)."""
    rows = []
    for keys, unit in result.groupby(KEYS, sort=False):
        failures = rule_failures(unit, rule, framework)
        rows.append((*keys, not failures, "\n".join(f.render("th") for f in failures)))
    return pd.DataFrame(rows, columns=[*KEYS, "conditions_met", "failed"])
