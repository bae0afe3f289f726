"""The fewest checklist checks that lift a total (or a category) to a target.

Within an item and level every check is worth the same, so a plan is, per item, how many more
Basic, Advance and Significance checks to meet. The gate makes gains jump (the last Basic
check of an item can release every Advance check already met), so taking the largest gain
first is not minimal. The search is exact: dynamic programming over items, whose state is the
number of Basic, Advance and Significance checks added and whose value is the most points
those can add. Among the plans that reach the target it takes the fewest checks; ties go to
the lowest levels (more Basic checks, then more Advance checks), then to the most points.
Within an item and level the checks are taken in the framework's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalkit.analysis.checks import check_verdicts, level_counts, unmet_checks
from evalkit.frameworks.model import CHECK_LEVELS, Framework
from evalkit.frameworks.registry import Registry
from evalkit.scoring.methods import KEYS, checklist_points
from evalkit.scoring.rules import unmet as unmet_rules
from evalkit.sheets.sheetset import SheetSet

EPSILON = 1e-9


@dataclass(frozen=True)
class ItemChecks:
    """One checklist item: checks defined and met per level, and the total points one item
    point is worth (``weight``)."""

    key: str
    totals: tuple[int, int, int]
    met: tuple[int, int, int]
    weight: float


def gain_table(item: ItemChecks, framework: Framework) -> np.ndarray:
    """Total points gained by meeting ``kb, ka, ks`` more checks: an array indexed by them."""
    totals, met = np.array(item.totals), np.array(item.met)
    shape = tuple(int(n) + 1 for n in totals - met)
    added = np.array(list(np.ndindex(*shape)), dtype=int).reshape(-1, 3)
    counts = met + added
    points, _ = checklist_points(counts, np.broadcast_to(totals, counts.shape), framework)
    now, _ = checklist_points(met[None, :], totals[None, :], framework)
    return np.asarray(((points - now[0]) * item.weight).reshape(shape))


def plan_key(plan: Sequence[tuple[int, int, int]], gain: float) -> tuple[float, ...]:
    """The order plans are compared in: fewer checks, more Basic, more Advance, more points."""
    nb = sum(p[0] for p in plan)
    na = sum(p[1] for p in plan)
    ns = sum(p[2] for p in plan)
    return (nb + na + ns, -nb, -na, -gain)


def fewest_checks(
    items: Sequence[ItemChecks], framework: Framework, need: float
) -> tuple[list[tuple[int, int, int]], float] | None:
    """Per item, how many more Basic, Advance and Significance checks to meet so that the
    total gains at least ``need`` points, by the module's order; and the points gained. None
    when meeting every check still falls short."""
    best = np.zeros((1, 1, 1))
    steps: list[tuple[np.ndarray, tuple[int, ...]]] = []
    for item in items:
        gains = gain_table(item, framework)
        shape = tuple(a + b - 1 for a, b in zip(best.shape, gains.shape, strict=True))
        value = np.full(shape, -np.inf)
        choice = np.zeros(shape, dtype=np.int32)
        b0, a0, s0 = best.shape
        for option, (kb, ka, ks) in enumerate(np.ndindex(*gains.shape)):
            region = value[kb : kb + b0, ka : ka + a0, ks : ks + s0]
            candidate = best + gains[kb, ka, ks]
            better = candidate > region + EPSILON
            region[better] = candidate[better]
            choice[kb : kb + b0, ka : ka + a0, ks : ks + s0][better] = option
        best = value
        steps.append((choice, gains.shape))
    states = np.argwhere(best >= need - EPSILON)
    if not len(states):
        return None
    values = best[tuple(states.T)]
    order = np.lexsort((-values, -states[:, 1], -states[:, 0], states.sum(axis=1)))
    state = [int(v) for v in states[order[0]]]
    gained = float(values[order[0]])
    plan: list[tuple[int, int, int]] = []
    for choice, shape in reversed(steps):
        kb, ka, ks = (int(v) for v in np.unravel_index(int(choice[tuple(state)]), shape))
        plan.append((kb, ka, ks))
        state = [state[0] - kb, state[1] - ka, state[2] - ks]
    return plan[::-1], gained


PATH_COLUMNS = ["step", "item", "level", "check", "text_th", "gain", "total"]


def _rows(
    plan: Sequence[tuple[int, int, int]],
    items: Sequence[ItemChecks],
    unmet: pd.DataFrame,
    framework: Framework,
    start: float,
) -> pd.DataFrame:
    """The plan as checks, lowest level first, each with the total points it adds in turn."""
    chosen = []
    for item, counts in zip(items, plan, strict=True):
        mine = unmet[unmet["item"] == item.key]
        for level, count in zip(CHECK_LEVELS, counts, strict=True):
            chosen += list(mine[mine["level"] == level].head(count).itertuples(index=False))
    rank = {level: n for n, level in enumerate(CHECK_LEVELS)}
    position = {item.key: n for n, item in enumerate(items)}
    chosen.sort(key=lambda r: (rank[r.level], position[r.item]))
    met = {item.key: np.array(item.met) for item in items}
    by_key = {item.key: item for item in items}
    rows, total = [], start
    for n, row in enumerate(chosen, start=1):
        item = by_key[row.item]
        before, _ = checklist_points(met[row.item], np.array(item.totals), framework)
        met[row.item] = met[row.item] + np.eye(3, dtype=int)[rank[row.level]]
        after, _ = checklist_points(met[row.item], np.array(item.totals), framework)
        gain = float(after[0] - before[0]) * item.weight
        total += gain
        rows.append((n, row.item, row.level, row.check, row.text_th, gain, total))
    table = pd.DataFrame(rows, columns=PATH_COLUMNS)
    table[["gain", "total"]] = table[["gain", "total"]].astype(float).round(4)
    return table


def check_path(
    items: Sequence[ItemChecks],
    unmet: pd.DataFrame,
    framework: Framework,
    start: float,
    threshold: float,
) -> pd.DataFrame:
    """The fewest checks from ``start`` to ``threshold`` points, one row per check (see
    :data:`PATH_COLUMNS`); ``unmet`` lists the unmet checks (``item, level, check,
    text_th``) in framework order. ``attrs`` hold ``start``, ``threshold``, ``reachable``
    and ``ceiling`` (the points with every check met). No rows when already met."""
    ceiling = start + sum(float(gain_table(i, framework).max()) for i in items)
    attrs = {"start": start, "threshold": threshold, "ceiling": round(ceiling, 4)}
    if start >= threshold - EPSILON:
        table = pd.DataFrame(columns=PATH_COLUMNS)
        table.attrs.update(attrs, reachable=True)
        return table
    found = fewest_checks(items, framework, threshold - start)
    if found is None:
        table = pd.DataFrame(columns=PATH_COLUMNS)
        table.attrs.update(attrs, reachable=False)
        return table
    table = _rows(found[0], items, unmet, framework, start)
    table.attrs.update(attrs, reachable=True)
    return table


def checklist_items(
    verdicts: pd.DataFrame, framework: Framework, result: pd.DataFrame, category: str | None = None
) -> list[ItemChecks]:
    """The checklist items of one agency-year's ``verdicts`` as :class:`ItemChecks`, weighted
    for the total (or for ``category``) by the framework's aggregate rule; ``result`` holds
    that agency-year's score rows, to know which categories are present."""
    present = result[(result["level"] == "category") & result["points"].notna()]["key"]
    size = {c.key: len(c.items) for c in framework.categories}
    met, total = level_counts(verdicts)
    items = []
    for key in met.index:
        home = framework.item(key).category
        if category is not None and home != category:
            continue
        if framework.aggregate == "sum":
            weight = 1.0
        elif category is not None:
            weight = 1 / size[home]
        else:
            weight = 1 / (size[home] * max(len(present), 1))
        items.append(
            ItemChecks(
                key,
                tuple(int(v) for v in total.loc[key]),  # type: ignore[arg-type]
                tuple(int(v) for v in met.loc[key]),  # type: ignore[arg-type]
                weight,
            )
        )
    return items


