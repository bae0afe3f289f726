"""The sections of an agency report that say what the assessors found and what to do next:
the executive summary, the factor scores (ADLI, LeTCI) and the feedback item by item. Mixed
into :class:`evalkit.report.agency.AgencyReport`."""

from __future__ import annotations

import pandas as pd

from evalkit.analysis import compare as analysis
from evalkit.analysis.agreement import stepped_methods
from evalkit.analysis.feedback import factor_names
from evalkit.core.templates import fragment
from evalkit.exports.feedback import MACROS, Feedback, categories_view
from evalkit.report.display import Html, section
from evalkit.report.state import ReportState
from evalkit.scoring.engine import ABSENT
from evalkit.scoring.precedence import unexplained_values


class FeedbackSections(ReportState):
    def flagged_items(self) -> list[str]:  # provided by PanelSections
        raise NotImplementedError

    def feedback(self) -> Feedback:
        """This agency's year as a :class:`~evalkit.exports.feedback.Feedback`."""
        return Feedback.of(
            self.sheets, self.current, self.registry, self.agency_id, self.year, self.framework.id
        )

    def feedback_section(self) -> Html:
        """Item by item: the score and its step, the factors, the strengths and improvements
        each assessor wrote (or the panel's agreed text), and the evidence."""
        feedback = self.feedback()
        return Html(
            fragment(
                MACROS,
                "section",
                categories=categories_view(feedback, detail=False),
                commented=not feedback.comments.empty,
                flagged=self.unexplained(),
            )
        )

    def unexplained(self) -> list[dict[str, object]]:
        """This agency-year's agreed values outside the assessors' range that give no reason
        (flagged, not refused): item, check, form, the value and the assessors' range."""
        rows = unexplained_values(self.sheets.where(agency_id=self.agency_id, year=self.year))
        return [
            {
                "item": str(r.item),
                "check": "" if pd.isna(getattr(r, "check", None)) else str(r.check),
                "form": str(r.form),
                "agreed": float(r.agreed),
                "low": float(r.min),
                "high": float(r.max),
            }
            for r in rows.itertuples()
        ]

    def factor_table(self) -> Html:
        """Each factor of each item (ADLI, LeTCI): the framework's rule over the assessors (their
        median), their range, and the factor that capped the item's band."""
        factors = self.feedback().factors
        names = factors["factor"].map(factor_names())
        factors = factors.assign(name=names, cap=factors["capped"], weak=factors["weakest"])
        heading = self.feedback().factor_heading
        return section("feedback", "factor_table", factors=factors, heading=heading)

    def executive_summary(self) -> Html:
        """Readable in two minutes: the total and its level, award and target status, the
        strongest and weakest categories, the top three improvements by points, and the items
        the panel disagreed on."""
        rows = self.current[
            (self.current["level"] == "category") & (self.current["label"] != ABSENT)
        ]
        names = {c.key: c.name_th for c in self.framework.categories}
        ranked = [
            {"key": r.key, "name": names[r.key], "percent": r.percent}
            for r in rows.sort_values(["percent", "key"], ascending=[False, True]).itertuples()
        ]
        two = len(ranked) >= 2
        return section(
            "feedback",
            "executive_summary",
            total=self.current[self.current["level"] == "total"].iloc[0],
            rules=self.feedback().rules_shown(),
            strongest=ranked[0] if two else None,
            weakest=ranked[-1] if two else None,
            stepped=bool(stepped_methods(self.framework)),
            raises=self._raises(),
            flagged=", ".join(self.flagged_items()),
        )

    def _raises(self) -> list[object]:
        """The top three raises by points gained (none for a framework without steps)."""
        if not stepped_methods(self.framework):
            return []
        raises = analysis.what_if(self.current, self.framework, self.agency_id, self.year)
        return list(raises[raises["gain"] > 0].head(3).itertuples(index=False))
