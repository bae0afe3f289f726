"""The award rules and targets of a framework file (``rules:``), checked against its categories."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evalkit.core.i18n import msg
from evalkit.frameworks.award import Condition
from evalkit.frameworks.model import Category, Rule
from evalkit.frameworks.place import Path
from evalkit.frameworks.sections import Parser, one_of


def _threshold(
    p: Parser,
    node: Mapping[str, Any],
    path: Path,
    ceilings: list[float],
    level: str,
    conditions: bool,
) -> bool:
    """Whether the rule has at most one threshold (exactly one without conditions), within
    reach of what it judges."""
    given = [k for k in ("min_points", "min_percent") if k in node]
    if len(given) > 1 or (not given and not conditions):
        p.problem(
            path,
            msg("the thresholds {keys}", keys=", ".join(given) or "-"),
            msg("one of min_points or min_percent, or conditions (all_of, any_of)"),
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


#: The minimum a condition states, one of these.
MINIMA = ("min_percent", "min_points", "min_band", "min_level")


def _condition(
    p: Parser, node: Mapping[str, Any], path: Path, categories: tuple[Category, ...]
) -> Condition | None:
    """One condition of ``all_of``/``any_of``: its keys known, one minimum."""
    level = str(node["level"])
    field = {"category": "categories", "item": "items"}.get(level, "")
    if level == "category":
        known = [c.key for c in categories]
    else:
        known = [i.key for c in categories for i in c.items]
    keys = tuple(str(k) for k in node.get(field) or []) if field else ("total",)
    if field and not keys:
        p.problem(path, msg("no {field}", field=field), msg("the {field} it judges", field=field))
    for n, key in enumerate(keys if field else ()):
        if key not in known:
            p.problem((*path, field, n), repr(key), one_of(known))
    given = [k for k in MINIMA if k in node]
    if len(given) != 1:
        found = msg("the thresholds {keys}", keys=", ".join(given) or "-")
        p.problem(path, found, one_of(MINIMA))
        return None
    return Condition(level, keys, **{given[0]: node[given[0]]})


def _conditions(
    p: Parser, node: Mapping[str, Any], path: Path, categories: tuple[Category, ...]
) -> dict[str, tuple[Condition, ...]]:
    found: dict[str, tuple[Condition, ...]] = {}
    for group in ("all_of", "any_of"):
        parts = (
            _condition(p, c, (*path, group, n), categories)
            for n, c in enumerate(node.get(group) or [])
        )
        found[group] = tuple(c for c in parts if c is not None)
    return found


def _rule(
    p: Parser, node: Mapping[str, Any], path: Path, categories: tuple[Category, ...]
) -> Rule | None:
    by_key = {c.key: c for c in categories}
    level = str(node.get("level", "total"))
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
    conditions = _conditions(p, node, path, categories)
    if not _threshold(
        p, node, path, ceilings, level, bool(conditions["all_of"] or conditions["any_of"])
    ):
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
        applied=bool(node.get("applied", False)),
        origin=p.origin,
        all_of=conditions["all_of"],
        any_of=conditions["any_of"],
    )


def read_rules(p: Parser, categories: tuple[Category, ...]) -> tuple[Rule, ...]:
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
        rule = _rule(p, node, path, categories)
        if rule is not None:
            rules.append(rule)
    return tuple(rules)