def rule_paths(
    result: pd.DataFrame, verdicts: pd.DataFrame, framework: Framework, rules: pd.DataFrame
) -> list[tuple[pd.Series, pd.DataFrame]]:
    """For each rule row of one agency-year that is not met (``rules`` from
    :func:`evalkit.scoring.rules.evaluate_rules`), the fewest checks to meet it."""
    unmet = unmet_checks(verdicts, framework)
    paths = []
    for _, rule in rules[unmet_rules(rules)].iterrows():
        category = None if rule["level"] == "total" else str(rule["key"])
        items = checklist_items(verdicts, framework, result, category)
        paths.append(
            (
                rule,
                check_path(
                    items, unmet, framework, float(rule["points"]), float(rule["threshold"])
                ),
            )
        )
    return paths


def paths_for_rules(
    result: pd.DataFrame, sheets: SheetSet, registry: Registry, rules: pd.DataFrame
) -> list[tuple[pd.Series, pd.DataFrame]]:
    """For every unmet rule row of a gated-checklist framework in ``rules``, the fewest checks
    to meet it (agency by agency); other frameworks' rows are skipped."""
    out = []
    unmet = rules[unmet_rules(rules)]
    for (agency_id, year, framework_id), mine in unmet.groupby(KEYS, sort=False):
        framework = registry.get(str(framework_id))
        if "gated-checklist" not in framework.methods:
            continue
        verdicts = check_verdicts(sheets, framework, str(agency_id), int(year))
        if verdicts.empty:
            continue
        rows = result[
            (result["agency_id"] == agency_id)
            & (result["year"] == year)
            & (result["framework"] == framework_id)
        ]
        out += rule_paths(rows, verdicts, framework, mine)
    return out
