"""Scoring: from validated sheet rows to item, category and total scores.

The engine dispatches on each item's method (:mod:`evalkit.scoring.methods`), then aggregates by
the framework's rule (sums, or means on one scale), for all agencies and years at once.
The result has the columns of :data:`RESULT_COLUMNS`: ``level`` is ``item``, ``category``
or ``total``; ``key`` is ``2.1``, ``2`` or ``total``. A category that a sheet leaves out
gets a row with empty points and the label ``absent``; the total covers the categories
present (for sums, its ``max_points`` says how many points those are).

Internally every agency-year-framework is a "unit" numbered in output order, and items and
categories are numbered by their place in the framework, so that grouping and sorting run
on integers.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from evalkit.frameworks.model import METHOD_FORMS, Framework
from evalkit.frameworks.registry import Registry, default_registry
from evalkit.scoring.methods import KEYS, get_scorer
from evalkit.scoring.precedence import decided
from evalkit.sheets.assessors import CONSENSUS, SELF, named
from evalkit.sheets.sheetset import SheetSet
from evalkit.sheets.stages import is_agreed

RESULT_COLUMNS = [
    "agency_id",
    "agency_name",
    "year",
    "framework",
    "level",
    "key",
    "percent",
    "points",
    "max_points",
    "label",
]
ABSENT = "absent"


def _column(frames: list[pd.DataFrame], column: str) -> pd.Series:
    """One column of several frames, concatenated; categoricals stay categorical."""
    parts = [f[column].reset_index(drop=True) for f in frames if len(f)]
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        return pd.Series(union_categoricals(parts, ignore_order=True))
    return pd.concat(parts, ignore_index=True)


def _units(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """The distinct agency-year-frameworks in output order, and each row's unit number."""
    rows = pd.DataFrame({c: _column(frames, c) for c in [*KEYS, "agency_name"]})
    combined = np.zeros(len(rows), dtype=np.int64)
    for column in KEYS:
        codes, uniques = pd.factorize(rows[column])
        combined = combined * max(len(uniques), 1) + codes
    inverse, uniques = pd.factorize(combined)
    # factorize numbers codes by first appearance, so a code's first row is where the
    # running maximum of the codes rises
    first = np.flatnonzero(inverse > np.maximum.accumulate(np.r_[-1, inverse[:-1]]))
    units = (
        rows.iloc[first]
        .reset_index(drop=True)
        .astype({"agency_id": object, "agency_name": object, "framework": object})
    )
    order = units.sort_values(["framework", "agency_id", "year"], kind="stable").index
    rank = np.empty(len(order), dtype=np.int64)
    rank[order.to_numpy()] = np.arange(len(order))
    units = units.iloc[order].reset_index(drop=True)
    codes = rank[inverse.ravel()]
    bounds = np.cumsum([0, *(len(f) for f in frames)])
    return units, [codes[a:b] for a, b in itertools.pairwise(bounds)]


def _item_codes(items: pd.Series, framework: Framework) -> np.ndarray:
    codes, uniques = pd.factorize(items)
    position = {item.key: n for n, item in enumerate(framework.items)}
    return np.asarray(np.array([position[u] for u in uniques], dtype=np.int64)[codes])


