"""The sections of an agency report for checklists and indicators (the PMQA 4.0 status
assessment and any framework scored the same way): what the level label means, the checks
not met and the ones that gate higher credit, the fewest checks to each target, the agency's
own verdicts beside the panel's, and indicators with their scales and trends. Mixed into
:class:`evalkit.report.agency.AgencyReport`; each section is empty for a framework without
checklist (or indicator) items."""

from __future__ import annotations

from html import escape

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
from evalkit.report import charts
from evalkit.report.display import Html, note, table
from evalkit.report.state import ReportState
from evalkit.scoring.rules import evaluate_rules

LEVELS_TH = {
    "basic": "พื้นฐาน (Basic)",
    "advance": "ก้าวหน้า (Advance)",
    "significance": "โดดเด่น (Significance)",
}
#: What a cumulative level label says, in words.
LABEL_MEANING = {
    "Below Basic": "ต่ำกว่าระดับพื้นฐาน ไม่ผ่านการประเมิน (Below Basic): อย่างน้อยหนึ่งหัวข้อยังผ่าน"
    "ข้อตรวจระดับ Basic ไม่ครบ หัวข้อนั้นจึงไม่ได้คะแนนระดับ Advance และ Significance เลย",
    "Basic": "ระดับพื้นฐาน (Basic): ทุกหัวข้อผ่านข้อตรวจ Basic ครบ แต่อย่างน้อยหนึ่งหัวข้อยังผ่าน "
    "Advance ไม่ครบ จึงยังไม่ได้คะแนน Significance ของหัวข้อนั้น",
    "Advance": "ระดับก้าวหน้า (Advance): ทุกหัวข้อผ่าน Basic และ Advance ครบ "
    "แต่อย่างน้อยหนึ่งหัวข้อยังผ่าน Significance ไม่ครบ",
    "Significance": "ระดับโดดเด่น (Significance): ทุกหัวข้อผ่านข้อตรวจครบทุกระดับ",
}
VERDICT = {True: "ผ่าน (met)", False: "ไม่ผ่าน (not met)"}


def _section(anchor: str, text: str) -> str:
    return f'<h2 id="{anchor}">{escape(text)}<a class="anchor-link" href="#{anchor}"></a></h2>'


