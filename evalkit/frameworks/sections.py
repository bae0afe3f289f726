"""The meaning of each section of a framework file, checked once its shape is right: known
methods and levels, bands in order, points adding up. Every problem is collected. The
categories and their items are read by :mod:`evalkit.frameworks.items`."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from typing import Any

from evalkit.frameworks.model import (
    CHECK_LEVELS,
    Category,
    Framework,
    Rating,
    Rule,
    SuccessRule,
)
from evalkit.frameworks.shape import kind

AGGREGATES = ("sum", "mean")
RULE_LEVELS = ("total", "category")
SUCCESS_KINDS = ("below", "upto", "above")
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")


class Parser:
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
        if not math.isfinite(value):
            self.problem(f"{where}: expected a finite number, found {kind(value)}")
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


def read_rules(p: Parser, categories: tuple[Category, ...], max_points: float) -> tuple[Rule, ...]:
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


def method_needs(p: Parser, framework: Framework) -> None:
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
