"""evalkit reads what evalkit writes: each file it writes either reads back as input, giving
the same rows and scores, or is plainly not input and is skipped with a word (a workbook by
its ``evalkit-input-sheets``, a CSV by its header)."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from helpers import FEEDBACK, SAMPLE

from evalkit import Registry, check_sheets, load_sheets, score
from evalkit.analysis.feedback import comments
from evalkit.cli.main import main
from evalkit.exports.assessors import without_committee_text
from evalkit.exports.scores import export, feedback_table
from evalkit.sheets.sheetset import SOURCE, SheetSet

#: Every form of sheet, self-assessment and consensus rows among them.
SOURCES = [*sorted(SAMPLE.glob("pmqa-2562_2565_*")), *sorted(SAMPLE.glob("pmqa40-status_*"))]
SOURCES += [*sorted(SAMPLE.glob("cdd-clean_*")), FEEDBACK]


@pytest.fixture(scope="module")
def sheets() -> SheetSet:
    return load_sheets(SOURCES)


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A form's rows as comparable text, in a fixed order, wherever they were read from."""
    frame = frame.drop(columns=[c for c in SOURCE if c in frame]).astype(object)
    frame = frame.where(frame.notna(), "").astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _same(read: SheetSet, sheets: SheetSet) -> None:
    for form, frame in sheets.frames().items():
        pd.testing.assert_frame_equal(_rows(read.frames()[form]), _rows(frame), obj=form)
    pd.testing.assert_frame_equal(score(read), score(sheets))


def _input_sheets(path) -> list[str]:
    props = {p.name: p.value for p in openpyxl.load_workbook(path).custom_doc_props}
    assert props["evalkit-kind"] == "scores-export"
    return json.loads(props["evalkit-input-sheets"])


def _assessors_only(sheets: SheetSet) -> SheetSet:
    """The rows as the assessors' sheets of an export hold them: the committee's text is in
    the feedback sheet instead."""
    return SheetSet({f: without_committee_text(x) for f, x in sheets.frames().items()})


def test_the_assessors_rows_of_an_xlsx_export_read_back_as_the_same_sheets(tmp_path, sheets):
    (path,) = export(sheets, Registry(), "xlsx", tmp_path / "export.xlsx")
    titles = _input_sheets(path)
    assert titles == [
        "ข้อเสนอแนะ (feedback)",
        "คะแนนรายผู้ประเมิน (assessors)",
        "ระดับคะแนน (ratings)",
        "ข้อตรวจรายผู้ประเมิน (checks)",
        "ตัวชี้วัด (indicators)",
    ]
    parts = [load_sheets([path], sheet=title) for title in titles[1:]]
    bands = pd.concat([parts[0].bands, parts[1].bands], ignore_index=True)
    read = SheetSet.of(bands, parts[2].checks, parts[3].indicators)
    _same(read, _assessors_only(sheets))
    assert "self" in set(read.bands["assessor"])
    assert not any(str(tmp_path.parent) in str(v) for v in _rows(read.bands).to_numpy().ravel())


def test_the_assessors_files_of_a_csv_export_read_back_as_the_same_sheets(tmp_path, sheets):
    written = export(sheets, Registry(), "csv", tmp_path)
    assert [p.name for p in written] == [
        "scores.csv",
        "consensus.csv",
        "feedback.csv",
        "assessors.csv",
        "ratings.csv",
        "checks.csv",
        "indicators.csv",
    ]
    # the apostrophes of neutralised text taken back
    _same(load_sheets(written[3:]), _assessors_only(sheets))
    whole = load_sheets(written)  # the feedback file reads back as the committee's rows
    pd.testing.assert_frame_equal(score(whole), score(sheets))
    pd.testing.assert_frame_equal(
        feedback_table(whole, Registry()), feedback_table(sheets, Registry())
    )
    assert ",'=ควรวัดผลการสื่อสาร," in (tmp_path / "assessors.csv").read_text(encoding="utf-8-sig")
    text = (tmp_path / "checks.csv").read_text(encoding="utf-8-sig")
    assert "source_file" not in text and str(SAMPLE) not in text


