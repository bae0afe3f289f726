"""The award type and the work as optional columns of every sheet form: read by their English
and Thai names, checked against the framework's types, one per agency and year; and the
entries file read by the same bounded readers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import SAMPLE

from evalkit.core.errors import InvalidInputError
from evalkit.frameworks.registry import Registry
from evalkit.sheets.entries import read_entries, sheet_entries
from evalkit.sheets.load import check_sheets
from evalkit.sheets.skipped import Skipped

WOMEN = sorted(SAMPLE.glob("women-fund_2564_*.csv"))


def _sheet(folder: Path, name: str, type_header: str, types: list[str], extra: str = "") -> Path:
    """A women-fund band sheet of one assessor for agency ``a`` (items 1.1 to 4.2), the type
    column named ``type_header`` holding ``types`` in turn."""
    items = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]
    lines = [f"agency_id,agency_name,year,framework,assessor,item,rating,{type_header}{extra}"]
    for n, item in enumerate(items):
        kind = types[n % len(types)]
        lines.append(f"a,หน่วยงาน ก,2564,women-fund,ผู้ประเมิน 1,{item},3,{kind}")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_sample_sheets_carry_two_award_types_each():
    registry = Registry()
    sheets, problems = check_sheets(WOMEN, registry)
    assert problems == []
    entries = sheet_entries(sheets, registry.get("women-fund"), 2564)
    assert sorted(entries["type"]) == ["district-secretariat", "subdistrict-team"]
    lertrat = sorted(SAMPLE.glob("lertrat-participatory_2564_*.csv"))
    sheets, problems = check_sheets(lertrat, registry)
    entries = sheet_entries(sheets, registry.get("lertrat-participatory"), 2564)
    assert problems == [] and sorted(entries["type"]) == ["effective", "open"]
    assert all(entries["work"] != "")


def test_a_type_is_read_by_its_thai_header_and_its_thai_name(tmp_path):
    registry = Registry()
    thai = "กลุ่มอาชีพสมาชิกกองทุนพัฒนาบทบาทสตรีดีเด่น"
    path = _sheet(tmp_path, "s.csv", "ประเภท", [thai])
    sheets, problems = check_sheets([path], registry)
    assert problems == []
    entries = sheet_entries(sheets, registry.get("women-fund"), 2564)
    assert entries.to_dict("records") == [{"agency_id": "a", "type": "member-group", "work": ""}]


def test_an_unknown_type_is_refused_with_its_row_column_and_the_valid_types(tmp_path):
    path = _sheet(tmp_path, "s.csv", "type", ["member-group", "bogus"])
    _, problems = check_sheets([path], Registry())
    assert [(p.row, p.column) for p in problems] == [(3, "type"), (5, "type"), (7, "type"),
                                                     (9, "type")]  # fmt: skip
    text = str(problems[0])
    assert "s.csv" in text and "'bogus'" in text
    assert "district-secretariat, subdistrict-team, member-group" in text


def test_two_types_for_one_agency_in_one_year_are_refused(tmp_path):
    first = _sheet(tmp_path, "one.csv", "type", ["member-group"])
    second = _sheet(tmp_path, "two.csv", "type", ["district-secretariat"])
    second.write_text(second.read_text(encoding="utf-8").replace("ผู้ประเมิน 1", "ผู้ประเมิน 2"))
    _, problems = check_sheets([first, second], Registry())
    assert {(Path(p.file).name, p.column) for p in problems} == {
        ("one.csv", "type"),
        ("two.csv", "type"),
    }
    assert all("one type for a in 2564" in p.expected.render("en") for p in problems)


def test_a_blank_type_beside_a_given_one_is_no_second_type(tmp_path):
    path = _sheet(tmp_path, "s.csv", "type", ["member-group", ""])
    sheets, problems = check_sheets([path], Registry())
    assert problems == []
    assert sheet_entries(sheets, Registry().get("women-fund"), 2564)["type"].tolist() == [
        "member-group"
    ]


def test_a_work_in_a_framework_whose_entries_are_agencies_is_refused(tmp_path):
    path = _sheet(tmp_path, "s.csv", "work", ["ผลงาน ก"])
    _, problems = check_sheets([path], Registry())
    assert problems and {p.column for p in problems} == {"work"}
    assert "the entries of women-fund are agencies, not works" in problems[0].expected.render("en")


def test_a_type_in_a_framework_without_types_is_refused(tmp_path):
    path = _sheet(tmp_path, "s.csv", "type", ["open"])
    path.write_text(path.read_text(encoding="utf-8").replace("women-fund", "cdd-clean"))
    _, problems = check_sheets([path], Registry())
    assert problems and {p.column for p in problems} >= {"type"}


# -- the entries file ------------------------------------------------------------------------


def test_the_entries_file_is_read_by_the_sheet_readers_as_csv_or_xlsx(tmp_path):
    framework = Registry().get("lertrat-participatory")
    source = SAMPLE.parent / "awards" / "lertrat-participatory_2564_entries.csv"
    from_csv = read_entries(source, framework)
    book = tmp_path / "entries.xlsx"
    pd.read_csv(source, dtype=str, encoding="utf-8-sig").to_excel(book, index=False)
    from_xlsx = read_entries(book, framework)
    assert from_csv.equals(from_xlsx)
    assert from_csv["type"].tolist() == ["open", "effective"]
    assert {"start_date", "running", "effect", "work"} <= set(from_csv.columns)


def test_a_column_the_entries_file_does_not_have_is_said(tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text("agency_id,type,colour\nx,open,red\ny,effective,\n", encoding="utf-8")
    skipped: list[Skipped] = []
    read_entries(path, Registry().get("lertrat-participatory"), skipped)
    assert [(s.column, s.size) for s in skipped] == [("colour", 1)]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("agency_id,type\nx,open\nx,effective\n", (3, "agency_id")),
        ("agency_id,type\n,open\n", (2, "agency_id")),
        ("agency_id,type\nx,เปิดใจใกล้ชิดประชาชนมาก\n", (2, "type")),
        ('agency_id,type\nx,"open\n', (2, "")),  # a quote left open: the CSV reader's message
    ],
)
def test_a_bad_entries_file_is_refused_by_row_and_column(tmp_path, text, where):
    path = tmp_path / "entries.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        read_entries(path, Registry().get("lertrat-participatory"))
    first = refused.value.problems[0]
    assert first.row == where[0] and (not where[1] or first.column == where[1])
    assert first.file == str(path)


def test_an_entries_file_with_a_type_or_a_work_the_award_does_not_have_is_refused(tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text("agency_id,type,work\nx,open,ผลงาน ก\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        read_entries(path, Registry().get("pmqa-2562"))
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "type"), (2, "work")]


# -- the eligibility columns -----------------------------------------------------------------

LERTRAT_ITEMS = ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"]


def _work(folder: Path, name: str, columns: dict[str, list[str]], framework: str = "") -> Path:
    """A Lert Rat sheet of one assessor for work ``w`` (every item at 60%), with ``columns``:
    each header's cells in turn, row after row (an empty cell where its list runs out)."""
    framework = framework or "lertrat-participatory"
    lines = [",".join(["agency_id,agency_name,year,framework,assessor,item,percent", *columns])]
    for n, item in enumerate(LERTRAT_ITEMS):
        cells = [v[n] if n < len(v) else "" for v in columns.values()]
        lines.append(",".join([f"w,ผลงาน ก,2564,{framework},ผู้ประเมิน 1,{item},60", *cells]))
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_eligibility_columns_are_read_by_their_thai_headers_in_either_era(tmp_path):
    path = _work(
        tmp_path,
        "s.csv",
        {
            "วันที่เริ่มดำเนินการ": ["15 ม.ค. 2562"],
            "ยังดำเนินการอยู่": ["ดำเนินการอยู่"],
            "ผลลัพธ์หรือผลกระทบที่สำคัญ": ["ผู้ร้องเรียนได้รับคำตอบเร็วขึ้น"],
            "วันปิดรับสมัคร (closing_date)": ["2021-03-31", "31/3/2564"],  # the same day
        },
    )
    registry = Registry()
    sheets, problems = check_sheets([path], registry)
    assert problems == []
    entries = sheet_entries(sheets, registry.get("lertrat-participatory"), 2564)
    assert entries.drop(columns=["type", "work"]).to_dict("records") == [
        {"agency_id": "w", "start_date": "2019-01-15", "running": "ใช่",
         "effect": "ผู้ร้องเรียนได้รับคำตอบเร็วขึ้น", "closing_date": "2021-03-31"}
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("start_date", "เมื่อปีที่แล้ว", "a date such as 15/1/2562"),
        ("start_date", "31/2/2562", "a date such as 15/1/2562"),
        ("closing_date", "2564", "a date such as 15/1/2562"),
        ("running", "บางส่วน", "yes or no"),
    ],
)
def test_an_unreadable_eligibility_cell_is_refused_by_row_and_column(
    tmp_path, column, value, expected
):
    path = _work(tmp_path, "s.csv", {column: ["", value]})
    _, problems = check_sheets([path], Registry())
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [("s.csv", 3, column)]
    assert repr(value) in str(problems[0]) and expected in problems[0].expected.render("en")


