"""The sections of an agency report that look past the sum: how the assessors agree, the
agency's own view against the panel's, what raising items would do, trends, indicators and
poverty figures. Mixed into :class:`evalkit.report.agency.AgencyReport`."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from evalkit.analysis import compare as analysis
from evalkit.analysis.agreement import item_spread, panel_agreement, panel_values, stepped_methods
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import bilingual
from evalkit.report import charts
from evalkit.report.display import Html, heat_table, note, table
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

    def _step_word(self) -> str:
        return "ระดับ" if self._ratings_only() else "ช่วง"

    def flagged_items(self) -> list[str]:
        """Items on which the panel is two steps (bands or rating levels) apart or more."""
        if not stepped_methods(self.framework) or self._panel_values().empty:
            return []
        spread = item_spread(self.sheets.bands, self.framework)
        mine = (spread["agency_id"] == self.agency_id) & (spread["year"] == self.year)
        return spread.loc[mine & spread["flagged"], "item"].astype(str).tolist()

    def assessor_heatmap(self) -> Html:
        """Each assessor's value (percent, or rating for a rating framework) for each item,
        shaded; items two or more steps apart marked."""
        values = self._panel_values()
        if values.empty:
            return note("ไม่มีคะแนนรายผู้ประเมิน (no per-assessor scores).")
        ratings = self._ratings_only()
        matrix = values.pivot_table(
            index="item", columns="assessor", values="value" if ratings else "percent"
        ).astype(float)
        order = [i.key for i in self.framework.items if i.key in matrix.index]
        scale = max(r.value for r in self.framework.ratings) if ratings else 100
        caption = (
            "ระดับคะแนนของผู้ประเมินรายหัวข้อ (assessors' ratings)"
            if ratings
            else "คะแนนของผู้ประเมินรายหัวข้อ (assessors' %)"
        )
        word = self._step_word()
        return heat_table(
            matrix.loc[order],
            caption,
            frozenset(self.flagged_items()),
            f"ต่างกันตั้งแต่ 2 {word} (2+ {'levels' if ratings else 'bands'} apart)",
            scale=scale,
        )

    def agreement_note(self) -> Html:
        """Krippendorff's alpha of the panel on this agency's items, and the items flagged."""
        if not stepped_methods(self.framework) or self._panel_values().empty:
            return note("ไม่มีข้อมูลสำหรับวัดความสอดคล้อง (no data to measure agreement).")
        rows = panel_agreement(self.sheets.bands, self.framework)
        rows = rows[(rows["agency_id"] == self.agency_id) & (rows["year"] == self.year)]
        alpha = rows["alpha"].iloc[0] if len(rows) else float("nan")
        shown = "-" if pd.isna(alpha) else f"{alpha:.2f}"
        flagged = int(rows["flagged"].iloc[0]) if len(rows) else 0
        return note(
            f"ความสอดคล้องของผู้ประเมิน Krippendorff's alpha (interval) = {shown}; "
            f"หัวข้อที่ผู้ประเมินต่างกันตั้งแต่ 2 {self._step_word()}: {flagged} หัวข้อ "
            "(1 = full agreement, 0 = no better than chance)"
        )

    def self_assessment_table(self) -> Html:
        table_ = analysis.self_vs_panel(self.sheets, self.current, self.registry)
        if table_.empty and not stepped_methods(self.framework):
            return Html("")  # checklists and indicators: see checks_self_vs_panel
        if table_.empty:
            return note("ไม่มีผลการประเมินตนเอง (no self-assessment rows, assessor 'self').")
        verdict = {
            "over": "ประเมินตนเองสูงกว่า (over)",
            "under": "ประเมินตนเองต่ำกว่า (under)",
            "agrees": "ตรงกัน (agrees)",
        }
        return table(
            table_.assign(verdict=table_["verdict"].map(verdict)),
            {
                "item": "หัวข้อ (item)",
                "self_percent": "ประเมินตนเอง (self %)",
                "self_level": "ระดับที่ประเมินตนเอง (self level)",
                "panel_percent": "คณะผู้ประเมิน (panel %)",
                "panel_level": "ระดับของคณะผู้ประเมิน (panel level)",
                "gap": "ส่วนต่าง (gap)",
                "verdict": "ผล (verdict)",
            },
        )

    def what_if_table(self, n: int = 5) -> Html:
        """The items that add most points when raised one step (a band, or a rating level),
        and the fewest raises to the first award threshold or target not yet met."""
        if not stepped_methods(self.framework):
            return note(
                "เกณฑ์นี้ไม่มีช่วงคะแนนหรือระดับคะแนน (no bands or rating levels in this framework)."
            )
        raises = analysis.what_if(self.current, self.framework, self.agency_id, self.year)
        parts = [
            table(
                raises.head(n),
                {
                    "item": "หัวข้อ (item)",
                    "level": "ปัจจุบัน (now)",
                    "percent": "ร้อยละปัจจุบัน (now %)",
                    "new_level": "ขึ้นหนึ่งขั้น (one step up)",
                    "new_percent": "ขึ้นหนึ่งขั้น (one step up %)",
                    "gain": "คะแนนที่เพิ่ม (points gained)",
                },
            )
        ]
        parts.append(self._path_to_rule())
        return Html("".join(p.body for p in parts))

    def _path_to_rule(self) -> Html:
        rules = evaluate_rules(self.current, self.registry)
        total = rules[rules["level"] == "total"]
        unmet = total[unmet_rules(total)]
        if unmet.empty:
            if len(total) and not total["applicable"].any():
                return note(escape(str(total["note"].iloc[0])))
            return note("ผ่านเกณฑ์รางวัลและเป้าหมายระดับคะแนนรวมทั้งหมดแล้ว (every total rule met).")
        rule = unmet.sort_values("threshold").iloc[0]
        threshold = float(rule["threshold"])
        try:
            path = analysis.cheapest_path(
                self.current, self.framework, self.agency_id, self.year, threshold
            )
        except EvalkitError:
            return note(
                f"แม้ยกระดับทุกหัวข้อจนถึงขั้นสูงสุดก็ยังไม่ถึง {escape(str(rule['rule_name']))} "
                f"({threshold:,.2f} คะแนน) (cannot reach {threshold:,.2f} points even with "
                "every item raised to the top step)"
            )
        heading = note(
            f"ทางที่สั้นที่สุดสู่ {escape(str(rule['rule_name']))} "
            f"({threshold:,.2f} คะแนน): ยกระดับ {len(path)} ครั้ง "
            "(fewest one-step raises to the threshold)"
        )
        return Html(
            heading.body
            + table(
                path,
                {
                    "step": "ลำดับ (step)",
                    "item": "หัวข้อ (item)",
                    "from_percent": "จาก (%)",
                    "to_percent": "เป็น (%)",
                    "gain": "เพิ่ม (points)",
                    "total": "คะแนนรวม (total)",
                },
            ).body
        )

    def category_trend_chart(self) -> charts.Chart | Html:
        rows = self.history[
            (self.history["level"] == "category") & (self.history["label"] != ABSENT)
        ]
        if rows["year"].nunique() < 2:
            return note("มีข้อมูลปีเดียว (one year of data only).")
        return charts.category_lines(rows, "ร้อยละรายหมวดรายปี (category % by year)")

    def trend_table(self) -> Html:
        trends = analysis.trends(self.history)
        trends = trends[trends["year"] == self.year]
        if trends["change"].isna().all():
            return note("ไม่มีปีก่อนหน้าให้เปรียบเทียบ (no earlier year to compare).")
        trends = trends.assign(
            flag=trends["drop"].map({True: "ลดลง (drop)", False: ""}),
            key=trends["key"].map(lambda k: bilingual(k) if k == "total" else k),
        )
        return table(
            trends,
            {
                "key": "หมวด/รวม (category/total)",
                "points": "คะแนน (points)",
                "change": "เปลี่ยนจากปีก่อน (change)",
                "slope": "แนวโน้มต่อปี (slope/year)",
                "flag": "",
            },
        )

    def indicator_section(self) -> Html:
        """Result indicators (success against target, change, rank among agencies), under a
        heading of their own; nothing when the agency has none."""
        results = analysis.indicator_results(self.sheets)
        results = results[(results["agency_id"] == self.agency_id) & (results["year"] == self.year)]
        if results.empty:
            return Html("")
        shown = table(
            results.assign(direction=results["direction"].map(bilingual)),
            {
                column: bilingual(column)
                for column in results.columns
                if column not in ("agency_id", "agency_name", "framework")
            },
        )
        return Html(section_heading("indicators", "ตัวชี้วัดผลลัพธ์ (Result indicators)") + shown.body)

    @staticmethod
    def poverty_section(path: str | Path | None) -> Html:
        """What levels A, B, C and F mean, households and people by level and by support
        menu with their shares, the two crossed, and the households still to follow up,
        under a heading of their own; nothing when the report names no household file."""
        if not path:
            return Html("")
        heading = section_heading("poverty", "การขจัดความยากจน (Poverty eradication)")
        return Html(heading + poverty_tables(path))


def section_heading(anchor: str, text: str) -> str:
    """A level-2 heading that the report's table of contents lists."""
    return f'<h2 id="{anchor}">{escape(text)}<a class="anchor-link" href="#{anchor}"></a></h2>'