def test_an_xlsx_export_reads_back_whole(tmp_path, sheets):
    """The same scores, and the same feedback sheet: the committee's text as it was, the
    assessors' drafts again drafts."""
    (path,) = export(sheets, Registry(), "xlsx", tmp_path / "export.xlsx")
    read = load_sheets([path])
    pd.testing.assert_frame_equal(score(read), score(sheets))
    pd.testing.assert_frame_equal(
        feedback_table(read, Registry()), feedback_table(sheets, Registry())
    )
    said = comments(read)
    committee = said[said["consensus"]]
    assert "ควรติดตามผลการสื่อสารอย่างเป็นระบบ" in set(committee["text"])
    assert not committee["text"].str.contains("ร่าง").any()


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (["score", "{sheet}", "--out", "{out}.xlsx"], "a table of scores"),
        (["score", "{sheet}", "--out", "{out}.csv"], "a table of scores"),
        (
            ["score", "{sheet}", "--out", "{tmp}/s.csv", "--rules", "{out}.xlsx"],
            "a table of award and target rules",
        ),
        (
            ["score", "{sheet}", "--out", "{tmp}/s.csv", "--rules", "{out}.csv"],
            "a table of award and target rules",
        ),
        (["validate", "{broken}", "--out", "{out}.csv"], "a list of the problems found in sheets"),
        (["template", "poverty", "--out", "{out}.xlsx"], "a household file template"),
        (["poverty", "{households}", "--out", "{out}.csv"], "a table of poverty counts"),
    ],
)
def test_what_is_not_input_is_skipped_with_a_word(tmp_path, capsys, write_sheet, argv, kind):
    given = {
        "sheet": SAMPLE / "cdd-clean_2564_assessor-1.csv",
        "broken": write_sheet("agency_id,year\nx,1\n", "broken.csv"),
        "households": SAMPLE.parent / "poverty" / "trat-2565.csv",
        "out": tmp_path / "output",
        "tmp": tmp_path,
    }
    main([a.format(**given) for a in argv])
    (written,) = tmp_path.glob("output.*")
    capsys.readouterr()
    assert main(["validate", str(written), str(given["sheet"])]) == 0
    said = capsys.readouterr()
    (line,) = [x for x in (said.out + said.err).splitlines() if written.name in x]
    assert f"{kind} evalkit wrote, not a score sheet" in line
    sheets, problems = check_sheets([written, given["sheet"]])
    assert problems == [] and len(sheets.bands) == len(load_sheets([given["sheet"]]).bands)


@pytest.mark.slow
def test_the_blank_template_of_init_is_not_where_sheets_are_read(tmp_path, capsys):
    project = tmp_path / "p"
    assert main(["init", str(project)]) == 0
    assert list((project / "data").iterdir()) == []
    (template,) = (project / "templates").glob("*.xlsx")
    assert f"copy {template} into {project / 'data'}" in capsys.readouterr().out
    data = project / "data" / "assessor-1.xlsx"
    data.write_bytes(template.read_bytes())  # copied, then filled in as the README says
    book = openpyxl.load_workbook(data)
    ws = book["คะแนน"]
    values = ["my-agency", "ทดสอบ", 2566, "pmqa-2562", "ผู้ประเมิน 1"]  # the params example's
    for row in ws.iter_rows(min_row=2):
        for cell, value in zip(row, [*values, None, None, 50], strict=False):
            if value is not None:
                cell.value = value
    book.save(data)
    capsys.readouterr()
    assert main(["validate", str(data)]) == 0
    assert main(["run", "--project", str(project), "--quiet"]) == 0


def test_the_poverty_tables_given_as_a_household_file_are_named_for_what_they_are(tmp_path, capsys):
    households = SAMPLE.parent / "poverty" / "trat-2565.csv"
    tables = tmp_path / "tables.csv"
    assert main(["poverty", str(households), "--out", str(tables)]) == 0
    capsys.readouterr()
    assert main(["poverty", str(tables)]) == 1
    assert f"{tables}: found a table of poverty counts written by evalkit; expected" in (
        capsys.readouterr().err
    )
