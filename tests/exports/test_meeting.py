"""The consensus meeting workbook goes round: written by ``evalkit consensus``, edited with
openpyxl as the committee's secretary edits it in Excel, read back as the committee's rows.

Golden (tests/golden/feedback/sheet.csv): 1.1 percents 45, 65, 70 (median 65, three bands
apart: on the agenda); 1.2 percents 50, 50, 55 (median 50). In the meeting the committee agrees
60 for 1.1 with a reason, rewrites its strengths, leaves the improvement draft alone; 1.2's row
is deleted (the assessors' median stands).
"""

from __future__ import annotations

import openpyxl
import pytest
from helpers import FEEDBACK, item_section

from evalkit import Registry, load_sheets, score
from evalkit.cli.main import main
from evalkit.core.outputs import KIND_PROPERTY
from evalkit.sheets.stages import DRAFT

AGREED = "ผู้บริหารสื่อสารทิศทางทั่วทั้งองค์กร มีแผนยุทธศาสตร์ที่ชัดเจน"
REASON = "การถ่ายทอดสู่การปฏิบัติยังไม่ครบทุกหน่วย"


def _cells(ws) -> tuple[dict[str, int], list[list[object]]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    columns = {str(h).rsplit("(", 1)[-1].rstrip(")"): n + 1 for n, h in enumerate(rows[0])}
    return columns, rows


@pytest.fixture
def workbook(tmp_path) -> str:
    out = tmp_path / "meeting.xlsx"
    assert main(["consensus", str(FEEDBACK), "--out", str(out)]) == 0
    return str(out)


def test_the_workbook_puts_the_agenda_first_and_the_assessors_side_by_side(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["วิธีใช้ (instructions)", "fbk 2565", "_lists"]
    columns, rows = _cells(book["fbk 2565"])
    header = rows[0]
    assert header[columns["agreed_percent"] - 1] == "คะแนนที่ตกลง (agreed_percent)"
    assert "คะแนนของ ผู้ประเมิน A (assessor_value)" in header
    assert [r[columns["item"] - 1] for r in rows[1:]] == ["1.1", "1.2"]
    first = rows[1]
    assert first[columns["agenda"] - 1] == "หารือ"  # 45 and 70: three bands apart
    assert first[columns["panel_median"] - 1] == 65 and first[columns["panel_spread"] - 1] == 25
    assert first[columns["agreed_percent"] - 1] is None  # left for the committee
    assert first[columns["agreed_strength"] - 1].startswith(DRAFT)
    # the committee's own text of the sheets is its text, not a draft
    assert first[columns["agreed_improvement"] - 1] == "ควรติดตามผลการสื่อสารอย่างเป็นระบบ"
    ws = book["fbk 2565"]
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter(columns["agreed_percent"])
    assert any(k.startswith(f"{letter}2") for k in lists)
    assert book.custom_doc_props[KIND_PROPERTY].value == "consensus-meeting"
    # untouched, it reads back as the committee's rows with nothing agreed: the median stands
    sheets = load_sheets([FEEDBACK, workbook])
    result = score(sheets)
    items = result[result["level"] == "item"]
    assert items["percent"].tolist() == [65.0, 50.0]


def _edit(workbook: str) -> None:
    """What the secretary does in Excel: a value chosen from the drop-down (text), a reason
    and the committee's strengths typed, a draft left alone, a row deleted."""
    book = openpyxl.load_workbook(workbook)
    ws = book["fbk 2565"]
    columns, _ = _cells(ws)
    ws.cell(row=2, column=columns["agreed_percent"], value="60")
    ws.cell(row=2, column=columns["reason"], value=REASON)
    ws.cell(row=2, column=columns["agreed_strength"], value=AGREED)
    ws.delete_rows(3)
    book.save(workbook)


def test_the_committees_edits_read_back_as_its_agreed_rows(workbook, tmp_path, capsys):
    _edit(workbook)
    assert main(["validate", workbook, str(FEEDBACK)]) == 0
    sheets = load_sheets([FEEDBACK, workbook])
    items = score(sheets, Registry())
    items = items[items["level"] == "item"]
    assert dict(zip(items["key"], items["percent"], strict=True)) == {"1.1": 60.0, "1.2": 50.0}
    out = tmp_path / "feedback"
    capsys.readouterr()
    assert main(["feedback", str(FEEDBACK), workbook, "--out", str(out)]) == 0
    page = (out / "fbk" / "pmqa-2562-2565-feedback.html").read_text(encoding="utf-8")
    first, second = item_section(page, "1.1"), item_section(page, "1.2")
    assert "<strong>36.00</strong> จาก 60.00 (60.0%)" in first
    assert "คะแนนที่คณะกรรมการตกลง (agreed by the committee)" in first
    assert f'<li>{AGREED}<span class="ek-who"> — คณะกรรมการ (the committee)</span></li>' in first
    assert f'<li>{REASON}<span class="ek-who"> — คณะกรรมการ (the committee)</span></li>' in first
    assert "ผู้บริหารกำหนดทิศทางชัดเจน" not in first  # the assessors' draft was replaced
    assert "มัธยฐานของผู้ประเมิน (median of the assessors)" in second
    # the draft left alone stays the assessor's text, never the committee's
    assert (
        'ควรเปิดเผยผลการกำกับดูแล &amp; ผลการตรวจสอบ<span class="ek-who"> — '
        "ผู้ประเมิน ยังไม่ตกลง (not agreed)" in second
    )
    assert DRAFT not in page and "ผู้ประเมิน A" not in page and "ผู้ประเมิน C" not in page


def test_a_change_at_the_site_visit_wins_over_the_meeting(workbook):
    _edit(workbook)
    book = openpyxl.load_workbook(workbook)
    ws = book["fbk 2565"]
    columns, rows = _cells(ws)
    ws.append(list(rows[1]))  # the secretary copies the row and marks it the site visit's
    ws.cell(row=3, column=columns["stage"], value="ตรวจเยี่ยม")
    ws.cell(row=3, column=columns["agreed_percent"], value=70)
    ws.cell(row=3, column=columns["reason"], value="พบหลักฐานการถ่ายทอดครบเมื่อตรวจเยี่ยม")
    book.save(workbook)
    items = score(load_sheets([FEEDBACK, workbook]))
    items = items[items["level"] == "item"]
    assert dict(zip(items["key"], items["percent"], strict=True)) == {"1.1": 70.0, "1.2": 50.0}


def test_the_command_refuses_a_choice_with_nothing_to_agree(tmp_path, capsys):
    out = tmp_path / "meeting.xlsx"
    assert main(["consensus", str(FEEDBACK), "--out", str(out), "--year", "2560"]) == 1
    assert "no assessors' scores to agree" in capsys.readouterr().err
    assert not out.exists()
    assert main(["consensus", str(FEEDBACK), "--out", str(tmp_path / "m.csv")]) != 0


def test_the_feedback_sheet_of_an_export_goes_round(tmp_path, capsys):
    """The committee edits the export's feedback sheet: its strengths typed over the draft of
    1.1, 1.2's drafts left alone, the self-assessment's row deleted from the assessors' sheet;
    the export alone then gives the feedback document with the committee's text."""
    book_path = tmp_path / "export.xlsx"
    assert main(["export", str(FEEDBACK), "--format", "xlsx", "--out", str(book_path)]) == 0
    book = openpyxl.load_workbook(book_path)
    ws = book["ข้อเสนอแนะ (feedback)"]
    columns, rows = _cells(ws)
    assert rows[0][columns["strength"] - 1] == "จุดแข็ง (strength)"
    assert [r[columns["item"] - 1] for r in rows[1:]] == ["1.1", "1.2"]
    assert rows[2][columns["strength"] - 1] == f"{DRAFT} ผู้ประเมิน C: มีคณะกรรมการจริยธรรม"
    assert rows[1][columns["improvement"] - 1] == "ควรติดตามผลการสื่อสารอย่างเป็นระบบ"
    ws.cell(row=2, column=columns["strength"], value=AGREED)
    assessors = book["คะแนนรายผู้ประเมิน (assessors)"]
    own, own_rows = _cells(assessors)
    self_rows = [n + 1 for n, r in enumerate(own_rows) if r[own["assessor"] - 1] == "self"]
    for number in reversed(self_rows):
        assessors.delete_rows(number)
    book.save(book_path)
    out = tmp_path / "feedback"
    capsys.readouterr()
    assert main(["feedback", str(book_path), "--out", str(out)]) == 0
    page = (out / "fbk" / "pmqa-2562-2565-feedback.html").read_text(encoding="utf-8")
    first, second = item_section(page, "1.1"), item_section(page, "1.2")
    assert f'<li>{AGREED}<span class="ek-who"> — คณะกรรมการ (the committee)</span></li>' in first
    assert (
        '<li>ควรติดตามผลการสื่อสารอย่างเป็นระบบ<span class="ek-who"> — คณะกรรมการ (the committee)'
        in first
    )
    assert "<strong>39.00</strong> จาก 60.00 (65.0%)" in first  # the scores as they were
    assert 'มีคณะกรรมการจริยธรรม<span class="ek-who"> — ผู้ประเมิน ยังไม่ตกลง (not agreed)' in second
    assert DRAFT not in page and "ผู้ประเมิน" + " C" not in page
    assert "ดีเยี่ยม" not in page  # the self-assessment's comment is gone with its rows
