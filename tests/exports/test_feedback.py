"""The feedback document and the exports carry the golden comments, each in its own item.

Golden (tests/golden/feedback/sheet.csv, pmqa-2562, category 1 only):
- 1.1 (60 points): percents 45, 65, 70 -> median 65 -> 39 points; 1.2 (60): 50, 50, 55 ->
  median 50 -> 30 points; total 69 of the 120 points of category 1.
- 1.1's improvements: the panel's agreed text (assessor ``consensus``) stands for the panel;
  C's own "=ควรวัดผลการสื่อสาร" is not repeated in the feedback, but kept in the per-assessor
  export (neutralised with an apostrophe).
- 1.1's evidence: "แผนยุทธศาสตร์ 2565.pdf; บันทึกการประชุม.pdf" and "แผนยุทธศาสตร์ 2565.pdf"
  -> two documents, no repeat.
- The self-assessment's comment never appears in the feedback.
"""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd
import pytest
from helpers import FEEDBACK, item_section

from evalkit import Registry, load_sheets, score
from evalkit.cli.main import main
from evalkit.exports.feedback import Feedback, feedback_page, thai_date
from evalkit.exports.scores import export

SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt; มีแผนยุทธศาสตร์"


@pytest.fixture(scope="module")
def page() -> str:
    sheets = load_sheets([FEEDBACK])
    feedback = Feedback.of(sheets, score(sheets), Registry(), "fbk", 2565, "pmqa-2562")
    return feedback_page(feedback, date(2023, 3, 1))


@pytest.fixture(scope="module")
def committee_page() -> str:
    sheets = load_sheets([FEEDBACK])
    feedback = Feedback.of(
        sheets, score(sheets), Registry(), "fbk", 2565, "pmqa-2562", with_assessors=True
    )
    return feedback_page(feedback, date(2023, 3, 1))


def test_the_page_header_names_agency_framework_year_and_no_assessor(page, committee_page):
    assert "<h1>สำนักงาน &lt;ทดสอบ&gt; &amp; คณะ</h1>" in page
    assert "pmqa-2562" in page and "พ.ศ. 2565" in page
    assert "คณะผู้ประเมิน (assessors)" not in page and "ผู้ประเมิน A" not in page
    # the committee's own file names them, as the sheets do
    assert "<td>ผู้ประเมิน A, ผู้ประเมิน B, ผู้ประเมิน C</td>" in committee_page
    assert "1 มีนาคม 2566" in page and thai_date(date(2023, 3, 1)) == "1 มีนาคม 2566"
    assert "คะแนนรวม (total) <strong>69.00</strong> จาก 120.00 (57.5%)" in page
    # a category award: the overall award does not apply, the category award is met
    assert "not applicable: categories 2, 3, 4, 5, 6, 7 absent" in page
    assert "รางวัลคุณภาพการบริหารจัดการภาครัฐรายหมวด · เกณฑ์ตัวอย่าง (ยังไม่ยืนยัน): ผ่าน (met)" in page
    assert "<script>" not in page and "Lower the threshold" not in page


NOT_AGREED = "ผู้ประเมิน ยังไม่ตกลง (not agreed)"


def test_each_comment_is_escaped_in_its_own_item(page, committee_page):
    first, second = item_section(page, "1.1"), item_section(page, "1.2")
    assert "<strong>39.00</strong> จาก 60.00 (65.0%) · ช่วง 50-65" in first
    assert '<span class="ek-basis">มัธยฐานของผู้ประเมิน (median of the assessors)</span>' in first
    assert (
        "<li>ผู้บริหารกำหนดทิศทางชัดเจน<br>สื่อสารทั่วทั้งองค์กร"
        f'<span class="ek-who"> — {NOT_AGREED}</span></li>' in first
    )
    assert f'<li>{SCRIPT}<span class="ek-who"> — {NOT_AGREED}</span></li>' in first
    assert (
        '<li>ควรติดตามผลการสื่อสารอย่างเป็นระบบ<span class="ek-who"> — คณะกรรมการ (the committee)'
        in first
    )
    committee = item_section(committee_page, "1.1")
    assert f'<li>{SCRIPT}<span class="ek-who"> — ผู้ประเมิน B</span></li>' in committee
    assert "ควรวัดผลการสื่อสาร" in committee  # C's own text too, in the committee's file
    assert "ควรวัดผลการสื่อสาร" not in first  # the panel's agreed text stands for the panel
    assert first.count("<li>แผนยุทธศาสตร์ 2565.pdf</li>") == 1
    assert "<li>บันทึกการประชุม.pdf</li>" in first
    assert "ควรเปิดเผยผลการกำกับดูแล &amp; ผลการตรวจสอบ" in second
    assert "มีคณะกรรมการจริยธรรม" in second and "มีคณะกรรมการจริยธรรม" not in first
    assert "ดีเยี่ยม" not in page  # the self-assessment is not feedback


