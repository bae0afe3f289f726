"""Templates filled the natural way: untouched rows are blank and skipped, a category-award
template, factor columns, and the household template of ``evalkit poverty``."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from evalkit import InvalidInputError, Registry, check_sheets, load_sheets, score
from evalkit.analysis.households import load_households
from evalkit.cli.main import main
from evalkit.exports.template import write_template
from evalkit.sheets.forms import get_form

WHO = {"agency_id": "demo", "agency_name": "สำนักงานทดสอบ", "year": 2565, "assessor": "ผู้ประเมิน 1"}


def _fill_rows(path, values, when=lambda row: True, sheet=None):
    """Fill the data rows of one sheet (the first visible one, unless named) for which
    ``when(row)`` holds, ``row`` being the row's cells by column; return the rows filled."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet] if sheet else next(w for w in book.worksheets if w.sheet_state == "visible")
    header = [c.value.split(" (")[1].rstrip(")") for c in ws[1]]
    filled = 0
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if when({k: c.value for k, c in cells.items()}):
            filled += 1
            for column, value in values.items():
                cells[column].value = value
    book.save(path)
    return filled


def test_untouched_rows_of_a_template_are_skipped(tmp_path):
    path = tmp_path / "award.xlsx"
    write_template(Registry().get("pmqa-2562"), path)
    category_2 = lambda row: str(row["item"]).startswith("2.")  # noqa: E731
    assert _fill_rows(path, WHO | {"percent": 55}, category_2) == 2
    sheets, problems = check_sheets([path])
    assert problems == []
    assert sorted(sheets.bands["item"]) == ["2.1", "2.2"]
    result = score(sheets).set_index(["level", "key"])
    assert result.loc[("category", "2"), "points"] == pytest.approx(0.55 * 80)
    assert result.loc[("category", "1"), "label"] == "absent"


def test_a_row_that_says_whose_it_is_but_has_no_value_is_still_an_error(tmp_path):
    path = tmp_path / "award.xlsx"
    write_template(Registry().get("pmqa-2562"), path)
    _fill_rows(path, WHO | {"percent": 55}, lambda row: str(row["item"]).startswith("2."))
    _fill_rows(path, WHO, lambda row: row["item"] == "3.1")  # identity given, no percent
    _, problems = check_sheets([path])
    assert [(p.row, p.column, str(p.found)) for p in problems] == [
        (6, "ร้อยละ (percent)", "an empty cell")
    ]


def test_blank_rows_in_csv_and_each_form(write_sheet):
    # a blank row keeps its framework, item, level, check and names: they are not filled
    # by the assessor; a comment alone makes a row filled (and then its score is missing)
    path = write_sheet(
        "agency_id,agency_name,year,framework,assessor,item,percent,strength\n"
        "demo,ทดสอบ,2565,cdd-clean,A,1.1,,\n"  # row 2: who, no value: error
        ",,,pmqa-2562,,1.1,,\n"  # row 3: blank
        ",,,pmqa-2562,,1.2,,ดี\n"  # row 4: a comment and nothing else: errors
    )
    _, problems = check_sheets([path])
    assert {p.row for p in problems} == {2, 4}
    checklist, indicators = get_form("checklist").filled, get_form("indicators").filled
    assert checklist[:4] == ("agency_id", "agency_name", "year", "assessor")
    assert "met" in checklist and {"target", "actual"} <= set(indicators)


def test_a_file_of_blank_rows_only_is_refused(write_sheet):
    path = write_sheet(
        "agency_id,agency_name,year,framework,assessor,item,percent\n,,,pmqa-2562,,1.1,\n"
    )
    with pytest.raises(InvalidInputError) as caught:
        load_sheets([path])
    (problem,) = caught.value.problems
    assert str(problem.found) == "a header with no filled rows under it"
    assert "Blank rows" in str(problem.hint)


def test_an_untouched_sheet_beside_a_filled_one_is_ignored(tmp_path):
    framework = Registry().get("pmqa40-status")
    path = tmp_path / "status.xlsx"
    write_template(framework, path)
    assert _fill_rows(path, WHO | {"met": "ใช่"}, sheet="รายการตรวจ") == len(framework.check_table())
    sheets = load_sheets([path])  # the indicators sheet is left as the template wrote it
    assert len(sheets.indicators) == 0
    assert set(sheets.checks["item"]) == {i.key for i in framework.items if i.checks}


