"""Nothing dropped in silence: hidden sheets and rows, evalkit's own workbooks and sheets,
formulas without a saved result, unknown columns, the self-assessment and assessors' names
spelled many ways: each row is used, refused with its place, or counted in a visible line."""

from __future__ import annotations

import json
import logging

import openpyxl
import pytest
from helpers import BAND_HEADER, GOLDEN
from openpyxl.packaging.custom import StringProperty

from evalkit import load_sheets, score
from evalkit.cli.main import main
from evalkit.exports.template import write_template
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import self_assessment
from evalkit.sheets.ledger import Ledger
from evalkit.sheets.load import check_sheets
from evalkit.sheets.skipped import row_ranges, skipped_lines

HEADER = BAND_HEADER.strip().split(",")
ROWS = [
    ["x", "ก", 2565, "pmqa-2562", "A", "2.1", 50],
    ["x", "ก", 2565, "pmqa-2562", "A", "2.2", 60],
]


def _book(path, sheets, properties=None, hide=()):
    """A workbook of ``sheets`` (title -> rows under HEADER), with evalkit's properties."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in [HEADER, *rows]:
            ws.append(row)
        if title in hide:
            ws.sheet_state = "hidden"
    for name, value in (properties or {}).items():
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    book.save(path)
    return path


def test_only_the_input_sheets_an_evalkit_workbook_lists_are_read(tmp_path):
    path = _book(
        tmp_path / "meeting.xlsx",
        {"คะแนน": ROWS, "สรุป": [["y", "ข", 2565, "pmqa-2562", "B", "9.9", 5]]},
        {"evalkit-kind": "consensus-meeting", "evalkit-input-sheets": '["คะแนน"]'},
    )
    sheets = load_sheets([path])
    assert list(sheets.bands["percent"]) == [50, 60]
    assert skipped_lines(sheets.skipped) == []
    assert skipped_lines(sheets.skipped, verbose=True) == [
        f"skipped: a sheet evalkit wrote for its own use, not score input: {path} [สรุป]"
    ]


def test_a_workbook_evalkit_wrote_that_holds_no_input_is_skipped_with_a_word(tmp_path):
    export = _book(
        tmp_path / "export.xlsx",
        {"scores": [["x", "ก", 2565, "pmqa-2562", "A", "2.1", "oops"]]},
        {"evalkit-kind": "scores-export", "evalkit-input-sheets": "[]"},
    )
    sheet = _book(tmp_path / "sheet.xlsx", {"คะแนน": ROWS})
    sheets = load_sheets([export, sheet])
    assert len(sheets.bands) == 2
    assert skipped_lines(sheets.skipped) == [
        f"skipped: a score export evalkit wrote, not a score sheet: {export}"
    ]


def test_an_older_template_leaves_its_list_sheet_aside_quietly(tmp_path):
    (path,) = write_template(Registry().get("cdd-clean"), tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["คะแนน"]
    for row in ws.iter_rows(min_row=2):
        row[0].value, row[1].value, row[2].value, row[4].value = "x", "ก", 2565, "A"
        row[7].value = 3
    book.save(path)
    sheets, problems = check_sheets([path])
    assert problems == [] and len(sheets.bands) == 10
    assert skipped_lines(sheets.skipped) == []
    assert any("_lists" in line for line in skipped_lines(sheets.skipped, verbose=True))


def test_hidden_sheets_and_rows_are_counted_never_logged(tmp_path, caplog):
    path = _book(tmp_path / "b.xlsx", {"คะแนน": ROWS, "เก่า": ROWS[:1]}, hide=("เก่า",))
    book = openpyxl.load_workbook(path)
    book["คะแนน"].append(["x", "ก", 2565, "pmqa-2562", "B", "2.1", 90])
    book["คะแนน"].row_dimensions[4].hidden = True
    book.save(path)
    with caplog.at_level(logging.DEBUG):
        sheets, problems = check_sheets([path])
    assert problems == [] and list(sheets.bands["assessor"]) == ["A", "A"]
    assert caplog.messages == []
    assert skipped_lines(sheets.skipped) == [
        f"skipped: rows hidden in the workbook, not read; unhide them to read them: "
        f"{path} [คะแนน] (rows 4)",
        f"skipped: a hidden sheet, not read; unhide it, or name it with --sheet to read it: "
        f"{path} [เก่า] (1 rows)",
    ]


def test_a_formula_without_its_result_is_refused_with_what_to_do(tmp_path):
    path = _book(tmp_path / "f.xlsx", {"คะแนน": [ROWS[0], [*ROWS[1][:6], "=40+20"]]})
    _, problems = check_sheets([path])
    assert [str(p) for p in problems] == [
        f"{path} [คะแนน], row 3, column 'percent': found a formula (=40+20) whose result was "
        "never saved; expected a value, or a formula with its result saved. Open the file in "
        "Excel or LibreOffice and save it, so that the results of its formulas are saved with it."
    ]


def test_a_column_evalkit_does_not_read_is_said_when_it_holds_something(write_sheet):
    sheet = write_sheet(
        BAND_HEADER.strip() + ",หมายเหตุ,ว่าง,explanation\n"
        "x,ก,2565,pmqa-2562,A,2.1,50,ตรวจแล้ว,,ทำไม\n"
        "x,ก,2565,pmqa-2562,A,2.2,60,,,\n"
    )
    sheets = load_sheets([sheet])
    assert skipped_lines(sheets.skipped) == [
        f"skipped: a column a band sheet does not have, not read: {sheet} 'หมายเหตุ' (1 rows), "
        f"{sheet} 'explanation' (1 rows)"
    ]


def _own_status_assessment(write_sheet, name="self"):
    checklist = (GOLDEN / "pmqa40-status" / "checklist.csv").read_text(encoding="utf-8")
    lines = checklist.splitlines()
    own = [lines[0]] + [line.replace(",A,", f",{name},") for line in lines[1:] if ",A," in line]
    return [
        write_sheet("\n".join(own) + "\n", "own.csv"),
        GOLDEN / "pmqa40-status" / "indicators.csv",
    ]


def test_an_office_that_scores_itself_gets_its_own_total_apart(write_sheet):
    sheets = load_sheets(_own_status_assessment(write_sheet))
    assert score(sheets).empty  # no member of the panel: no panel total of category 7 alone
    own = self_assessment(sheets).set_index(["level", "key"])
    assert set(own["assessment"]) == {"self"}
    assert own.loc[("category", "1"), "label"] != "absent"
    assert own.loc[("total", "total"), "points"] > 0
    panel = load_sheets(
        [*_own_status_assessment(write_sheet), GOLDEN / "pmqa40-status" / "checklist.csv"]
    )
    beside = self_assessment(panel).set_index(["level", "key"])
    pd_equal = own.loc[("total", "total"), "points"] == beside.loc[("total", "total"), "points"]
    assert pd_equal  # the same verdict read alone and beside the panel
    assert score(panel).equals(
        score(
            load_sheets(
                [
                    GOLDEN / "pmqa40-status" / "checklist.csv",
                    GOLDEN / "pmqa40-status" / "indicators.csv",
                ]
            )
        )
    )


@pytest.mark.parametrize(
    "name",
    [
        "Self",
        "self-assessment",
        "self.",
        "ตนเอง",
        "ประเมินตนเอง",
        "ｓｅｌｆ",
        "se\u00adlf",
        "\u0455elf",
    ],
)
def test_the_self_assessment_by_any_spelling_is_never_a_panel_member(write_sheet, name):
    sheets = load_sheets(_own_status_assessment(write_sheet, name))
    assert set(sheets.checks["assessor"]) == {"self"}
    assert score(sheets).empty and len(self_assessment(sheets))


def test_one_assessor_whatever_the_case(write_sheet):
    sheet = write_sheet(
        BAND_HEADER + "x,ก,2565,pmqa-2562,Somchai,2.1,50\nx,ก,2565,pmqa-2562,somchai,2.1,60\n"
        "x,ก,2565,pmqa-2562,Somchai,2.2,50\n"
    )
    _, problems = check_sheets([sheet])
    assert {p.row for p in problems} == {2, 3}
    assert "assessor Somchai, item 2.1: given more than once" in str(problems[0])


def test_score_writes_the_self_assessment_beside_the_panel(write_sheet, tmp_path, capsys):
    out = tmp_path / "scores.csv"
    sheets = [str(p) for p in _own_status_assessment(write_sheet)]
    assert main(["score", *sheets, "--out", str(out)]) == 0
    own = (tmp_path / "scores-self.csv").read_text(encoding="utf-8-sig")
    assert own.splitlines()[0].endswith(",label,assessment")
    assert "The agency's self-assessment of 1 agency-years" in capsys.readouterr().out


def test_ingest_of_several_files_is_one_batch(write_sheet, tmp_path):
    one = write_sheet(
        BAND_HEADER + "x,ก,2565,pmqa-2562,A,2.1,50\nx,ก,2565,pmqa-2562,A,2.2,60\n", "a.csv"
    )
    two = write_sheet(
        BAND_HEADER + "x,ก,2565,pmqa-2562,A,3.1,70\nx,ก,2565,pmqa-2562,A,3.2,80\n", "b.csv"
    )
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.ingest([one, two])
    stored = score(ledger.current())
    ledger.close()
    direct = score(load_sheets([one, two]))
    total = stored.loc[stored["level"] == "total", "points"].item()
    assert total == direct.loc[direct["level"] == "total", "points"].item() == 126.5


def test_validate_json_lists_what_was_skipped(tmp_path, capsys):
    path = _book(tmp_path / "b.xlsx", {"คะแนน": ROWS, "เก่า": ROWS[:1]}, hide=("เก่า",))
    assert main(["validate", str(path), "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["skipped"]
    assert (entry["sheet"], entry["count"], entry["quiet"]) == ("เก่า", 1, False)


def test_rows_are_named_as_ranges_and_the_rest_counted():
    assert row_ranges([5, 2, 3, 4, 125, 7, 8]) == "2-5, 7, 8, 125"
    assert row_ranges(range(2, 121)) == "2-120"
    assert row_ranges([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 20, 21]) == "1, 3, 5, 7, 9, 11, 13, 15 +4"
