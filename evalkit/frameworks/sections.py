"""The meaning of each section of a framework file, checked once its shape is right: known
methods and levels, bands in order, points adding up. Every problem is collected, each naming
its line and key path, what was found and what was expected. The categories and their items
are read by :mod:`evalkit.frameworks.items`, the award rules by :mod:`evalkit.frameworks.rules`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from evalkit.core.i18n import Message, msg
from evalkit.frameworks.model import CHECK_LEVELS, Framework, Rating, SuccessRule
from evalkit.frameworks.place import Path, Place, kind

AGGREGATES = ("sum", "mean")
SUCCESS_KINDS = ("below", "upto", "above")
#: The longest id of a framework: it names report files and folders.
MAX_ID = 64
SLUG = re.compile(rf"[a-z0-9][a-z0-9._-]{{0,{MAX_ID - 1}}}")


def one_of(known: Iterable[str]) -> Message:
    return msg("one of {known}", known=", ".join(known))


class Parser:
    """Reads the sections of one framework file, collecting every problem with its place."""

    def __init__(self, place: Place, found: Iterable[tuple[int, Message]] = (), origin: str = ""):
        self.place = place
        self.origin = origin
        self.data: Mapping[str, Any] = place.data
        self._found: list[tuple[int, Message]] = list(found)

    def problem(self, path: Path, found: str | Message, expected: str | Message) -> None:
        self._found.append((self.place.line(path), self.place.problem(path, found, expected)))

    @property
    def problems(self) -> list[Message]:
        """Every problem found, in the order of the file's lines, each once."""
        ordered = sorted(self._found, key=lambda pair: pair[0])
        return list(dict.fromkeys(problem for _, problem in ordered))

    def names(self, node: Any, path: Path) -> tuple[str, str]:
        if not isinstance(node, Mapping):
            return str(node or ""), ""
        return str(node.get("th", "")), str(node.get("en", ""))

    def number(self, value: Any, path: Path, positive: bool = False) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(path, kind(value), msg("a number"))
            return None
        if (isinstance(value, int) and abs(value) >= 10**15) or not math.isfinite(value):
            self.problem(path, kind(value), msg("a finite number"))
            return None
        if positive and value <= 0:
            self.problem(path, kind(value), msg("a number above 0"))
            return None
        return float(value)

    def choice(self, value: Any, known: tuple[str, ...], path: Path) -> str:
        if value not in known:
            self.problem(path, kind(value), one_of(known))
        return str(value)

    def bands(self) -> tuple[tuple[float, float], ...]:
        bands = []
        for n, band in enumerate(self.data.get("bands") or []):
            low, high = float(band[0]), float(band[1])
            if not 0 <= low <= high <= 100:
                self.problem(
                    ("bands", n), kind(band), msg("[low, high] with 0 <= low <= high <= 100")
                )
            bands.append((low, high))
        for n, ((_, a_high), (b_low, _)) in enumerate(itertools.pairwise(bands), start=1):
            if b_low <= a_high:
                self.problem(
                    ("bands", n),
                    msg("a band that starts at {low:g}", low=b_low),
                    msg(
                        "bands in rising order, each above {high:g} where the one before ends",
                        high=a_high,
                    ),
                )
        return tuple(bands)

    def band_names(self, bands: int) -> dict[str, tuple[str, ...]]:
        """The name of each band by factor set: a set the framework declares, one name per
        band."""
        found = {}
        sets = tuple(str(k) for k in (self.data.get("factors") or {}))
        for key, names in (self.data.get("band_names") or {}).items():
            self.choice(key, sets, ("band_names", key))
            if len(names) != bands:
                self.problem(
                    ("band_names", key),
                    msg("{count} names", count=len(names)),
                    msg("one name per band ({bands})", bands=bands),
                )
            found[str(key)] = tuple(str(n) for n in names)
        return found

    def ratings(self) -> tuple[Rating, ...]:
        ratings: list[Rating] = []
        first: dict[int, int] = {}
        for n, node in enumerate(self.data.get("ratings") or []):
            value, path = node["value"], ("ratings", n)
            pct = self.number(node["percent"], (*path, "percent"))
            if pct is not None and not 0 <= pct <= 100:
                self.problem(
                    (*path, "percent"), kind(node["percent"]), msg("a percent from 0 to 100")
                )
            if value in first:
                self.problem(
                    (*path, "value"),
                    msg(
                        "the value {value}, given on line {line} too",
                        value=value,
                        line=first[value],
                    ),
                    msg("each rating value once"),
                )
            first.setdefault(value, self.place.line((*path, "value")))
            ratings.append(Rating(value, pct or 0.0, *self.names(node.get("name"), path)))
        return tuple(sorted(ratings, key=lambda r: r.value))

    def success_points(self, max_points: float) -> tuple[SuccessRule, ...]:
        return tuple(
            step
            for n, node in enumerate(self.data.get("success_points") or [])
            if (step := self._success_step(("success_points", n), node, max_points))
        )

    def _success_step(
        self, path: Path, node: Mapping[str, Any], max_points: float
    ) -> SuccessRule | None:
        kinds = [k for k in SUCCESS_KINDS if k in node]
        given = [k for k in ("points", "linear_to") if k in node]
        if len(kinds) != 1 or len(given) != 1:
            self.problem(
                path,
                msg("the keys {keys}", keys=", ".join(map(str, node)) or "-"),
                msg("one of below, upto, above and one of points, linear_to"),
            )
            return None
        bound = self.number(node[kinds[0]], (*path, kinds[0])) or 0.0
        value = self.number(node[given[0]], (*path, given[0]))
        if value is None:
            return None
        if value > max_points:
            self.problem(
                (*path, given[0]),
                kind(node[given[0]]),
                msg("at most max_points, {max:g}", max=max_points),
            )
        points = value if given[0] == "points" else None
        return SuccessRule(kinds[0], bound, points, None if points is not None else value)


def method_needs(p: Parser, framework: Framework) -> None:
    """What the methods in use need from the rest of the file, and points that add up."""
    methods = framework.methods
    if "rating" in methods and not framework.ratings:
        p.problem(
            ("ratings",), msg("items of method rating and no ratings"), msg("a ratings: scale")
        )
    if "indicator-success" in methods and not framework.success_points:
        p.problem(
            ("success_points",),
            msg("items of method indicator-success and no success_points"),
            msg("a success_points: list"),
        )
    if "gated-checklist" in methods:
        points = framework.checklist_points
        if set(points) != set(CHECK_LEVELS):
            p.problem(
                ("checklist_points",),
                msg("the levels {levels}", levels=", ".join(points) or "-"),
                msg("points for basic, advance and significance (items of method gated-checklist)"),
            )
        elif (
            framework.aggregate == "mean"
            and abs(sum(points.values()) - framework.max_points) > 1e-9
        ):
            p.problem(
                ("checklist_points",),
                msg("points that add up to {sum:g}", sum=sum(points.values())),
                msg("points that add up to max_points, {max:g}", max=framework.max_points),
            )
    if framework.aggregate == "sum":
        total = sum(c.max_points for c in framework.categories)
        if abs(total - framework.max_points) > 1e-9:
            p.problem(
                ("categories",),
                msg("item points that add up to {total:g}", total=total),
                msg("item points that add up to max_points, {max:g}", max=framework.max_points),
            )
