"""The live what-if of one agency-year: set an item's band or rating, or mark checks met, and
score again, exactly as ``evalkit score`` scores the changed sheet.

A change is made where the scores come from, in the rows of the sheets: every score the panel
gave the item becomes the new value (every check verdict of a check marked met becomes yes),
and the rows are scored and judged by the library's own :func:`~evalkit.scoring.engine.score`
and :func:`~evalkit.scoring.rules.evaluate_rules`. Whatever decides the panel's value (the
framework's consensus rule, an agreed value) therefore gives the new value, and every rule the
framework holds is judged as on the agency's page. The agency's own rows (``self``) and rows
without a score (comments) are left as they are.

The cheapest path to a target is the library's exact search: the fewest one-step raises for
bands and ratings (:func:`~evalkit.analysis.compare.cheapest_path`), the fewest checks for
gated checklists (:func:`~evalkit.analysis.check_path.check_path`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evalkit.analysis.agreement import stepped_methods
from evalkit.analysis.check_path import check_path, checklist_items
from evalkit.analysis.checks import check_verdicts, unmet_checks
from evalkit.analysis.compare import cheapest_path
from evalkit.analysis.steps import level_text, rating_position
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import is_self, score
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.sheetset import SheetSet


@dataclass(frozen=True)
class Scenario:
    """A what-if: items set to a new value (a percent for band-percent items, a rating value
    for rating items) and checks marked met."""

    values: Mapping[str, float] = field(default_factory=dict)
    checks: frozenset[str] = frozenset()

    def with_value(self, item: str, value: float | None) -> Scenario:
        values = {k: v for k, v in self.values.items() if k != item}
        if value is not None:
            values[item] = float(value)
        return Scenario(values, self.checks)

    def with_checks(self, checks: frozenset[str], within: frozenset[str]) -> Scenario:
        """The checks ``within`` (one item's) replaced by ``checks``; the others kept."""
        return Scenario(self.values, (self.checks - within) | checks)

    def __bool__(self) -> bool:
        return bool(self.values or self.checks)


@dataclass(frozen=True)
class Outcome:
    """A scenario scored: the agency-year's score rows, its rule rows, and its sheet rows."""

    result: pd.DataFrame
    rules: pd.DataFrame
    sheets: SheetSet

    @property
    def total(self) -> float:
        return float(self.result.loc[self.result["level"] == "total", "points"].iloc[0])


def item_choices(framework: Framework, key: str) -> list[tuple[str, float]]:
    """The values an item can take, as (label, value): each allowed percent of a band-percent
    item with its band, each rating level of a rating item with its name."""
    item = framework.item(key)
    if item.method == "rating":
        return [(f"{r.value} {r.name_th}", float(r.value)) for r in framework.ratings]
    steps = np.arange(0, 100 + framework.step / 2, framework.step)
    low = framework.bands[0][0] if framework.bands else 0
    allowed = [
        float(p)
        for p in steps
        if p >= low and any(a <= p <= b for a, b in framework.bands or ((0, 100),))
    ]
    return [(f"{p:g}% {level_text(framework, item.method, p, item.factors)}", p) for p in allowed]


def rating_value(framework: Framework, percent: float) -> float:
    """The rating level whose percent is nearest ``percent``, as its value (0-5)."""
    index = int(rating_position(np.array([percent]), framework)[0])
    return float(framework.ratings[index].value)


def _changeable(framework: Framework) -> set[str]:
    methods = stepped_methods(framework)
    return {i.key for i in framework.items if i.method in methods}


class WhatIf:
    """What-ifs of one agency in one framework and year, over the rows it was scored from."""

    def __init__(
        self, sheets: SheetSet, registry: Registry, framework: Framework, agency_id: str, year: int
    ):
        self.registry, self.framework = registry, framework
        self.agency_id, self.year = agency_id, int(year)
        self.sheets = sheets.where(agency_id=agency_id, year=self.year, framework=framework.id)
        self.base = self.run(Scenario())
        if self.base.result.empty:
            raise EvalkitError(
                msg(
                    "No scores for {agency} {year} in framework {framework}.",
                    agency=agency_id,
                    year=year,
                    framework=framework.id,
                )
            )

    def run(self, scenario: Scenario) -> Outcome:
        """The scenario scored and judged by the library, as ``evalkit score --rules``."""
        sheets = self.changed(scenario)
        result = score(sheets, self.registry)
        return Outcome(result, evaluate_rules(result, self.registry), sheets)

    def changed(self, scenario: Scenario) -> SheetSet:
        """The agency-year's rows with the scenario written into them."""
        bands, checks = self.sheets.bands, self.sheets.checks
        if scenario.values:
            bands = bands.copy()
            scored = ~is_self(bands["assessor"]) & (
                bands["percent"].notna() | bands["rating"].notna()
            )
            for key, value in scenario.values.items():
                column = "rating" if self.framework.item(key).method == "rating" else "percent"
                bands.loc[scored & (bands["item"] == key).to_numpy(), column] = value
        if scenario.checks:
            checks = self._checks_met(checks, scenario.checks)
        frames = self.sheets.frames() | {"band": bands, "checklist": checks}
        return SheetSet(frames)

    def _checks_met(self, checks: pd.DataFrame, marked: frozenset[str]) -> pd.DataFrame:
        """Every panel verdict of the marked checks set to yes; a check the panel's rows leave
        out of an item they cover gets a yes from each assessor of that item."""
        checks = checks.copy()
        panel = ~is_self(checks["assessor"])
        hit = panel & checks["check"].astype(str).isin(marked).to_numpy()
        checks.loc[hit, "met"] = True
        present = set(checks.loc[panel, "check"].astype(str))
        table = self.framework.check_table().set_index("check")
        added = []
        for check in sorted(marked - present):
            item = str(table.loc[check, "item"])
            rows = checks[panel & (checks["item"] == item).to_numpy()]
            for _, row in rows.drop_duplicates("assessor").iterrows():
                added.append(
                    row.to_dict()
                    | {"check": check, "level": table.loc[check, "level"], "met": True}
                )
        if added:
            checks = SheetSet.of(checks=pd.concat([checks, pd.DataFrame(added)])).checks
        return checks

    # -- what the controls start from ------------------------------------------------------

    def current_values(self) -> dict[str, float]:
        """Each changeable item's value now: its percent, or its rating value."""
        rows = self.base.result[self.base.result["level"] == "item"]
        keys = _changeable(self.framework)
        values = {}
        for key, percent in zip(rows["key"].astype(str), rows["percent"], strict=True):
            if key not in keys or pd.isna(percent):
                continue
            rated = self.framework.item(key).method == "rating"
            values[key] = rating_value(self.framework, percent) if rated else float(percent)
        return values

    def verdicts(self, outcome: Outcome | None = None) -> pd.DataFrame:
        """The panel's verdict on every check (see :func:`check_verdicts`)."""
        if "gated-checklist" not in self.framework.methods:
            return pd.DataFrame()
        sheets = (outcome or self.base).sheets
        return check_verdicts(sheets, self.framework, self.agency_id, self.year)

    # -- the cheapest path --------------------------------------------------------------

    def targets(self, outcome: Outcome) -> pd.DataFrame:
        """The rule rows that can be asked for: not met in ``outcome``, on the total (bands
        and ratings) or on the total or a category (checklists)."""
        rules = outcome.rules[outcome.rules["met"].eq(False).fillna(False).astype(bool)]
        if "gated-checklist" not in self.framework.methods:
            rules = rules[rules["level"] == "total"]
        return rules.reset_index(drop=True)

    def cheapest(
        self, scenario: Scenario, threshold: float, category: str | None = None
    ) -> tuple[Scenario, pd.DataFrame]:
        """The scenario with the cheapest path to ``threshold`` points (on the total, or on
        ``category`` for a checklist) applied, and the path itself; EvalkitError when the
        target cannot be reached."""
        outcome = self.run(scenario)
        if "gated-checklist" in self.framework.methods:
            return self._fewest_checks(scenario, outcome, threshold, category)
        path = cheapest_path(outcome.result, self.framework, self.agency_id, self.year, threshold)
        for key, rows in path.groupby("item", sort=False):
            percent = float(rows["to_percent"].iloc[-1])
            rated = self.framework.item(str(key)).method == "rating"
            value = rating_value(self.framework, percent) if rated else percent
            scenario = scenario.with_value(str(key), value)
        return scenario, path

    def _fewest_checks(
        self, scenario: Scenario, outcome: Outcome, threshold: float, category: str | None
    ) -> tuple[Scenario, pd.DataFrame]:
        verdicts = self.verdicts(outcome)
        items = checklist_items(verdicts, self.framework, outcome.result, category)
        level, key = ("total", "total") if category is None else ("category", category)
        rows = outcome.result[(outcome.result["level"] == level) & (outcome.result["key"] == key)]
        start = float(rows["points"].iloc[0])
        path = check_path(
            items, unmet_checks(verdicts, self.framework), self.framework, start, threshold
        )
        if not path.attrs.get("reachable", True):
            raise EvalkitError(
                msg(
                    "{threshold} points cannot be reached: with every check met the score "
                    "would be {ceiling}.",
                    threshold=f"{threshold:g}",
                    ceiling=f"{path.attrs['ceiling']:g}",
                )
            )
        checks = frozenset(path["check"].astype(str))
        return Scenario(scenario.values, scenario.checks | checks), path
