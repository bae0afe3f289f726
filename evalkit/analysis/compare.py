"""Analyses on top of scores: self-assessment against the panel, what-if raises and the
cheapest way to a threshold, trends over years, a ranking of agencies, and indicator results.

A raise is one step of an item (:mod:`evalkit.analysis.steps`): one band of a band-percent
item, one level of a rating item.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.analysis.agreement import rating_index, require_bands, stepped_methods
from evalkit.analysis.steps import (
    ladders,
    level_text,
    steps_of,
)
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry, default_registry
from evalkit.scoring.engine import ABSENT, is_self
from evalkit.scoring.methods import KEYS, success_rate
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.sheetset import SheetSet


def _self_rows(sheets: SheetSet, registry: Registry) -> pd.DataFrame:
    """Self-assessment rows with a value, each as ``self_percent`` (a rating as its percent)."""
    bands = sheets.bands
    own = bands[is_self(bands["assessor"]) & (bands["percent"].notna() | bands["rating"].notna())]
    own = own.astype({"agency_id": str, "framework": str, "item": str})
    parts = []
    for framework_id, rows in own.groupby("framework", sort=False):
        framework = registry.get(str(framework_id))
        percent = rows["percent"].to_numpy(dtype=float, copy=True)
        rated = rows["rating"].notna().to_numpy() & rows["percent"].isna().to_numpy()
        if rated.any():
            levels = rating_index(rows.loc[rated, "rating"], framework)
            percent[rated] = np.array([r.percent for r in framework.ratings])[levels]
        parts.append(rows[[*KEYS, "item"]].assign(self_percent=percent))
    if not parts:
        return pd.DataFrame(columns=[*KEYS, "item", "self_percent"])
    return pd.concat(parts).groupby([*KEYS, "item"], sort=False)["self_percent"].mean()


def self_vs_panel(
    sheets: SheetSet, result: pd.DataFrame, registry: Registry | None = None
) -> pd.DataFrame:
    """Per agency, year, framework and item that has a self-assessment (assessor ``self``):
    ``self_percent``, the panel's ``panel_percent`` (item rows of ``result``), ``gap`` = self -
    panel and ``verdict``: ``over`` (gap > 0), ``under`` (gap < 0) or ``agrees``. Rating items
    count as the percent of their rating, and ``self_level``/``panel_level`` name the levels."""
    registry = registry or default_registry()
    own = _self_rows(sheets, registry)
    items = result.loc[result["level"] == "item", [*KEYS, "agency_name", "key", "percent"]]
    items = items.rename(columns={"key": "item", "percent": "panel_percent"})
    items = items.astype({"agency_id": str, "framework": str, "item": str})
    table = items.merge(pd.DataFrame(own).reset_index(), on=[*KEYS, "item"], how="inner")
    table["gap"] = table["self_percent"] - table["panel_percent"]
    table["verdict"] = np.select(
        [table["gap"] > 0, table["gap"] < 0], ["over", "under"], default="agrees"
    )
    for side in ("self", "panel"):
        table[f"{side}_level"] = [
            _rating_level(registry, f, i, p)
            for f, i, p in zip(
                table["framework"], table["item"], table[f"{side}_percent"], strict=True
            )
        ]
    columns = [*KEYS, "agency_name", "item", "self_percent", "panel_percent", "gap", "verdict"]
    return table[[*columns, "self_level", "panel_level"]].reset_index(drop=True)


def _rating_level(registry: Registry, framework_id: str, item: str, percent: float) -> str:
    framework = registry.get(framework_id)
    method = framework.item(item).method
    return level_text(framework, method, percent) if method == "rating" else ""


def _agency_items(
    result: pd.DataFrame, framework: Framework, agency_id: str, year: int
) -> tuple[pd.DataFrame, float]:
    """Band-percent and rating item rows of one agency-year, each with ``method`` and
    ``weight`` (total points per item point), and the current total."""
    require_bands(framework)
    rows = result[
        (result["framework"] == framework.id)
        & (result["agency_id"] == agency_id)
        & (result["year"] == year)
    ]
    if rows.empty:
        raise EvalkitError(
            msg(
                "No scores for {agency} {year} in framework {framework}; check the agency id and "
                "the year (Buddhist era, e.g. 2565).",
                agency=agency_id,
                year=year,
                framework=framework.id,
            )
        )
    present = rows[(rows["level"] == "category") & (rows["label"] != ABSENT)]["key"]
    size = {c.key: len(c.items) for c in framework.categories}
    methods = stepped_methods(framework)
    weight = {
        i.key: 1.0 if framework.aggregate == "sum" else 1 / (size[i.category] * len(present))
        for i in framework.items
        if i.method in methods
    }
    items = rows[(rows["level"] == "item") & rows["key"].isin(list(weight))].copy()
    items["weight"] = items["key"].map(weight)
    items["method"] = items["key"].map({i.key: i.method for i in framework.items})
    total = float(rows.loc[rows["level"] == "total", "points"].iloc[0])
    return items.rename(columns={"key": "item"}), total


def what_if(result: pd.DataFrame, framework: Framework, agency_id: str, year: int) -> pd.DataFrame:
    """For each band-percent and rating item of one agency-year: its percent and points now,
    after one step up (a band, see the module docstring, or a rating level), ``gain`` in total
    points, and ``level``/``new_level`` naming the band or rating level; largest gain first."""
    items, _ = _agency_items(result, framework, agency_id, year)
    chains = ladders(items, framework)
    percent = chains[:, 0]
    new = chains[:, 1] if chains.shape[1] > 1 else percent
    methods = items["method"].to_numpy()
    table = pd.DataFrame(
        {
            "item": items["item"].to_numpy(),
            "method": methods,
            "band": steps_of(items, percent, framework),
            "percent": percent,
            "points": items["points"].to_numpy(),
            "new_band": steps_of(items, new, framework),
            "new_percent": new,
            "new_points": new * items["max_points"].to_numpy() / 100,
        }
    )
    table["gain"] = ((table["new_points"] - table["points"]) * items["weight"].to_numpy()).round(4)
    table["level"] = [level_text(framework, m, p) for m, p in zip(methods, percent, strict=True)]
    table["new_level"] = [level_text(framework, m, p) for m, p in zip(methods, new, strict=True)]
    return table.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


def _fewest_raises(gained: np.ndarray, need: float) -> list[int] | None:
    """Raises per item that reach ``need`` with the fewest raises (the most gain among those),
    by dynamic programming over items; ``gained[i, k]`` is item i's gain after k raises."""
    n_items, width = gained.shape
    budget = n_items * (width - 1)
    best = np.zeros(budget + 1)
    best[1:] = -np.inf
    choices = np.zeros((n_items, budget + 1), dtype=int)
    for i in range(n_items):
        candidates = np.full((width, budget + 1), -np.inf)
        for k in range(width):
            candidates[k, k:] = best[: budget + 1 - k] + gained[i, k]
        choices[i] = candidates.argmax(axis=0)
        best = candidates.max(axis=0)
    reached = np.flatnonzero(best >= need - 1e-9)
    if not len(reached):
        return None
    count, plan = int(reached[0]), [0] * n_items
    for i in reversed(range(n_items)):
        plan[i] = int(choices[i, count])
        count -= plan[i]
    return plan


