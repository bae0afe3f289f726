"""The agency report's feedback, factor and summary sections; rating frameworks in the panel
views; a category award judged for what it is.

Golden feedback: see tests/exports/test_feedback.py. Rating golden (tests/golden/cdd-clean):
1.1 rated 3, 4, 5 -> median 4 (ดี มีผลลัพธ์ชัดเจน, 80% of 10 = 8 points); one level up is 5
(100%, 10 points): +2. 1.2 rated 2, 3 -> 2.5 -> 3 (halves up): 60%, 6 points; up to 4: +2.
5.1 rated 0 -> up to 1: +2; 5.2 rated 5 is at the top: +0. Assessors A and C are two levels
apart on 1.1 (3 and 5): flagged. The self row rates 1.1 at 5 (100%): over the panel's 80%.
"""

from __future__ import annotations

import re

import pytest
from helpers import FEEDBACK, GOLDEN, item_section

from evalkit.report.agency import AgencyReport


@pytest.fixture(scope="module")
def golden() -> AgencyReport:
    return AgencyReport.load([str(FEEDBACK)], "fbk", 2565, "pmqa-2562")


@pytest.fixture(scope="module")
def rated(tmp_path_factory) -> AgencyReport:
    sheet = tmp_path_factory.mktemp("rating") / "sheet.csv"
    sheet.write_text(
        (GOLDEN / "cdd-clean" / "sheet.csv").read_text(encoding="utf-8")
        + "clean,สำนักงานทดสอบ,2564,cdd-clean,self,1.1,5\n",
        encoding="utf-8",
    )
    return AgencyReport.load([str(sheet)], "clean", 2564, "cdd-clean")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_feedback_section_puts_each_escaped_comment_in_its_item(golden):
    body = golden.feedback_section().body
    first, second = item_section(body, "1.1"), item_section(body, "1.2")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; มีแผนยุทธศาสตร์" in first
    assert "<script>" not in body
    assert "ผู้บริหารกำหนดทิศทางชัดเจน<br>สื่อสารทั่วทั้งองค์กร" in first
    assert "— คณะกรรมการ (the committee)" in first and "ควรวัดผลการสื่อสาร" not in first
    assert "ผู้ประเมิน A" not in body  # the report names no assessor either
    assert "ควรเปิดเผยผลการกำกับดูแล &amp; ผลการตรวจสอบ" in second
    assert "ดีเยี่ยม" not in body


def test_factor_table_shows_the_median_spread_and_the_cap(golden):
    text = _text(golden.factor_table().body)
    assert "1.1 การนำไปปฏิบัติ (Deployment) 65.00 45.00 70.00 25.00 ต่ำสุด (weakest)" in text
    assert text.count("จำกัดช่วงคะแนน (capped the band)") == 1


def test_executive_summary(golden, rated):
    text = _text(golden.executive_summary().body)
    assert "คะแนนรวม (total) 69.00 จาก 120 (57.5%)" in text
    assert "not applicable: categories 2, 3, 4, 5, 6, 7 absent" in text
    assert "1.1 ช่วง 50-65 → ช่วง 70-85 (+12.00 คะแนน)" in text  # 65 -> 85: 39 -> 51
    assert "items the panel disagreed on): 1.1" in text  # 45 and 70: bands 30-45, 70-85
    text = _text(rated.executive_summary().body)
    assert "หมวด 1" in text and "หมวด 5" in text  # strongest 70%, weakest 50%
    assert "(weakest category): หมวด 5" in text
    assert "1.1 ระดับ 4 ดี มีผลลัพธ์ชัดเจน → ระดับ 5 ดีเด่น เป็นแบบอย่าง (+2.00 คะแนน)" in text
    assert "items the panel disagreed on): 1.1" in text


