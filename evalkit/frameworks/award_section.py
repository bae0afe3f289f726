"""The ``award:`` section of a framework file: levels that name rules, a tie-break order on
keys the file has, and eligibility screens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evalkit.core.i18n import msg
from evalkit.frameworks.award import Award, Screen, TieBreak
from evalkit.frameworks.model import Category, Rule
from evalkit.frameworks.sections import Parser, one_of


def _tie_breaks(
    p: Parser, nodes: list[Mapping[str, Any]], categories: tuple[Category, ...]
) -> tuple[TieBreak, ...]:
    known = {
        "category": [c.key for c in categories],
        "item": [i.key for c in categories for i in c.items],
    }
    steps = []
    for n, node in enumerate(nodes):
        ((level, key),) = node.items()
        if level == "total":
            steps.append(TieBreak("total", "total"))
        elif str(key) not in known[level]:
            p.problem(("award", "tie_break", n, level), repr(key), one_of(known[level]))
        else:
            steps.append(TieBreak(level, str(key)))
    return tuple(steps)


def _screen(p: Parser, node: Mapping[str, Any], n: int) -> Screen:
    tests = [k for k in ("days_before_closing", "equals", "present", "every_category") if k in node]
    if len(tests) != 1 or (tests != ["every_category"] and "column" not in node):
        p.problem(
            ("award", "eligibility", n),
            msg("the keys {keys}", keys=", ".join(map(str, node))),
            msg("a column and one of days_before_closing, equals, present; or every_category"),
        )
    return Screen(
        id=str(node["id"]),
        name_th=p.names(node.get("name"), ())[0] or str(node["id"]),
        column=str(node.get("column", "")),
        days_before_closing=node.get("days_before_closing"),
        equals=tuple(str(v) for v in node.get("equals") or ()),
        present=bool(node.get("present", False)),
        every_category=bool(node.get("every_category", False)),
    )


def read_award(p: Parser, rules: tuple[Rule, ...], categories: tuple[Category, ...]) -> Award:
    node = p.data.get("award") or {}
    ids = [r.id for r in rules]
    levels = tuple(str(level) for level in node.get("levels") or [])
    for n, level in enumerate(levels):
        if level not in ids:
            p.problem(("award", "levels", n), repr(level), one_of(ids) if ids else msg("a rule id"))
    return Award(
        levels=levels,
        tie_break=_tie_breaks(p, list(node.get("tie_break") or []), categories),
        announce=str(node.get("announce", "verdict")),
        entry=str(node.get("entry", "agency")),
        eligibility=tuple(_screen(p, s, n) for n, s in enumerate(node.get("eligibility") or [])),
    )
