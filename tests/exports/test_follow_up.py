"""The poverty follow-up for field workers: a household file with the office's own columns
and blank cells, counts by district and sub-district, the date of the data on every table,
TPMAP's dimensions, and the follow-up list as XLSX (a sheet per district, printable), read
back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import dangerous_cells

from evalkit import InvalidInputError
from evalkit.analysis.dimensions import get_edition
from evalkit.analysis.households import load_households
from evalkit.analysis.poverty import area_table, classify, follow_up
from evalkit.cli.main import main
from evalkit.core.errors import EvalkitError
from evalkit.report.poverty import poverty_tables

#: The office's columns, in its order: its own between evalkit's.
HEADER = [
    "ลำดับ",
    "รหัสครัวเรือน",
    "ชื่อ-สกุล หัวหน้าครัวเรือน",
    "ที่อยู่",
    "หมู่ที่",
    "ตำบล",
    "อำเภอ",
    "จำนวนสมาชิก",
    "ตัวชี้วัดที่ไม่ผ่าน",
    "ตัวชี้วัดที่ผ่านแล้ว",
    "ช่วยเหลือไม่ได้",
    "เมนู",
    "ตัวชี้วัดที่ยังไม่ผ่าน",
    "หน่วยงานที่รับผิดชอบ",
    "พ่อแม่เลี้ยง",
    "เบอร์โทร",
    "วันที่ข้อมูล",
]
#: (อำเภอ, ตำบล, หมู่) of the households, in no useful order.
PLACES = [
    ("เมืองตราด", "วังกระแจะ", "หมู่ 10"),
    ("เกาะช้าง", "เกาะช้างใต้", "หมู่ 2"),
    ("เมืองตราด", "วังกระแจะ", "หมู่ 2"),
    ("เมืองตราด", "ท่าพริก", "หมู่ 1"),
    ("เกาะช้าง", "เกาะช้าง", "หมู่ 4"),
]


def _household(n: int) -> list[object]:
    """Household ``n``: level C when n % 4 == 1, B when 2, F (cannot be helped) when 3,
    else A; cannot_help left blank unless yes."""
    district, subdistrict, village = PLACES[n % len(PLACES)]
    failed, passed = {1: (2, 0), 2: (3, 1)}.get(n % 4, (2, 2))
    still = {1: "น้ำดื่ม, เด็กแรกเกิดมีน้ำหนัก 2,500 กรัมขึ้นไป", 2: "รายได้เฉลี่ย, ปัญหาอื่น"}
    return [
        n,
        f"H{n:04d}",
        f"ครัวเรือนทดสอบ {n} (สมมติ)",
        f"{n}/1 ถนนทดสอบ",
        village,
        subdistrict,
        district,
        1 + n % 5,
        failed,
        passed,
        "ใช่" if n % 4 == 3 else "",
        ("ยั่งยืน", "พอเพียง", "อยู่รอด")[n % 3],
        still.get(n % 4, ""),
        "สำนักงานพัฒนาชุมชน",
        f"เจ้าหน้าที่ {n % 3} (สมมติ)",
        f"000-000-{n:04d}",
        "5 ส.ค. 2565" if n % 2 else "4/8/2565",
    ]


@pytest.fixture
def office_file(tmp_path) -> Path:
    """A real-shaped household file: a title, the office's columns, 300 households of which
    the cannot-help cell of 225 is blank (128 such cells were refused before)."""
    path = tmp_path / "households.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ครัวเรือนเป้าหมาย จังหวัดตราด"])
        writer.writerow(HEADER)
        writer.writerows(_household(n) for n in range(1, 301))
    return path


def test_blank_cannot_help_cells_mean_no_and_the_offices_columns_are_kept(office_file):
    households = load_households(office_file)
    assert len(households) == 300 and (households["office:ช่วยเหลือไม่ได้"] == "").sum() == 225
    levels = classify(households)["level"].value_counts().to_dict()
    assert levels == {"A": 75, "C": 75, "B": 75, "F": 75}
    office = [c.removeprefix("office:") for c in households if c.startswith("office:")]
    assert office == HEADER
    first = households.iloc[0]
    assert (first["district"], first["subdistrict"], first["village"]) == PLACES[1]
    assert str(first["as_of"]) == "2022-08-05" and households["as_of"].nunique() == 2


def test_the_follow_up_list_is_in_the_order_of_a_visit(office_file):
    listed = follow_up(classify(load_households(office_file)), get_edition())
    places = listed[["district", "subdistrict", "village"]].drop_duplicates()
    assert [tuple(p) for p in places.itertuples(index=False)] == [
        ("เกาะช้าง", "เกาะช้าง", "หมู่ 4"),
        ("เกาะช้าง", "เกาะช้างใต้", "หมู่ 2"),
        ("เมืองตราด", "ท่าพริก", "หมู่ 1"),
        ("เมืองตราด", "วังกระแจะ", "หมู่ 2"),
        ("เมืองตราด", "วังกระแจะ", "หมู่ 10"),
    ]
    first_place = listed[listed["village"] == "หมู่ 4"]
    assert list(dict.fromkeys(first_place["level"])) == ["C", "F", "B"]
    c = listed[listed["level"] == "C"].iloc[0]
    assert c["dimensions"] == "ด้านสุขภาพ (health), ด้านความเป็นอยู่ (living conditions)"
    b = listed[listed["level"] == "B"].iloc[0]
    assert b["dimensions"] == "ด้านรายได้ (income), ไม่ทราบมิติ (dimension not known)"


def test_counts_by_district_and_sub_district(office_file):
    classified = classify(load_households(office_file))
    districts = area_table(classified).set_index("district")
    assert districts.loc["เกาะช้าง", ["households", "follow_up"]].tolist() == [120, 90]
    assert districts.loc["total", "households"] == 300
    both = area_table(classified, ("district", "subdistrict"))
    assert both["subdistrict"].tolist()[:2] == ["เกาะช้าง", "เกาะช้างใต้"]
    assert area_table(classified.assign(district="")).empty
    blank = classified.assign(district=classified["district"].where(classified.index > 0, ""))
    assert area_table(blank).set_index("district").loc["ไม่ระบุ (not stated)", "households"] == 1


def test_the_follow_up_workbook_prints_by_district_and_reads_back(office_file, tmp_path, capsys):
    out, tables = tmp_path / "follow-up.xlsx", tmp_path / "tables.csv"
    argv = ["poverty", str(office_file), "--follow-up", str(out), "--out", str(tables)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert printed.count("ข้อมูล ณ วันที่ 5 สิงหาคม 2565 (as of 2022-08-05)") == 7  # each table
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["สรุป", "เกาะช้าง", "เมืองตราด"]
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props["evalkit-kind"] == "poverty-follow-up"
    assert json.loads(props["evalkit-input-sheets"]) == []
    ws = book["เกาะช้าง"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "ครัวเรือนที่ต้องติดตาม อำเภอเกาะช้าง: 90 ครัวเรือน (households to follow up)"
    assert rows[1][0] == "ข้อมูล ณ วันที่ 5 สิงหาคม 2565 (as of 2022-08-05)"
    assert list(rows[2]) == [
        "ระดับ (level)",
        *HEADER,
        "จำนวนที่ยังไม่ผ่าน (to_pass)",
        "มิติที่ยังไม่ผ่าน (dimensions)",
        "แถวในไฟล์ (source_row)",
    ]
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert dangerous_cells(out) == []
    again = classify(load_households(out))  # the list given back as a household file
    assert len(again) == 225 and set(again["level"]) == {"B", "C", "F"}
    assert again["office:เบอร์โทร"].str.startswith("000-000-").all()
    counted = pd.read_csv(tables, encoding="utf-8-sig", dtype=str)
    assert set(counted["วันที่ข้อมูล (as_of)"]) == {"2022-08-05"}
    by_area = counted[counted["ตาราง (table)"] == "subdistrict"].set_index("กลุ่ม (group)")
    assert by_area.loc["เมืองตราด/วังกระแจะ", "ครัวเรือน (households)"] == "120"


def test_the_date_of_the_data(office_file, tmp_path, capsys, write_sheet):
    assert main(["poverty", str(office_file), "--as-of", "1/10/2565"]) == 0
    assert "ข้อมูล ณ วันที่ 1 ตุลาคม 2565 (as of 2022-10-01)" in capsys.readouterr().out
    text = office_file.read_text(encoding="utf-8-sig").replace("5 ส.ค. 2565", "5 ส.ค.", 1)
    wrong = write_sheet(text, "wrong-date.csv")
    with pytest.raises(InvalidInputError) as caught:
        load_households(wrong)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.found) == (3, "วันที่ข้อมูล", "'5 ส.ค.'")
    with pytest.raises(SystemExit) as usage:
        main(["poverty", str(office_file), "--as-of", "soon"])
    assert usage.value.code == 2


def test_dimensions_by_edition(office_file):
    assert get_edition().dimension_of("ด้านการเข้าถึงบริการรัฐ").id == "access"
    assert (
        get_edition().dimension_of("ผู้พิการได้รับการดูแลจากคนในครอบครัว ชุมชน ภาครัฐ หรือภาคเอกชน").id
        == "access"
    )
    with pytest.raises(EvalkitError, match="Unknown edition of dimensions 'tpmap-2599'; the "):
        get_edition("tpmap-2599")


def test_the_report_section_shows_the_same_without_names_or_phone_numbers(office_file):
    html = poverty_tables(office_file).body
    assert html.count("ข้อมูล ณ วันที่ 5 สิงหาคม 2565") >= 6
    assert "<th>ตำบล (subdistrict)</th>" in html and "ด้านสุขภาพ (health)" in html
    assert "ไม่ทราบมิติ (dimension not known)" in html
    assert "ครัวเรือนทดสอบ" not in html and "000-000-" not in html and "ถนนทดสอบ" not in html
