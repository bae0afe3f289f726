"""The sections of an agency report for checklists and indicators (the PMQA 4.0 status
assessment and any framework scored the same way): what the level label means, the checks
not met and the ones that gate higher credit, the fewest checks to each target, the agency's
own verdicts beside the panel's, and indicators with their scales and trends. Mixed into
:class:`evalkit.report.agency.AgencyReport`; each section is empty for a framework without
checklist (or indicator) items."""

from __future__ import annotations

import pandas as pd

from evalkit.analysis.check_path import rule_paths
from evalkit.analysis.checks import (
    blockers,
    check_verdicts,
    indicator_points_table,
    indicator_series,
    item_verdicts,
    unmet_checks,
)
from evalkit.core.i18n import bilingual, msg
from evalkit.report import charts
from evalkit.report.display import Html, section
from evalkit.report.state import ReportState
from evalkit.scoring.rules import evaluate_rules


class StatusSections(ReportState):
    def _verdicts(self) -> pd.DataFrame:
        if "gated-checklist" not in self.framework.methods:
            return pd.DataFrame()
        return check_verdicts(self.sheets, self.framework, self.agency_id, self.year)

    def unmet_checks_section(self) -> Html:
        """What the level label means, then per item the checks the panel did not find met,
        the Basic checks that block higher credit named first; nothing for a framework
        without checklist items."""
        verdicts = self._verdicts()
        if verdicts.empty:
            return Html("")
        items = item_verdicts(verdicts, self.framework).set_index("item")
        low = [k for k, v in items["label"].items() if v == "Below Basic"]
        unmet = unmet_checks(verdicts, self.framework)
        return section(
            "status",
            "unmet_checks",
            label="Below Basic" if low else "",  # items carry levels; the total, points only
            low=", ".join(low),
            blockers=list(blockers(unmet).itertuples(index=False)),
            unmet=unmet.assign(points=unmet["item"].map(items["points"])),
        )

    def check_path_section(self) -> Html:
        """For each target not met, the fewest checks to meet it, with the points each adds;
        nothing for a framework without checklist items or without rules."""
        verdicts = self._verdicts()
        if verdicts.empty:
            return Html("")
        rules = evaluate_rules(self.current, self.registry)
        if rules.empty:
            return Html("")
        paths = rule_paths(self.current, verdicts, self.framework, rules)
        return section("status", "check_path", paths=paths)

    def checks_self_vs_panel(self) -> Html:
        """The agency's own verdict beside the panel's for every check, and the item points
        each gives; nothing without ``self`` checklist rows."""
        verdicts = self._verdicts()
        if verdicts.empty or verdicts["self_met"].isna().all():
            return Html("")
        items = item_verdicts(verdicts, self.framework)
        mine = verdicts[verdicts["self_met"].notna()]
        mine = mine.assign(
            self_verdict=mine["self_met"].astype(bool),
            panel_verdict=mine["met"],
            differs=mine["self_met"].astype(bool) != mine["met"],
        )
        return section(
            "status", "self_and_panel", items=items[items["self_points"].notna()], checks=mine
        )

    def indicator_points_section(self) -> Html:
        """Each indicator's points, on its five-level scale or by success rate, the agency's
        own rows beside the panel's; then the results by year as a trend; nothing without
        indicators."""
        rows = indicator_points_table(self.sheets, self.framework, self.agency_id, self.year)
        if rows.empty:
            return Html("")
        return section("status", "indicator_points", rows=rows)

    def indicator_trend_chart(self) -> charts.Chart | Html:
        """Results by year of every indicator with two years or more; nothing otherwise."""
        series = indicator_series(self.sheets, self.framework, self.agency_id)
        counts = series.groupby(["item", "indicator"])["year"].transform("count")
        series = series[counts >= 2]
        if series.empty:
            return Html("")
        return charts.indicator_trends(series, bilingual(msg("indicator results by year")))
