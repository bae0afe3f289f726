"""Readers: encodings, workbooks with title blocks and merged cells, and fuzzed bytes."""

from __future__ import annotations

import openpyxl
import pytest
from helpers import BAND_HEADER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit import InvalidInputError, load_sheets
from evalkit.core.errors import Problem
from evalkit.sheets.load import check_sheets
from evalkit.sheets.readers import Table, read_tables

ROWS = "demo,สำนักงานทดสอบ,2565,pmqa-2562,A,2.1,50\ndemo,สำนักงานทดสอบ,2565,pmqa-2562,A,2.2,60\n"


def test_workbook_with_title_block_and_merged_cells(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "คะแนนรวม"
    ws["A1"] = "แบบบันทึกคะแนน ปีงบประมาณ ๒๕๖๕"
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ปี พ.ศ.", "เกณฑ์", "ผู้ประเมิน", "หัวข้อ", "ร้อยละ"])
    ws.append(["demo", "สำนักงานทดสอบ", "๒๕๖๕", "pmqa-2562", "A", "2.1", 50])
    ws.append([None, None, None, "pmqa-2562", "A", "2.2", " 60 "])
    for column in "ABC":  # the agency's cells merged down its rows, as people do
        ws.merge_cells(f"{column}4:{column}5")
    notes = book.create_sheet("หมายเหตุ")
    notes["A1"] = "sheets without a header row are skipped"
    path = tmp_path / "merged.xlsx"
    book.save(path)
    frame = load_sheets([path]).bands
    assert frame["agency_id"].tolist() == ["demo", "demo"]
    assert frame["year"].tolist() == [2565, 2565]
    assert frame["percent"].tolist() == [50.0, 60.0]
    assert frame["source_row"].tolist() == [4, 5]
    assert set(frame["source_sheet"]) == {"คะแนนรวม"}
    with pytest.raises(InvalidInputError, match="no sheet named 'Sheet9'; the sheets are"):
        load_sheets([path], sheet="Sheet9")
    assert len(load_sheets([path], sheet="คะแนนรวม").bands) == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "tis-620"])
def test_named_encodings(tmp_path, encoding):
    path = tmp_path / "sheet.csv"
    python_codec = {"tis-620": "cp874"}.get(encoding, encoding)
    path.write_bytes((BAND_HEADER + ROWS).encode(python_codec))
    assert load_sheets([path], encoding=encoding).bands["agency_name"].iloc[0] == "สำนักงานทดสอบ"


def test_a_wrong_named_encoding_is_a_problem(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes((BAND_HEADER + ROWS).encode("cp874"))
    with pytest.raises(InvalidInputError, match="text that is not utf-8"):
        load_sheets([path], encoding="utf-8")


def test_invisible_characters_and_spaces_in_names_and_values(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        " Agency ID ,AGENCY_NAME, Year ,Frame-work,assessor,ITEM,Percent\n"
        "\u200bdemo\u200b, สำนักงาน\u00a0 ทดสอบ ,2565,pmqa-2562,A,2.1, 50 \n"
        "demo,สำนักงาน ทดสอบ,2565,pmqa-2562,A,\ufeff2.2,60\n",
        encoding="utf-8",
    )
    frame = load_sheets([path]).bands
    assert frame["agency_id"].unique().tolist() == ["demo"]
    assert frame["agency_name"].unique().tolist() == ["สำนักงาน ทดสอบ"]
    assert frame["item"].tolist() == ["2.1", "2.2"]


@given(st.binary(max_size=600))
@settings(
    max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
def test_any_bytes_give_rows_or_problems_never_a_traceback(tmp_path, data):
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(data)
        tables = read_tables(path)
        assert isinstance(tables, Problem) or all(isinstance(t, Table) for t in tables)
        _, problems = check_sheets([path])
        assert all(isinstance(p, Problem) for p in problems)


@given(st.lists(st.lists(st.text(max_size=12), max_size=8), max_size=6))
@settings(
    max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
def test_any_cells_under_a_real_header_give_rows_or_problems(tmp_path, cells):
    import csv

    path = tmp_path / "cells.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(BAND_HEADER.strip().split(","))
        writer.writerows(cells)
    sheets, problems = check_sheets([path])
    assert all(isinstance(p, Problem) and p.file == str(path) for p in problems)
    if not problems:  # whatever passed is valid
        assert sheets.bands["percent"].between(0, 100).all()
        assert sheets.bands["year"].between(2500, 2700).all()


@given(st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), min_size=1, max_size=8))
@settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
def test_damaged_workbooks_are_problems(tmp_path, flips):
    from evalkit import Registry
    from evalkit.exports.template import write_template

    good = tmp_path / "good.xlsx"
    if not good.exists():
        write_template(Registry().get("cdd-clean"), good)
    data = bytearray(good.read_bytes())
    for position, value in flips:
        data[position % len(data)] = value
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    _, problems = check_sheets([damaged])
    assert all(isinstance(p, Problem) for p in problems)


def test_a_value_over_lines_is_read_only_where_evalkit_does_not_score_it(tmp_path):
    """A template's check text or a comment may hold line breaks; a score may not."""
    path = tmp_path / "lines.csv"
    header = BAND_HEADER.rstrip() + ",ข้อความ (check_text),จุดแข็ง (strength)\n"
    second = "demo,สำนักงานทดสอบ,2565,pmqa-2562,A,2.2,60,,\n"
    path.write_text(
        header + 'demo,สำนักงานทดสอบ,2565,pmqa-2562,A,2.1,50,"ข้อ 1\nต่อ","ดี\nมาก"\n' + second,
        encoding="utf-8",
    )
    frame = load_sheets([path]).bands
    assert frame["percent"].tolist() == [50.0, 60.0]
    assert frame["strength"].str.replace("\n", " ").tolist() == ["ดี มาก", ""]
    path.write_text(
        header + 'demo,สำนักงานทดสอบ,2565,pmqa-2562,A,2.1,"5\n0",,\n' + second, encoding="utf-8"
    )
    _, problems = check_sheets([path])
    assert [(p.row, p.column, str(p.expected)) for p in problems] == [
        (2, "percent", "a value on one line")
    ]


def test_blank_lines_of_a_csv_cost_nothing_kept(write_sheet):
    """A CSV costs in proportion to the data it keeps: a million blank lines (1 MB) once took
    about 600 bytes each."""
    import tracemalloc

    from evalkit.sheets.load import check_sheets

    sheet = write_sheet(BAND_HEADER + "\n" * 1_000_000, "blank.csv")
    tracemalloc.start()
    _, problems = check_sheets([sheet])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [str(p.found) for p in problems] == ["a header with no filled rows under it"]
    assert peak < 40 * 2**20  # the text itself (a few MB) and no record per blank line
