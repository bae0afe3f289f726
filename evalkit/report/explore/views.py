"""What each part of the explorer shows, as the agency's page shows it: the sections are the
:class:`~evalkit.report.agency.AgencyReport`'s and the
:class:`~evalkit.report.portfolio.PortfolioReport`'s own, so the explorer and the pages never
say different things. Only what a page has no section for is built here: the problem list,
the items of every agency as a heat map, and the what-if's before and after."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import set_language
from evalkit.exports.decisions import shown
from evalkit.report.agency import AgencyReport
from evalkit.report.display import Html, heat_table, note, table
from evalkit.report.explore.project import ProjectData
from evalkit.report.explore.whatif import Outcome
from evalkit.report.portfolio import PortfolioReport
from evalkit.sheets.skipped import Skipped, skipped_lines

STATUS = {True: "ผ่าน (met)", False: "ไม่ผ่าน (not met)"}
NOT_APPLICABLE = "ไม่เกี่ยวข้อง (not applicable)"


def in_language(problem: Problem, lang: str) -> str:
    """A problem's message in ``lang``, as ``evalkit validate --lang LANG`` prints it."""
    set_language(lang)
    try:
        return str(problem)
    finally:
        set_language(None)


def problem_list(problems: Sequence[Problem]) -> Html:
    """Every problem found, Thai first with the English below, one item each."""
    if not problems:
        return Html("")
    items = "".join(
        f'<li class="ek-problem">{escape(in_language(p, "th"))}'
        f'<br><span class="ek-note">{escape(in_language(p, "en"))}</span></li>'
        for p in problems
    )
    head = (
        f"<p><strong>พบปัญหาในข้อมูล {len(problems)} รายการ</strong> (problems in the data: "
        f"{len(problems)}). แผ่นคะแนนที่มีปัญหาไม่ถูกนำมาคิดคะแนน หน่วยงานอื่นยังสำรวจได้ตามปกติ "
        "(a sheet with problems is left out; every other agency can still be explored). "
        "แก้ไขแล้วกด โหลดข้อมูลใหม่ (fix them, then press reload).</p>"
    )
    return Html(f'<div class="ek-problems">{head}<ol>{items}</ol></div>')


def skipped_note(skipped: Sequence[Skipped]) -> Html:
    """What reading left aside, one line per reason, Thai first (as the commands print it)."""

    def lines(lang: str) -> list[str]:
        set_language(lang)
        try:
            return skipped_lines(skipped)
        finally:
            set_language(None)

    shown = [
        f'{escape(th)}<br><span class="ek-note">{escape(en)}</span>'
        for th, en in zip(lines("th"), lines("en"), strict=True)
    ]
    return Html("".join(f'<p class="ek-skipped">{line}</p>' for line in shown))


def source_note(project: ProjectData) -> Html:
    """Where the data comes from: the project's files, or the bundled sample."""
    if project.sample:
        return note(
            "<strong>ข้อมูลตัวอย่างที่มากับ evalkit</strong> (the bundled sample): โฟลเดอร์นี้ไม่มี "
            "params/*.yaml หรือ data/ledger.sqlite จึงแสดงข้อมูลตัวอย่างของจังหวัดตราด "
            "คะแนนเป็นค่าสมมติ ไม่ใช่ผลการประเมินจริง (this folder names no sheets, so the "
            "sample province is shown; its scores are invented, not official results)."
        )
    return note(
        f"โครงการ (project) <strong>{escape(project.folder.resolve().name)}</strong>: "
        f"แผ่นคะแนน {len(project.files)} ไฟล์ (sheets) จาก params/*.yaml"
        + (
            " และ data/ledger.sqlite"
            if (project.folder / "data" / "ledger.sqlite").is_file()
            else ""
        )
    )


def scores_view(report: AgencyReport) -> list[Any]:
    """The agency's total, summary, categories, rules and items, as on its page."""
    items = report.items()
    return [
        report.summary(),
        report.executive_summary(),
        report.category_table(),
        report.rules_table(),
        table(
            items,
            {
                "key": "หัวข้อ (item)",
                "name_th": "ชื่อหัวข้อ (name)",
                "points": "คะแนนที่ได้ (points)",
                "max_points": "คะแนนเต็ม (max)",
                "percent": "ร้อยละ (%)",
                "label": "ระดับ (level)",
            },
        ),
        report.radar_chart(),
    ]


def panel_view(report: AgencyReport) -> list[Any]:
    """How the panel scored: each assessor, agreement, factors, the agency's own view."""
    return [
        report.assessor_heatmap(),
        report.agreement_note(),
        report.factor_table(),
        report.self_assessment_table(),
        report.checks_self_vs_panel(),
        report.unmet_checks_section(),
    ]


