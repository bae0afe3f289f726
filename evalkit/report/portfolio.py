"""What the portfolio notebook shows: every agency of one framework and year side by side."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from evalkit.analysis import compare as analysis
from evalkit.core.contract import SUMMARY_KEY
from evalkit.core.i18n import bilingual, msg
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.report import charts
from evalkit.report.display import Html, section
from evalkit.report.sources import FrameworkFolders, not_in_data, scored
from evalkit.scoring.engine import ABSENT


class PortfolioReport:
    """The agencies scored against one framework in one year."""

    def __init__(self, result: pd.DataFrame, framework: Framework, year: int, registry: Registry):
        mine = result[(result["framework"] == framework.id) & (result["year"] == year)]
        if mine.empty:
            raise not_in_data("year", str(year), f"a year with {framework.id} scores in the data")
        self.framework, self.year, self.registry = framework, year, registry
        self.result = mine

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
        return cls(found.result, found.registry.get(framework), int(year), found.registry)

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
