"""The sections of an agency report that look past the sum: how the assessors agree, the
agency's own view against the panel's, what raising items would do, trends, indicators and
poverty figures. Mixed into :class:`evalkit.report.agency.AgencyReport`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.analysis import compare as analysis
from evalkit.analysis.agreement import item_spread, panel_agreement, panel_values, stepped_methods
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import bilingual, msg
from evalkit.report import charts
from evalkit.report.display import Html, section
from evalkit.report.poverty import poverty_tables
from evalkit.report.state import ReportState
from evalkit.scoring.engine import ABSENT
from evalkit.scoring.rules import evaluate_rules
from evalkit.scoring.rules import unmet as unmet_rules


class PanelSections(ReportState):
    def _panel_values(self) -> pd.DataFrame:
        """The panel's values on band-percent and rating items this year (see
        :func:`evalkit.analysis.agreement.panel_values`)."""
        bands = self.sheets.bands
        bands = bands[(bands["year"] == self.year) & (bands["framework"] == self.framework.id)]
        return panel_values(bands, self.framework) if stepped_methods(self.framework) else bands

    def _ratings_only(self) -> bool:
        return stepped_methods(self.framework) == ("rating",)

    def flagged_items(self) -> list[str]:
        """Items on which the panel is two steps (bands or rating levels) apart or more."""
        if not stepped_methods(self.framework) or self._panel_values().empty:
            return []
        spread = item_spread(self.sheets.bands, self.framework)
        mine = (spread["agency_id"] == self.agency_id) & (spread["year"] == self.year)
        return [str(item) for item in spread.loc[mine & spread["flagged"], "item"]]

    def assessor_heatmap(self) -> Html:
        """Each assessor's value (percent, or rating for a rating framework) for each item,
        shaded; items two or more steps apart marked."""
        values = self._panel_values()
        ratings = self._ratings_only()
        if values.empty:
            return section("panel", "assessor_heatmap", matrix=None, ratings=ratings)
        matrix = values.pivot_table(
            index="item", columns="assessor", values="value" if ratings else "percent"
        ).astype(float)
        order = [i.key for i in self.framework.items if i.key in matrix.index]
        return section(
            "panel",
            "assessor_heatmap",
            matrix=matrix.loc[order],
            ratings=ratings,
            flagged=frozenset(self.flagged_items()),
            scale=max(r.value for r in self.framework.ratings) if ratings else 100,
        )

    def agreement_note(self) -> Html:
        """Krippendorff's alpha of the panel on this agency's items, and the items flagged."""
        if not stepped_methods(self.framework) or self._panel_values().empty:
            return section("panel", "agreement_note", measured=False)
        rows = panel_agreement(self.sheets.bands, self.framework)
        rows = rows[(rows["agency_id"] == self.agency_id) & (rows["year"] == self.year)]
        alpha = rows["alpha"].iloc[0] if len(rows) else float("nan")
        return section(
            "panel",
            "agreement_note",
            measured=True,
            alpha="-" if pd.isna(alpha) else f"{alpha:.2f}",
            flagged=int(rows["flagged"].iloc[0]) if len(rows) else 0,
            ratings=self._ratings_only(),
        )

    def self_assessment_table(self) -> Html:
        table_ = analysis.self_vs_panel(self.sheets, self.current, self.registry)
        if table_.empty and not stepped_methods(self.framework):
            return Html("")  # checklists and indicators: see checks_self_vs_panel
        return section("panel", "self_assessment_table", rows=table_)

    def what_if_table(self, n: int = 5) -> Html:
        """The items that add most points when raised one step (a band, or a rating level),
        and the fewest raises to the first award threshold or target not yet met."""
        if not stepped_methods(self.framework):
            return section("panel", "no_steps")
        raises = analysis.what_if(self.current, self.framework, self.agency_id, self.year)
        return section("panel", "what_if_table", raises=raises.head(n), path=self._path_to_rule())

    def _path_to_rule(self) -> dict[str, object]:
        """The fewest raises to the lowest total rule not met, or why there are none."""
        rules = evaluate_rules(self.current, self.registry)
        total = rules[rules["level"] == "total"]
        unmet = total[unmet_rules(total)]
        if unmet.empty:
            if len(total) and not total["applicable"].any():
                return {"state": "not applicable", "note": str(total["note"].iloc[0])}
            return {"state": "met"}
        rule = unmet.sort_values("threshold").iloc[0]
        threshold = float(rule["threshold"])
        found = {"rule": str(rule["rule_name"]), "threshold": threshold}
        try:
            path = analysis.cheapest_path(
                self.current, self.framework, self.agency_id, self.year, threshold
            )
        except EvalkitError:
            return found | {"state": "unreachable"}
        return found | {"state": "path", "steps": path}

    def category_trend_chart(self) -> charts.Chart | Html:
        rows = self.history[
            (self.history["level"] == "category") & (self.history["label"] != ABSENT)
        ]
        if rows["year"].nunique() < 2:
            return section("panel", "one_year")
        return charts.category_lines(rows, bilingual(msg("category % by year")))

    def trend_table(self) -> Html:
        trends = analysis.trends(self.history)
        trends = trends[trends["year"] == self.year]
        if trends["change"].isna().all():
            return section("panel", "trend_table", trends=None)
        return section("panel", "trend_table", trends=trends.assign(flag=trends["drop"]))

    def indicator_section(self) -> Html:
        """Result indicators (success against target, change, rank among agencies), under a
        heading of their own; nothing when the agency has none."""
        results = analysis.indicator_results(self.sheets)
        results = results[(results["agency_id"] == self.agency_id) & (results["year"] == self.year)]
        if results.empty:
            return Html("")
        columns = {
            column: bilingual(column)
            for column in results.columns
            if column not in ("agency_id", "agency_name", "framework")
        }
        return section("panel", "indicator_section", results=results, columns=columns)

    @staticmethod
    def poverty_section(path: str | Path | None) -> Html:
        """What levels A, B, C and F mean, households and people by level and by support
        menu with their shares, the two crossed, and the households still to follow up,
        under a heading of their own; nothing when the report names no household file."""
        if not path:
            return Html("")
        return section("panel", "poverty_section", body=poverty_tables(path))
