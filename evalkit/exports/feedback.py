"""The feedback report (รายงานป้อนกลับ): item by item, the score, what the assessors found
(strengths, opportunities for improvement) and the evidence they saw.

:class:`Feedback` gathers one agency's year in one framework; :func:`items_html` renders its
items as an HTML fragment (the agency report shows it), and :func:`feedback_page` the whole
document a committee sends, Thai first, laid out to print on A4. Every text that came from a
sheet is escaped; line breaks inside a comment are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from evalkit.analysis.feedback import (
    FACTOR_NAMES,
    KINDS,
    comments,
    evidence_items,
    factor_scores,
    item_comments,
)
from evalkit.analysis.steps import level_text
from evalkit.core.files import write_text_atomic
from evalkit.core.page import page, template_css
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import is_panel
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.sheetset import SheetSet

PANEL = "คณะผู้ประเมิน (panel)"
THAI_MONTHS = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]


def thai_date(day: date) -> str:
    """A date as Thai write it: day, month name, Buddhist-era year."""
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


def rule_status(met: object, shortfall: float) -> str:
    """A rule's status in words, Thai first."""
    if pd.isna(met):
        return "ไม่เกี่ยวข้อง (not applicable)"
    if met:
        return "ผ่าน (met)"
    return f"ไม่ผ่าน ขาดอีก {shortfall:,.2f} คะแนน (not met, {shortfall:,.2f} short)"


def text_html(text: str) -> str:
    """Sheet text, escaped, its line breaks kept."""
    return "<br>".join(escape(line) for line in str(text).split("\n"))


@dataclass(frozen=True)
class Feedback:
    """One agency's year in one framework: scores, comments, factors and rules."""

    framework: Framework
    agency_id: str
    agency_name: str
    year: int
    result: pd.DataFrame
    comments: pd.DataFrame
    factors: pd.DataFrame
    rules: pd.DataFrame
    assessors: tuple[str, ...]

    @classmethod
    def of(
        cls,
        sheets: SheetSet,
        result: pd.DataFrame,
        registry: Registry,
        agency_id: str,
        year: int,
        framework_id: str,
    ) -> Feedback:
        framework = registry.get(framework_id)
        mine = sheets.where(agency_id=agency_id, year=year, framework=framework_id)
        rows = result[
            (result["agency_id"] == agency_id)
            & (result["year"] == year)
            & (result["framework"] == framework_id)
        ]
        members: dict[str, None] = {}
        for frame in (mine.bands, mine.checks):
            names = frame["assessor"].astype(str)
            for name in names[is_panel(frame["assessor"])]:
                members.setdefault(name, None)
        return cls(
            framework,
            agency_id,
            str(rows["agency_name"].iloc[0]),
            int(year),
            rows,
            comments(mine),
            factor_scores(mine, rows, framework),
            evaluate_rules(rows, registry),
            tuple(members),
        )

    @property
    def total(self) -> pd.Series:
        return self.result[self.result["level"] == "total"].iloc[0]

    def items(self) -> pd.DataFrame:
        """Item rows with the item's name, method, category and the step it stands on."""
        names = self.framework.item_table().drop(columns="max_points")
        rows = self.result[self.result["level"] == "item"].merge(
            names, left_on="key", right_on="item"
        )
        rows["step"] = [
            level_text(self.framework, m, p) or (f"ระดับ (level) {lb}" if lb else "")
            for m, p, lb in zip(rows["method"], rows["percent"], rows["label"], strict=True)
        ]
        return rows


def _comment_list(rows: pd.DataFrame) -> str:
    items = []
    for row in rows.itertuples(index=False):
        about = f'<span class="ek-about">[{escape(row.about)}]</span> ' if row.about else ""
        who = PANEL if row.consensus or not row.assessor else row.assessor
        items.append(
            f'<li>{about}{text_html(row.text)}<span class="ek-who"> — {escape(who)}</span></li>'
        )
    return f'<ul class="ek-fb-list">{"".join(items)}</ul>'


