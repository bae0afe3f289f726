"""What the agency report notebook shows, as objects that render themselves in Jupyter.

The notebook stays thin: it builds an :class:`AgencyReport` from its parameters and asks it
for each section. Every piece of text that came from a sheet is escaped before it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

import pandas as pd

from evalkit.core.contract import SUMMARY_KEY
from evalkit.core.i18n import bilingual
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.report import charts
from evalkit.report.display import Html, table
from evalkit.report.feedback import FeedbackSections
from evalkit.report.panel import PanelSections
from evalkit.report.sources import FrameworkFolders, not_in_data, scored
from evalkit.report.status import StatusSections
from evalkit.scoring.engine import ABSENT
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.sheetset import SheetSet


class AgencyReport(PanelSections, StatusSections, FeedbackSections):
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
                "agency_id", repr(agency_id), f"an agency with {framework.id} scores in the data"
            )
        years = sorted(int(y) for y in mine["year"].unique())
        if year not in years:
            raise not_in_data("year", str(year), f"one of the years in the data: {years}")
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

    def summary(self, note: str = "") -> Html:
        """Agency, year and total, with ``note`` (e.g. "illustrative scores") under them."""
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
        }
        absent = self.categories().query("label == @ABSENT")["key"].tolist()
        level = f" · ระดับ (level) {escape(bilingual(total['label']))}" if total["label"] else ""
        body = (
            f'<div class="ek-summary"><h1>{escape(self.agency_name)}</h1>'
            f"<p>{escape(self.framework.name_th)} ({escape(self.framework.id)})"
            f" · ปี พ.ศ. {self.year}</p>"
            f'<p class="ek-total">คะแนนรวม (total) <strong>{total["points"]:,.2f}</strong>'
            f" จาก {total['max_points']:,.0f} คะแนน ({total['percent']:.1f}%){level}</p>"
            + (
                f'<p class="ek-note">ไม่ได้ประเมินหมวด (categories not assessed): '
                f"{escape(', '.join(absent))}; คะแนนรวมคิดเฉพาะหมวดที่ประเมิน</p>"
                if absent
                else ""
            )
            + (f'<p class="ek-note">{escape(note)}</p>' if note else "")
            + "</div>"
        )
        return Html(body, meta)

    def category_table(self) -> Html:
        rows = self.categories()
        return table(
            rows.assign(label=rows["label"].map(bilingual)),
            {
                "key": "หมวด (category)",
                "name_th": "ชื่อหมวด (name)",
                "name_en": "ชื่อภาษาอังกฤษ (category)",
                "points": "คะแนนที่ได้ (points)",
                "max_points": "คะแนนเต็ม (max)",
                "percent": "ร้อยละ (%)",
                "label": "ระดับ (level)",
            },
        )

    def radar_chart(self) -> charts.Chart | Html:
        scored = self.categories(scored_only=True)
        if len(scored) < 3:
            return Html(
                "<p>ประเมินน้อยกว่า 3 หมวด จึงไม่แสดงแผนภูมิเรดาร์ "
                "(fewer than 3 categories assessed; no radar chart).</p>"
            )
        return charts.radar_chart(scored, "ร้อยละรายหมวด (category %)")

    def rules_table(self) -> Html:
        """Each award threshold or target of the framework: met, or how far short."""
        rules = evaluate_rules(self.current, self.registry)
        if rules.empty:
            return Html("<p>เกณฑ์นี้ไม่มีเกณฑ์รางวัลหรือเป้าหมาย (no award or target rules).</p>")
        status = {True: "ผ่าน (met)", False: "ไม่ผ่าน (not met)"}
        rules = rules.assign(
            status=[
                "ไม่เกี่ยวข้อง (not applicable)" if pd.isna(m) else status[bool(m)]
                for m in rules["met"]
            ],
            where=rules["key"].map(lambda k: bilingual(k) if k == "total" else f"หมวด {k}"),
            note=rules["note"].map(lambda n: bilingual(n) if isinstance(n, str) and n else n),
        )
        return table(
            rules,
            {
                "rule_name": "เกณฑ์ (rule)",
                "where": "ระดับ (applies to)",
                "points": "คะแนนที่ได้ (points)",
                "threshold": "เกณฑ์ขั้นต่ำ (threshold)",
                "status": "ผล (status)",
                "shortfall": "ขาดอีก (shortfall)",
                "note": "หมายเหตุ (note)",
            },
        )

    def item_chart(self) -> charts.Chart:
        return charts.item_bar_chart(self.items(), "ร้อยละรายหัวข้อ (item %)")

    def trend_chart(self) -> charts.Chart | Html:
        totals = self._level("total", self.history).sort_values("year")
        if len(totals) < 2:
            return Html(f"<p>มีข้อมูลปี พ.ศ. {self.year} ปีเดียว (one year of data only).</p>")
        return charts.trend_chart(totals, "คะแนนรวมรายปี (total by year)", self.year)

    def gap_table(self, n: int = 5) -> Html:
        items = self.items()
        items = items.assign(gap=items["max_points"] - items["points"])
        top = items.sort_values(["gap", "key"], ascending=[False, True]).head(n)
        return table(
            top,
            {
                "key": "หัวข้อ (item)",
                "name_th": "ชื่อหัวข้อ (name)",
                "points": "คะแนนที่ได้ (points)",
                "max_points": "คะแนนเต็ม (max)",
                "gap": "ห่างจากคะแนนเต็ม (gap)",
            },
        )