def test_factors_per_item_and_the_one_that_capped_the_band(page):
    first = item_section(page, "1.1")
    # the assessors' median a 70, d 65, l 70, i 70: d is the weakest, in the item's band 50-65
    assert "<th>การนำไปปฏิบัติ (Deployment)</th><td>65</td><td>45-70</td>" in first
    assert "<th>มัธยฐานของผู้ประเมิน (median of the assessors)</th>" in first
    assert "ฉันทามติ" not in page  # a computed median is never called consensus
    assert first.count("จำกัดช่วงคะแนน (capped the band)") == 1
    assert "<table" not in item_section(page, "1.2")  # no factor scores given


def test_the_command_writes_a_page_per_agency_and_year(tmp_path, capsys):
    assert main(["feedback", str(FEEDBACK), "--out", str(tmp_path)]) == 0
    path = tmp_path / "fbk" / "pmqa-2562-2565-feedback.html"
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(path)
    html = path.read_text(encoding="utf-8")
    assert SCRIPT in item_section(html, "1.1") and "@page{size:A4" in html
    assert main(["feedback", str(FEEDBACK), "--out", str(tmp_path), "--year", "2560"]) == 1
    assert "no scores for year 2560" in capsys.readouterr().err
    assert main(["feedback", str(FEEDBACK), "--out", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr().out == ""  # nothing for cron to mail when all went well


def test_both_exports_carry_the_comments(tmp_path):
    sheets, registry = load_sheets([FEEDBACK]), Registry()
    (book,) = export(sheets, registry, "xlsx", tmp_path / "scores.xlsx")
    export(sheets, registry, "csv", tmp_path)
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == [
        "คะแนน (scores)",
        "คะแนนของคณะกรรมการ (panel)",
        "ข้อเสนอแนะ (feedback)",
        "คะแนนรายผู้ประเมิน (assessors)",
    ]
    sheet = workbook["ข้อเสนอแนะ (feedback)"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = [h.split(" (")[-1].rstrip(")") for h in rows[0]]
    xlsx = pd.DataFrame(rows[1:], columns=header).set_index("item")
    csv = pd.read_csv(tmp_path / "feedback.csv", encoding="utf-8-sig", keep_default_na=False)
    csv = csv.astype({"item": str}).set_index("item")
    for frame in (xlsx, csv):
        # the assessors' text where the committee has none, marked as a draft
        assert frame.loc["1.1", "strength"] == (
            "[ร่าง] ผู้ประเมิน A: ผู้บริหารกำหนดทิศทางชัดเจน\nสื่อสารทั่วทั้งองค์กร\n"
            "ผู้ประเมิน B: <script>alert(1)</script> มีแผนยุทธศาสตร์"
        )
        assert frame.loc["1.1", "improvement"] == "ควรติดตามผลการสื่อสารอย่างเป็นระบบ"
        assert frame.loc["1.1", "evidence"] == "[ร่าง] แผนยุทธศาสตร์ 2565.pdf\nบันทึกการประชุม.pdf"
        assert frame.loc["1.2", "strength"] == "[ร่าง] ผู้ประเมิน C: มีคณะกรรมการจริยธรรม"
        assert float(frame.loc["1.1", "panel_points"]) == 39.0
    wrapped = sheet.cell(row=2, column=header.index("strength") + 1).alignment
    assert wrapped.wrap_text
    assessors = pd.read_csv(tmp_path / "assessors.csv", encoding="utf-8-sig", dtype=str)
    c = assessors[(assessors["assessor"] == "ผู้ประเมิน C") & (assessors["item"] == "1.1")]
    assert c["improvement"].tolist() == ["'=ควรวัดผลการสื่อสาร"]  # neutralised, kept
    per_assessor = workbook["คะแนนรายผู้ประเมิน (assessors)"]
    cells = {c.value: c for row in per_assessor.iter_rows() for c in row}
    assert "หน่วยงานเห็นว่าตนเองดีเยี่ยม" in cells
    # in XLSX the text is kept as written, as text with Excel's quote prefix
    assert cells["=ควรวัดผลการสื่อสาร"].quotePrefix and cells["=ควรวัดผลการสื่อสาร"].data_type == "s"