def feedback_view(report: AgencyReport) -> list[Any]:
    return [report.feedback_section()]


def item_heatmap(result: pd.DataFrame, portfolio: PortfolioReport) -> Html:
    """Every agency's items (percent) side by side, in the order of the ranking."""
    rows = result[result["level"] == "item"]
    matrix = rows.pivot_table(index="agency_name", columns="key", values="percent", observed=True)
    order = [i.key for i in portfolio.framework.items if i.key in matrix.columns]
    ranked = [n for n in portfolio.ranking()["agency_name"] if n in matrix.index]
    return heat_table(matrix.loc[ranked, order], "ร้อยละรายหัวข้อของแต่ละหน่วยงาน (item % by agency)")


def decisions_table(portfolio: PortfolioReport) -> Html:
    """The award decisions of the framework and year, as ``evalkit decide`` lists them: the
    outcome of each entry, conditions met and failed, ties, and the path to the next level."""
    decisions = shown(portfolio.decisions())
    heading = "<h3>การตัดสินรางวัล (award decisions, as evalkit decide lists them)</h3>"
    return Html(heading + table(decisions, {c: c for c in decisions.columns}).body)


def compare_view(portfolio: PortfolioReport) -> list[Any]:
    """The agencies of the framework and year: ranking, decisions, distribution, categories,
    items."""
    return [
        portfolio.summary(),
        portfolio.ranking_table(),
        decisions_table(portfolio),
        portfolio.distribution_chart(),
        portfolio.category_heatmap(),
        item_heatmap(portfolio.result, portfolio),
    ]


def _where(key: str) -> str:
    return "คะแนนรวม (total)" if key == "total" else f"หมวด {key}"


def _status(met: Any) -> str:
    return NOT_APPLICABLE if pd.isna(met) else STATUS[bool(met)]


def _number(value: Any) -> str:
    return "-" if pd.isna(value) else f"{float(value):,.2f}"


def rules_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each rule row now and in the what-if, side by side."""
    keys = ["rule", "level", "key"]
    return before.merge(after, on=keys, how="outer", suffixes=("_before", "_after"))


def whatif_view(base: Outcome, outcome: Outcome, changes: Iterable[str]) -> Html:
    """The total, every rule's verdict and the distance to each threshold, before and after
    the what-if; data attributes carry the numbers for other programs."""
    before, after = base.total, outcome.total
    total = (
        f'<p class="ek-total ek-whatif-total" data-points="{after:.4f}">'
        f"คะแนนรวมเมื่อจำลอง (what-if total) <strong>{after:,.2f}</strong> "
        f"(เดิม {before:,.2f}; {after - before:+,.2f})</p>"
    )
    listed = list(changes)
    changed = (
        note("สิ่งที่เปลี่ยน (changes): " + escape("; ".join(listed)))
        if listed
        else note("ยังไม่ได้เปลี่ยนอะไร (nothing changed yet): เลือกค่าใหม่ของหัวข้อด้านบน")
    )
    rows = rules_rows(base.rules, outcome.rules)
    if rows.empty:
        return Html(total + changed.body + note("เกณฑ์นี้ไม่มีเกณฑ์รางวัลหรือเป้าหมาย (no rules).").body)
    body = "".join(_rule_row(r) for _, r in rows.iterrows())
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "เกณฑ์ (rule)",
            "ระดับ (applies to)",
            "เกณฑ์ขั้นต่ำ (threshold)",
            "เดิม (now)",
            "เมื่อจำลอง (what-if)",
            "ขาดอีก (distance)",
            "หมายเหตุ (note)",
        )
    )
    return Html(
        f'{total}{changed.body}<table class="ek-table ek-whatif-rules"><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


def _rule_row(row: pd.Series) -> str:
    met = row["met_after"]
    data = "na" if pd.isna(met) else str(bool(met)).lower()
    name = row["rule_name_after"] if pd.notna(row["rule_name_after"]) else row["rule_name_before"]
    cells = (
        escape(str(name)),
        escape(_where(str(row["key"]))),
        _number(row["threshold_after"]),
        f"{_number(row['points_before'])} {escape(_status(row['met_before']))}",
        f"{_number(row['points_after'])} <strong>{escape(_status(met))}</strong>",
        _number(row["shortfall_after"]),
        escape(str(row["note_after"]) if pd.notna(row["note_after"]) else ""),
    )
    tds = "".join(f"<td>{c}</td>" for c in cells)
    return (
        f'<tr data-rule="{escape(str(row["rule"]))}" data-key="{escape(str(row["key"]))}" '
        f'data-met="{data}" data-shortfall="{row["shortfall_after"]}">{tds}</tr>'
    )
