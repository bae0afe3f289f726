"""Templates filled the natural way: untouched rows are blank and skipped, a category-award
template, factor columns, and the household template of ``evalkit poverty``."""

from __future__ import annotations

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
    assert [(p.row, p.column, p.found) for p in problems] == [
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
    assert problem.found == "a header with no filled rows under it"
    assert "Blank rows" in problem.hint


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
    row = ["H1", 3, 2, 1, "ไม่ใช่", "พอเพียง", "รายได้"]
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        ws = book["ครัวเรือน"]
        assert ws["A1"].value == "รหัสครัวเรือน (household_id)" and ws.freeze_panes == "A2"
        menus = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("F")]
        assert len(menus) == 1
        ws.append(row)
        book.save(path)
    else:
        text = path.read_text(encoding="utf-8-sig")
        assert text.startswith("รหัสครัวเรือน (household_id),จำนวนสมาชิก (members),")
        path.write_text(text + ",".join(map(str, row)) + "\n", encoding="utf-8-sig")
    households = load_households(path)
    assert households[["household_id", "members", "menu", "still_failed"]].values.tolist() == [
        ["H1", 3, "พอเพียง", "รายได้"]
    ]
    assert main(["template", "poverty", "--categories", "2", "--out", str(path)]) == 2
