from __future__ import annotations

import pandas as pd
import pytest
from helpers import ROOT

from evalkit import InvalidInputError
from evalkit.analysis.poverty import (
    classify,
    follow_up,
    level_by_menu,
    load_households,
    tables,
    with_shares,
)
from evalkit.cli.main import main

TRAT = ROOT / "data" / "sample" / "poverty" / "trat-2565.csv"
HEADER = "household_id,members,indicators_failed,indicators_now_passed,cannot_help,menu\n"
NOTE = (
    '"ครัวเรือนสมมติ มีเพียงยอดรวมที่ตรงกับตัวเลขที่เผยแพร่ของจังหวัดตราด ณ 5 ส.ค. 2565 '
    "(Synthetic households: only the totals are Trat's published figures of 5 Aug 2565)\"\n"
)
THAI_HEADER = (
    "รหัสครัวเรือน (household_id),จำนวนสมาชิก (members),ตัวชี้วัดที่ไม่ผ่าน (indicators_failed),"
    "ตัวชี้วัดที่ผ่านแล้ว (indicators_now_passed),ช่วยเหลือไม่ได้ (cannot_help),เมนู (menu)\n"
)
#: (menu, level, households, people): A 316+89+52 = 457 households, 502+133+54 = 689 people;
#: B 9 households, 10 people; by menu 316/502, 89/133, 52+9 = 61 / 54+10 = 64.
GROUPS = [
    ("ยั่งยืน", "A", 316, 502),
    ("พอเพียง", "A", 89, 133),
    ("อยู่รอด", "A", 52, 54),
    ("อยู่รอด", "B", 9, 10),
]


def trat_csv() -> str:
    """The golden household file: synthetic households whose totals are the published ones.

    Within a group the first ``people % households`` households get one member more; an A
    household failed 1-3 indicators and now passes all, a B household failed 2 or 3 and
    passes 1; none is marked cannot-help; the data are of 5 August 2565.
    """
    lines, number = [NOTE, THAI_HEADER.rstrip("\n") + ",วันที่ข้อมูล (as_of)\n"], 0
    for menu, level, households, people in GROUPS:
        base, extra = divmod(people, households)
        for i in range(households):
            number += 1
            failed = 1 + number % 3 if level == "A" else 2 + number % 2
            passed = failed if level == "A" else 1
            members = base + (i < extra)
            lines.append(f"H{number:04d},{members},{failed},{passed},ไม่ใช่,{menu},5/8/2565\n")
    return "".join(lines)


