"""``evalkit decide`` writes the decision list as CSV, HTML and XLSX, and refuses a bad entries
file by row and column."""

from __future__ import annotations

import json

import pytest
from helpers import SAMPLE

from evalkit.cli.main import main

SHEETS = [str(p) for p in sorted(SAMPLE.glob("lertrat-participatory_2564_*.csv"))]
ENTRIES = """\
agency_id,type,start_date,running,effect
trat-province-participatory,open,2019-01-15,yes,ผู้รับบริการได้รับการแก้ไขเรื่องร้องเรียนเร็วขึ้น
trat-local-participatory,effective,1 ธ.ค. 2563,ใช่,
"""


def _decide(tmp_path, suffix: str, entries: str = ENTRIES) -> tuple[int, object]:
    (tmp_path / "entries.csv").write_text(entries, encoding="utf-8")
    out = tmp_path / f"decisions{suffix}"
    argv = [
        "decide",
        *SHEETS,
        "--framework",
        "lertrat-participatory",
        "--year",
        "2564",
        "--entries",
        str(tmp_path / "entries.csv"),
        "--closing",
        "2021-03-31",
        "--out",
        str(out),
        "--lang",
        "en",
    ]
    return main(argv), out


def test_the_csv_lists_each_type_with_its_decision(tmp_path):
    code, out = _decide(tmp_path, ".csv")
    assert code == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("ประเภท,ลำดับ,เสมอ,รหัส,หน่วยงาน/ผลงาน,คะแนนรวม,ผลการตัดสิน")
    assert lines[1].startswith(
        "สัมฤทธิ์ผลประชาชนมีส่วนร่วม,,,trat-local-participatory,สภาองค์กรชุมชนร่วมวางแผนท้องถิ่น"
    )
    assert "ไม่มีคุณสมบัติ" in lines[1]
    assert lines[2].startswith("เปิดใจใกล้ชิดประชาชน,1,,trat-province-participatory,ศูนย์ดำรงธรรม")


def test_the_page_is_thai_dated_in_the_buddhist_era_and_marks_unconfirmed_thresholds(tmp_path):
    code, out = _decide(tmp_path, ".html")
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="th">' in page and "size: A4 landscape" in page
    assert "จัดทำเมื่อ" in page and "25" in page.split("จัดทำเมื่อ")[1][:40]
    assert "เกณฑ์ตัวอย่าง (ยังไม่ยืนยัน)" in page
    assert str(tmp_path) not in page


def test_the_workbook_says_it_is_a_decision_list(tmp_path):
    from openpyxl import load_workbook

    code, out = _decide(tmp_path, ".xlsx")
    assert code == 0
    book = load_workbook(out)
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props["evalkit-kind"] == "decision-list"
    assert json.loads(props["evalkit-input-sheets"]) == []
    assert book["ผลการตัดสิน"]["A1"].value == "ประเภท"


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (
            "agency_id,type\nx,bogus\n",
            "row 2, column 'type': found 'bogus'; expected one of the award types of "
            "lertrat-participatory: open",
        ),
        ("name,type\nx,open\n", "column 'agency_id': found the columns name, type"),
    ],
)
def test_a_bad_entries_file_is_refused_by_row_and_column(tmp_path, capsys, entries, expected):
    code, out = _decide(tmp_path, ".csv", entries)
    assert code == 1 and not out.exists()
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize(
    ("framework", "year"), [("women-fund", "2564"), ("lertrat-participatory", "2564")]
)
def test_the_sample_decision_lists_show_decisions_per_type(tmp_path, framework, year):
    sheets = [str(p) for p in sorted(SAMPLE.glob(f"{framework}_{year}_*.csv"))]
    entries = SAMPLE.parent / "awards" / f"{framework}_{year}_entries.csv"
    out = tmp_path / "decisions.csv"
    argv = ["decide", *sheets, "--framework", framework, "--year", year, "--out", str(out)]
    argv += ["--entries", str(entries), "--closing", "2021-03-31"]
    assert main(argv) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert len({row.split(",")[0] for row in rows}) >= 2  # two types, each decided apart


@pytest.mark.parametrize("framework", ["women-fund", "lertrat-participatory"])
def test_the_sample_sheets_alone_give_decisions_per_type(tmp_path, capsys, framework):
    sheets = [str(p) for p in sorted(SAMPLE.glob(f"{framework}_2564_*.csv"))]
    out = tmp_path / "decisions.csv"
    argv = ["decide", *sheets, "--framework", framework, "--year", "2564", "--out", str(out)]
    assert main([*argv, "--lang", "en"]) == 0
    assert "award types from the score sheets (2 entries)" in capsys.readouterr().out
    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert len(rows) == 2 and len({row.split(",")[0] for row in rows}) == 2


def test_an_entries_file_that_disagrees_with_the_sheets_is_refused_by_row_and_column(
    tmp_path, capsys
):
    sheets = [str(p) for p in sorted(SAMPLE.glob("women-fund_2564_*.csv"))]
    entries = tmp_path / "entries.csv"
    entries.write_text("agency_id,type\nwdf-muang-trat,member-group\nwdf-ko-kut,subdistrict-team\n")
    out = tmp_path / "decisions.csv"
    argv = ["decide", *sheets, "--framework", "women-fund", "--year", "2564", "--out", str(out)]
    assert main([*argv, "--entries", str(entries), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "1 problem" in err and not out.exists()
    assert (
        "entries.csv, row 2, column 'type': found 'member-group'; expected 'district-secretariat'"
        " as the score sheets give it for wdf-muang-trat, or an empty cell"
    ) in err


def test_an_entries_file_gives_what_the_sheets_leave_empty(tmp_path, capsys):
    entries = tmp_path / "entries.csv"
    entries.write_text("agency_id,effect\ntrat-local-participatory,สภาฯ ประชุมทุกเดือน\n")
    out = tmp_path / "decisions.csv"
    argv = ["decide", *SHEETS, "--framework", "lertrat-participatory", "--year", "2564"]
    assert main([*argv, "--entries", str(entries), "--out", str(out), "--lang", "en"]) == 0
    assert "from the entries file" in capsys.readouterr().out
    local = next(r for r in out.read_text(encoding="utf-8-sig").splitlines() if "local" in r)
    assert "ดำเนินการมา 120 วัน" in local and "ไม่ได้ระบุ" not in local  # the effect is given


def test_a_closing_date_other_than_the_sheets_is_refused(tmp_path, capsys):
    argv = ["decide", *SHEETS, "--framework", "lertrat-participatory", "--year", "2564"]
    out = tmp_path / "decisions.csv"
    assert main([*argv, "--closing", "2021-04-30", "--out", str(out), "--lang", "en"]) == 1
    assert "--closing 2021-04-30 and the closing date the entries give (2021-03-31) differ" in (
        capsys.readouterr().err
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value", "code"),
    [("--closing", "31/03/2564", 2), ("--out", "decisions.pdf", 1)],
)
def test_a_bad_date_or_output_is_said_without_a_traceback(tmp_path, capsys, option, value, code):
    out = str(tmp_path / "decisions.csv")
    argv = ["decide", *SHEETS, "--framework", "lertrat-participatory", "--year", "2564"]
    given = {"--out": out, "--closing": "2021-03-31", option: value}
    if option == "--out":
        given["--out"] = str(tmp_path / value)
    argv += [part for pair in given.items() for part in pair]
    try:
        status = main([*argv, "--lang", "en"])
    except SystemExit as usage:  # argparse's own exit for a usage error
        status = usage.code
    assert status == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and value.split("/")[0] in err
