"""Parse framework YAML into :class:`~evalkit.frameworks.model.Framework`, listing every problem.

The layout is documented in ``docs/frameworks.md``. Nothing here raises on the first
problem: a file is read to the end and every problem is reported at once.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from evalkit.core.errors import FrameworkError
from evalkit.frameworks.model import (
    CHECK_LEVELS,
    CONSENSUS_RULES,
    METHODS,
    Category,
    Check,
    Framework,
    Item,
    Rating,
    Rule,
    Scale,
    SuccessRule,
    scale_values,
)

AGGREGATES = ("sum", "mean")
RULE_LEVELS = ("total", "category")
SUCCESS_KINDS = ("below", "upto", "above")
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")


class _Parser:
    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def names(self, node: Any, where: str) -> tuple[str, str]:
        if not isinstance(node, Mapping):
            return str(node or ""), ""
        extra = [str(k) for k in node if k not in ("th", "en")]
        if extra:
            self.problem(
                f"{where}: name has keys {extra} besides th and en "
                "(quote a name that contains a comma or a colon)"
            )
        return str(node.get("th", "")), str(node.get("en", ""))

    def number(self, value: Any, where: str, positive: bool = False) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"{where}: expected a number, found {value!r}")
            return None
        if positive and value <= 0:
            self.problem(f"{where}: expected a positive number, found {value!r}")
            return None
        return float(value)

    def choice(self, value: Any, known: tuple[str, ...], where: str) -> str:
        if value not in known:
            self.problem(f"{where}: unknown {value!r}; known: {', '.join(known)}")
        return str(value)

    def bands(self) -> tuple[tuple[float, float], ...]:
        bands = []
        for n, band in enumerate(self.data.get("bands") or [], start=1):
            if not (
                isinstance(band, list)
                and len(band) == 2
                and all(isinstance(v, int | float) for v in band)
            ):
                self.problem(f"band {n}: expected [low, high], found {band!r}")
                continue
            low, high = float(band[0]), float(band[1])
            if not 0 <= low <= high <= 100:
                self.problem(f"band {band}: expected 0 <= low <= high <= 100")
            bands.append((low, high))
        for (a_low, a_high), (b_low, b_high) in itertools.pairwise(bands):
            if b_low <= a_high:
                self.problem(
                    f"bands [{a_low:g}, {a_high:g}] and [{b_low:g}, {b_high:g}] overlap "
                    "or are out of order"
                )
        return tuple(bands)

    def ratings(self) -> tuple[Rating, ...]:
        ratings = []
        for node in self.data.get("ratings") or []:
            value, percent = node.get("value"), node.get("percent")
            if not isinstance(value, int) or isinstance(value, bool):
                self.problem(f"rating {value!r}: value must be a whole number")
                continue
            pct = self.number(percent, f"rating {value}: percent")
            if pct is not None and not 0 <= pct <= 100:
                self.problem(f"rating {value}: percent {pct:g} is outside 0-100")
            ratings.append(
                Rating(value, pct or 0.0, *self.names(node.get("name"), f"rating {value}"))
            )
        values = [r.value for r in ratings]
        for value in sorted({v for v in values if values.count(v) > 1}):
            self.problem(f"duplicate rating value {value}")
        return tuple(sorted(ratings, key=lambda r: r.value))

    def success_points(self, max_points: float) -> tuple[SuccessRule, ...]:
        steps = []
        for node in self.data.get("success_points") or []:
            kinds = [k for k in SUCCESS_KINDS if k in node]
            if len(kinds) != 1:
                self.problem(f"success_points {node!r}: expected one of below, upto, above")
                continue
            bound = self.number(node[kinds[0]], f"success_points {kinds[0]}") or 0.0
            points = node.get("points")
            linear_to = node.get("linear_to")
            if (points is None) == (linear_to is None):
                self.problem(f"success_points {node!r}: expected points or linear_to")
                continue
            value = (
                self.number(
                    points if points is not None else linear_to,
                    f"success_points {kinds[0]} {bound:g}",
                )
                or 0.0
            )
            if value > max_points:
                self.problem(
                    f"success_points {kinds[0]} {bound:g}: {value:g} points is above "
                    f"max_points {max_points:g}"
                )
            steps.append(
                SuccessRule(
                    kinds[0],
                    bound,
                    None if points is None else value,
                    None if linear_to is None else value,
                )
            )
        return tuple(steps)

    def checks(self, raw: Mapping[str, Any], key: str, seen: set[str]) -> tuple[Check, ...]:
        checks = []
        node = raw.get("checks") or {}
        for level in node:
            if level not in CHECK_LEVELS:
                self.problem(
                    f"item {key!r}: unknown check level {level!r}; known: {', '.join(CHECK_LEVELS)}"
                )
        for level in CHECK_LEVELS:
            for check in node.get(level) or []:
                check_id = str(check.get("id", ""))
                if not check_id:
                    self.problem(f"item {key!r}: a {level} check has no id")
                if check_id in seen:
                    self.problem(f"duplicate check id {check_id!r}")
                seen.add(check_id)
                checks.append(Check(check_id, level, str(check.get("th", ""))))
        if not any(c.level == "basic" for c in checks):
            self.problem(f"item {key!r}: a gated-checklist item needs at least one basic check")
        return tuple(checks)

    def levels(self, raw: Mapping[str, Any], key: str) -> tuple[tuple[str, str], ...]:
        node = raw.get("levels") or {}
        if not isinstance(node, Mapping):
            self.problem(f"item {key!r}: levels must map basic, advance, significance to text")
            return ()
        for level in node:
            if level not in CHECK_LEVELS:
                self.problem(
                    f"item {key!r}: unknown level {level!r} in levels; "
                    f"known: {', '.join(CHECK_LEVELS)}"
                )
        return tuple((level, str(node[level])) for level in CHECK_LEVELS if node.get(level))

    def scales(self, raw: Mapping[str, Any], key: str) -> tuple[Scale, ...]:
        scales = []
        for node in raw.get("scales") or []:
            name = str(node.get("indicator", "")) if isinstance(node, Mapping) else ""
            where = f"item {key!r}: scale {name!r}"
            if not name:
                self.problem(f"item {key!r}: a scale has no indicator name")
                continue
            given = {
                k: self.number(node[k], f"{where}: {k}")
                for k in ("floor", "level2", "goal", "level4", "ceiling")
                if k in node
            }
            if any(given.get(k) is None for k in ("floor", "goal", "ceiling")):
                self.problem(f"{where}: expected numbers floor, goal and ceiling")
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
                self.problem(
                    f"{where}: the level values {', '.join(f'{v:g}' for v in values)} must "
                    "rise from floor to ceiling (higher is better) or fall (lower is better)"
                )
                continue
            scales.append(Scale(name, values))
        return tuple(scales)


def _categories(
    p: _Parser,
    default_method: str,
    aggregate: str,
    max_points: float,
    factor_sets: Mapping[str, Any],
) -> tuple[Category, ...]:
    categories: list[Category] = []
    seen_items: set[str] = set()
    seen_checks: set[str] = set()
    seen_categories: set[str] = set()
    for cat in p.data.get("categories") or []:
        cat_key = str(cat.get("key", ""))
        if cat_key in seen_categories:
            p.problem(f"duplicate category key {cat_key!r}")
        seen_categories.add(cat_key)
        factors = str(cat.get("factors") or "")
        if factors and factors not in factor_sets:
            p.problem(
                f"category {cat_key!r}: unknown factor set {factors!r}; "
                f"known: {', '.join(factor_sets) or 'none (add factors:)'}"
            )
        cat_method = cat.get("method", default_method)
        items: list[Item] = []
        for raw in cat.get("items") or []:
            key = str(raw.get("key", ""))
            if key in seen_items:
                p.problem(f"duplicate item key {key!r}")
            seen_items.add(key)
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
            checks = p.checks(raw, key, seen_checks) if method == "gated-checklist" else ()
            levels = p.levels(raw, key) if method == "gated-checklist" else ()
            scales = p.scales(raw, key) if method == "indicator-success" else ()
            items.append(
                Item(
                    key,
                    cat_key,
                    points or 0.0,
                    *p.names(raw.get("name"), f"item {key!r}"),
                    method=method,
                    factors=factors,
                    checks=checks,
                    levels=levels,
                    scales=scales,
                )
            )
        if not items:
            p.problem(f"category {cat_key!r} has no items")
        cat_max = sum(i.points for i in items) if aggregate == "sum" else max_points
        categories.append(
            Category(
                cat_key, *p.names(cat.get("name"), f"category {cat_key!r}"), tuple(items), cat_max
            )
        )
    return tuple(categories)


def _rules(p: _Parser, categories: tuple[Category, ...], max_points: float) -> tuple[Rule, ...]:
    rules = []
    by_key = {c.key: c for c in categories}
    for node in p.data.get("rules") or []:
        rule_id = str(node.get("id", ""))
        level = p.choice(node.get("level"), RULE_LEVELS, f"rule {rule_id!r}: level")
        min_points, min_percent = node.get("min_points"), node.get("min_percent")
        if (min_points is None) == (min_percent is None):
            p.problem(f"rule {rule_id!r}: expected min_points or min_percent")
            continue
        chosen = [str(c) for c in node.get("categories") or []] or None
        for key in chosen or []:
            if key not in by_key:
                p.problem(f"rule {rule_id!r}: unknown category {key!r}")
        if min_percent is not None:
            pct = p.number(min_percent, f"rule {rule_id!r}: min_percent")
            if pct is not None and pct > 100:
                p.problem(f"rule {rule_id!r}: min_percent {pct:g} is above 100")
        else:
            pts = p.number(min_points, f"rule {rule_id!r}: min_points") or 0.0
            ceilings = (
                [max_points]
                if level == "total"
                else [by_key[k].max_points for k in chosen or by_key if k in by_key]
            )
            if ceilings and pts > min(ceilings):
                p.problem(
                    f"rule {rule_id!r}: min_points {pts:g} is above the maximum "
                    f"{min(ceilings):g} of its {level}"
                )
        years = node.get("years")
        rules.append(
            Rule(
                rule_id,
                *p.names(node.get("name"), f"rule {rule_id!r}"),
                level=level,
                min_points=None if min_points is None else float(min_points),
                min_percent=None if min_percent is None else float(min_percent),
                categories=tuple(chosen) if chosen else None,
                years=tuple(int(y) for y in years) if years else None,
                confidence=str(node.get("confidence", "")),
                note=str(node.get("note", "")),
            )
        )
    return tuple(rules)


def _method_needs(p: _Parser, framework: Framework) -> None:
    methods = framework.methods
    if "rating" in methods and not framework.ratings:
        p.problem("items use method rating, but the file has no ratings scale")
    if "indicator-success" in methods and not framework.success_points:
        p.problem("items use method indicator-success, but the file has no success_points")
    if "gated-checklist" in methods:
        points = framework.checklist_points
        if set(points) != set(CHECK_LEVELS):
            p.problem(
                "items use method gated-checklist; checklist_points needs "
                "basic, advance and significance"
            )
        elif (
            abs(sum(points.values()) - framework.max_points) > 1e-9
            and framework.aggregate == "mean"
        ):
            p.problem(
                f"checklist_points add up to {sum(points.values()):g}, "
                f"but max_points is {framework.max_points:g}"
            )
    if framework.aggregate == "sum":
        total = sum(c.max_points for c in framework.categories)
        if abs(total - framework.max_points) > 1e-9:
            p.problem(
                f"item points add up to {total:g}, but max_points is {framework.max_points:g}"
            )


def parse_framework(source: str | Mapping[str, Any], origin: str) -> Framework:
    """Build a Framework from YAML text or parsed data, or raise FrameworkError with all
    the problems found."""
    try:
        data = yaml.safe_load(source) if isinstance(source, str) else source
    except yaml.YAMLError as exc:
        raise FrameworkError(origin, [f"not valid YAML: {exc}"]) from None
    if not isinstance(data, Mapping):
        raise FrameworkError(origin, ["expected a mapping with id, max_points, scoring, ..."])
    p = _Parser(data)
    missing = [k for k in ("id", "max_points", "scoring", "categories") if k not in data]
    if missing:
        raise FrameworkError(origin, [f"missing key {k!r}" for k in missing])
    framework_id = str(data["id"])
    if not SLUG.fullmatch(framework_id):
        p.problem(f"id {framework_id!r}: expected lowercase letters, digits, '-', '.', '_'")
    scoring = data["scoring"] or {}
    max_points = p.number(data["max_points"], "max_points", positive=True) or 1.0
    method = p.choice(scoring.get("method", "band-percent"), METHODS, "scoring.method")
    aggregate = p.choice(scoring.get("aggregate", "sum"), AGGREGATES, "scoring.aggregate")
    consensus = p.choice(scoring.get("consensus", "median"), CONSENSUS_RULES, "scoring.consensus")
    step = p.number(scoring.get("step", 5), "scoring.step", positive=True) or 5.0
    factor_sets = {str(k): tuple(str(f) for f in v) for k, v in (data.get("factors") or {}).items()}
    categories = _categories(p, method, aggregate, max_points, factor_sets)
    checklist_points = {str(k): float(v) for k, v in (data.get("checklist_points") or {}).items()}
    framework = Framework(
        id=framework_id,
        edition=str(data.get("edition", "")),
        name_th=p.names(data.get("name"), "framework")[0],
        name_en=p.names(data.get("name"), "framework")[1],
        source=str(data.get("source", "")).strip(),
        confidence={str(k): str(v) for k, v in (data.get("confidence") or {}).items()},
        max_points=max_points,
        method=method,
        aggregate=aggregate,
        consensus=consensus,
        step=step,
        categories=categories,
        bands=p.bands(),
        factors=factor_sets,
        ratings=p.ratings(),
        checklist_points=checklist_points,
        success_points=p.success_points(max_points),
        rules=_rules(p, categories, max_points),
        types=tuple(
            (str(t.get("key", "")), *p.names(t.get("name"), "type"))
            for t in data.get("types") or []
        ),
        origin=origin,
        raw=dict(data),
    )
    _method_needs(p, framework)
    if p.problems:
        raise FrameworkError(origin, sorted(set(p.problems), key=p.problems.index))
    return framework


def load_framework_file(path: str | Path) -> Framework:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(str(path), [f"cannot be read: {exc}"]) from None
    return parse_framework(text, str(path))
