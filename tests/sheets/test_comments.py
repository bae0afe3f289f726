"""Comments on every form: strength, improvement, evidence, with line breaks kept; the
panel's agreed text in rows of assessor ``consensus``."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from helpers import BAND_HEADER, GOLDEN

from evalkit import InvalidInputError, load_sheets, score
from evalkit.sheets.ledger import Ledger
from evalkit.sheets.readers import clean_lines

HEADER = BAND_HEADER.strip() + ",จุดแข็ง,โอกาสในการปรับปรุง,หลักฐาน\n"
AGENCY = ["demo", "สำนักงาน  ทดสอบ", "2565", "pmqa-2562", "A"]
ROWS = [
    [*AGENCY, "2.1", "50", "ข้อหนึ่ง\r\n  ข้อสอง  ", "", "a.pdf"],
    [*AGENCY, "2.2", "60", "", "ควร\nปรับปรุง", ""],
]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return HEADER + out.getvalue()


def test_clean_lines_keeps_line_breaks_and_folds_the_rest():
    assert clean_lines("  หนึ่ง \u200b  สอง\r\n\r\n สาม\u00a0 \n") == "หนึ่ง สอง\n\nสาม"
    assert clean_lines(None) == "" and clean_lines(3.0) == "3"


def test_line_breaks_kept_in_comments_of_csv_and_xlsx(write_sheet, tmp_path):
    bands = load_sheets([write_sheet(_csv(ROWS))]).bands
    assert bands["strength"].tolist() == ["ข้อหนึ่ง\nข้อสอง", ""]
    assert bands["improvement"].tolist() == ["", "ควร\nปรับปรุง"]
    assert bands["evidence"].tolist() == ["a.pdf", ""]
    assert bands["agency_name"].tolist() == ["สำนักงาน ทดสอบ"] * 2  # other cells are folded
    book = openpyxl.Workbook()
    book.active.append(HEADER.strip().split(","))
    for row in ROWS:
        book.active.append(row)
    book.save(tmp_path / "comments.xlsx")
    from_xlsx = load_sheets([tmp_path / "comments.xlsx"]).bands
    assert from_xlsx["strength"].tolist() == ["ข้อหนึ่ง\nข้อสอง", ""]


def test_checklist_and_indicator_sheets_take_comments(write_sheet):
    folder = GOLDEN / "pmqa40-status"
    checklist = (folder / "checklist.csv").read_text(encoding="utf-8").splitlines()
    checklist[0] += ",strength,improvement,evidence"
    checklist[1] += ',,"ยังไม่มี\nแผนสำรอง",แผน.pdf'
    checklist[2:] = [line + ",,," for line in checklist[2:]]  # every row as wide as its header
    indicators = (folder / "indicators.csv").read_text(encoding="utf-8").splitlines()
    indicators[0] += ",evidence"
    indicators[1] += ",รายงานผล.xlsx"
    indicators[2:] = [line + "," for line in indicators[2:]]
    sheets = load_sheets(
        [
            write_sheet("\n".join(checklist) + "\n", "checklist.csv"),
            write_sheet("\n".join(indicators) + "\n", "indicators.csv"),
        ]
    )
    assert sheets.checks["improvement"].iloc[0] == "ยังไม่มี\nแผนสำรอง"
    assert sheets.checks["evidence"].iloc[0] == "แผน.pdf"
    assert sheets.indicators["evidence"].iloc[0] == "รายงานผล.xlsx"


def test_consensus_rows_without_a_score_hold_comments_and_with_one_the_agreed_score(write_sheet):
    agreed = [*AGENCY[:4], "consensus", "2.1", "", "", "ร่วมกัน", ""]
    sheets = load_sheets([write_sheet(_csv([*ROWS, agreed]))])
    assert sheets.bands["assessor"].tolist() == ["A", "A", "consensus"]
    result = score(sheets)
    item = result[(result["level"] == "item") & (result["key"] == "2.1")]
    assert item["percent"].tolist() == [50.0]  # the consensus row takes no part
    scored = [*agreed[:6], "70", "", "ร่วมกัน", ""]
    agreed_score = score(load_sheets([write_sheet(_csv([*ROWS, scored]), "scored.csv")]))
    item = agreed_score[(agreed_score["level"] == "item") & (agreed_score["key"] == "2.1")]
    assert item["percent"].tolist() == [70.0]  # the committee's agreed score


def test_a_sheet_of_consensus_comments_needs_no_score_column(write_sheet):
    header = "agency_id,agency_name,year,framework,assessor,item,strength\n"
    text = header + "demo,สำนักงาน ทดสอบ,2565,pmqa-2562,ฉันทามติ,2.1,ดี\n"
    scores = write_sheet(_csv(ROWS), "scores.csv")
    sheets = load_sheets([scores, write_sheet(text, "agreed.csv")])
    assert sheets.bands["strength"].tolist()[-1] == "ดี"


def test_different_comments_for_the_same_value_clash(write_sheet):
    other = [*ROWS[0][:7], "อีกข้อความ", "", "a.pdf"]
    first = write_sheet(_csv(ROWS), "first.csv")
    with pytest.raises(InvalidInputError, match="given more than once"):
        load_sheets([first, write_sheet(_csv([other, ROWS[1]]), "second.csv")])


def test_the_ledger_keeps_line_breaks(write_sheet, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    try:
        ledger.ingest([write_sheet(_csv(ROWS))])
        bands = ledger.current().bands
    finally:
        ledger.close()
    assert bands["strength"].tolist() == ["ข้อหนึ่ง\nข้อสอง", ""]
    assert bands["improvement"].tolist() == ["", "ควร\nปรับปรุง"]
