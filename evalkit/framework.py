"""Frameworks: the criteria an agency is scored against, loaded from YAML into frozen dataclasses.

The packaged files live in ``evalkit/frameworks/``; a project may add or override a framework
by putting a file with the same layout in a ``frameworks/`` folder of its own.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import FrameworkError, UnknownFrameworkError

METHODS = frozenset({"band-percent"})
CONSENSUS_RULES = frozenset({"median", "mean"})


@dataclass(frozen=True)
class Item:
    key: str
    category: str
    points: float
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Category:
    key: str
    name_th: str
    name_en: str
    items: tuple[Item, ...]

    @property
    def points(self) -> float:
        return sum(item.points for item in self.items)


@dataclass(frozen=True)
class Framework:
    id: str
    edition: str
    name_th: str
    name_en: str
    source: str
    confidence: Mapping[str, str]
    max_points: float
    method: str
    consensus: str
    step: float
    categories: tuple[Category, ...]
    origin: str = field(default="", compare=False)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for category in self.categories for item in category.items)

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def item_table(self) -> pd.DataFrame:
        """One row per item: ``item, category, max_points, name_th, name_en``."""
        return pd.DataFrame(
            {
                "item": [i.key for i in self.items],
                "category": [i.category for i in self.items],
                "max_points": [float(i.points) for i in self.items],
                "name_th": [i.name_th for i in self.items],
                "name_en": [i.name_en for i in self.items],
            }
        )

    def category_table(self) -> pd.DataFrame:
        """One row per category: ``category, max_points, name_th, name_en``."""
        return pd.DataFrame(
            {
                "category": [c.key for c in self.categories],
                "max_points": [float(c.points) for c in self.categories],
                "name_th": [c.name_th for c in self.categories],
                "name_en": [c.name_en for c in self.categories],
            }
        )


def _names(node: Any, where: str, problems: list[str]) -> tuple[str, str]:
    """Thai and English names of a ``name: {th: ..., en: ...}`` node."""
    if not isinstance(node, Mapping):
        return str(node or ""), ""
    extra = [str(k) for k in node if k not in ("th", "en")]
    if extra:
        problems.append(
            f"{where}: name has keys {extra} besides th and en (quote a name that contains a comma)"
        )
    return str(node.get("th", "")), str(node.get("en", ""))


def parse_framework(data: Any, origin: str) -> Framework:
    """Build a :class:`Framework` from parsed YAML, listing every problem it finds."""
    if not isinstance(data, Mapping):
        raise FrameworkError(origin, ["the file must hold a mapping with id, categories, ..."])
    problems: list[str] = []
    for key in ("id", "max_points", "scoring", "categories"):
        if key not in data:
            problems.append(f"missing key {key!r}")
    if problems:
        raise FrameworkError(origin, problems)
    scoring = data["scoring"] or {}
    method = str(scoring.get("method", ""))
    consensus = str(scoring.get("consensus", "median"))
    if method not in METHODS:
        problems.append(f"unknown scoring method {method!r}; known: {', '.join(sorted(METHODS))}")
    if consensus not in CONSENSUS_RULES:
        problems.append(
            f"unknown consensus rule {consensus!r}; known: {', '.join(sorted(CONSENSUS_RULES))}"
        )
    categories: list[Category] = []
    seen: set[str] = set()
    for cat in data["categories"] or []:
        cat_key = str(cat.get("key", ""))
        items: list[Item] = []
        for raw in cat.get("items") or []:
            key = str(raw.get("key", ""))
            if key in seen:
                problems.append(f"duplicate item key {key!r}")
            seen.add(key)
            points = raw.get("points")
            if not isinstance(points, int | float) or points <= 0:
                problems.append(f"item {key!r}: points must be a positive number, not {points!r}")
                points = 0
            items.append(
                Item(
                    key, cat_key, float(points), *_names(raw.get("name"), f"item {key!r}", problems)
                )
            )
        if not items:
            problems.append(f"category {cat_key!r} has no items")
        categories.append(
            Category(
                cat_key, *_names(cat.get("name"), f"category {cat_key!r}", problems), tuple(items)
            )
        )
    total = sum(c.points for c in categories)
    if abs(total - float(data["max_points"])) > 1e-9:
        problems.append(f"item points add up to {total:g}, but max_points is {data['max_points']}")
    name_th, name_en = _names(data.get("name"), "framework", problems)
    if problems:
        raise FrameworkError(origin, problems)
    return Framework(
        id=str(data["id"]),
        edition=str(data.get("edition", "")),
        name_th=name_th,
        name_en=name_en,
        source=str(data.get("source", "")),
        confidence=dict(data.get("confidence") or {}),
        max_points=float(data["max_points"]),
        method=method,
        consensus=consensus,
        step=float(scoring.get("step", 5)),
        categories=tuple(categories),
        origin=origin,
    )


def load_framework_file(path: str | Path) -> Framework:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FrameworkError(str(path), [f"cannot be read as YAML: {exc}"]) from exc
    return parse_framework(data, str(path))


@cache
def _packaged() -> tuple[Framework, ...]:
    folder = resources.files("evalkit") / "frameworks"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8"))
            found.append(parse_framework(data, f"evalkit/frameworks/{entry.name}"))
    return tuple(found)


class Registry:
    """The frameworks known to a run: packaged ones, overridden by the project's own files."""

    def __init__(self, extra_dirs: Iterable[str | Path] = ()):
        self._frameworks: dict[str, Framework] = {f.id: f for f in _packaged()}
        for folder in extra_dirs:
            for path in sorted(Path(folder).glob("*.yaml")):
                framework = load_framework_file(path)
                self._frameworks[framework.id] = framework

    def ids(self) -> list[str]:
        return sorted(self._frameworks)

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self._frameworks

    def get(self, framework_id: str) -> Framework:
        try:
            return self._frameworks[framework_id]
        except KeyError:
            close = difflib.get_close_matches(framework_id, self.ids(), n=1)
            raise UnknownFrameworkError(
                framework_id, self.ids(), close[0] if close else None
            ) from None


def default_registry() -> Registry:
    """Packaged frameworks plus those in ``./frameworks`` when that folder exists."""
    local = Path("frameworks")
    return Registry([local] if local.is_dir() else [])