def test_category_award_template(tmp_path, capsys):
    out = tmp_path / "c2.csv"
    assert main(["template", "pmqa-2562", "--categories", "2", "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert frame["หัวข้อ (item)"].tolist() == ["2.1", "2.2"]
    out = tmp_path / "c27.xlsx"
    assert main(["template", "pmqa-2562", "--categories", "2,7", "--out", str(out)]) == 0
    items = [
        r[5] for r in openpyxl.load_workbook(out)["คะแนน"].iter_rows(min_row=2, values_only=True)
    ]
    assert items == ["2.1", "2.2", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6"]
    status = tmp_path / "s.csv"
    assert main(["template", "pmqa40-status", "--categories", "7", "--out", str(status)]) == 0
    assert capsys.readouterr().out.split()[-1] == str(status)  # indicators only, one file
    assert main(["template", "pmqa-2562", "--categories", "9", "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        "evalkit: pmqa-2562 has no category 9; its categories are 1, 2, 3, 4, 5, 6, 7.\n"
    )


def test_factor_columns_are_optional_and_read_back(tmp_path):
    framework = Registry().get("pmqa-2562")
    plain = write_template(framework, tmp_path / "plain.csv")[0]
    assert "แนวทาง (a)" not in pd.read_csv(plain, encoding="utf-8-sig").columns
    path = tmp_path / "factors.csv"
    write_template(framework, path, categories=["1", "7"], factors=True)
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str).fillna("")
    factor_headers = [
        c for c in frame.columns if c.endswith(("(a)", "(d)", "(l)", "(i)", "(le)", "(t)", "(c)"))
    ]
    assert factor_headers == [
        "แนวทาง (a)",
        "การนำไปปฏิบัติ (d)",
        "การเรียนรู้ (l)",
        "การบูรณาการ (i)",
        "ระดับผลลัพธ์ (le)",
        "แนวโน้ม (t)",
        "การเปรียบเทียบ (c)",
    ]
    process = frame["หัวข้อ (item)"].str.startswith("1.")
    frame.loc[:, ["รหัสหน่วยงาน (agency_id)", "ชื่อหน่วยงาน (agency_name)"]] = ["demo", "ทดสอบ"]
    frame.loc[:, ["ปี พ.ศ. (year)", "ผู้ประเมิน (assessor)", "ร้อยละ (percent)"]] = ["2565", "1", "40"]
    frame.loc[process, factor_headers[:4]] = ["50", "35", "60", "70"]  # weakest d: 30-45 band
    frame.loc[~process, ["ระดับผลลัพธ์ (le)", "แนวโน้ม (t)", "การเปรียบเทียบ (c)", "การบูรณาการ (i)"]] = (
        "40"
    )
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    assert load_sheets([path]).bands["d"].dropna().tolist() == [35, 35]
    frame.loc[process, "ร้อยละ (percent)"] = "50"  # above the cap of the weakest factor
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InvalidInputError, match="the weakest factor d = 35 caps the band"):
        load_sheets([path])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_household_template_reads_back_once_filled(tmp_path, capsys, suffix):
    path = tmp_path / f"households{suffix}"
    assert main(["template", "poverty", "--out", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}\n"
    values = {
        "household_id": "H1",
        "ชื่อหัวหน้าครัวเรือน": "นาง ตัวอย่าง",
        "village": "หมู่ 3",
        "members": 3,
        "indicators_failed": 2,
        "indicators_now_passed": 1,
        "menu": "พอเพียง",  # cannot_help left blank: no
        "still_failed": "รายได้เฉลี่ย",
        "โทรศัพท์": "000-000-0000",
    }
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        ws = book["ครัวเรือน"]
        assert ws["A1"].value == "รหัสครัวเรือน (household_id)" and ws.freeze_panes == "A2"
        header = [c.value.split(" (")[-1].rstrip(")") for c in ws[1]]
        menus = [dv for dv in ws.data_validations.dataValidation if "menu" in _covered(ws, dv)]
        assert len(menus) == 1
        ws.append([values.get(c, "") for c in header])
        book.save(path)
    else:
        text = path.read_text(encoding="utf-8-sig")
        assert text.startswith("รหัสครัวเรือน (household_id),ชื่อหัวหน้าครัวเรือน,บ้านเลขที่,หมู่ที่ (village),")
        header = [c.split(" (")[-1].rstrip(")") for c in text.strip().split(",")]
        row = ",".join(str(values.get(c, "")) for c in header)
        path.write_text(text + row + "\n", encoding="utf-8-sig")
    households = load_households(path)
    assert households[
        ["household_id", "members", "menu", "still_failed", "village"]
    ].values.tolist() == [["H1", 3, "พอเพียง", "รายได้เฉลี่ย", "หมู่ 3"]]
    assert not households["cannot_help"].iloc[0]
    assert households["office:โทรศัพท์"].tolist() == ["000-000-0000"]
    assert main(["template", "poverty", "--categories", "2", "--out", str(path)]) == 2


def _covered(ws, rule) -> list[str]:
    """The columns (English names) a drop-down list covers."""
    header = {c.column_letter: c.value.split(" (")[-1].rstrip(")") for c in ws[1]}
    return [header[re.match(r"[A-Z]+", str(r))[0]] for r in str(rule.sqref).split()]


def test_an_award_template_carries_the_entry_columns_and_reads_back_to_a_decision(tmp_path):
    """Lert Rat's template has the type (a drop-down of the Thai names), the work and the
    eligibility columns; filled by hand (a date typed as Excel keeps it, another as Thai
    text), it is read, screened and decided."""
    from datetime import datetime

    from evalkit.analysis.decisions import decide
    from evalkit.scoring.rules import evaluate_rules
    from evalkit.sheets.entries import sheet_entries

    registry = Registry()
    framework = registry.get("lertrat-participatory")
    path = tmp_path / "lertrat.xlsx"
    write_template(framework, path)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert [c.value for c in ws[1]][4:11] == [
        "ผู้ประเมิน (assessor)",
        "ประเภท (type)",
        "ชื่อผลงาน (work)",
        "วันที่เริ่มดำเนินการ (start_date)",
        "ยังดำเนินการอยู่ (running)",
        "ผลลัพธ์หรือผลกระทบที่สำคัญ (effect)",
        "วันปิดรับสมัคร (closing_date)",
    ]
    kinds = next(r for r in ws.data_validations.dataValidation if str(r.sqref).startswith("F"))
    column = kinds.formula1.split("!$")[1][0]
    names = [c.value for c in book["_lists"][column] if c.value]
    assert names == [name_th for _, name_th, _ in framework.types]
    who = {"agency_id": "lr-work", "agency_name": "สำนักงานทดสอบ", "year": 2564,
           "assessor": "ผู้ประเมิน 1", "percent": 80}  # fmt: skip
    assert _fill_rows(path, who) == len(framework.items)
    entry = {"type": "ผู้นำหุ้นส่วนความร่วมมือ", "work": "เครือข่ายอาสาร่วมใจ",
             "start_date": datetime(2019, 1, 15), "running": "ใช่", "effect": "ลดเวลารอคอย",
             "closing_date": "31 มี.ค. 2564"}  # fmt: skip
    assert _fill_rows(path, entry, lambda row: row["item"] == "1.1") == 1
    sheets, problems = check_sheets([path], registry)
    assert problems == []
    entries = sheet_entries(sheets, framework, 2564)
    result = score(sheets, registry)
    decisions = decide(result, evaluate_rules(result, registry), framework, entries, None, sheets)
    row = decisions.iloc[0]
    assert (row["type"], row["agency_name"], row["eligible"], row["rank"]) == (
        "ผู้นำหุ้นส่วนความร่วมมือ",
        "เครือข่ายอาสาร่วมใจ",
        True,
        1,
    )
    assert row["level"].startswith("ระดับดีเด่น")


def test_a_template_without_award_types_has_no_entry_columns(tmp_path):
    women, plain = tmp_path / "women.xlsx", tmp_path / "plain.xlsx"
    write_template(Registry().get("women-fund"), women)
    write_template(Registry().get("pmqa-2562"), plain)
    women_headers = [c.value for c in openpyxl.load_workbook(women).worksheets[0][1]]
    assert "ประเภท (type)" in women_headers and "ชื่อผลงาน (work)" not in women_headers
    assert not any("start_date" in h for h in women_headers)
    headers = [c.value for c in openpyxl.load_workbook(plain).worksheets[0][1]]
    assert not {"ประเภท (type)", "ชื่อผลงาน (work)"} & set(headers)