def cheapest_path(
    result: pd.DataFrame, framework: Framework, agency_id: str, year: int, threshold_points: float
) -> pd.DataFrame:
    """The fewest one-step raises (a band, or a rating level) that lift an agency-year's total
    to ``threshold_points``.

    An item may be raised band after band. Greedy (largest gain first) is not minimal under
    the one-band rule: the gains of one item are not decreasing (out of the lowest band +10
    percentage points, then +20 per band, then capped at 100), so a small first raise can
    unlock a large second one, and two raises of one item can beat the two largest single
    raises elsewhere (see the tests). The plan is exact instead: dynamic programming over
    items and raise counts; among plans with the fewest raises it takes the most points.

    One row per raise, an item's raises in order: ``step, item, from_percent, to_percent,
    gain, total`` (the total after it). ``attrs`` holds ``start_total``, ``threshold`` and
    ``note``; no rows when the total already meets the threshold. Raises EvalkitError when
    the total falls short even with every item raised into the top band.
    """
    items, total = _agency_items(result, framework, agency_id, year)
    chains = ladders(items, framework)
    scale = (items["max_points"] * items["weight"]).to_numpy()[:, None] / 100
    gained = (chains - chains[:, :1]) * scale
    plan = _fewest_raises(gained, threshold_points - total)
    if plan is None:
        ceiling = total + gained[:, -1].sum()
        raise EvalkitError(
            msg(
                "{agency} {year} cannot reach {threshold} points: with every item raised band by "
                "band into the top band its total would be {ceiling}. Lower the threshold.",
                agency=agency_id,
                year=year,
                threshold=f"{threshold_points:g}",
                ceiling=f"{ceiling:g}",
            )
        )
    rows = [
        (items["item"].iloc[i], chains[i, k], chains[i, k + 1], gained[i, k + 1] - gained[i, k])
        for i, raises in enumerate(plan)
        for k in range(raises)
    ]
    table = pd.DataFrame(rows, columns=["item", "from_percent", "to_percent", "gain"])
    table.insert(0, "step", np.arange(1, len(table) + 1))
    table["gain"] = table["gain"].astype(float).round(4)
    table["total"] = (total + table["gain"].cumsum()).round(4)
    met = total >= threshold_points - 1e-9
    note = f"already met: {total:g} >= {threshold_points:g}" if met else f"{len(table)} raises"
    table.attrs.update(start_total=total, threshold=threshold_points, note=note)
    return table