def test_rating_frameworks_get_every_panel_view(rated):
    heat = rated.assessor_heatmap().body
    assert "ratings" in heat and "no per-assessor" not in heat
    values = re.findall(r'<tr[^>]*><th scope="row">([^<]*)</th>(.*?)</tr>', heat)
    shown = {k: re.findall(r">(\d+|-)</td>", cells) for k, cells in values}
    assert shown == {"1.1 *": ["3", "4", "5"], "1.2": ["2", "3", "-"], "5.1": ["0", "-", "-"],
                     "5.2": ["5", "-", "-"]}  # fmt: skip
    assert "หัวข้อที่ผู้ประเมินต่างกันตั้งแต่ 2 ระดับ: 1 หัวข้อ" in rated.agreement_note().body
    self_table = _text(rated.self_assessment_table().body)
    assert "no self-assessment rows" not in self_table
    assert "ระดับ 5 ดีเด่น เป็นแบบอย่าง 80.00 ระดับ 4 ดี มีผลลัพธ์ชัดเจน 20.00" in self_table
    what_if = _text(rated.what_if_table().body)
    assert "no bands" not in what_if
    assert "1.2 ระดับ 3 ดำเนินการได้ครบถ้วน 60.00 ระดับ 4 ดี มีผลลัพธ์ชัดเจน 80.00 2.00" in what_if


def test_a_category_2_award_sheet_is_judged_for_what_it_is(tmp_path):
    sheet = tmp_path / "category-2.csv"
    rows = [
        f"c2,สำนักงานทดสอบ,2565,pmqa-2562,{who},{item},{percent}"
        for who, percents in (("A", (45, 65)), ("B", (50, 70)))
        for item, percent in zip(("2.1", "2.2"), percents, strict=True)
    ]
    header = "agency_id,agency_name,year,framework,assessor,item,percent\n"
    sheet.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    report = AgencyReport.load([str(sheet)], "c2", 2565, "pmqa-2562")
    rules = _text(report.rules_table().body)
    # 2.1 median(45, 50) = 47.5 -> 50; 2.2 median(65, 70) = 67.5 -> 70: 20 + 28 = 48 of 80
    assert "ไม่เกี่ยวข้อง (not applicable)" in rules
    assert "ไม่เกี่ยวข้อง: ไม่ได้ประเมินหมวด 1, 3, 4, 5, 6, 7" in rules
    assert "ไม่ผ่าน (not met)" not in rules
    assert "400.00 ไม่เกี่ยวข้อง (not applicable) - ไม่เกี่ยวข้อง" in rules  # no shortfall
    assert "หมวด 2 48.00 40.00 ผ่าน (met)" in rules  # the category award: 50% of 80
    for section in (report.what_if_table(), report.executive_summary(), report.summary()):
        assert "Lower the threshold" not in section.body and "not met" not in section.body
    assert "not applicable: categories 1, 3, 4, 5, 6, 7 absent" in report.what_if_table().body


def test_an_agreed_value_outside_the_range_without_a_reason_is_flagged_in_the_report(tmp_path):
    agreed = tmp_path / "agreed.csv"
    agreed.write_text(
        "agency_id,agency_name,year,framework,assessor,stage,item,percent,reason\n"
        "fbk,สำนักงาน <ทดสอบ> & คณะ,2565,pmqa-2562,ฉันทามติ,ฉันทามติ,1.1,90,\n"
        "fbk,สำนักงาน <ทดสอบ> & คณะ,2565,pmqa-2562,ฉันทามติ,ฉันทามติ,1.2,55,ตรงกับหลักฐาน\n",
        encoding="utf-8",
    )
    report = AgencyReport.load([str(FEEDBACK), str(agreed)], "fbk", 2565, "pmqa-2562")
    body = report.feedback_section().body
    assert _text(body).count("(agreed values outside the assessors' range, with no reason):") == 1
    assert "1.1 90 (45-70)</p>" in body  # 1.2's 55 is inside 50-55 and has its reason
    assert (
        "ek-flag"
        not in AgencyReport.load([str(FEEDBACK)], "fbk", 2565, "pmqa-2562").feedback_section().body
    )