def score_items(
    frames: dict[str, pd.DataFrame],
    units: dict[str, np.ndarray],
    framework_of_unit: np.ndarray,
    framework: Framework,
    rule: str | None = None,
) -> pd.DataFrame:
    """Item rows of one framework, each item scored by its own method."""
    parts = []
    for method in sorted(framework.methods):
        form, function = METHOD_FORMS[method], get_scorer(method)
        frame, unit = frames[form], units[form]
        keys = [i.key for i in framework.items if i.method == method]
        mask = (framework_of_unit[unit] == framework.id) & frame["item"].isin(keys).to_numpy()
        if mask.any():
            rows = frame[mask].assign(_unit=unit[mask])
            rows["_item"] = _item_codes(rows["item"], framework)
            parts.append(function(rows, framework, rule))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def aggregate(items: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Category and total rows from item rows, by the framework's aggregate rule."""
    how = framework.aggregate
    n_items, n_cats = len(framework.items), len(framework.categories)
    category_of = {c.key: n for n, c in enumerate(framework.categories)}
    item_cat = np.array([category_of[i.category] for i in framework.items])
    item_max = np.array([i.points for i in framework.items])
    cat_max = np.array([c.max_points for c in framework.categories])

    items = items.assign(_cat=item_cat[items["_item"]], max_points=item_max[items["_item"]])
    key = items["_unit"].to_numpy() * n_cats + items["_cat"].to_numpy()
    grouped = items[["points"]].groupby(key, sort=False).agg({"points": how})
    present = np.unique(items["_unit"].to_numpy())
    grid = (present[:, None] * n_cats + np.arange(n_cats)).ravel()
    categories = grouped.reindex(grid).reset_index(drop=True)
    categories["_unit"], categories["_cat"] = grid // n_cats, grid % n_cats
    categories["max_points"] = cat_max[categories["_cat"]]
    absent = categories["points"].isna().to_numpy()
    # items carry levels; a category or the total shows its points against its targets and no
    # level of its own (none is defined for it)
    categories["label"] = np.where(absent, ABSENT, "")

    scored = categories[~absent]
    totals = scored.groupby("_unit", sort=False).agg(
        points=("points", how), max_points=("max_points", "sum")
    )
    if how == "mean":
        totals["max_points"] = framework.max_points
    totals = totals.reset_index()
    totals["label"] = ""

    item_keys = np.array([i.key for i in framework.items], dtype=object)
    cat_keys = np.array([c.key for c in framework.categories], dtype=object)
    parts = [
        items.assign(level="item", key=item_keys[items["_item"]], _order=items["_item"]),
        categories.assign(
            level="category", key=cat_keys[categories["_cat"]], _order=n_items + categories["_cat"]
        ),
        totals.assign(level="total", key="total", _order=n_items + n_cats),
    ]
    columns = ["_unit", "_order", "level", "key", "points", "max_points", "label"]
    return pd.concat([p[columns] for p in parts], ignore_index=True)


def is_self(assessors: pd.Series) -> np.ndarray:
    """True for rows of the agency's own self-assessment (assessor ``self``)."""
    return named(assessors, (SELF,))


def is_consensus(assessors: pd.Series) -> np.ndarray:
    """True for rows of the panel's agreed comments (assessor ``consensus``), which hold no
    score."""
    return named(assessors, CONSENSUS)


def is_panel(assessors: pd.Series) -> np.ndarray:
    """True for the rows of the panel's members: neither ``self`` nor ``consensus``."""
    return ~named(assessors, (SELF, *CONSENSUS))


def panel_rows(sheets: SheetSet) -> SheetSet:
    """The rows that give the panel's values (:func:`evalkit.scoring.precedence.decided`):
    the committee's agreed rows where it gave one, else the assessors' independent rows;
    self-assessment and agreed-comment rows are left out."""
    return SheetSet(
        {form: decided(form, frame) for form, frame in sheets.frames().items()}, sheets.skipped
    )


def _units_of(frame: pd.DataFrame, mask: np.ndarray) -> set[tuple[object, ...]]:
    rows = frame.loc[mask, KEYS].drop_duplicates().astype(object)
    return set(rows.itertuples(index=False, name=None))


def _assessed(sheets: SheetSet) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    """The agency-years with rows of the agency's self-assessment, and those with rows of a
    named member of the panel."""
    own: set[tuple[object, ...]] = set()
    panel: set[tuple[object, ...]] = set()
    for frame in sheets.frames().values():
        if "assessor" in frame and len(frame):
            named_panel = is_panel(frame["assessor"]) & np.asarray(frame["assessor"] != "")
            named_panel |= np.asarray(is_agreed(frame))
            own |= _units_of(frame, is_self(frame["assessor"]))
            panel |= _units_of(frame, np.asarray(named_panel))
    return own, panel


def _only(sheets: SheetSet, units: set[tuple[object, ...]], keep: bool) -> SheetSet:
    """The rows of ``units`` (``keep``), or of every other agency-year."""

    if not units:
        return sheets if not keep else sheets.where(agency_id=object())

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        if not len(frame):
            return frame
        inside = pd.MultiIndex.from_frame(frame[KEYS].astype(object)).isin(list(units))
        return frame[inside == keep]

    return SheetSet({form: rows(f) for form, f in sheets.frames().items()}, sheets.skipped)


def self_rows(sheets: SheetSet) -> SheetSet:
    """The agency's self-assessment (assessor ``self``): its own rows, and for its items
    without one, the rows that name no assessor (an indicator's figures)."""
    own, _ = _assessed(sheets)

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        if "assessor" not in frame or not len(frame):
            return frame.iloc[:0]
        mine = is_self(frame["assessor"])
        neutral = np.asarray(frame["assessor"].astype(str) == "")
        keys = pd.MultiIndex.from_frame(frame[[*KEYS, "item"]].astype(object))
        covered = keys.isin(keys[mine])
        return frame[mine | (neutral & ~covered)]

    return _only(SheetSet({f: rows(x) for f, x in sheets.frames().items()}), own, keep=True)


def self_assessment(
    sheets: SheetSet, registry: Registry | None = None, rule: str | None = None
) -> pd.DataFrame:
    """The agency's own total (ประเมินตนเอง), scored like the panel's from its self-assessment
    rows (:func:`self_rows`), never mixed into the panel's: the columns of :func:`score`,
    and ``assessment`` = ``self``."""
    result = _scored(self_rows(sheets).frames(), registry or default_registry(), rule)
    return result.assign(assessment=SELF)


def score(
    sheets: SheetSet | pd.DataFrame, registry: Registry | None = None, rule: str | None = None
) -> pd.DataFrame:
    """Score validated rows (see :func:`evalkit.sheets.load.load_sheets`).

    ``rule`` overrides each framework's consensus rule (``median`` or ``mean``). Rows whose
    assessor is ``self`` are the agency's own assessment (:func:`self_assessment`) and take
    no part in the score; an agency-year assessed by itself alone, with no member of the panel,
    has no panel score (an indicator's figures are then part of its self-assessment).
    """
    registry = registry or default_registry()
    if isinstance(sheets, pd.DataFrame):
        sheets = SheetSet.of(bands=sheets)
    own, panel = _assessed(sheets)
    return _scored(_only(panel_rows(sheets), own - panel, keep=False).frames(), registry, rule)


def _scored(frames: dict[str, pd.DataFrame], registry: Registry, rule: str | None) -> pd.DataFrame:
    """Item, category and total rows of the rows of ``frames``."""
    if not any(len(f) for f in frames.values()):
        return pd.DataFrame(columns=RESULT_COLUMNS)
    units, codes = _units(list(frames.values()))
    unit_codes = dict(zip(frames, codes, strict=True))
    framework_of_unit = units["framework"].to_numpy()
    parts = []
    for framework_id in units["framework"].unique():
        framework = registry.get(str(framework_id))
        items = score_items(frames, unit_codes, framework_of_unit, framework, rule)
        if len(items):
            parts.append(aggregate(items, framework))
    result = pd.concat(parts, ignore_index=True)
    order = np.lexsort((result["_order"].to_numpy(), result["_unit"].to_numpy()))
    result = result.iloc[order].reset_index(drop=True)
    unit = result["_unit"].to_numpy()
    for column in ("agency_id", "agency_name", "year", "framework"):
        result[column] = units[column].to_numpy()[unit]
    result["points"] = result["points"].astype(float)
    result["percent"] = result["points"] / result["max_points"] * 100
    numbers = ["percent", "points", "max_points"]
    result[numbers] = result[numbers].astype(float).round(4)
    result["label"] = result["label"].fillna("").astype(object)
    return result[RESULT_COLUMNS]


def absent_categories(result: pd.DataFrame) -> pd.DataFrame:
    """Per agency, year and framework: the categories a sheet left out (``absent``)."""
    rows = result[(result["level"] == "category") & (result["label"] == ABSENT)]
    return rows.groupby(KEYS, sort=False)["key"].agg(list).rename("absent").reset_index()
