"""The sections of an agency report that say what the assessors found and what to do next:
the executive summary, the factor scores (ADLI, LeTCI) and the feedback item by item. Mixed
into :class:`evalkit.report.agency.AgencyReport`."""

from __future__ import annotations

from html import escape

import pandas as pd

from evalkit.analysis import compare as analysis
from evalkit.analysis.agreement import stepped_methods
from evalkit.analysis.feedback import FACTOR_NAMES
from evalkit.exports.feedback import Feedback, items_html, rule_status
from evalkit.report.display import Html, note, table
from evalkit.report.state import ReportState
from evalkit.scoring.engine import ABSENT
from evalkit.scoring.rules import evaluate_rules


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
        if feedback.comments.empty:
            lead = note(
                "แผ่นคะแนนไม่มีความเห็นของผู้ประเมิน (no comments in the sheets: add the columns "
                "strength, improvement, evidence; see the README)."
            ).body
        else:
            lead = ""
        return Html(f'<div class="ek-feedback">{lead}{items_html(feedback, level=3)}</div>')

    def factor_table(self) -> Html:
        """Each factor of each item (ADLI, LeTCI): the panel's consensus, the assessors'
        range, and the factor that capped the item's band."""
        factors = self.feedback().factors
        if factors.empty:
            return note("แผ่นคะแนนไม่มีคะแนนปัจจัย (no factor scores, ADLI/LeTCI, in the sheets).")
        factors = factors.assign(
            name=factors["factor"].map(FACTOR_NAMES),
            cap=factors["capped"].map({True: "จำกัดช่วงคะแนน (capped the band)", False: ""}),
            weak=factors["weakest"].map({True: "ต่ำสุด (weakest)", False: ""}),
        )
        return table(
            factors,
            {
                "item": "หัวข้อ",
                "name": "ปัจจัย (factor)",
                "consensus": "ฉันทามติ (consensus)",
                "low": "ต่ำสุด (low)",
                "high": "สูงสุด (high)",
                "spread": "ความต่าง (spread)",
                "weak": "",
                "cap": "ผลต่อช่วงคะแนน (effect)",
            },
        )

    def executive_summary(self) -> Html:
        """Readable in two minutes: the total and its level, award and target status, the
        strongest and weakest categories, the top three improvements by points, and the items
        the panel disagreed on."""
        lines = [self._headline(), *self._rule_lines(), *self._category_lines()]
        lines.append(self._improvement_line())
        lines.append(self._disagreement_line())
        return Html('<ul class="ek-exec">' + "".join(f"<li>{x}</li>" for x in lines) + "</ul>")

    def _headline(self) -> str:
        total = self.current[self.current["level"] == "total"].iloc[0]
        level = f" · ระดับ (level) {escape(total['label'])}" if total["label"] else ""
        return (
            f"คะแนนรวม (total) <strong>{total['points']:,.2f}</strong> จาก "
            f"{total['max_points']:,.0f} ({total['percent']:.1f}%){level}"
        )

    def _rule_lines(self) -> list[str]:
        rules = evaluate_rules(self.current, self.registry)
        lines = []
        for rule in rules.itertuples(index=False):
            where = "คะแนนรวม" if rule.key == "total" else f"หมวด {escape(str(rule.key))}"
            status = rule.note if pd.isna(rule.met) and rule.note else None
            lines.append(
                f"{escape(str(rule.rule_name))} ({where}): "
                + escape(status or rule_status(rule.met, rule.shortfall))
            )
        return lines

    def _category_lines(self) -> list[str]:
        rows = self.current[
            (self.current["level"] == "category") & (self.current["label"] != ABSENT)
        ]
        if len(rows) < 2:
            return []
        names = {c.key: c.name_th for c in self.framework.categories}
        ranked = rows.sort_values(["percent", "key"], ascending=[False, True])

        def shown(row: pd.Series) -> str:
            return f"หมวด {escape(row['key'])} {escape(names[row['key']])} ({row['percent']:.1f}%)"

        return [
            f"หมวดที่แข็งที่สุด (strongest category): {shown(ranked.iloc[0])}",
            f"หมวดที่ควรพัฒนาที่สุด (weakest category): {shown(ranked.iloc[-1])}",
        ]

    def _improvement_line(self) -> str:
        head = "สามหัวข้อที่ยกระดับแล้วได้คะแนนเพิ่มมากที่สุด (top three improvements by points): "
        if not stepped_methods(self.framework):
            return head + "ไม่มีขั้นคะแนนให้คำนวณ (no bands or rating levels in this framework)"
        raises = analysis.what_if(self.current, self.framework, self.agency_id, self.year)
        raises = raises[raises["gain"] > 0].head(3)
        if raises.empty:
            return head + "ทุกหัวข้ออยู่ในขั้นสูงสุดแล้ว (every item is at the top step)"
        return (
            head
            + "<ol>"
            + "".join(
                f"<li>{escape(r.item)} {escape(r.level)} → {escape(r.new_level)} "
                f"(+{r.gain:,.2f} คะแนน)</li>"
                for r in raises.itertuples(index=False)
            )
            + "</ol>"
        )

    def _disagreement_line(self) -> str:
        flagged = self.flagged_items()
        head = "หัวข้อที่ผู้ประเมินเห็นต่างกันตั้งแต่ 2 ขั้น (items the panel disagreed on): "
        return head + (escape(", ".join(flagged)) if flagged else "ไม่มี (none)")
