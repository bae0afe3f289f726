"""The one spreadsheet writer: neutralised formulas, Thai that Excel shows, whole files or
none (a full disk for real: a file-size limit, and a small tmpfs where one can be mounted),
workbooks that say what they are, and no module that writes a spreadsheet around it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import ROOT, SAMPLE, dangerous_cells

from evalkit.core.outputs import csv_kind, properties, restored
from evalkit.exports.spreadsheet import (
    CELL_LIMIT,
    Sheet,
    csv_cell,
    sheet_titles,
    write_csv,
    write_xlsx,
)


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\r=1", "- ข้อ", "'=1"])
def test_text_that_would_run_gets_an_apostrophe_in_csv(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-1.5, -2, "-5", "+3.25", "1e-3", "ok", "ตราด", "'ok"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert csv_cell(value) == value


def test_missing_values_are_empty_and_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame(
        {"a": ["=1+1", None, "ok"], "n": [-1.5, float("nan"), 2.0], "k": pd.array([1, None, -3])}
    )
    path = write_csv(Sheet("t", frame), tmp_path / "t.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel shows Thai
    assert path.read_text(encoding="utf-8-sig") == "a,n,k\n'=1+1,-1.5,1\n,,\nok,2.0,-3\n"
    book = write_xlsx([Sheet("t", frame)], tmp_path / "t.xlsx", "scores")
    ws = openpyxl.load_workbook(book)["t"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["a", "n", "k"],
        ["=1+1", -1.5, 1],
        [None, None, None],
        ["ok", 2, -3],
    ]
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix and not ws["A4"].quotePrefix
    assert ws["B2"].data_type == "n" and dangerous_cells(book) == []


def test_xlsx_text_loses_what_xml_cannot_hold_and_is_cut_at_excels_limit(tmp_path):
    frame = pd.DataFrame({"a": ["ก\x01ข\x0bค", "x" * (CELL_LIMIT + 10)]})
    ws = openpyxl.load_workbook(write_xlsx([Sheet("t", frame)], tmp_path / "t.xlsx", "scores"))
    assert ws["t"]["A2"].value == "กขค"
    long = ws["t"]["A3"].value
    assert len(long) == CELL_LIMIT and long.endswith("[32,777 ตัวอักษร (characters)]")


def test_a_workbook_says_what_it_is_and_which_sheets_are_input(tmp_path):
    frame = pd.DataFrame({"a": [1]})
    sheets = [Sheet("คำแนะนำ", frame), Sheet("คะแนน", frame, input=True), Sheet("x", frame)]
    book = openpyxl.load_workbook(write_xlsx(sheets, tmp_path / "t.xlsx", "template"))
    assert {p.name: p.value for p in book.custom_doc_props} == {
        "evalkit-kind": "template",
        "evalkit-input-sheets": '["คะแนน"]',
    }
    with pytest.raises(ValueError, match="unknown kind 'nonsense'; the kinds are template, "):
        properties("nonsense", [])


def test_layout_lists_print_and_title_rows(tmp_path):
    frame = pd.DataFrame({"menu": ["ยั่งยืน"], "note": ["ยาว"]})
    sheet = Sheet(
        "ครัวเรือน",
        frame,
        headers={"menu": "เมนู (menu)"},
        above=("วันที่ข้อมูล 5 สิงหาคม 2565",),
        choices={"menu": ["ยั่งยืน", "พอเพียง"]},
        choice_rows=50,
        widths={"note": 40},
        wrap=["note"],
        paper=True,
        landscape=True,
    )
    book = openpyxl.load_workbook(write_xlsx([sheet], tmp_path / "t.xlsx", "poverty-follow-up"))
    ws = book["ครัวเรือน"]
    assert book.sheetnames == ["ครัวเรือน", "_lists"] and book["_lists"].sheet_state == "hidden"
    assert [c.value for c in ws[2]] == ["เมนู (menu)", "note"] and ws["A2"].font.b
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.column_dimensions["B"].width == 40 and ws["B3"].alignment.wrap_text
    (rule,) = ws.data_validations.dataValidation
    assert (str(rule.sqref), rule.formula1) == ("A3:A52", "=_lists!$A$1:$A$2")
    csv_text = write_csv(sheet, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines() == ["วันที่ข้อมูล 5 สิงหาคม 2565", "เมนู (menu),note", "ยั่งยืน,ยาว"]


def test_csv_outputs_that_are_not_input_are_known_by_their_header():
    assert csv_kind(["agency_id", "level", "key", "คะแนน (points)", "คะแนนเต็ม (max_points)"]) == (
        "scores"
    )
    assert csv_kind(["ตาราง (table)", "กลุ่ม (group)", "ครัวเรือน (households)", "คน (people)"]) == (
        "poverty-tables"
    )
    assert csv_kind(["agency_id", "year", "assessor", "item", "percent"]) is None


def test_a_decision_list_is_known_by_the_thai_headings_it_is_written_with():
    from evalkit.analysis.decisions import THAI_HEADERS

    assert csv_kind(THAI_HEADERS.values()) == "decision-list"
    assert csv_kind(["ลำดับ", "ผลการตัดสิน", "เงื่อนไขที่ผ่าน", "เงื่อนไขที่ไม่ผ่าน"]) == "decision-list"
    assert csv_kind(list(THAI_HEADERS.values())[:-1]) == "decision-list"  # without confidence
    assert csv_kind(["ลำดับ", "ผลการตัดสิน"]) is None


# --- nothing writes a spreadsheet around the one writer -----------------------------------

#: How Python code writes CSV or XLSX without the one writer.
AROUND = re.compile(
    r"csv\.writer|csv\.DictWriter|\bWorkbook\(|\.to_csv\(|\.to_excel\(|ExcelWriter|xlsxwriter"
)
WRITER = ROOT / "evalkit" / "exports" / "spreadsheet"


def test_no_module_writes_a_spreadsheet_around_the_one_writer():
    sources = [*(ROOT / "evalkit").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sources
        if WRITER not in path.parents
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if AROUND.search(line)
    ]
    assert found == []
    ours = "".join(p.read_text(encoding="utf-8") for p in WRITER.glob("*.py"))
    assert len(AROUND.findall(ours)) == 2  # csv.writer and Workbook(: the pattern matches


# --- a full disk --------------------------------------------------------------------------

#: Runs ``evalkit`` with every file it writes limited to ``limit`` bytes, as a full disk
#: would cut it (the system refuses the write that goes beyond; evalkit must not crash).
LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from evalkit.cli.main import main
sys.exit(main(sys.argv[2:]))
"""
SHEETS = sorted(str(p) for p in SAMPLE.glob("pmqa-2562_2565_*"))
#: A command per kind of file, and the name of what it writes.
WRITES = {
    "csv": (["score", *SHEETS, "--out"], "scores.csv"),
    "xlsx": (["export", *SHEETS, "--out"], "export.xlsx"),
    "template": (["template", "pmqa40-status", "--out"], "template.xlsx"),
}


