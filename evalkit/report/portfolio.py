"""What the portfolio notebook shows: every agency of one framework and year side by side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from evalkit.analysis import compare as analysis
from evalkit.analysis.decisions import applied_of, decide
from evalkit.core.contract import SUMMARY_KEY
from evalkit.core.i18n import bilingual, msg
from evalkit.exports.decisions import decision_context
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.report import charts
from evalkit.report.display import Html, section
from evalkit.report.sources import FrameworkFolders, not_in_data, scored
from evalkit.scoring.engine import ABSENT
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.entries import sheet_entries
from evalkit.sheets.sheetset import SheetSet


class PortfolioReport:
    """The agencies scored against one framework in one year."""

    def __init__(
        self,
        result: pd.DataFrame,
        framework: Framework,
        year: int,
        registry: Registry,
        sheets: SheetSet | None = None,
    ):
        mine = result[(result["framework"] == framework.id) & (result["year"] == year)]
        if mine.empty:
            expected = msg("a year with {framework} scores in the data", framework=framework.id)
            raise not_in_data("year", str(year), expected)
        self.framework, self.year, self.registry = framework, year, registry
        self.result = mine
        #: the rows scored: the award types of the entries, a checklist's verdicts
        self.sheets = sheets

    @classmethod
    def load(
        cls,
        data: Sequence[str | Path],
        framework: str,
        year: int,
        frameworks_dir: FrameworkFolders = None,
        consensus: str | None = None,
    ) -> PortfolioReport:
        found = scored(data, frameworks_dir, consensus)
        registry = found.registry
        return cls(found.result, registry.get(framework), int(year), registry, found.sheets)

    def ranking(self) -> pd.DataFrame:
        return analysis.portfolio(self.result, self.registry, self.framework.id, self.year)

    def summary(self, note: str = "") -> Html:
        ranking = self.ranking()
        meta = {
            SUMMARY_KEY: {
                "kind": "portfolio",
                "framework": self.framework.id,
                "year": self.year,
                "agencies": len(ranking),
            }
        }
        body = section(
            "portfolio",
            "summary",
            framework=self.framework,
            year=self.year,
            agencies=len(ranking),
            counted=bilingual(self.framework.award.entry_words.counted),
            median=ranking["points"].median(),
            note=note,
        )
        return Html(body.body, meta)

    def ranking_table(self) -> Html:
        ranking = self.ranking()
        rules = [r for r in self.framework.rules if r.level == "total" and r.id in ranking]
        return section("portfolio", "ranking_table", ranking=ranking, rules=rules)

    def distribution_chart(self) -> charts.Chart:
        totals = self.ranking()["points"]
        return charts.histogram(
            totals,
            bilingual(msg("distribution of totals")),
            bilingual(msg("total points")),
            self.framework.max_points,
            self.framework.award.entry_words,
        )

    def category_heatmap(self) -> Html:
        rows = self.result[(self.result["level"] == "category") & (self.result["label"] != ABSENT)]
        matrix = rows.pivot_table(
            index="agency_name", columns="key", values="percent", observed=True
        )
        order = [c.key for c in self.framework.categories if c.key in matrix.columns]
        matrix = matrix[order].rename(columns=lambda k: msg("category {key}", key=k).render("th"))
        ranked = self.ranking()["agency_name"]
        matrix = matrix.loc[[n for n in ranked if n in matrix.index]]
        return section("portfolio", "category_heatmap", matrix=matrix)

    def decisions(self) -> pd.DataFrame:
        """The award decisions, as ``evalkit decide`` makes them from the sheets alone: by the
        award types the sheets give, with the cheapest path to each entry's next level."""
        entries = None
        if self.sheets is not None:
            found = sheet_entries(self.sheets, self.framework, self.year)
            entries = found if len(found) else None
        rules = evaluate_rules(self.result, self.registry, applied_of(entries))
        return decide(self.result, rules, self.framework, entries, sheets=self.sheets)

    def decision_list(self, today: date | None = None) -> Html:
        """The decision list of every award type, as ``evalkit decide`` writes it, dated
        ``today`` (the day it is rendered) in the Buddhist era."""
        context = decision_context(self.decisions(), self.framework, today or date.today())
        return section("decisions", "decision_list", level=3, **context)
