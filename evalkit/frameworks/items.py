"""The categories of a framework file and their items: methods, points, the checks of a
gated checklist with their level descriptors, and the five-level scales of indicators."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evalkit.frameworks.model import (
    CHECK_LEVELS,
    METHODS,
    Category,
    Check,
    Item,
    Scale,
    scale_values,
)
from evalkit.frameworks.sections import Parser


def _checks(p: Parser, raw: Mapping[str, Any], key: str, seen: set[str]) -> tuple[Check, ...]:
    checks = []
    node = raw.get("checks") or {}
    for level in node:
        if level not in CHECK_LEVELS:
            p.problem(
                f"item {key!r}: unknown check level {level!r}; known: {', '.join(CHECK_LEVELS)}"
            )
    for level in CHECK_LEVELS:
        for check in node.get(level) or []:
            check_id = str(check.get("id", ""))
            if not check_id:
                p.problem(f"item {key!r}: a {level} check has no id")
            if check_id in seen:
                p.problem(f"duplicate check id {check_id!r}")
            seen.add(check_id)
            checks.append(Check(check_id, level, str(check.get("th", ""))))
    if not any(c.level == "basic" for c in checks):
        p.problem(f"item {key!r}: a gated-checklist item needs at least one basic check")
    return tuple(checks)


def _levels(p: Parser, raw: Mapping[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    node = raw.get("levels") or {}
    if not isinstance(node, Mapping):
        p.problem(f"item {key!r}: levels must map basic, advance, significance to text")
        return ()
    for level in node:
        if level not in CHECK_LEVELS:
            p.problem(
                f"item {key!r}: unknown level {level!r} in levels; known: {', '.join(CHECK_LEVELS)}"
            )
    return tuple((level, str(node[level])) for level in CHECK_LEVELS if node.get(level))


def _scales(p: Parser, raw: Mapping[str, Any], key: str) -> tuple[Scale, ...]:
    scales = []
    for node in raw.get("scales") or []:
        name = str(node.get("indicator", "")) if isinstance(node, Mapping) else ""
        where = f"item {key!r}: scale {name!r}"
        if not name:
            p.problem(f"item {key!r}: a scale has no indicator name")
            continue
        given = {
            k: p.number(node[k], f"{where}: {k}")
            for k in ("floor", "level2", "goal", "level4", "ceiling")
            if k in node
        }
        if any(given.get(k) is None for k in ("floor", "goal", "ceiling")):
            p.problem(f"{where}: expected numbers floor, goal and ceiling")
            continue
        values = scale_values(
            given["floor"] or 0.0,
            given["goal"] or 0.0,
            given["ceiling"] or 0.0,
            given.get("level2"),
            given.get("level4"),
        )
        steps = [b - a for a, b in itertools.pairwise(values)]
        if not (all(d > 0 for d in steps) or all(d < 0 for d in steps)):
            p.problem(
                f"{where}: the level values {', '.join(f'{v:g}' for v in values)} must "
                "rise from floor to ceiling (higher is better) or fall (lower is better)"
            )
            continue
        scales.append(Scale(name, values))
    return tuple(scales)


@dataclass
class _Seen:
    """Keys met so far in a framework file, to report a key used twice."""

    categories: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    checks: set[str] = field(default_factory=set)


def _item(
    p: Parser,
    raw: Mapping[str, Any],
    category: Mapping[str, Any],
    how: tuple[str, str, float, str],
    seen: _Seen,
) -> Item:
    """One item of a category: ``how`` is the category's method, the framework's aggregate
    and maximum, and the category's factor set."""
    cat_method, aggregate, max_points, factors = how
    key = str(raw.get("key", ""))
    if key in seen.items:
        p.problem(f"duplicate item key {key!r}")
    seen.items.add(key)
    method = p.choice(raw.get("method", cat_method), METHODS, f"item {key!r}: method")
    if aggregate == "sum":
        points = p.number(raw.get("points"), f"item {key!r}: points", positive=True)
    else:
        if "points" in raw:
            p.problem(
                f"item {key!r}: points are not used with aggregate mean "
                f"(every item is scored out of {max_points:g})"
            )
        points = max_points
    gated = method == "gated-checklist"
    return Item(
        key,
        str(category.get("key", "")),
        points or 0.0,
        *p.names(raw.get("name"), f"item {key!r}"),
        method=method,
        factors=factors,
        checks=_checks(p, raw, key, seen.checks) if gated else (),
        levels=_levels(p, raw, key) if gated else (),
        scales=_scales(p, raw, key) if method == "indicator-success" else (),
    )


def read_categories(
    p: Parser,
    default_method: str,
    aggregate: str,
    max_points: float,
    factor_sets: Mapping[str, Any],
) -> tuple[Category, ...]:
    categories: list[Category] = []
    seen = _Seen()
    for cat in p.data.get("categories") or []:
        cat_key = str(cat.get("key", ""))
        if cat_key in seen.categories:
            p.problem(f"duplicate category key {cat_key!r}")
        seen.categories.add(cat_key)
        factors = str(cat.get("factors") or "")
        if factors and factors not in factor_sets:
            p.problem(
                f"category {cat_key!r}: unknown factor set {factors!r}; "
                f"known: {', '.join(factor_sets) or 'none (add factors:)'}"
            )
        how = (cat.get("method", default_method), aggregate, max_points, factors)
        items = [_item(p, raw, cat, how, seen) for raw in cat.get("items") or []]
        if not items:
            p.problem(f"category {cat_key!r} has no items")
        cat_max = sum(i.points for i in items) if aggregate == "sum" else max_points
        categories.append(
            Category(
                cat_key, *p.names(cat.get("name"), f"category {cat_key!r}"), tuple(items), cat_max
            )
        )
    return tuple(categories)