def _after_a_full_disk(folder: Path, kind: str, limit: int) -> subprocess.CompletedProcess:
    argv, name = WRITES[kind]
    target = folder / name
    target.write_text("the file of the run before", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), *argv, str(target), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )


#: What the command says when the disk is full, and when the file reaches the size limit.
FULL = "evalkit: The disk is full (writing {target}); free some space and run again."
LIMIT = (
    "evalkit: {target} has reached the largest file size this system allows; free some space "
    "or raise the limit, and run again."
)


def _nothing_damaged(
    folder: Path, kind: str, result: subprocess.CompletedProcess, said: str
) -> None:
    target = folder / WRITES[kind][1]
    assert result.returncode == 5, result.stderr
    assert result.stderr.strip().splitlines()[-1] == said.format(target=target)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert target.read_text(encoding="utf-8") == "the file of the run before"
    assert [p.name for p in folder.iterdir() if ".evalkit-" in p.name] == []


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_a_file_cut_short_by_the_system_gives_a_sentence_and_exit_5(tmp_path, kind):
    result = _after_a_full_disk(tmp_path, kind, 4096)
    _nothing_damaged(tmp_path, kind, result, LIMIT)
    assert [p.name for p in tmp_path.iterdir()] == [WRITES[kind][1]]


@pytest.fixture
def full_disk(tmp_path):
    """A 64 kB tmpfs, filled; skipped where the test cannot mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)]
    if subprocess.run(mount, capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield disk
    subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_a_full_disk_gives_a_sentence_and_exit_5(full_disk, kind):
    name = WRITES[kind][1]
    (full_disk / name).write_text("the file of the run before", encoding="utf-8")
    with pytest.raises(OSError), (full_disk / "filler").open("wb") as filler:
        for _ in range(100):
            filler.write(b"x" * 4096)
            filler.flush()
    result = _after_a_full_disk(full_disk, kind, 2**30)
    _nothing_damaged(full_disk, kind, result, FULL)
    assert sorted(p.name for p in full_disk.iterdir()) == sorted(["filler", name])


def test_the_sample_workbooks_say_they_are_the_sample():
    for path in SAMPLE.glob("*.xlsx"):
        props = {p.name: p.value for p in openpyxl.load_workbook(path).custom_doc_props}
        assert props["evalkit-kind"] == "sample" and json.loads(props["evalkit-input-sheets"])


def test_the_readers_take_back_what_the_csv_writer_neutralised():
    corpus = json.loads((ROOT / "tests/exports/injection/cells.json").read_text("utf-8"))["cells"]
    for text in [*corpus, "ok", "-5", "'quoted by hand", "'=", "''=1", "''"]:
        assert restored(str(csv_cell(text))) == text
    assert restored("'=1+1") == "=1+1" and restored("'ok") == "'ok"


def test_sheet_titles_a_workbook_accepts():
    titles = sheet_titles(["a/b", "A:B", "x" * 40, "", "'q'", "บ่อไร่", "บ่อไร่"])
    assert titles == ["a-b", "A-B (2)", "x" * 31, "-", "q", "บ่อไร่", "บ่อไร่ (2)"]
