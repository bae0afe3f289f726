"""The award rules and targets of a framework file (``rules:``), checked against its categories."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evalkit.core.i18n import msg
from evalkit.frameworks.model import Category, Rule
from evalkit.frameworks.place import Path
from evalkit.frameworks.sections import Parser, one_of


def _threshold(
    p: Parser, node: Mapping[str, Any], path: Path, ceilings: list[float], level: str
) -> bool:
    """Whether the rule has exactly one threshold, within reach of what it judges."""
    given = [k for k in ("min_points", "min_percent") if k in node]
    if len(given) != 1:
        p.problem(
            path,
            msg("the thresholds {keys}", keys=", ".join(given) or "-"),
            msg("one of min_points or min_percent"),
        )
        return False
    if given == ["min_points"] and ceilings and node["min_points"] > min(ceilings):
        p.problem(
            (*path, "min_points"),
            repr(node["min_points"]),
            msg(
                "at most {max:g}, the maximum of its {level}",
                max=min(ceilings),
                level=level,
            ),
        )
    return True


def _rule(
    p: Parser, node: Mapping[str, Any], path: Path, by_key: dict[str, Category]
) -> Rule | None:
    level = str(node["level"])
    chosen = [str(c) for c in node.get("categories") or []] or None
    for n, key in enumerate(chosen or []):
        if key not in by_key:
            p.problem((*path, "categories", n), repr(key), one_of(by_key))
    max_points = float(p.data["max_points"])
    ceilings = (
        [max_points]
        if level == "total"
        else [by_key[k].max_points for k in chosen or by_key if k in by_key]
    )
    if not _threshold(p, node, path, ceilings, level):
        return None
    years = node.get("years")
    return Rule(
        str(node["id"]),
        *p.names(node.get("name"), path),
        level=level,
        min_points=float(node["min_points"]) if "min_points" in node else None,
        min_percent=float(node["min_percent"]) if "min_percent" in node else None,
        categories=tuple(chosen) if chosen else None,
        years=tuple(int(y) for y in years) if years else None,
        confidence=str(node.get("confidence", "")),
        note=str(node.get("note", "")),
    )


def read_rules(p: Parser, categories: tuple[Category, ...]) -> tuple[Rule, ...]:
    by_key = {c.key: c for c in categories}
    rules: list[Rule] = []
    first: dict[str, int] = {}
    for n, node in enumerate(p.data.get("rules") or []):
        path: Path = ("rules", n)
        rule_id = str(node["id"])
        if rule_id in first:
            p.problem(
                (*path, "id"),
                msg("{key}, given on line {line} too", key=repr(rule_id), line=first[rule_id]),
                msg("each key once in the file"),
            )
        first.setdefault(rule_id, p.place.line((*path, "id")))
        rule = _rule(p, node, path, by_key)
        if rule is not None:
            rules.append(rule)
    return tuple(rules)
