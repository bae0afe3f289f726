"""Award thresholds and KPI targets: does a score meet each rule, and by how much does it
fall short? The rules are data in each framework file (``rules:``).

A sheet that covers some categories only (a category award) is judged for what it is. Where
the total is a sum (``aggregate: sum``), it shrinks with every category left out, so rules on
the total do not apply (``applicable`` False, ``met`` and ``shortfall`` empty, the note naming
the categories absent). Where the total is a mean on the framework's scale (``aggregate:
mean``, the status assessment), it stays comparable with the rule's threshold: the rule is
judged, and the note says that the total covers the categories assessed only. Rules on
categories are judged for the categories present.
"""

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
    "applicable",
    "met",
    "shortfall",
    "note",
]


def not_applicable_note(absent: list[str]) -> str:
    """The note of a total rule (a sum) on a sheet that leaves categories out, Thai first."""
    keys = ", ".join(absent)
    return f"ไม่เกี่ยวข้อง: ไม่ได้ประเมินหมวด {keys} (not applicable: categories {keys} absent)"


def partial_mean_note(absent: list[str]) -> str:
    """The note of a total rule (a mean) on a sheet that leaves categories out, Thai first."""
    keys = ", ".join(absent)
    return (
        f"คะแนนรวมเฉลี่ยเฉพาะหมวดที่ประเมิน ไม่ได้ประเมินหมวด {keys} "
        f"(the total is the mean of the categories assessed; categories {keys} absent)"
    )


def _applies(rule: Rule, rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows[(rows["level"] == rule.level) & (rows["label"] != ABSENT)]
    if rule.categories:
        rows = rows[rows["key"].isin(rule.categories)]
    if rule.years:
        rows = rows[rows["year"].isin(rule.years)]
    return rows


def unmet(rules: pd.DataFrame) -> pd.Series:
    """The rule rows that apply and are not met (rows of :func:`evaluate_rules`)."""
    return rules["met"].eq(False).fillna(False).astype(bool)


def evaluate_rules(result: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """One row per scored total or category and rule, with ``met`` and ``shortfall`` (points
    still needed; 0 when met). A total rule on a summed total that covers some categories
    only is not applicable: ``applicable`` is False, ``met`` (nullable boolean) and
    ``shortfall`` are empty and ``note`` names the categories absent (see the module
    docstring for totals that are means)."""
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
            hits["met"] = (hits["points"].fillna(-1) >= hits["threshold"] - 1e-9).astype("boolean")
            hits["shortfall"] = (hits["threshold"] - hits["points"].fillna(0)).clip(lower=0)
            hits["applicable"], hits["note"] = True, ""
            if rule.level == "total":
                missing = hits.set_index(KEYS).index.map(absent["absent"].to_dict())
                partial = ~pd.isna(pd.Series(missing, index=hits.index, dtype=object))
                if framework.aggregate == "mean":
                    hits.loc[partial, "note"] = [partial_mean_note(m) for m in missing[partial]]
                else:
                    hits.loc[partial, "met"] = pd.NA
                    hits.loc[partial, "shortfall"] = float("nan")
                    hits.loc[partial, "applicable"] = False
                    hits.loc[partial, "note"] = [not_applicable_note(m) for m in missing[partial]]
            parts.append(hits.assign(rule=rule.id, rule_name=rule.name_th or rule.name_en))
    if not parts:
        return pd.DataFrame(columns=RULE_COLUMNS)
    rules = pd.concat(parts, ignore_index=True)[RULE_COLUMNS]
    rules[["threshold", "shortfall"]] = rules[["threshold", "shortfall"]].round(4)
    return rules
