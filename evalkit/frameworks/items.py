"""The categories of a framework file and their items: methods, points, the checks of a
gated checklist with their level descriptors, and the five-level scales of indicators."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evalkit.core.i18n import msg
from evalkit.frameworks.model import (
    CHECK_LEVELS,
    Category,
    Check,
    Item,
    Scale,
    scale_values,
)
from evalkit.frameworks.place import Path
from evalkit.frameworks.sections import Parser, one_of


@dataclass
class _Seen:
    """Keys met so far in a framework file, with their lines, to report a key used twice."""

    categories: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)

    def once(self, p: Parser, table: dict[str, int], key: str, path: Path) -> None:
        if key in table:
            p.problem(
                path,
                msg("{key}, given on line {line} too", key=repr(key), line=table[key]),
                msg("each key once in the file"),
            )
        table.setdefault(key, p.place.line(path))


def _checks(p: Parser, raw: Mapping[str, Any], path: Path, seen: _Seen) -> tuple[Check, ...]:
    checks = []
    node = raw.get("checks") or {}
    for level in CHECK_LEVELS:
        for n, check in enumerate(node.get(level) or []):
            check_id = str(check["id"])
            seen.once(p, seen.checks, check_id, (*path, "checks", level, n, "id"))
            checks.append(Check(check_id, level, str(check.get("th", ""))))
    if not any(c.level == "basic" for c in checks):
        p.problem(
            (*path, "checks"),
            msg("no basic check"),
            msg("at least one basic check (a gated-checklist item)"),
        )
    return tuple(checks)


def _levels(raw: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    node = raw.get("levels") or {}
    return tuple((level, str(node[level])) for level in CHECK_LEVELS if node.get(level))


def _scale(p: Parser, node: Mapping[str, Any], path: Path) -> Scale | None:
    given = {
        k: p.number(node[k], (*path, k))
        for k in ("floor", "level2", "goal", "level4", "ceiling")
        if k in node
    }
    if any(given.get(k) is None for k in ("floor", "goal", "ceiling")):
        return None
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
            path,
            msg("the level values {values}", values=", ".join(f"{v:g}" for v in values)),
            msg(
                "values that rise from floor to ceiling (higher is better) "
                "or fall (lower is better)"
            ),
        )
        return None
    return Scale(str(node["indicator"]), values)


def _scales(p: Parser, raw: Mapping[str, Any], path: Path) -> tuple[Scale, ...]:
    found = (
        _scale(p, node, (*path, "scales", n)) for n, node in enumerate(raw.get("scales") or [])
    )
    return tuple(s for s in found if s is not None)


def _item(
    p: Parser,
    raw: Mapping[str, Any],
    path: Path,
    how: tuple[str, str, str, float, str],
    seen: _Seen,
) -> Item:
    """One item of a category: ``how`` is the category's key, method and factor set, and the
    framework's aggregate and maximum."""
    category, cat_method, aggregate, max_points, factors = how[0], how[1], how[2], how[3], how[4]
    key = str(raw["key"])
    seen.once(p, seen.items, key, (*path, "key"))
    method = str(raw.get("method", cat_method))  # a known name: the schema's enum says so
    if aggregate == "sum":
        points = p.number(raw.get("points"), (*path, "points"), positive=True)
    else:
        if "points" in raw:
            p.problem(
                (*path, "points"),
                msg("points on an item of a mean framework"),
                msg(
                    "no points: with aggregate mean every item is scored out of {max:g}",
                    max=max_points,
                ),
            )
        points = max_points
    gated = method == "gated-checklist"
    return Item(
        key,
        category,
        points or 0.0,
        *p.names(raw.get("name"), path),
        method=method,
        factors=factors,
        checks=_checks(p, raw, path, seen) if gated else (),
        levels=_levels(raw) if gated else (),
        scales=_scales(p, raw, path) if method == "indicator-success" else (),
    )


def _category(
    p: Parser, cat: Mapping[str, Any], n: int, how: tuple[str, str, float], seen: _Seen
) -> Category:
    default_method, aggregate, max_points = how
    path: Path = ("categories", n)
    cat_key = str(cat["key"])
    seen.once(p, seen.categories, cat_key, (*path, "key"))
    factors = str(cat.get("factors") or "")
    known_sets = [str(k) for k in p.data.get("factors") or {}]
    if factors and factors not in known_sets:
        p.problem(
            (*path, "factors"),
            repr(factors),
            one_of(known_sets) if known_sets else msg("a factor set declared under factors:"),
        )
    method = cat.get("method", default_method)
    items = [
        _item(p, raw, (*path, "items", i), (cat_key, method, aggregate, max_points, factors), seen)
        for i, raw in enumerate(cat["items"])
    ]
    cat_max = sum(i.points for i in items) if aggregate == "sum" else max_points
    return Category(cat_key, *p.names(cat.get("name"), path), tuple(items), cat_max)


def read_categories(
    p: Parser, default_method: str, aggregate: str, max_points: float
) -> tuple[Category, ...]:
    seen = _Seen()
    how = (default_method, aggregate, max_points)
    return tuple(_category(p, cat, n, how, seen) for n, cat in enumerate(p.data["categories"]))