def frame(rows: list[tuple[str, int, int]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns).astype({c: "int64" for c in columns[1:]})


def test_golden_file_is_the_generated_one():
    assert TRAT.read_text(encoding="utf-8") == trat_csv()


def test_trat_tables_match_the_published_figures():
    by_level, by_menu = tables(classify(load_households(TRAT)))
    expected_level = frame(
        [("A", 457, 689), ("B", 9, 10), ("C", 0, 0), ("F", 0, 0), ("total", 466, 699)],
        ["level", "households", "people"],
    )
    expected_menu = frame(
        [("ยั่งยืน", 316, 502), ("พอเพียง", 89, 133), ("อยู่รอด", 61, 64), ("total", 466, 699)],
        ["menu", "households", "people"],
    )
    pd.testing.assert_frame_equal(by_level, expected_level)
    pd.testing.assert_frame_equal(by_menu, expected_menu)


def test_levels_follow_the_rules_in_order(write_sheet):
    path = write_sheet(
        HEADER
        + "h1,2,3,3,no,sustainable\n"  # passes all it failed: A
        + "h2,1,3,2,0,ยั่งยืน\n"  # passes some: B
        + "h3,4,2,0,ไม่ใช่,sufficient\n"  # passes none: C
        + "h4,1,2,2,yes,survival\n"  # cannot be helped: F, even though it passes all
        + "h5,๓,๒,๑,ใช่,ยังยืน\n"  # Thai digits; the source's spelling of ยั่งยืน: F
        + "h6,1,1,0,1,อยู่รอด\n"  # F
    )
    classified = classify(load_households(path))
    assert classified["level"].tolist() == ["A", "B", "C", "F", "F", "F"]
    assert classified["members"].tolist() == [2, 1, 4, 1, 3, 1]
    assert classified["menu"].tolist() == ["ยั่งยืน", "ยั่งยืน", "พอเพียง", "อยู่รอด", "ยั่งยืน", "อยู่รอด"]
    by_level, by_menu = tables(classified)
    assert by_level.set_index("level").loc["F"].tolist() == [3, 5]
    assert by_menu.set_index("menu").loc["total"].tolist() == [6, 12]


def test_levels_and_menus_without_households_are_listed_with_zeros(write_sheet):
    by_level, by_menu = tables(
        classify(load_households(write_sheet(HEADER + "h1,2,1,0,no,ยั่งยืน\n")))
    )
    assert by_level.values.tolist() == [
        ["A", 0, 0],
        ["B", 0, 0],
        ["C", 1, 2],
        ["F", 0, 0],
        ["total", 1, 2],
    ]
    assert by_menu["menu"].tolist() == ["ยั่งยืน", "พอเพียง", "อยู่รอด", "total"]
    assert by_menu["households"].tolist() == [1, 0, 0, 1]


def test_every_problem_is_listed_with_row_and_column(write_sheet):
    path = write_sheet(
        "Household list\n"
        + HEADER
        + "h1,0,1,0,no,ยั่งยืน\n"  # row 3: members below 1
        + "h2,1.5,2,3,maybe,rich\n"  # row 4: members not whole, passed > failed, answer, menu
        + "h1,1,0,0,no,ยั่งยืน\n"  # row 5: repeated id, failed below 1
        + ",1,1,-1,yes,พอเพียง\n"  # row 6: no id, passed below 0
    )
    with pytest.raises(InvalidInputError) as caught:
        load_households(path)
    found = [(p.row, p.column, str(p.found)) for p in caught.value.problems]
    assert found == [
        (3, "members", "'0'"),
        (4, "members", "'1.5'"),
        (4, "indicators_now_passed", "'3'"),
        (4, "cannot_help", "'maybe'"),
        (4, "menu", "'rich'"),
        (5, "household_id", "'h1'"),
        (5, "indicators_failed", "'0'"),
        (6, "household_id", "an empty cell"),
        (6, "indicators_now_passed", "'-1'"),
    ]
    assert all(p.file == str(path) for p in caught.value.problems)
    message = str(caught.value)
    assert "9 problems in the input" in message
    assert "row 5, column 'household_id': found 'h1'; expected each household once. " in message
    assert "Household h1 is already listed in row 3." in message
    assert "row 4, column 'indicators_now_passed': found '3'; expected at most" in message
    assert "expected one of ยั่งยืน (sustainable), พอเพียง (sufficient), อยู่รอด (survival)" in message


def test_missing_columns_are_named(write_sheet):
    path = write_sheet("household_id,members,menu,note\nh1,2,ยั่งยืน,x\n")
    with pytest.raises(InvalidInputError, match="row 1, column 'indicators_failed, ") as caught:
        load_households(path)
    (problem,) = caught.value.problems
    assert problem.column == "indicators_failed, indicators_now_passed, cannot_help"


@pytest.mark.parametrize(
    ("text", "name", "match"),
    [
        ("a,b,c\n1,2,3\n", "plain.csv", "no household header row; expected a header row with"),
        (HEADER, "empty.csv", "found a header with no rows under it"),
        ("x", "notes.pdf", "found a file ending in '.pdf'"),
    ],
)
def test_files_that_cannot_be_read(write_sheet, text, name, match):
    with pytest.raises(InvalidInputError, match=match):
        load_households(write_sheet(text, name))


def test_missing_file(tmp_path):
    with pytest.raises(InvalidInputError, match="found no such file"):
        load_households(tmp_path / "nowhere.csv")


def test_workbook_with_title_thai_headers_and_repeats_across_sheets(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "อำเภอเมือง"
    first.append(["ข้อมูลครัวเรือน"])
    first.append([h.strip() for h in THAI_HEADER.split(",")])
    first.append(["H1", 3, 2, 2, "ไม่ใช่", "ยั่งยืน"])
    second = book.create_sheet("อำเภอเกาะช้าง")
    second.append(["รหัสครัวเรือน", "จำนวนสมาชิก", "ตัวชี้วัดที่ไม่ผ่าน", "ตัวชี้วัดที่ผ่านแล้ว", "ช่วยเหลือไม่ได้", "เมนู"])
    second.append(["H2", 1, 1, 0, "no", "พอเพียง"])
    path = tmp_path / "households.xlsx"
    book.save(path)
    households = load_households(path)
    assert households["household_id"].tolist() == ["H1", "H2"]
    assert households["source_row"].tolist() == [3, 2]
    second.append(["H1", 1, 1, 1, "no", "อยู่รอด"])
    book.save(path)
    with pytest.raises(InvalidInputError, match="already listed in sheet 'อำเภอเมือง'") as caught:
        load_households(path)
    assert [(p.sheet, p.row) for p in caught.value.problems] == [("อำเภอเกาะช้าง", 3)]


def test_main_prints_the_tables_and_follow_up_and_writes_csv(tmp_path, capsys):
    out, listed = tmp_path / "out" / "poverty.csv", tmp_path / "follow-up.csv"
    assert main(["poverty", str(TRAT), "--out", str(out), "--follow-up", str(listed)]) == 0
    printed = capsys.readouterr().out
    assert "ระดับ (level)" in printed and "เมนู (menu)" in printed
    assert "ครัวเรือน (households)" in printed and "คน (people)" in printed
    assert "ยั่งยืน (sustainable)" in printed
    lines = printed.splitlines()
    assert lines[0] == "ข้อมูล ณ วันที่ 5 สิงหาคม 2565 (as of 2022-08-05)"
    assert lines[2].split() == ["A", "457", "689", "98.1", "98.6"]
    assert lines[6].split() == ["รวม", "(total)", "466", "699", "100.0", "100.0"]
    assert "ครัวเรือนที่ต้องติดตาม ระดับ C, F และ B: 9 ครัวเรือน" in printed
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert list(written.columns) == [
        "ตาราง (table)",
        "กลุ่ม (group)",
        "ครัวเรือน (households)",
        "คน (people)",
        "ร้อยละของครัวเรือน (households_pct)",
        "ร้อยละของคน (people_pct)",
        "วันที่ข้อมูล (as_of)",
    ]
    levels, menus = ["A", "B", "C", "F", "total"], ["ยั่งยืน", "พอเพียง", "อยู่รอด", "total"]
    assert written.iloc[:9, 0].tolist() == ["level"] * 5 + ["menu"] * 4
    assert written.iloc[:9, 1].tolist() == [*levels, *menus]
    assert written.iloc[:9, 3].tolist() == [689, 10, 0, 0, 699, 502, 133, 64, 699]
    cross = written[written.iloc[:, 0] == "level_menu"].set_index("กลุ่ม (group)")
    assert len(cross) == 5 * 4
    assert cross.loc["A/อยู่รอด"].tolist()[1:4] == [52, 54, 11.2]
    assert cross.loc["B/อยู่รอด"].tolist()[1:3] == [9, 10]
    assert cross.loc["total/total"].tolist()[1:5] == [466, 699, 100.0, 100.0]
    households = pd.read_csv(listed, encoding="utf-8-sig", dtype=str, skiprows=2)
    assert households["รหัสครัวเรือน (household_id)"].tolist() == [
        f"H{n:04d}" for n in range(458, 467)
    ]
    assert set(households["ระดับ (level)"]) == {"B"}


def test_main_reports_problems_and_exits_1(write_sheet, capsys):
    assert main(["poverty", str(write_sheet(HEADER + "h1,2,1,0,no,rich\n"))]) == 1
    error = capsys.readouterr().err
    assert "row 2, column 'menu': found 'rich'" in error


FOLLOW = (
    HEADER.rstrip("\n")
    + ",still_failed\n"
    + "h1,2,3,3,no,sustainable,\n"  # A: not listed
    + 'h2,4,3,1,no,พอเพียง,"รายได้, การศึกษา"\n'  # B, two still failed
    + "h3,1,2,0,no,อยู่รอด,รายได้;สุขภาพ\n"  # C
    + "h4,3,2,2,yes,อยู่รอด,\n"  # F although it passes all
    + "h5,5,1,0,ไม่ใช่,ยั่งยืน,\n"  # C, names not given
)


def test_follow_up_lists_c_then_f_then_b_with_menu_and_indicators(write_sheet):
    listed = follow_up(classify(load_households(write_sheet(FOLLOW))))
    assert listed["household_id"].tolist() == ["h3", "h5", "h4", "h2"]
    assert listed["level"].tolist() == ["C", "C", "F", "B"]
    assert listed["members"].tolist() == [1, 5, 3, 4]
    assert listed["menu"].tolist() == ["อยู่รอด", "ยั่งยืน", "อยู่รอด", "พอเพียง"]
    assert listed["to_pass"].tolist() == [2, 1, 0, 2]
    assert listed["still_failed"].tolist() == ["รายได้, สุขภาพ", "", "", "รายได้, การศึกษา"]
    assert listed["source_row"].tolist() == [4, 6, 5, 3]


def test_level_by_menu_and_shares(write_sheet):
    classified = classify(load_households(write_sheet(FOLLOW)))
    households = level_by_menu(classified).set_index("level")
    assert list(households.columns) == ["ยั่งยืน", "พอเพียง", "อยู่รอด", "total"]
    assert households.loc["C"].tolist() == [1, 0, 1, 2]
    assert households.loc["total"].tolist() == [2, 1, 2, 5]
    people = level_by_menu(classified, "people").set_index("level")
    assert people.loc["C"].tolist() == [5, 0, 1, 6]
    assert people.loc["total", "total"] == 15
    by_level = with_shares(tables(classified)[0]).set_index("level")
    # 15 people: A 2, B 4, C 6, F 3; 5 households: one each of A, B, F, two of C
    assert by_level["households_pct"].tolist() == [20.0, 20.0, 40.0, 20.0, 100.0]
    assert by_level["people_pct"].tolist() == [13.3, 26.7, 40.0, 20.0, 100.0]


def test_still_failed_must_name_as_many_indicators_as_are_left(write_sheet):
    path = write_sheet(HEADER.rstrip("\n") + ",ตัวชี้วัดที่ยังไม่ผ่าน\n" + "h1,2,3,1,no,ยั่งยืน,รายได้\n")
    with pytest.raises(InvalidInputError) as caught:
        load_households(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.found) == (2, "ตัวชี้วัดที่ยังไม่ผ่าน", "'รายได้'")
    assert problem.expected.startswith("as many indicators as indicators_failed - ")
