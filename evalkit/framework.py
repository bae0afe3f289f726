"""Frameworks: the criteria an agency is scored against, as frozen dataclasses.

Files are parsed and checked by :mod:`evalkit.schema`; this module holds the model and the
registry. The packaged files live in ``evalkit/frameworks/``; a project adds or overrides a
framework by putting a file with the same ``id`` in a ``frameworks/`` folder of its own.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import UnknownFrameworkError

METHODS = ("band-percent", "rating", "gated-checklist", "indicator-success")
CHECK_LEVELS = ("basic", "advance", "significance")


@dataclass(frozen=True)
class Check:
    id: str
    level: str
    text_th: str


@dataclass(frozen=True)
class Item:
    key: str
    category: str
    points: float
    name_th: str
    name_en: str
    method: str
    factors: str = ""
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Category:
    key: str
    name_th: str
    name_en: str
    items: tuple[Item, ...]
    max_points: float


@dataclass(frozen=True)
class Rating:
    value: int
    percent: float
    name_th: str
    name_en: str


@dataclass(frozen=True)
class SuccessRule:
    """One step of the success-rate to points mapping: ``below``, ``upto`` or ``above``."""

    kind: str
    bound: float
    points: float | None = None
    linear_to: float | None = None


@dataclass(frozen=True)
class Rule:
    """An award threshold or KPI target that a total or a category meets or falls short of."""

    id: str
    name_th: str
    name_en: str
    level: str
    min_points: float | None = None
    min_percent: float | None = None
    categories: tuple[str, ...] | None = None
    years: tuple[int, ...] | None = None
    confidence: str = ""
    note: str = ""


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
    aggregate: str
    consensus: str
    step: float
    categories: tuple[Category, ...]
    bands: tuple[tuple[float, float], ...] = ()
    factors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ratings: tuple[Rating, ...] = ()
    checklist_points: Mapping[str, float] = field(default_factory=dict)
    success_points: tuple[SuccessRule, ...] = ()
    rules: tuple[Rule, ...] = ()
    types: tuple[tuple[str, str, str], ...] = ()
    origin: str = field(default="", compare=False)
    raw: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for category in self.categories for item in category.items)

    @property
    def methods(self) -> set[str]:
        return {item.method for item in self.items}

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def item_table(self) -> pd.DataFrame:
        """One row per item: ``item, category, max_points, method, factors, name_th, name_en``."""
        return pd.DataFrame(
            [
                (i.key, i.category, i.points, i.method, i.factors, i.name_th, i.name_en)
                for i in self.items
            ],
            columns=["item", "category", "max_points", "method", "factors", "name_th", "name_en"],
        )

    def category_table(self) -> pd.DataFrame:
        """One row per category: ``category, max_points, name_th, name_en``."""
        return pd.DataFrame(
            [(c.key, c.max_points, c.name_th, c.name_en) for c in self.categories],
            columns=["category", "max_points", "name_th", "name_en"],
        )

    def check_table(self) -> pd.DataFrame:
        """One row per checklist check: ``item, level, check, text_th``."""
        return pd.DataFrame(
            [(i.key, c.level, c.id, c.text_th) for i in self.items for c in i.checks],
            columns=["item", "level", "check", "text_th"],
        )


@cache
def _packaged() -> tuple[Framework, ...]:
    from .schema import parse_framework

    folder = resources.files("evalkit") / "frameworks"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=str)
    return tuple(
        parse_framework(e.read_text(encoding="utf-8"), f"evalkit/frameworks/{e.name}")
        for e in entries
    )


class Registry:
    """The frameworks known to a run: packaged ones, overridden by the project's own files."""

    def __init__(self, extra_dirs: Iterable[str | Path] = ()):
        from .schema import load_framework_file

        self._frameworks: dict[str, Framework] = {f.id: f for f in _packaged()}
        for folder in extra_dirs:
            for path in sorted(Path(folder).glob("*.yaml")):
                framework = load_framework_file(path)
                self._frameworks[framework.id] = framework

    def ids(self) -> list[str]:
        return sorted(self._frameworks)

    def __iter__(self) -> Iterator[Framework]:
        return iter(self._frameworks[i] for i in self.ids())

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
