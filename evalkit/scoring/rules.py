"""Award thresholds and KPI targets: does a score meet each rule, and by how much does it
fall short? The rules are data in each framework file (``rules:``)."""

from __future__ import annotations

import pandas as pd

from evalkit.frameworks.model import Rule
from evalkit.frameworks.registry import Registry, default_registry
from evalkit.scoring.engine import ABSENT, absent_categories
from evalkit.scoring.methods import KEYS

RULE_COLUMNS = [
    "agency_id",
    "agency_name",
    "year",
    "framework",
    "rule",
    "rule_name",
    "level",
    "key",
    "points",
    "threshold",
    "met",
    "shortfall",
    "note",
]


def _applies(rule: Rule, rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows[(rows["level"] == rule.level) & (rows["label"] != ABSENT)]
    if rule.categories:
        rows = rows[rows["key"].isin(rule.categories)]
    if rule.years:
        rows = rows[rows["year"].isin(rule.years)]
    return rows


def evaluate_rules(result: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """One row per scored total or category and applicable rule, with ``met`` and
    ``shortfall`` (points still needed; 0 when met)."""
    registry = registry or default_registry()
    parts = []
    absent = absent_categories(result).set_index(KEYS)
    for framework_id, rows in result.groupby("framework", sort=True):
        framework = registry.get(str(framework_id))
        for rule in framework.rules:
            hits = _applies(rule, rows).copy()
            if hits.empty:
                continue
            if rule.min_points is not None:
                hits["threshold"] = rule.min_points
            else:
                ceiling = framework.max_points if rule.level == "total" else hits["max_points"]
                hits["threshold"] = (rule.min_percent or 0.0) * ceiling / 100
            hits["met"] = hits["points"].fillna(-1) >= hits["threshold"] - 1e-9
            hits["shortfall"] = (hits["threshold"] - hits["points"].fillna(0)).clip(lower=0)
            hits["note"] = ""
            if rule.level == "total":
                partial = hits.set_index(KEYS).index.isin(absent.index)
                hits.loc[partial, "note"] = "the total covers only some categories"
            parts.append(hits.assign(rule=rule.id, rule_name=rule.name_th or rule.name_en))
    if not parts:
        return pd.DataFrame(columns=RULE_COLUMNS)
    rules = pd.concat(parts, ignore_index=True)[RULE_COLUMNS]
    rules[["threshold", "shortfall"]] = rules[["threshold", "shortfall"]].round(4)
    return rules
