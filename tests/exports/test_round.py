"""Templates for a round: one workbook per assessor with every agency's rows filled in,
filled the way a person fills them (typing into cells, choosing from the drop-down lists),
read back and scored."""

from __future__ import annotations

import json
import statistics

import openpyxl
import pytest
from helpers import ROOT, dangerous_cells

from evalkit import InvalidInputError, Registry, check_sheets, score
from evalkit.cli.main import main
from evalkit.exports.round import read_agencies
from evalkit.exports.sample import TRAT_AGENCIES

ASSESSORS = ["ผู้ประเมิน 1", "ผู้ประเมิน 2", "ผู้ประเมิน 3"]


@pytest.fixture
def agencies(tmp_path):
    """The agencies of a round as an office keeps them: a title, Thai headers."""
    path = tmp_path / "agencies.csv"
    rows = [f"{agency_id},{name}" for agency_id, name, _ in TRAT_AGENCIES]
    text = "รายชื่อหน่วยงานที่เข้ารับการประเมิน ปี 2566\nรหัสหน่วยงาน,ชื่อหน่วยงาน\n"
    path.write_text(text + "\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


def _round(tmp_path, framework, agencies, *more):
    out = tmp_path / "round"
    argv = ["template", framework, "--assessors", ",".join(ASSESSORS), "--year", "2566"]
    assert main([*argv, "--agencies", str(agencies), "--out", str(out), *more]) == 0
    return sorted(out.iterdir())


def _type_into(path, sheet, values):
    """Type into the empty cells of a sheet as a person does: ``values(row)`` gives the
    cells of one row by column, ``row`` being that row's cells by column."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [c.value.split(" (")[-1].rstrip(")") for c in ws[1]]
    for cells in ws.iter_rows(min_row=2):
        row = dict(zip(header, cells, strict=True))
        for column, value in values({k: c.value for k, c in row.items()}).items():
            row[column].value = value
    book.save(path)


def _percent(assessor: int, agency: int, item: int) -> int:
    return 5 * ((assessor * 3 + agency * 2 + item) % 21)


def test_one_workbook_per_assessor_with_every_agencys_rows(tmp_path, agencies):
    written = _round(tmp_path, "pmqa-2562", agencies)
    assert [p.name for p in written] == [f"pmqa-2562-2566-ผู้ประเมิน-{n}.xlsx" for n in (1, 2, 3)]
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames == ["คำแนะนำ", "คะแนน", "_lists"]
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props["evalkit-kind"] == "template"
    assert json.loads(props["evalkit-input-sheets"]) == ["คะแนน"]
    assert book["_lists"].sheet_state == "hidden"
    rows = list(book["คะแนน"].iter_rows(values_only=True))
    assert len(rows) == 1 + 9 * 18
    first = dict(zip([h.split(" (")[-1].rstrip(")") for h in rows[0]], rows[1], strict=True))
    assert first["agency_id"] == "trat-cdd" and first["agency_name"] == TRAT_AGENCIES[0][1]
    assert (first["year"], first["framework"], first["assessor"]) == (
        2566,
        "pmqa-2562",
        ASSESSORS[0],
    )
    assert (first["item"], first["percent"]) == ("1.1", None)
    ws = book["คะแนน"]
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    dropdowns = {str(dv.sqref) for dv in ws.data_validations.dataValidation}
    # the percent by steps of 5, named by band: ADLI for items 1.1-6.2, LeTCI for 7.1-7.6
    adli = " ".join(f"H{2 + 18 * n}:H{13 + 18 * n}" for n in range(9))
    letci = " ".join(f"H{14 + 18 * n}:H{19 + 18 * n}" for n in range(9))
    assert {adli, letci} <= dropdowns
    lines = [r[0] for r in book["คำแนะนำ"].iter_rows(values_only=True) if r[0]]
    assert (
        lines[0]
        == "เกณฑ์คุณภาพการบริหารจัดการภาครัฐ พ.ศ. 2562 ปี พ.ศ. 2566: แบบฟอร์มกรอกคะแนนของ ผู้ประเมิน 1"
    )
    assert (
        "3. คอลัมน์ ร้อยละ (percent): เลือกร้อยละจากรายการ ตั้งแต่ 0 ถึง 100 เพิ่มทีละ 5 หรือพิมพ์ตัวเลขเอง"
    ) in lines
    assert lines[-9:] == [f"{a}  {name}" for a, name, _ in TRAT_AGENCIES]
    assert dangerous_cells(written[0]) == []


def test_the_round_filled_in_reads_back_and_scores(tmp_path, agencies):
    written = _round(tmp_path, "pmqa-2562", agencies)
    items = [i.key for i in Registry().get("pmqa-2562").items]
    ids = [a for a, _, _ in TRAT_AGENCIES]
    for n, path in enumerate(written):
        _type_into(
            path,
            "คะแนน",
            lambda row, n=n: (
                {"percent": _percent(n, ids.index(row["agency_id"]), items.index(row["item"]))}
                | ({"strength": "มีแผนชัดเจน\nติดตามผลทุกไตรมาส"} if row["item"] == "2.1" else {})
            ),
        )
    sheets, problems = check_sheets(written)
    assert problems == []
    assert len(sheets.bands) == 3 * 9 * 18
    assert sheets.bands["strength"].str.contains("\n").sum() == 3 * 9
    totals = score(sheets).query("level == 'total'").set_index("agency_id")["points"]
    framework = Registry().get("pmqa-2562")
    for a, agency_id in enumerate(ids):
        expected = sum(
            statistics.median(_percent(n, a, i) for n in range(3)) * item.points / 100
            for i, item in enumerate(framework.items)
        )
        assert totals[agency_id] == pytest.approx(expected)


def test_a_checklist_round_leaves_the_agencys_indicators_out_and_scores(tmp_path, agencies):
    written = _round(tmp_path, "pmqa40-status", agencies, "--categories", "1,2,3,4,5,6,7")
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames == ["คำแนะนำ", "รายการตรวจ", "_lists"]
    lines = [r[0] for r in book["คำแนะนำ"].iter_rows(values_only=True) if r[0]]
    assert any("--categories 7" in line for line in lines)
    for path in written:
        _type_into(path, "รายการตรวจ", lambda row: {"met": "ใช่"})  # the drop-down's value
    sheets, problems = check_sheets(written)
    assert problems == [] and len(sheets.checks) == 3 * 9 * 160
    result = score(sheets)
    assert set(result.query("level == 'category' and key == '1'")["points"]) == {500}
    assert set(result.query("level == 'item' and key == '1.1'")["label"]) == {"Significance"}


def test_agencies_from_the_projects_params(tmp_path, capsys):
    out = tmp_path / "round"
    argv = ["template", "pmqa-2562", "--assessors", "ก,ข", "--year", "2023", "--out", str(out)]
    assert main([*argv, "--project", str(ROOT)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert (
        said[-1]
        == "2 workbooks, one per assessor, each with the rows of 9 agencies (pmqa-2562, year 2566)."
    )
    book = openpyxl.load_workbook(out / "pmqa-2562-2566-ก.xlsx")
    named = {r[0]: r[1] for r in book["คะแนน"].iter_rows(min_row=2, values_only=True)}
    assert named == {a: name for a, name, _ in TRAT_AGENCIES}


def test_a_wrong_agencies_file_is_refused_with_every_problem(write_sheet):
    path = write_sheet(
        "agency_id,agency_name\n"
        "Trat CDD,สำนักงาน\n"  # row 2: not an id
        "trat-a,\n"  # row 3: no name
        "trat-b,ข\n"
        "trat-b,ค\n"  # row 5: twice
    )
    with pytest.raises(InvalidInputError) as caught:
        read_agencies(path)
    found = [(p.row, p.column, str(p.found)) for p in caught.value.problems]
    assert found == [
        (2, "agency_id", "'Trat CDD'"),
        (3, "agency_name", "an empty cell"),
        (5, "agency_id", "'trat-b'"),
    ]
    assert "Agency trat-b is already listed in row 4." in str(caught.value)
    with pytest.raises(InvalidInputError, match="expected the columns agency_id and agency_name"):
        read_agencies(write_sheet("agency_id,name,note\nx,y,z\n", "other.csv"))


@pytest.mark.parametrize(
    ("assessors", "said"),
    [
        ("ก,,ข", "--assessors takes the assessors' names, separated by commas"),
        ("ก,ก", "The assessors ก, ก would share the file pmqa-2562-2566-ก.xlsx"),
        ("ก,/..", "The assessor '/..' has no letter or digit to name a file by."),
    ],
)
def test_assessors_that_cannot_name_a_workbook_each(tmp_path, agencies, capsys, assessors, said):
    argv = ["template", "pmqa-2562", "--assessors", assessors, "--year", "2566"]
    code = main([*argv, "--agencies", str(agencies), "--out", str(tmp_path / "r")])
    assert code in (1, 2) and said in capsys.readouterr().err
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


def test_an_untouched_round_workbook_is_refused_in_one_line_per_column(tmp_path, agencies, capsys):
    """Every row of an untouched workbook is refused (its agency, year and assessor are filled
    in advance, its percent is not), in one line that names the rows as ranges; a workbook
    filled in part names the rows still empty, and every one of them is counted."""
    written = _round(tmp_path, "pmqa-2562", agencies)
    last = 1 + 9 * 18
    assert main(["validate", str(written[0]), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        f"{written[0]} [คะแนน], column 'ร้อยละ (percent)': found empty cells in rows 2-{last} "
        f"({last - 1} rows); expected a number from 0 to 100 in steps of 5."
    )
    assert "row 2" not in err
    assert main(["validate", str(written[0]), "--lang", "th"]) == 1
    assert "ช่องว่างในแถว 2-" in capsys.readouterr().err
    _type_into(
        written[1], "คะแนน", lambda row: {} if row["item"] in ("1.1", "1.2") else {"percent": 50}
    )
    _, problems = check_sheets([written[1]])
    (problem,) = problems
    empty = [2 + 18 * a + i for a in range(9) for i in (0, 1)]
    assert problem.rows == tuple(empty)  # type: ignore[attr-defined]
    assert str(problem.found) == (
        "empty cells in rows 2, 3, 20, 21, 38, 39, 56, 57, 74, 75, 92, 93, 110, 111, 128, 129 "
        "+2 (18 rows)"
    )


def test_a_lert_rat_round_asks_for_each_works_entry_columns_once(tmp_path, agencies):
    first = _round(tmp_path, "lertrat-participatory", agencies)[0]
    book = openpyxl.load_workbook(first)
    lines = [str(row[0]) for row in book.worksheets[0].iter_rows(values_only=True) if row[0]]
    entry = next(line for line in lines if "ประเภท (type)" in line)
    assert "วันที่เริ่มดำเนินการ (start_date)" in entry and "ค่าต้องตรงกัน" in entry
    _type_into(first, "คะแนน", lambda row: {"percent": 70} | (
        {"type": "เลื่องลือขยายผล", "work": "ผลงาน ก", "start_date": "1/6/2564",
         "running": "ใช่", "effect": "มี", "closing_date": "31/3/2566"}
        if row["item"] == "1.1" else {}
    ))  # fmt: skip
    sheets, problems = check_sheets([first])
    assert problems == []
    assert set(sheets.bands["type"]) == {"expanded", ""}  # given once per agency
    assert set(sheets.bands["start_date"]) == {"2021-06-01", ""}
