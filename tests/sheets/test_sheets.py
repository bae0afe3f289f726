from __future__ import annotations

import pandas as pd
import pytest
from helpers import BAND_HEADER, SAMPLE

from evalkit import InvalidInputError, Registry
from evalkit import load_sheets as _load_sheets
from evalkit.sheets.load import check_sheets


def load_scores(paths, registry=None):
    return _load_sheets(paths, registry).bands


ROW = "demo,หน่วยงาน,{year},pmqa-2562,A,{item},{percent}\n"


def category_1(year=2565, first=50, second=50):
    """Rows for both items of category 1 (a sheet scores whole categories)."""
    return ROW.format(year=year, item="1.1", percent=first) + ROW.format(
        year=year, item="1.2", percent=second
    )


def test_thai_headers_thai_digits_and_common_era_years(write_sheet):
    english = write_sheet(
        BAND_HEADER
        + ROW.format(year=2564, item="2.1", percent=85)
        + ROW.format(year=2564, item="2.2", percent=40),
        "en.csv",
    )
    thai = write_sheet(
        "รหัสหน่วยงาน,ชื่อหน่วยงาน,ปี พ.ศ.,เกณฑ์,ผู้ประเมิน,หัวข้อ,ร้อยละ\n"
        "demo, หน่วยงาน ,๒๐๒๑,pmqa-2562,A,๒.๑,๘๕\n"
        "demo,หน่วยงาน\u200b,2021,pmqa-2562,A,2.2,๔๐%\n",
        "th.csv",
    )
    a, b = load_scores([english]), load_scores([thai])
    columns = ["agency_id", "agency_name", "year", "item", "percent"]
    pd.testing.assert_frame_equal(a[columns], b[columns])
    assert a["year"].iloc[0] == 2564


def test_title_rows_above_header_and_bom(write_sheet):
    path = write_sheet("\ufeffรายงานคะแนน ปี ๒๕๖๕\n\n" + BAND_HEADER + category_1())
    frame = load_scores([path])
    assert frame["source_row"].tolist() == [4, 5]


def test_every_problem_is_listed_with_file_row_and_column(write_sheet):
    path = write_sheet(
        BAND_HEADER
        + ROW.format(year=2565, item="1.1", percent=50)
        + ROW.format(year=2565, item="1.9", percent=50)
        + ROW.format(year=2565, item="1.2", percent=52)
        + ROW.format(year=1800, item="1.2", percent=150)
        + "Bad Id!,หน่วยงาน,2565,pmqa-2026,A,1.1,50\n"
    )
    _, problems = check_sheets([path])
    found = {(p.row, p.column, p.found) for p in problems}
    assert found == {
        (3, "item", "'1.9'"),
        (4, "percent", "'52'"),
        (5, "year", "'1800'"),
        (5, "percent", "'150'"),
        (6, "agency_id", "'Bad Id!'"),
        (6, "framework", "'pmqa-2026'"),
    }
    item = next(p for p in problems if p.column == "item")
    assert item.file == str(path)
    assert str(item.hint) == "Did you mean '1.1' or '1.2'?"
    framework = next(p for p in problems if p.column == "framework")
    assert str(framework.hint) == "Did you mean 'pmqa-2562'?"


def test_missing_columns_names_what_was_found(write_sheet):
    path = write_sheet("agency_id,agency_name,year,item\ndemo,x,2565,1.1\n")
    with pytest.raises(InvalidInputError, match=r"missing|expected the columns") as info:
        load_scores([path])
    problem = info.value.problems[0]
    assert problem.column == "framework, assessor, percent"
    assert "agency_id" in str(problem.found) and "item" in str(problem.found)


def test_same_assessor_twice_with_different_values(write_sheet):
    first = write_sheet(BAND_HEADER + category_1(first=50), "a.csv")
    second = write_sheet(BAND_HEADER + category_1(first=60), "b.csv")
    with pytest.raises(InvalidInputError, match="given more than once with different") as info:
        load_scores([first, second])
    assert [(p.file, p.row, p.found) for p in info.value.problems] == [
        (str(first), 2, "50, 60"),
        (str(second), 2, "50, 60"),
    ]


def test_identical_duplicate_rows_count_once(write_sheet):
    rows = category_1()
    assert len(load_scores([write_sheet(BAND_HEADER + rows + rows)])) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "an empty file"),
        (b"\x00\x01binary\xff", "text that is not UTF-8 or TIS-620"),
    ],
)
def test_unreadable_files_are_problems_not_tracebacks(tmp_path, content, expected):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=expected):
        load_scores([path])


def test_not_a_spreadsheet(tmp_path):
    fake = tmp_path / "scores.xlsx"
    fake.write_text("not a zip")
    pdf = tmp_path / "scores.pdf"
    pdf.write_text("%PDF")
    with pytest.raises(InvalidInputError) as info:
        load_scores([fake, pdf])
    messages = [str(p) for p in info.value.problems]
    assert "a file that cannot be read" in messages[0]
    assert "expected a .csv or .xlsx score sheet" in messages[1]


def test_cp874_and_utf16_files(write_sheet):
    text = BAND_HEADER + category_1()
    for encoding in ("cp874", "utf-16"):
        frame = load_scores([write_sheet(text, f"{encoding}.csv", encoding)])
        assert frame["agency_name"].iloc[0] == "หน่วยงาน"


def test_bundled_sample_reads_in_all_its_forms():
    frame = load_scores(sorted(SAMPLE.glob("pmqa-2562_*")), Registry())
    assert frame["source_sheet"].unique().tolist() == ["", "คะแนน"]
    assert sorted(frame["year"].unique()) == [2562, 2563, 2564, 2565]
    # + self, and in 2565 the committee (consensus)
    assert frame.groupby("year")["assessor"].nunique().tolist() == [3, 3, 3, 5]
    assert frame["agency_id"].nunique() == 9
    assert len(frame) == 9 * 4 * 3 * 18 + 9 * 18 + 9 * 18 + 1  # self; the committee, one visit
