"""Frameworks: the criteria an agency is scored against, as frozen dataclasses.

Files are parsed and checked by :mod:`evalkit.frameworks.schema` and collected by
:mod:`evalkit.frameworks.registry`; this module holds the model only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from evalkit.core.declared import declaration
from evalkit.frameworks.award import CONFIRMED, Award, Condition
from evalkit.frameworks.vocabulary import CONSENSUS as CONSENSUS_NAMES
from evalkit.frameworks.vocabulary import METHODS as METHOD_NAMES
from evalkit.frameworks.vocabulary import Vocabulary

if TYPE_CHECKING:  # loaded by the tables that need them: reading a framework needs neither
    import numpy as np
    import pandas as pd


class _MethodForms(Mapping[str, str]):
    """scoring method -> the sheet form its values come from, read live from the declared
    names (:data:`evalkit.frameworks.vocabulary.METHODS`)."""

    def __getitem__(self, name: str) -> str:
        if name not in METHOD_NAMES:
            raise KeyError(name)
        return METHOD_NAMES.get(name).form

    def __iter__(self) -> Iterator[str]:
        return iter(METHOD_NAMES.names())

    def __len__(self) -> int:
        return len(METHOD_NAMES.names())


class _Names(Sequence[str]):
    """The names of a vocabulary, read live (a rule registered later is among them)."""

    def __init__(self, vocabulary: Vocabulary):
        self._vocabulary = vocabulary

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._vocabulary.names()[index]

    def __len__(self) -> int:
        return len(self._vocabulary.names())

    def __repr__(self) -> str:
        return repr(self._vocabulary.names())


#: Scoring methods, each with the sheet form its values come from (declared in
#: :mod:`evalkit.frameworks.vocabulary`, implemented in :mod:`evalkit.scoring.methods`).
METHOD_FORMS: Mapping[str, str] = _MethodForms()
#: How assessors' values become the panel's (:func:`evalkit.scoring.methods.consensus`).
CONSENSUS_RULES: Sequence[str] = _Names(CONSENSUS_NAMES)
CHECK_LEVELS = ("basic", "advance", "significance")
#: The points of the five levels of an indicator's scale: the floor scores 100, the goal 300,
#: the ceiling 500; linear between levels, 0 below the floor.
SCALE_POINTS = (100.0, 200.0, 300.0, 400.0, 500.0)
#: The five level values of a scale, as columns of the indicators sheet.
SCALE_COLUMNS = ("floor", "level2", "goal", "level4", "ceiling")


@dataclass(frozen=True)
class Check:
    id: str
    level: str
    text_th: str


@dataclass(frozen=True)
class Scale:
    """A five-level scale on an indicator's actual value: ``values`` are the values of levels
    1 (floor) to 5 (ceiling), rising when higher is better and falling when lower is."""

    indicator: str
    values: tuple[float, float, float, float, float]

    @property
    def direction(self) -> str:
        return "higher" if self.values[-1] > self.values[0] else "lower"


def scale_values(
    floor: float,
    goal: float,
    ceiling: float,
    level2: float | None = None,
    level4: float | None = None,
) -> tuple[float, float, float, float, float]:
    """The five level values from floor, goal and ceiling; levels 2 and 4, when not given, lie
    half-way (which keeps the points linear from floor to goal and from goal to ceiling)."""
    two = (floor + goal) / 2 if level2 is None else level2
    four = (goal + ceiling) / 2 if level4 is None else level4
    return (floor, two, goal, four, ceiling)


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
    #: gated-checklist: (level, descriptor) of each level, in CHECK_LEVELS order (optional)
    levels: tuple[tuple[str, str], ...] = ()
    #: indicator-success: five-level scales of named indicators (optional)
    scales: tuple[Scale, ...] = ()

    def level_text(self, level: str) -> str:
        """The descriptor of a checklist level, or "" when the framework gives none."""
        return dict(self.levels).get(level, "")


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
    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()
    #: a category rule judged only for the categories an entry applied for
    applied: bool = False
    #: the file that set the rule (an overlay's, or the framework it extends)
    origin: str = field(default="", compare=False)

    @property
    def confirmed(self) -> bool:
        """Whether the threshold is confirmed by a source (confidence ``high``)."""
        return self.confidence.strip().lower().startswith(CONFIRMED)


def default_category_word() -> str:
    """A framework's word for a category when its file names none (``core/words.yaml``)."""
    word: str = declaration("evalkit.core", "words")["category"]
    return word


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
    #: factor set -> the name of each band, in the order of ``bands``
    band_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: the framework's own word for a category (หมวด, มิติ)
    category_word: str = field(default_factory=default_category_word)
    ratings: tuple[Rating, ...] = ()
    checklist_points: Mapping[str, float] = field(default_factory=dict)
    success_points: tuple[SuccessRule, ...] = ()
    rules: tuple[Rule, ...] = ()
    types: tuple[tuple[str, str, str], ...] = ()
    award: Award = field(default_factory=Award)
    #: the framework this one extends (an overlay), "" for a framework of its own
    extends: str = ""
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
        import pandas as pd

        return pd.DataFrame(
            [
                (i.key, i.category, i.points, i.method, i.factors, i.name_th, i.name_en)
                for i in self.items
            ],
            columns=["item", "category", "max_points", "method", "factors", "name_th", "name_en"],
        )

    def category_table(self) -> pd.DataFrame:
        """One row per category: ``category, max_points, name_th, name_en``."""
        import pandas as pd

        return pd.DataFrame(
            [(c.key, c.max_points, c.name_th, c.name_en) for c in self.categories],
            columns=["category", "max_points", "name_th", "name_en"],
        )

    def check_table(self) -> pd.DataFrame:
        """One row per checklist check: ``item, level, check, text_th, level_text`` (the
        level's descriptor, "" when the framework gives none)."""
        import pandas as pd

        return pd.DataFrame(
            [
                (i.key, c.level, c.id, c.text_th, i.level_text(c.level))
                for i in self.items
                for c in i.checks
            ],
            columns=["item", "level", "check", "text_th", "level_text"],
        )

    def scale_table(self) -> pd.DataFrame:
        """One row per indicator scale declared in the file: ``item, indicator, floor, level2,
        goal, level4, ceiling``."""
        import pandas as pd

        return pd.DataFrame(
            [(i.key, s.indicator, *s.values) for i in self.items for s in i.scales],
            columns=["item", "indicator", *SCALE_COLUMNS],
        )


def band_index(percent: pd.Series | np.ndarray, bands: Sequence[tuple[float, float]]) -> np.ndarray:
    """Index (0-based) of the band of each percentage: the highest band whose lower bound is at
    most the value (so a value in a gap between bands counts in the band below)."""
    import numpy as np

    lows = np.array([low for low, _ in bands], dtype=float)
    found = np.searchsorted(lows, np.asarray(percent, dtype=float), side="right") - 1
    return np.clip(found, 0, len(lows) - 1)
