"""Scoring: from assessors' rows to consensus percentages, item, category and total points.

Everything is computed for all agencies, years and frameworks at once with pandas; no loop
runs per agency. The result is a long frame with the columns of :data:`RESULT_COLUMNS`:
``level`` is ``item``, ``category`` or ``total`` and ``key`` is ``2.1``, ``2`` or ``total``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .files import atomic_path
from .framework import Framework, Registry, default_registry

KEYS = ["agency_id", "year", "framework"]
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
LEVEL_ORDER = {"item": 0, "category": 1, "total": 2}


def round_to_step(values: pd.Series, step: float) -> pd.Series:
    """Round to the nearest multiple of ``step``, halves up (52.5 -> 55 with step 5)."""
    return np.floor(values / step + 0.5 + 1e-9) * step


def consensus(scores: pd.DataFrame, framework: Framework, rule: str | None = None) -> pd.DataFrame:
    """Per agency, year and item: the panel's percent and the spread of the assessors.

    ``rule`` is ``median`` (the default) or ``mean``; either is rounded to the framework's step.
    """
    rule = rule or framework.consensus
    grouped = scores.groupby([*KEYS, "item"], sort=False)["percent"]
    table = grouped.agg(raw=rule, low="min", high="max", assessors="count").reset_index()
    table["percent"] = round_to_step(table["raw"], framework.step)
    return table


def _score_framework(scores: pd.DataFrame, framework: Framework, rule: str | None) -> pd.DataFrame:
    items = framework.item_table()[["item", "category", "max_points"]]
    panel = consensus(scores, framework, rule).merge(items, on="item", how="left")
    panel["points"] = panel["percent"] * panel["max_points"] / 100
    item_rows = panel.assign(level="item", key=panel["item"])

    category_rows = (
        panel.groupby([*KEYS, "category"], sort=False)[["points", "max_points"]]
        .sum()
        .reset_index()
        .assign(level="category")
    )
    category_rows["key"] = category_rows["category"]
    total_rows = (
        category_rows.groupby(KEYS, sort=False)[["points", "max_points"]]
        .sum()
        .reset_index()
        .assign(level="total", key="total")
    )
    result = pd.concat([item_rows, category_rows, total_rows], ignore_index=True)
    result["percent"] = result["points"] / result["max_points"] * 100
    order = {
        k: n
        for n, k in enumerate(
            [*(c.key for c in framework.categories), *(i.key for i in framework.items), "total"]
        )
    }
    result["_level"] = result["level"].map(LEVEL_ORDER)
    result["_key"] = result["key"].map(order)
    return result


def score(
    scores: pd.DataFrame, registry: Registry | None = None, rule: str | None = None
) -> pd.DataFrame:
    """Score validated sheet rows (see :func:`evalkit.sheets.load_scores`)."""
    registry = registry or default_registry()
    parts = [
        _score_framework(group, registry.get(framework_id), rule)
        for framework_id, group in scores.groupby("framework", sort=True)
    ]
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    result = pd.concat(parts, ignore_index=True)
    names = scores.drop_duplicates(KEYS)[[*KEYS, "agency_name"]]
    result = result.merge(names, on=KEYS, how="left")
    result["label"] = ""
    result = result.sort_values(["framework", "agency_id", "year", "_level", "_key"])
    result[["percent", "points", "max_points"]] = result[["percent", "points", "max_points"]].round(
        4
    )
    return result[RESULT_COLUMNS].reset_index(drop=True)


def write_results(result: pd.DataFrame, path: str) -> None:
    """Write results as CSV in UTF-8 with a BOM, so that Excel shows Thai."""
    with atomic_path(path) as tmp:
        result.to_csv(tmp, index=False, encoding="utf-8-sig")
