"""What the agency report notebook shows, as objects that render themselves in Jupyter.

The notebook stays thin: it builds an :class:`AgencyReport` from its parameters and asks it
for each section. Every piece of text that came from a sheet is escaped before it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from evalkit.core.contract import SUMMARY_KEY, THAI_DIGITS_KEY
from evalkit.core.i18n import bilingual, msg
from evalkit.exports.feedback import known
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.report import charts
from evalkit.report.display import Html, section
from evalkit.report.feedback import FeedbackSections
from evalkit.report.panel import PanelSections
from evalkit.report.paper import PaperSections
from evalkit.report.sources import FrameworkFolders, not_in_data, scored
from evalkit.report.status import StatusSections
from evalkit.scoring.engine import ABSENT
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.sheetset import SheetSet


class AgencyReport(PanelSections, StatusSections, FeedbackSections, PaperSections):
    """Scores of one agency in one framework, for one year, with its other years for trends."""

    def __init__(
        self,
        results: pd.DataFrame,
        framework: Framework,
        agency_id: str,
        year: int,
        registry: Registry | None = None,
        sheets: SheetSet | None = None,
    ):
        mine = results[(results["agency_id"] == agency_id) & (results["framework"] == framework.id)]
        if mine.empty:
            raise not_in_data(
                "agency_id",
                repr(agency_id),
                msg("an agency with {framework} scores in the data", framework=framework.id),
            )
        years = sorted(int(y) for y in mine["year"].unique())
        if year not in years:
            expected = msg("one of the years in the data: {years}", years=years)
            raise not_in_data("year", str(year), expected)
        self.framework = framework
        self.registry = registry or Registry()
        self.agency_id = agency_id
        self.year = year
        self.years = years
        self.history = mine
        self.current = mine[mine["year"] == year]
        self.agency_name = str(self.current["agency_name"].iloc[0])
        self.sheets = sheets if sheets is not None else SheetSet.of()

    @classmethod
    def load(
        cls,
        data: Sequence[str | Path],
        agency_id: str,
        year: int,
        framework: str,
        frameworks_dir: FrameworkFolders = None,
        consensus: str | None = None,
    ) -> AgencyReport:
        """The report of one agency and year from sheets (or ledgers) and glob patterns."""
        found = scored(data, frameworks_dir, consensus)
        mine = found.result[found.result["agency_id"] == agency_id]
        return cls(
            mine,
            found.registry.get(framework),
            agency_id,
            int(year),
            found.registry,
            found.sheets.where(agency_id=agency_id),
        )

    def _level(self, level: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        frame = self.current if frame is None else frame
        return frame[frame["level"] == level]

    @property
    def total(self) -> pd.Series:
        return self._level("total").iloc[0]

    def categories(self, scored_only: bool = False) -> pd.DataFrame:
        names = self.framework.category_table()[["category", "name_th", "name_en"]]
        rows = self._level("category").merge(names, left_on="key", right_on="category")
        return rows[rows["label"] != ABSENT] if scored_only else rows

    def items(self) -> pd.DataFrame:
        names = self.framework.item_table()[["item", "name_th", "name_en"]]
        return self._level("item").merge(names, left_on="key", right_on="item")

    def summary(self, note: str = "", thai_digits: bool = False) -> Html:
        """Agency, year and total, with ``note`` (e.g. "illustrative scores") under them;
        ``thai_digits`` asks the publisher for the page in Thai numerals."""
        total = self.total
        meta = {
            SUMMARY_KEY: {
                "agency_id": self.agency_id,
                "agency_name": self.agency_name,
                "year": self.year,
                "framework": self.framework.id,
                "points": float(total["points"]),
                "max_points": float(total["max_points"]),
                "percent": float(total["percent"]),
            }
            | ({THAI_DIGITS_KEY: True} if thai_digits else {})
        }
        absent = self.categories().query("label == @ABSENT")["key"].tolist()
        body = section(
            "agency",
            "summary",
            name=self.agency_name,
            framework=self.framework,
            year=self.year,
            total=total,
            absent=", ".join(absent),
            note=note,
        )
        return Html(body.body, meta)

    def category_table(self) -> Html:
        return section("agency", "category_table", rows=self.categories())

    def radar_chart(self) -> charts.Chart | Html:
        scored = self.categories(scored_only=True)
        if len(scored) < 3:
            return section("agency", "no_radar")
        return charts.radar_chart(scored, bilingual(msg("category %")))

    def rules_table(self) -> Html:
        """Each award threshold or target of the framework: met, or how far short."""
        rules = evaluate_rules(self.current, self.registry)
        if not rules.empty:
            rules = rules.assign(
                status=rules["met"].map(known),
                where=rules["key"],
                note=rules["note"].map(lambda n: bilingual(n) if isinstance(n, str) and n else n),
            )
        return section("agency", "rules_table", rules=rules)

    def item_chart(self) -> charts.Chart:
        return charts.item_bar_chart(self.items(), bilingual(msg("item %")))

    def trend_chart(self) -> charts.Chart | Html:
        totals = self._level("total", self.history).sort_values("year")
        if len(totals) < 2:
            return section("agency", "one_year", year=self.year)
        return charts.trend_chart(totals, bilingual(msg("total by year")), self.year)

    def gap_table(self, n: int = 5) -> Html:
        items = self.items()
        items = items.assign(gap=items["max_points"] - items["points"])
        top = items.sort_values(["gap", "key"], ascending=[False, True]).head(n)
        return section("agency", "gap_table", top=top)
