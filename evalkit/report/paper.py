"""What a checklist report (the PMQA 4.0 status assessment) prints first: a summary that fits
on two A4 pages (the total against its targets, the categories, the agreed unmet checks that
matter most, the path to the next target), then the heading of the appendix, from which the
rest of the report prints compactly. Mixed into :class:`evalkit.report.agency.AgencyReport`;
both are empty for a framework without checklist items."""

from __future__ import annotations

import pandas as pd

from evalkit.analysis.check_path import rule_paths
from evalkit.analysis.checks import unmet_checks
from evalkit.exports.feedback import known, shown_rules
from evalkit.report.display import Html, section
from evalkit.report.state import ReportState
from evalkit.scoring.rules import evaluate_rules

#: The unmet checks the summary lists, and the first steps of the path it shows: the rest
#: are in the appendix.
MOST = 8
#: The order in which unmet checks matter: a Basic check that holds back credit first.
LEVEL_ORDER = {"basic": 0, "advance": 1, "significance": 2}


class PaperSections(ReportState):
    def _verdicts(self) -> pd.DataFrame:  # provided by StatusSections
        raise NotImplementedError

    def categories(self, scored_only: bool = False) -> pd.DataFrame:  # by AgencyReport
        raise NotImplementedError

    def status_summary(self) -> Html:
        """The first two printed pages of a checklist report; nothing for other frameworks."""
        verdicts = self._verdicts()
        if verdicts.empty:
            return Html("")
        rules = evaluate_rules(self.current, self.registry)
        unmet = unmet_checks(verdicts, self.framework)
        ranked = unmet.assign(
            _blocks=-unmet["held_back"].fillna(0), _level=unmet["level"].map(LEVEL_ORDER)
        ).sort_values(["_blocks", "_level", "item", "check"], kind="stable")
        paths = rule_paths(self.current, verdicts, self.framework, rules) if len(rules) else []
        rule, path = paths[0] if paths else (None, None)
        return section(
            "paper",
            "summary",
            total=self.current[self.current["level"] == "total"].iloc[0],
            targets=shown_rules(rules[rules["level"] == "total"]),
            categories=self._categories_against(rules),
            checks=ranked.head(MOST),
            unmet=len(unmet),
            rule=rule,
            path=None if path is None else path.head(MOST),
            steps=0 if path is None else len(path),
        )

    def _categories_against(self, rules: pd.DataFrame) -> pd.DataFrame:
        """Each category's points, and its own target where the framework sets one."""
        mine = rules[rules["level"] == "category"].drop_duplicates("key")
        mine = mine.set_index("key")
        rows = self.categories()
        return rows.assign(
            threshold=rows["key"].map(mine["threshold"]),
            met=rows["key"].map(mine["met"]).map(known),
        )

    def appendix_heading(self) -> Html:
        """Where the detail of a checklist report starts (and prints compactly)."""
        return Html("") if self._verdicts().empty else section("paper", "appendix")
