"""Scoring: from validated sheet rows to item, category and total scores.

The engine dispatches on each item's method (:mod:`evalkit.methods`), then aggregates by
the framework's rule (sums, or means on one scale), for all agencies and years at once.
The result has the columns of :data:`RESULT_COLUMNS`: ``level`` is ``item``, ``category``
or ``total``; ``key`` is ``2.1``, ``2`` or ``total``. A category that a sheet leaves out
gets a row with empty points and the label ``absent``; the total covers the categories
present, and says so in its ``max_points``.
"""

from __future__ import annotations

import pandas as pd

from .files import atomic_path
from .framework import Framework, Registry, default_registry
from .methods import KEYS, LEVEL_NAMES, METHODS
from .sheets import SheetSet

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
_LEVEL_RANK = {name: rank for rank, name in enumerate(LEVEL_NAMES)}


def score_items(sheets: SheetSet, framework: Framework, rule: str | None = None) -> pd.DataFrame:
    """Item rows of one framework, each scored by its own method."""
    frames = sheets.frames()
    parts = []
    for method in sorted(framework.methods):
        form, function = METHODS[method]
        rows = frames[form]
        keys = [i.key for i in framework.items if i.method == method]
        rows = rows[(rows["framework"] == framework.id) & rows["item"].isin(keys)]
        if len(rows):
            parts.append(function(rows, framework, rule))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _lowest_level(labels: pd.Series) -> str:
    ranks = [_LEVEL_RANK[label] for label in labels if label in _LEVEL_RANK]
    return LEVEL_NAMES[min(ranks)] if ranks else ""


def aggregate(items: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Category and total rows from item rows, by the framework's aggregate rule."""
    how = framework.aggregate
    table = framework.item_table()[["item", "category", "max_points"]]
    items = items.merge(table, on="item", how="left").assign(level="item")
    items["key"] = items["item"]
    grouped = items.groupby([*KEYS, "category"], sort=False)
    categories = grouped.agg(points=("points", how), label=("label", _lowest_level))
    categories = categories.reset_index()

    frame = framework.category_table()[["category", "max_points"]]
    present = categories[KEYS].drop_duplicates()
    grid = present.merge(frame, how="cross")
    categories = grid.merge(categories, on=[*KEYS, "category"], how="left")
    absent = categories["points"].isna()
    categories.loc[absent, "label"] = ABSENT
    categories["level"] = "category"
    categories["key"] = categories["category"]

    scored = categories[~absent]
    totals = (
        scored.groupby(KEYS, sort=False)
        .agg(
            points=("points", how), max_points=("max_points", "sum"), label=("label", _lowest_level)
        )
        .reset_index()
    )
    if how == "mean":
        totals["max_points"] = framework.max_points
    totals = totals.assign(level="total", key="total")
    result = pd.concat([items, categories, totals], ignore_index=True)
    result["percent"] = result["points"] / result["max_points"] * 100
    order = [*(i.key for i in framework.items), *(c.key for c in framework.categories)]
    rank = {key: n for n, key in enumerate(order)}
    result["_order"] = result["level"].map({"item": 0, "category": 1, "total": 2}) * 10_000
    result["_order"] += result["key"].map(rank).fillna(0)
    return result


def score(
    sheets: SheetSet | pd.DataFrame, registry: Registry | None = None, rule: str | None = None
) -> pd.DataFrame:
    """Score validated rows (see :func:`evalkit.sheets.load_sheets`).

    ``rule`` overrides each framework's consensus rule (``median`` or ``mean``).
    """
    registry = registry or default_registry()
    if isinstance(sheets, pd.DataFrame):
        sheets = SheetSet.of(bands=sheets)
    names = sheets.agencies()
    parts = []
    for framework_id in sorted(names["framework"].unique()):
        framework = registry.get(framework_id)
        items = score_items(sheets, framework, rule)
        if len(items):
            parts.append(aggregate(items, framework))
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    result = pd.concat(parts, ignore_index=True).merge(names, on=KEYS, how="left")
    result["label"] = result["label"].fillna("")
    result = result.sort_values(["framework", "agency_id", "year", "_order"], kind="stable")
    numbers = ["percent", "points", "max_points"]
    result[numbers] = result[numbers].astype(float).round(4)
    return result[RESULT_COLUMNS].reset_index(drop=True)


def absent_categories(result: pd.DataFrame) -> pd.DataFrame:
    """Per agency, year and framework: the categories a sheet left out (``absent``)."""
    rows = result[(result["level"] == "category") & (result["label"] == ABSENT)]
    return rows.groupby(KEYS, sort=False)["key"].agg(list).rename("absent").reset_index()


def write_results(result: pd.DataFrame, path: str) -> None:
    """Write results as CSV in UTF-8 with a BOM, so that Excel shows Thai."""
    with atomic_path(path) as tmp:
        result.to_csv(tmp, index=False, encoding="utf-8-sig")