def _range(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _factors_html(factors: pd.DataFrame) -> str:
    if factors.empty:
        return ""
    cells = []
    for row in factors.itertuples(index=False):
        cap = (
            ' <strong class="ek-cap">จำกัดช่วงคะแนน (capped the band)</strong>' if row.capped else ""
        )
        cells.append(
            f"<tr><th>{escape(FACTOR_NAMES.get(row.factor, row.factor))}</th>"
            f"<td>{row.consensus:g}</td><td>{_range(row.low, row.high)}</td><td>{cap}</td></tr>"
        )
    return (
        '<table class="ek-fb-factors"><thead><tr><th>ปัจจัย (factor)</th>'
        "<th>ฉันทามติ (consensus)</th><th>ช่วงของผู้ประเมิน (range)</th><th></th></tr>"
        f"</thead><tbody>{''.join(cells)}</tbody></table>"
    )


def item_html(feedback: Feedback, item: pd.Series, level: int = 3) -> str:
    """One item: its name, score and step, factors, then strengths, improvements, evidence."""
    mine = feedback.comments[feedback.comments["item"].astype(str) == item["key"]]
    score = (
        f'<p class="ek-fb-score">คะแนน (points) <strong>{item["points"]:,.2f}</strong> '
        f"จาก {item['max_points']:,.2f} ({item['percent']:.1f}%)"
        + (f" · {escape(item['step'])}" if item["step"] else "")
        + "</p>"
    )
    factors = feedback.factors[feedback.factors["item"] == item["key"]]
    parts = [
        f'<section class="ek-fb-item" id="fb-{escape(item["key"])}">'
        '<div class="ek-keep ek-fb-head-block">'
        f"<h{level}>{escape(item['key'])} {escape(item['name_th'])}"
        f' <span class="ek-en">({escape(item["name_en"])})</span></h{level}>{score}</div>',
        _factors_html(factors),
    ]
    for kind in ("strength", "improvement", "explanation"):
        shown = item_comments(mine, kind)
        if len(shown):
            parts.append(
                f'<div class="ek-keep"><h{level + 1}>{KINDS[kind]}</h{level + 1}>'
                f"{_comment_list(shown)}</div>"
            )
    evidence = evidence_items(mine.loc[mine["kind"] == "evidence", "text"])
    if evidence:
        listed = "".join(f"<li>{escape(e)}</li>" for e in evidence)
        parts.append(
            f'<div class="ek-keep"><h{level + 1}>{KINDS["evidence"]}</h{level + 1}>'
            f'<ul class="ek-fb-evidence">{listed}</ul></div>'
        )
    if mine.empty:
        parts.append('<p class="ek-note">ไม่มีความเห็นของผู้ประเมิน (no comments)</p>')
    return "".join(parts) + "</section>"


def items_html(feedback: Feedback, level: int = 3) -> str:
    """Every scored item by category: a heading per category, then its items."""
    items = feedback.items()
    parts = []
    for category in feedback.framework.categories:
        rows = items[items["category"] == category.key]
        if rows.empty:
            continue
        parts.append(
            f'<h{level} class="ek-fb-category">หมวด {escape(category.key)} '
            f"{escape(category.name_th)}</h{level}>"
        )
        parts += [item_html(feedback, row, level + 1) for _, row in rows.iterrows()]
    return "".join(parts)


def _head(feedback: Feedback, today: date) -> str:
    fw = feedback.framework
    assessors = ", ".join(feedback.assessors) or "-"
    meta = [
        ("หน่วยงาน (agency)", f"{feedback.agency_name} ({feedback.agency_id})"),
        ("เกณฑ์ (framework)", f"{fw.name_th} ({fw.id}, {fw.edition})"),
        ("ปีงบประมาณ (year)", f"พ.ศ. {feedback.year}"),
        ("คณะผู้ประเมิน (assessors)", assessors),
        ("วันที่จัดทำ (date)", thai_date(today)),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in meta)
    return (
        '<header class="ek-fb-head"><p class="ek-kicker">รายงานป้อนกลับผลการประเมิน '
        f"(Feedback report)</p><h1>{escape(feedback.agency_name)}</h1>"
        f'<table class="ek-fb-meta">{rows}</table></header>'
    )


def overall_html(feedback: Feedback) -> str:
    """The total, its level, and each award or target rule with its status."""
    total = feedback.total
    level = f" · ระดับ (level) {escape(total['label'])}" if total["label"] else ""
    rules = "".join(
        f"<li>{escape(str(r.rule_name))}: "
        + escape(r.note if pd.isna(r.met) and r.note else rule_status(r.met, r.shortfall))
        + "</li>"
        for r in feedback.rules.itertuples(index=False)
    )
    return (
        '<div class="ek-keep"><h2>ผลการประเมินโดยรวม (Overall result)</h2>'
        f'<p class="ek-total">คะแนนรวม (total) <strong>{total["points"]:,.2f}</strong> '
        f"จาก {total['max_points']:,.2f} ({total['percent']:.1f}%){level}</p></div>"
        + (f'<ul class="ek-fb-rules">{rules}</ul>' if rules else "")
    )


def feedback_page(feedback: Feedback, today: date | None = None) -> str:
    """The whole feedback document as a self-contained HTML page that prints on A4."""
    body = (
        '<main class="ek-feedback">'
        + _head(feedback, today or date.today())
        + overall_html(feedback)
        + "<h2>ผลการประเมินรายหัวข้อ (Item by item)</h2>"
        + items_html(feedback, level=3)
        + "</main>"
    )
    title = f"รายงานป้อนกลับ {feedback.agency_name} พ.ศ. {feedback.year}"
    return page(title, body, style=template_css("feedback.css"))


def write_feedback(
    sheets: SheetSet,
    result: pd.DataFrame,
    registry: Registry,
    out: str | Path,
    today: date | None = None,
) -> list[Path]:
    """A feedback page per agency, year and framework in ``result``:
    ``out/AGENCY/FRAMEWORK-YEAR-feedback.html``."""
    written = []
    units = result[result["level"] == "total"][["agency_id", "year", "framework"]]
    for agency_id, year, framework_id in units.itertuples(index=False):
        feedback = Feedback.of(sheets, result, registry, agency_id, int(year), framework_id)
        path = Path(out) / agency_id / f"{framework_id}-{int(year)}-feedback.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, feedback_page(feedback, today))
        written.append(path)
    return written