def trends(result: pd.DataFrame) -> pd.DataFrame:
    """Per agency, framework, category or total, and year present (absent categories are
    skipped): ``points``, ``change`` since the previous year present, ``slope`` (least-squares
    points per year over every year present; NaN with one year) and ``drop`` (change < 0)."""
    rows = result[result["level"].isin(["category", "total"]) & result["points"].notna()]
    rows = rows[["agency_id", "agency_name", "framework", "level", "key", "year", "points"]].copy()
    rows["_order"] = rows.groupby(["level", "key"], sort=False).ngroup()
    rows = rows.sort_values(["framework", "agency_id", "_order", "year"], kind="stable")
    groups = ["agency_id", "framework", "level", "key"]
    by = rows.groupby(groups, sort=False)
    rows["change"] = by["points"].diff()
    x = rows["year"] - by["year"].transform("mean")
    y = rows["points"] - by["points"].transform("mean")
    sxy = (x * y).groupby([rows[g] for g in groups], sort=False).transform("sum")
    sxx = (x * x).groupby([rows[g] for g in groups], sort=False).transform("sum")
    rows["slope"] = (sxy / sxx.where(sxx > 0)).round(4)
    rows["drop"] = rows["change"] < 0
    return rows.drop(columns="_order").reset_index(drop=True)


def portfolio(
    result: pd.DataFrame, registry: Registry, framework_id: str, year: int
) -> pd.DataFrame:
    """Agencies of one framework and year ranked by total points (1 = highest; ties share the
    lower rank), with ``points, max_points, percent`` and, per total-level rule of the framework,
    a column named by the rule's id: met True/False, or NA where the rule does not apply that
    year."""
    framework = registry.get(framework_id)
    rows = result[(result["framework"] == framework_id) & (result["year"] == year)]
    totals = rows.loc[rows["level"] == "total"]
    if totals.empty:
        raise EvalkitError(
            msg("No totals for framework {framework} in {year}.", framework=framework_id, year=year)
        )
    table = totals[["agency_id", "agency_name", "points", "max_points", "percent"]].copy()
    table.insert(0, "rank", table["points"].rank(ascending=False, method="min").astype(int))
    status = evaluate_rules(rows, registry)
    status = status[status["level"] == "total"].pivot(
        index="agency_id", columns="rule", values="met"
    )
    for rule in (r for r in framework.rules if r.level == "total"):
        met = status[rule.id] if rule.id in status else pd.Series(dtype="boolean")
        table[rule.id] = table["agency_id"].map(met).astype("boolean")
    return table.sort_values(["rank", "agency_id"], kind="stable").reset_index(drop=True)


def indicator_results(sheets: SheetSet) -> pd.DataFrame:
    """Per agency, year, item and indicator: ``success`` (see
    :func:`evalkit.scoring.methods.success_rate`), ``change`` since the previous year present
    for the same agency and indicator, and against the other agencies with that indicator name
    in that framework and year: ``rank`` (1 = highest success; ties share), ``agencies`` and
    ``median``."""
    rows = sheets.indicators
    columns = [*KEYS, "agency_name", "item", "indicator", "target", "actual", "direction"]
    table = rows[columns].astype({c: str for c in columns if c not in ("year", "target", "actual")})
    table["success"] = success_rate(rows).to_numpy(dtype=float).round(4)
    table = table.sort_values(["framework", "agency_id", "item", "indicator", "year"])
    own = table.groupby(["agency_id", "framework", "item", "indicator"], sort=False)["success"]
    table["change"] = own.diff().round(4)
    peers = table.groupby(["framework", "indicator", "year"], sort=False)["success"]
    table["rank"] = peers.rank(ascending=False, method="min").astype("Int64")
    table["agencies"] = peers.transform("count")
    table["median"] = peers.transform("median")
    return table.reset_index(drop=True)