#: What an unmet check holds back, in words.
GATES_TH = {
    "advance, significance": "ปิดกั้น Advance และ Significance",
    "significance": "ปิดกั้น Significance",
    "": "",
}
#: The columns of the unmet-checks table and their headings.
UNMET_COLUMNS = {
    "item": "หัวข้อ",
    "points": "คะแนนหัวข้อ (item points)",
    "check": "ข้อตรวจ (check)",
    "level": "ระดับ (level)",
    "text_th": "ข้อความ (text)",
    "level_text": "คำอธิบายระดับ (level descriptor)",
    "gates": "ผลต่อระดับที่สูงกว่า (gates)",
    "held_back": "คะแนนที่ถูกกัน (held back)",
    "explanation": "คำอธิบายผลการประเมิน (explanation)",
    "evidence": "หลักฐาน (evidence)",
}


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
        parts = [_section("checks", "ข้อตรวจที่ยังไม่ผ่าน (Checks not met)")]
        if low:  # items carry levels; the total shows points against its targets only
            meaning = LABEL_MEANING["Below Basic"]
            text = f"ระดับ Below Basic: {meaning} หัวข้อที่ยังไม่ผ่าน Basic ครบ: {', '.join(low)}"
            parts.append(note(escape(text)).body)
        unmet = unmet_checks(verdicts, self.framework)
        for row in blockers(unmet).itertuples(index=False):
            parts.append(
                note(
                    f"<strong>ข้อตรวจที่ปิดกั้น (blocking check) {escape(row.check)}</strong>: "
                    f"หัวข้อ {escape(row.item)} ยังไม่ผ่านข้อตรวจ Basic นี้ จึงไม่ได้คะแนนระดับ "
                    f"Advance และ Significance ที่ผ่านแล้ว {row.held_back:,.2f} คะแนนของหัวข้อ "
                    f"(without it the item gets no Advance credit)"
                ).body
            )
        if unmet.empty:
            parts.append(note("ผ่านข้อตรวจครบทุกข้อ (every check met).").body)
            return Html("".join(parts))
        unmet = unmet.assign(
            level=unmet["level"].map(LEVELS_TH),
            gates=unmet["gates"].map(GATES_TH),
            points=unmet["item"].map(items["points"]),
        )
        parts.append(table(unmet, UNMET_COLUMNS).body)
        return Html("".join(parts))

    def check_path_section(self) -> Html:
        """For each target not met, the fewest checks to meet it, with the points each adds;
        nothing for a framework without checklist items or without rules."""
        verdicts = self._verdicts()
        if verdicts.empty:
            return Html("")
        rules = evaluate_rules(self.current, self.registry)
        if rules.empty:
            return Html("")
        parts = [_section("path", "ข้อตรวจที่น้อยที่สุดสู่เป้าหมาย (Fewest checks to each target)")]
        paths = rule_paths(self.current, verdicts, self.framework, rules)
        if not paths:
            parts.append(note("ผ่านเกณฑ์และเป้าหมายทั้งหมดแล้ว (every rule met).").body)
        for rule, path in paths:
            name = escape(str(rule["rule_name"]))
            head = f"{name} ({rule['threshold']:,.2f} คะแนน; ปัจจุบัน {rule['points']:,.2f})"
            if not path.attrs["reachable"]:
                parts.append(
                    note(
                        f"{head}: ผ่านข้อตรวจครบทุกข้อก็ได้เพียง {path.attrs['ceiling']:,.2f} "
                        "คะแนน (not reachable by checks alone)"
                    ).body
                )
                continue
            parts.append(note(f"{head}: ต้องผ่านเพิ่มอย่างน้อย {len(path)} ข้อ").body)
            shown = path.assign(level=path["level"].map(LEVELS_TH))
            parts.append(
                table(
                    shown,
                    {
                        "step": "ลำดับ",
                        "check": "ข้อตรวจ (check)",
                        "level": "ระดับ (level)",
                        "text_th": "ข้อความ (text)",
                        "gain": "คะแนนที่เพิ่ม (points added)",
                        "total": "คะแนนรวมหลังผ่าน (total after)",
                    },
                ).body
            )
        return Html("".join(parts))

    def checks_self_vs_panel(self) -> Html:
        """The agency's own verdict beside the panel's for every check, and the item points
        each gives; nothing without ``self`` checklist rows."""
        verdicts = self._verdicts()
        if verdicts.empty or verdicts["self_met"].isna().all():
            return Html("")
        items = item_verdicts(verdicts, self.framework)
        items = items[items["self_points"].notna()]
        mine = verdicts[verdicts["self_met"].notna()]
        mine = mine.assign(
            self_verdict=mine["self_met"].astype(bool).map(VERDICT),
            panel_verdict=mine["met"].map(VERDICT),
            differs=(mine["self_met"].astype(bool) != mine["met"]).map({True: "ต่างกัน", False: ""}),
        )
        return Html(
            _section("self-checks", "ข้อตรวจ: ประเมินตนเองเทียบกับคณะผู้ประเมิน (Self and panel)")
            + table(
                items,
                {
                    "item": "หัวข้อ",
                    "self_points": "ประเมินตนเอง (self points)",
                    "self_label": "ระดับตามตนเอง (self level)",
                    "points": "คณะผู้ประเมิน (panel points)",
                    "label": "ระดับตามคณะ (panel level)",
                },
            ).body
            + table(
                mine,
                {
                    "item": "หัวข้อ",
                    "check": "ข้อตรวจ (check)",
                    "self_verdict": "ประเมินตนเอง (self)",
                    "panel_verdict": "คณะผู้ประเมิน (panel)",
                    "differs": "",
                },
            ).body
        )

    def indicator_points_section(self) -> Html:
        """Each indicator's points, on its five-level scale or by success rate, the agency's
        own rows beside the panel's; then the results by year as a trend; nothing without
        indicators."""
        rows = indicator_points_table(self.sheets, self.framework, self.agency_id, self.year)
        if rows.empty:
            return Html("")
        rows = rows.assign(
            side=rows["side"].map({"self": "ประเมินตนเอง (self)", "panel": "คณะ (panel)"}),
            basis=rows["basis"].map(
                {"scale": "เกณฑ์ 5 ระดับ (scale)", "success": "ร้อยละความสำเร็จ (success)"}
            ),
            direction=rows["direction"].map(
                {"higher": "ยิ่งมากยิ่งดี (higher)", "lower": "ยิ่งน้อยยิ่งดี (lower)"}
            ),
        )
        shown = table(
            rows,
            {
                "item": "หัวข้อ",
                "indicator": "ตัวชี้วัด (indicator)",
                "side": "ผู้ให้ข้อมูล (by)",
                "direction": "ทิศทาง (direction)",
                "target": "ค่าเป้าหมาย (target)",
                "actual": "ผลการดำเนินงาน (actual)",
                "floor": "ระดับ 1 (floor)",
                "goal": "ระดับ 3 (goal)",
                "ceiling": "ระดับ 5 (ceiling)",
                "basis": "วิธีคิดคะแนน (basis)",
                "points": "คะแนน (points)",
                "explanation": "คำอธิบายผลการประเมิน (explanation)",
                "evidence": "หลักฐาน (evidence)",
            },
        )
        return Html(_section("indicator-points", "คะแนนตัวชี้วัด (Indicator points)") + shown.body)

    def indicator_trend_chart(self) -> charts.Chart | Html:
        """Results by year of every indicator with two years or more; nothing otherwise."""
        series = indicator_series(self.sheets, self.framework, self.agency_id)
        counts = series.groupby(["item", "indicator"])["year"].transform("count")
        series = series[counts >= 2]
        if series.empty:
            return Html("")
        return charts.indicator_trends(series, "ผลตัวชี้วัดรายปี (indicator results by year)")
