"""Item scores by method, for every agency and year at once.

Rows arrive with two integer columns added by :func:`evalkit.scoring.engine.score`: ``_unit`` (one
agency, year and framework) and ``_item`` (the item's position in the framework). Grouping
on integers keeps scoring a single vectorised pass however many agencies there are. Each
function returns one row per unit and item with ``percent``, ``points`` and ``label``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from evalkit.core.i18n import msg
from evalkit.frameworks.model import CHECK_LEVELS, SCALE_COLUMNS, SCALE_POINTS, Framework
from evalkit.frameworks.vocabulary import CONSENSUS as CONSENSUS_NAMES
from evalkit.frameworks.vocabulary import METHODS as METHOD_NAMES
from evalkit.frameworks.vocabulary import Term, unknown_name

KEYS = ["agency_id", "year", "framework"]
Scorer = Callable[[pd.DataFrame, Framework, "str | None"], pd.DataFrame]
#: scoring method -> its function; filled by :func:`scoring_method`, under the names of
#: :data:`evalkit.frameworks.vocabulary.METHODS` (with the sheet form each reads).
SCORERS: dict[str, Scorer] = {}


def scoring_method(name: str, form: str) -> Callable[[Scorer], Scorer]:
    """Register a scoring method under ``name``, reading sheets of ``form`` (declaring the name
    if it is new): one registration is all a new method takes."""

    def register(function: Scorer) -> Scorer:
        METHOD_NAMES.declare(Term(name, form))
        SCORERS[name] = function
        return function

    return register


LEVEL_NAMES = ("Below Basic", "Basic", "Advance", "Significance")
ITEM_COLUMNS = ["_unit", "_item", "percent", "points", "label"]


def round_to_step(values: pd.Series | np.ndarray, step: float) -> np.ndarray:
    """Round to the nearest multiple of ``step``, halves up (52.5 -> 55 with step 5)."""
    return np.floor(np.asarray(values, dtype=float) / step + 0.5 + 1e-9) * step


def _item_points(framework: Framework, item_index: pd.Series | np.ndarray) -> np.ndarray:
    points = np.array([i.points for i in framework.items])
    return np.asarray(points[np.asarray(item_index)])


def _split(keys: np.ndarray, framework: Framework) -> dict[str, np.ndarray]:
    n = len(framework.items)
    return {"_unit": keys // n, "_item": keys % n}


Combine = Callable[[pd.DataFrame], pd.Series]
#: consensus rule -> how it combines a group's ``median, sum, min, max, count``; filled by
#: :func:`consensus_rule`, under the names of :data:`evalkit.frameworks.vocabulary.CONSENSUS`.
CONSENSUS: dict[str, Combine] = {}


def consensus_rule(name: str) -> Callable[[Combine], Combine]:
    """Register a consensus rule under ``name`` (declaring the name if it is new): one
    registration is all a new rule takes."""

    def register(function: Combine) -> Combine:
        CONSENSUS_NAMES.declare(Term(name))
        CONSENSUS[name] = function
        return function

    return register


@consensus_rule("median")
def _median(table: pd.DataFrame) -> pd.Series:
    return table["median"]


@consensus_rule("mean")
def _mean(table: pd.DataFrame) -> pd.Series:
    return table["sum"] / table["count"]


@consensus_rule("trimmed")
def _trimmed(table: pd.DataFrame) -> pd.Series:
    trimmed = (table["sum"] - table["min"] - table["max"]) / (table["count"] - 2)
    return trimmed.where(table["count"] >= 3, table["sum"] / table["count"])


def get_consensus(name: str) -> Combine:
    """The consensus rule called ``name``, or an error that lists the valid names."""
    try:
        return CONSENSUS[name]
    except KeyError:
        raise unknown_name(msg("consensus rule"), name, tuple(CONSENSUS)) from None


def consensus(
    rows: pd.DataFrame,
    framework: Framework,
    column: str = "percent",
    rule: str | None = None,
    step: float | None = None,
) -> pd.DataFrame:
    """Per unit and item: the panel's value of ``column`` and the assessors' spread.

    ``rule`` is ``median`` (the usual default), ``mean`` or ``trimmed`` (the mean without the
    highest and the lowest value, when there are three assessors or more); the result is
    rounded to ``step`` (the framework's step for percentages, 1 for ratings), halves up.
    """
    combine = get_consensus(rule or framework.consensus)
    key = rows["_unit"].to_numpy(np.int64) * len(framework.items) + rows["_item"].to_numpy(np.int64)
    values = pd.Series(rows[column].to_numpy(dtype=float))
    table = values.groupby(key, sort=False).agg(["median", "sum", "min", "max", "count"])
    raw = combine(table)
    out = pd.DataFrame(
        {
            "raw": raw.to_numpy(),
            "low": table["min"].to_numpy(),
            "high": table["max"].to_numpy(),
            "assessors": table["count"].to_numpy(),
        }
    )
    out = out.assign(**_split(table.index.to_numpy(), framework))
    out["value"] = round_to_step(out["raw"], step or framework.step)
    return out


@scoring_method("band-percent", "band")
def band_percent(rows: pd.DataFrame, framework: Framework, rule: str | None = None) -> pd.DataFrame:
    table = consensus(rows, framework, "percent", rule)
    table["percent"] = table["value"]
    table["points"] = table["percent"] * _item_points(framework, table["_item"]) / 100
    table["label"] = ""
    return table[ITEM_COLUMNS]


@scoring_method("rating", "band")
def rating(rows: pd.DataFrame, framework: Framework, rule: str | None = None) -> pd.DataFrame:
    table = consensus(rows, framework, "rating", rule, step=1)
    values = np.array([r.value for r in framework.ratings])
    position = np.abs(table["value"].to_numpy()[:, None] - values).argmin(axis=1)
    table["percent"] = np.array([r.percent for r in framework.ratings])[position]
    table["points"] = table["percent"] * _item_points(framework, table["_item"]) / 100
    table["label"] = np.array([r.name_th for r in framework.ratings], dtype=object)[position]
    return table[ITEM_COLUMNS]


def checklist_points(
    counts: np.ndarray, totals: np.ndarray, framework: Framework
) -> tuple[np.ndarray, np.ndarray]:
    """Points and reached level (0 Below Basic .. 3 Significance) of checklist items from the
    checks met per level (``counts``, rows x CHECK_LEVELS) out of ``totals``: each level's
    points shared among its checks, a level counted only when every level below is full."""
    counts, totals = np.atleast_2d(counts), np.atleast_2d(totals)
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
    return points, reached


@scoring_method("gated-checklist", "checklist")
def gated_checklist(
    rows: pd.DataFrame, framework: Framework, rule: str | None = None
) -> pd.DataFrame:
    """Checks met by a majority of assessors (a tie is not met), gated level by level."""
    per_check = rows.groupby(["_unit", "_item", "level", "check"], sort=False, observed=True)[
        "met"
    ].agg(["sum", "count"])
    per_check["majority"] = per_check["sum"] * 2 > per_check["count"]
    met = per_check.groupby(level=["_unit", "_item", "level"], observed=True)["majority"].sum()
    met = met.unstack("level").reindex(columns=list(CHECK_LEVELS)).fillna(0)
    defined = framework.check_table().groupby(["item", "level"]).size().unstack("level")
    defined = defined.reindex(
        index=[i.key for i in framework.items], columns=list(CHECK_LEVELS)
    ).fillna(0)
    totals = defined.to_numpy()[met.index.get_level_values("_item")]
    points, reached = checklist_points(met.to_numpy(), totals, framework)
    table = met.index.to_frame(index=False)
    table["points"] = points
    table["percent"] = points / framework.max_points * 100
    table["label"] = np.array(LEVEL_NAMES, dtype=object)[reached]
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


def with_scales(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Indicator rows with the five-level scale of each row: the sheet's own, else the one the
    framework declares for that item and indicator name, else NaN."""
    declared = framework.scale_table()
    rows = rows.copy()
    for column in SCALE_COLUMNS:
        if column not in rows:
            rows[column] = np.nan
    if declared.empty:
        return rows
    keys = pd.MultiIndex.from_arrays([rows["item"].astype(str), rows["indicator"].astype(str)])
    table = declared.set_index(["item", "indicator"])
    for column in SCALE_COLUMNS:
        fill = pd.Series(table[column].reindex(keys).to_numpy(), index=rows.index)
        rows[column] = rows[column].astype(float).fillna(fill)
    return rows


def scale_points(rows: pd.DataFrame) -> np.ndarray:
    """Points of each actual value on its row's five-level scale (floor 100, goal 300, ceiling
    500, linear between, 0 below the floor); NaN for rows without a scale. A falling scale is
    lower-is-better and is read mirrored."""
    levels = rows[list(SCALE_COLUMNS)].to_numpy(dtype=float)
    actual = rows["actual"].to_numpy(dtype=float)
    out = np.full(len(rows), np.nan)
    for n in np.flatnonzero(~np.isnan(levels).any(axis=1)):
        knots, value = levels[n], actual[n]
        if knots[-1] < knots[0]:
            knots, value = -knots, -value
        out[n] = 0.0 if value < knots[0] else np.interp(value, knots, SCALE_POINTS)
    return out


def indicator_points(rows: pd.DataFrame, framework: Framework) -> np.ndarray:
    """Each indicator's points: on its scale when it has one, else by success rate."""
    rows = with_scales(rows, framework)
    scaled = scale_points(rows)
    return np.where(np.isnan(scaled), success_points(success_rate(rows), framework), scaled)


@scoring_method("indicator-success", "indicators")
def indicator_success(
    rows: pd.DataFrame, framework: Framework, rule: str | None = None
) -> pd.DataFrame:
    key = rows["_unit"].to_numpy(np.int64) * len(framework.items) + rows["_item"].to_numpy(np.int64)
    points = pd.Series(indicator_points(rows, framework))
    table = points.groupby(key, sort=False).mean()
    table = pd.DataFrame({"points": table.to_numpy(), **_split(table.index.to_numpy(), framework)})
    table["percent"] = table["points"] / framework.max_points * 100
    table["label"] = ""
    return table[ITEM_COLUMNS]


def get_scorer(name: str) -> Scorer:
    """The scoring method called ``name``, or an error that lists the valid names."""
    try:
        return SCORERS[name]
    except KeyError:
        raise unknown_name(msg("scoring method"), name, tuple(SCORERS)) from None


def get_scorer_names() -> list[str]:
    """The names of the registered scoring methods."""
    return sorted(SCORERS)
