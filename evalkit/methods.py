"""Item scores by method, for every agency and year at once.

Each function takes the validated rows of one framework and returns one row per agency,
year and item with ``points`` (on the item's own scale) and ``label``. ``consensus`` also
keeps the spread of the assessors, which later analysis reads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import CHECK_LEVELS, Framework

KEYS = ["agency_id", "year", "framework"]
LEVEL_NAMES = ("Below Basic", "Basic", "Advance", "Significance")
ITEM_COLUMNS = [*KEYS, "item", "percent", "points", "label"]


def round_to_step(values: pd.Series | np.ndarray, step: float) -> np.ndarray:
    """Round to the nearest multiple of ``step``, halves up (52.5 -> 55 with step 5)."""
    return np.floor(np.asarray(values, dtype=float) / step + 0.5 + 1e-9) * step


def _item_points(framework: Framework, items: pd.Series) -> pd.Series:
    return items.map({i.key: i.points for i in framework.items})


def consensus(
    rows: pd.DataFrame,
    framework: Framework,
    column: str = "percent",
    rule: str | None = None,
    step: float | None = None,
) -> pd.DataFrame:
    """Per agency, year and item: the panel's value of ``column`` and the assessors' spread.

    ``rule`` is ``median`` (the framework's default) or ``mean``; the result is rounded to
    ``step`` (the framework's step for percentages, 1 for ratings), halves up.
    """
    grouped = rows.groupby([*KEYS, "item"], sort=False, observed=True)[column]
    table = grouped.agg(
        raw=rule or framework.consensus, low="min", high="max", assessors="count"
    ).reset_index()
    table["value"] = round_to_step(table["raw"], step or framework.step)
    return table


def band_percent(rows: pd.DataFrame, framework: Framework, rule: str | None = None) -> pd.DataFrame:
    table = consensus(rows, framework, "percent", rule)
    table["percent"] = table["value"]
    table["points"] = table["percent"] * _item_points(framework, table["item"]) / 100
    table["label"] = ""
    return table[ITEM_COLUMNS]


def rating(rows: pd.DataFrame, framework: Framework, rule: str | None = None) -> pd.DataFrame:
    table = consensus(rows, framework, "rating", rule, step=1)
    values = np.array([r.value for r in framework.ratings])
    nearest = values[np.abs(table["value"].to_numpy()[:, None] - values).argmin(axis=1)]
    by_value = {r.value: r for r in framework.ratings}
    table["percent"] = [by_value[v].percent for v in nearest]
    table["points"] = table["percent"] * _item_points(framework, table["item"]) / 100
    table["label"] = [by_value[v].name_th for v in nearest]
    return table[ITEM_COLUMNS]


def gated_checklist(
    rows: pd.DataFrame, framework: Framework, rule: str | None = None
) -> pd.DataFrame:
    """Checks met by a majority of assessors (a tie is not met), gated level by level."""
    per_check = rows.groupby([*KEYS, "item", "level", "check"], sort=False, observed=True)[
        "met"
    ].agg(["sum", "count"])
    per_check["majority"] = per_check["sum"] * 2 > per_check["count"]
    met = per_check.groupby(level=[*KEYS, "item", "level"], observed=True)["majority"].sum()
    met = met.unstack("level").reindex(columns=list(CHECK_LEVELS)).fillna(0)
    defined = framework.check_table().groupby(["item", "level"]).size().unstack("level")
    defined = defined.reindex(columns=list(CHECK_LEVELS)).fillna(0)
    totals = defined.reindex(met.index.get_level_values("item")).to_numpy()
    counts = met.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, counts / totals, 0.0)
    full = (counts == totals) & (totals > 0)
    basic, advance = full[:, 0], full[:, 0] & full[:, 1]
    weights = [framework.checklist_points[level] for level in CHECK_LEVELS]
    points = (
        weights[0] * share[:, 0]
        + np.where(basic, weights[1] * share[:, 1], 0)
        + np.where(advance, weights[2] * share[:, 2], 0)
    )
    reached = basic.astype(int) + advance + (advance & full[:, 2])
    table = met.index.to_frame(index=False)
    table["points"] = points
    table["percent"] = points / framework.max_points * 100
    table["label"] = np.array(LEVEL_NAMES)[reached]
    return table[ITEM_COLUMNS]


def success_rate(rows: pd.DataFrame) -> pd.Series:
    """actual / target x 100 where higher is better; 200 minus that where lower is better."""
    ratio = rows["actual"] / rows["target"] * 100
    return ratio.where(rows["direction"] == "higher", 200 - ratio)


def success_points(success: pd.Series, framework: Framework) -> np.ndarray:
    """Points of each success rate by the framework's rules; the first that matches wins."""
    s = success.to_numpy(dtype=float)
    conditions, choices = [], []
    for step in framework.success_points:
        if step.kind == "below":
            conditions.append(s < step.bound)
        elif step.kind == "upto":
            conditions.append(s <= step.bound)
        else:
            conditions.append(s > step.bound)
        if step.linear_to is not None:
            choices.append(np.clip(s, 0, None) / step.bound * step.linear_to)
        else:
            choices.append(np.full_like(s, step.points))
    return np.select(conditions, choices, default=0.0)


def indicator_success(
    rows: pd.DataFrame, framework: Framework, rule: str | None = None
) -> pd.DataFrame:
    rows = rows.assign(points=success_points(success_rate(rows), framework))
    table = rows.groupby([*KEYS, "item"], sort=False, observed=True)["points"].mean()
    table = table.reset_index()
    table["percent"] = table["points"] / framework.max_points * 100
    table["label"] = ""
    return table[ITEM_COLUMNS]


#: method -> (form of sheet it reads, function)
METHODS = {
    "band-percent": ("band", band_percent),
    "rating": ("band", rating),
    "gated-checklist": ("checklist", gated_checklist),
    "indicator-success": ("indicators", indicator_success),
}