@pytest.mark.parametrize("twice", ["rows", "files"])
def test_two_values_for_one_work_are_refused_naming_both(tmp_path, twice):
    if twice == "rows":
        paths = [_work(tmp_path, "s.csv", {"start_date": ["15/1/2562", "", "1/2/2019"]})]
    else:
        paths = [_work(tmp_path, "s.csv", {"start_date": ["15/1/2562"]}),
                 _work(tmp_path, "t.csv", {"start_date": ["1/2/2019"]})]  # fmt: skip
        text = paths[1].read_text(encoding="utf-8").replace("ผู้ประเมิน 1", "ผู้ประเมิน 2")
        paths[1].write_text(text, encoding="utf-8")
    _, problems = check_sheets(paths, Registry())
    where = {(Path(p.file).name, p.row, p.column) for p in problems}
    assert where == ({("s.csv", 2, "start_date"), ("s.csv", 4, "start_date")} if twice == "rows"
                     else {("s.csv", 2, "start_date"), ("t.csv", 2, "start_date")})  # fmt: skip
    assert all("one start_date for w in 2564" in p.expected.render("en") for p in problems)


def test_an_eligibility_cell_of_an_award_that_screens_none_is_refused(tmp_path):
    path = _sheet(tmp_path, "s.csv", "วันที่เริ่มดำเนินการ", ["1/1/2562"])
    _, problems = check_sheets([path], Registry())
    assert problems and {p.column for p in problems} == {"วันที่เริ่มดำเนินการ"}
    assert "women-fund screens no entry on start_date" in problems[0].expected.render("en")


def test_the_entries_file_reads_its_eligibility_cells_as_the_sheets_do(tmp_path):
    framework = Registry().get("lertrat-participatory")
    path = tmp_path / "entries.csv"
    path.write_text("agency_id,วันที่เริ่มดำเนินการ,running\nx,15/1/2562,ยุติแล้ว\n", encoding="utf-8")
    entries = read_entries(path, framework)
    assert entries[["start_date", "running"]].values.tolist() == [["2019-01-15", "ไม่ใช่"]]
    path.write_text("agency_id,start_date,running\nx,15/1/2562,\ny,ไม่ทราบ,ใช่\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        read_entries(path, framework)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "start_date")]
