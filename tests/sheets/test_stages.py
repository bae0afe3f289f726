"""Stages of the assessment cycle in the sheets (golden): which value the panel gives an item
or a check, what each kind of value is called, and the agreed rows that are refused or
flagged, each with its exact message."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import GOLDEN

from evalkit import default_registry, load_sheets, score
from evalkit.core.i18n import set_language
from evalkit.scoring.precedence import BASIS, basis_label, item_basis, unexplained
from evalkit.sheets.load import check_sheets
from evalkit.sheets.stages import SPELLINGS, stage_of

HEADER = "agency_id,agency_name,year,framework,assessor,item,percent,stage,reason\n"
INDEPENDENT = [
    f"d,สำนักงานทดสอบ,2565,pmqa-2562,{who},{item},{percent},,"
    for who, percent in (("A", 50), ("B", 60), ("C", 70))
    for item in ("2.1", "2.2")
]


@pytest.fixture(autouse=True)
def _english(monkeypatch, tmp_path):
    """Messages in English, sheets named as written in their folder."""
    monkeypatch.chdir(tmp_path)
    set_language("en")
    yield
    set_language(None)


def _sheet(write_sheet, *agreed: str) -> Path:
    path = write_sheet(HEADER + "\n".join([*INDEPENDENT, *agreed]) + "\n", "stages.csv")
    return Path(path.name)


def _items(sheets) -> dict[str, float]:
    result = score(sheets)
    items = result[result["level"] == "item"]
    return dict(zip(items["key"], items["percent"], strict=True))


def _basis(sheets) -> dict[str, str]:
    table = item_basis(sheets, default_registry())
    return dict(zip(table["item"], table["basis"], strict=True))


def test_every_spelling_names_its_stage():
    for stage, names in SPELLINGS.items():
        assert {stage_of(n) for n in names} == {stage}
    assert stage_of("Site Visit") == "site-visit" and stage_of("ตรวจ เยี่ยม") == "site-visit"
    assert stage_of("") == "" and stage_of("agree") is None


def test_site_visit_over_consensus_over_the_rule(write_sheet):
    sheets = load_sheets(
        [
            _sheet(
                write_sheet,
                "d,สำนักงานทดสอบ,2565,pmqa-2562,,2.1,55,ฉันทามติ,หลักฐานการถ่ายทอดยังไม่ครบ",
                "d,สำนักงานทดสอบ,2565,pmqa-2562,,2.1,65,ตรวจเยี่ยม,พบหลักฐานเพิ่มเมื่อตรวจเยี่ยม",
            )
        ]
    )
    assert _items(sheets) == {"2.1": 65.0, "2.2": 60.0}
    assert _basis(sheets) == {"2.1": "site-visit", "2.2": "median"}
    consensus_only = load_sheets(
        [_sheet(write_sheet, "d,สำนักงานทดสอบ,2565,pmqa-2562,consensus,2.2,55,,ตกลงร่วมกัน")]
    )
    assert _items(consensus_only) == {"2.1": 60.0, "2.2": 55.0}
    assert _basis(consensus_only) == {"2.1": "median", "2.2": "consensus"}
    # the agreed rows take no part in the rule over the assessors' values
    assert sheets.bands["assessor"].tolist()[-2:] == ["consensus", "consensus"]


def test_the_rule_names_the_value_when_nothing_is_agreed(write_sheet):
    sheets = load_sheets([_sheet(write_sheet)])
    assert _basis(sheets) == {"2.1": "median", "2.2": "median"}
    table = item_basis(sheets, default_registry(), rule="mean")
    assert set(table["basis"]) == {"mean"}


def test_an_agreed_verdict_decides_its_check_and_the_rest_by_majority(write_sheet):
    lines = (GOLDEN / "pmqa40-status" / "checklist.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    assert first[5:9] == ["1.1", "basic", "1.1-b1", "ใช่"]
    agreed = ",".join([*first[:4], "", *first[5:8], "ไม่ใช่", "ฉันทามติ", "ไม่พบแผนฉบับลงนาม"])
    text = "\n".join([lines[0] + ",stage,reason", *(x + ",," for x in lines[1:]), agreed])
    sheets = load_sheets([write_sheet(text + "\n", "checks.csv")])
    before = load_sheets([GOLDEN / "pmqa40-status" / "checklist.csv"])
    assert _items(sheets)["1.1"] < _items(before)["1.1"]
    basis = _basis(sheets)
    assert basis["1.1"] == "majority"  # its other checks are the assessors' majority
    assert set(basis.values()) == {"majority"}


LABELS = {
    "site-visit": "คะแนนหลังการตรวจเยี่ยม (after the site visit)",
    "consensus": "คะแนนที่คณะกรรมการตกลง (agreed by the committee)",
    "median": "มัธยฐานของผู้ประเมิน (median of the assessors)",
    "mean": "ค่าเฉลี่ยของผู้ประเมิน (mean of the assessors)",
    "trimmed": "ค่าเฉลี่ยตัดค่าสูงสุดและต่ำสุดของผู้ประเมิน (trimmed mean of the assessors)",
    "majority": "เสียงข้างมากของผู้ประเมิน (majority of the assessors)",
    "figures": "ผลการดำเนินงานตามตัวชี้วัด (the indicators' results)",
}


def test_each_kind_of_panel_value_has_its_label_and_a_computed_one_is_never_consensus():
    assert {kind: basis_label(kind) for kind in BASIS} == LABELS
    for kind in ("median", "mean", "trimmed", "majority", "figures"):
        assert "ฉันทามติ" not in basis_label(kind) and "consensus" not in basis_label(kind)
    with pytest.raises(KeyError, match="the kinds are site-visit, consensus, median"):
        basis_label("average")


def _problems(write_sheet, *agreed: str) -> list[tuple[object, ...]]:
    _, problems = check_sheets([_sheet(write_sheet, *agreed)])
    return [(p.row, p.column, p.found, str(p)) for p in problems]


def test_an_agreed_value_off_the_scale_is_refused(write_sheet):
    got = _problems(write_sheet, "d,สำนักงานทดสอบ,2565,pmqa-2562,,2.1,72,consensus,ตกลง")
    assert got == [
        (
            8,
            "percent",
            "'72'",
            "stages.csv, row 8, column 'percent': found '72'; expected a number from 0 to 100 "
            "in steps of 5.",
        )
    ]


def test_two_agreed_values_for_one_item_and_stage_are_refused(write_sheet):
    got = _problems(
        write_sheet,
        "d,สำนักงานทดสอบ,2565,pmqa-2562,consensus,2.1,55,,ตกลง",
        "d,สำนักงานทดสอบ,2565,pmqa-2562,สมชาย,2.1,60,ฉันทามติ,ตกลง",
        "d,สำนักงานทดสอบ,2565,pmqa-2562,,2.1,65,site-visit,พบหลักฐาน",
    )
    message = (
        "stages.csv, row {row}, column 'percent': found 55 / ตกลง, 60 / ตกลง; expected one "
        "agreed value per หัวข้อ (item) and stage (consensus). d 2565 pmqa-2562, assessor "
        "consensus, item 2.1: given more than once with different values in 'percent'."
    )
    assert got == [
        (8, "percent", "55 / ตกลง, 60 / ตกลง", message.format(row=8)),
        (9, "percent", "55 / ตกลง, 60 / ตกลง", message.format(row=9)),
    ]


def test_an_agreed_verdict_on_a_check_the_framework_lacks_is_refused(write_sheet):
    header = "agency_id,agency_name,year,framework,assessor,item,level,check,met,stage,reason\n"
    row = "g40,หน่วยงานทดสอบ 4.0,2565,pmqa40-status,,1.1,basic,1.1-b9,ใช่,consensus,ตกลง\n"
    _, problems = check_sheets([Path(write_sheet(header + row, "checks.csv").name)])
    assert [str(p) for p in problems] == [
        "checks.csv, row 2, column 'check': found '1.1-b9'; expected a check id of that item "
        "in pmqa40-status. Did you mean '1.1-b1' or '1.1-b2' or '1.1-b3'?"
    ]


def test_a_word_that_is_no_stage_is_refused(write_sheet):
    got = _problems(write_sheet, "d,สำนักงานทดสอบ,2565,pmqa-2562,A,2.1,55,agree,ตกลง")
    assert got == [
        (
            8,
            "stage",
            "'agree'",
            "stages.csv, row 8, column 'stage': found 'agree'; expected independent, consensus "
            "or site-visit (อิสระ, ฉันทามติ, ตรวจเยี่ยม), or an empty cell.",
        )
    ]


def test_an_agreed_value_outside_the_assessors_range_without_a_reason_is_flagged(write_sheet):
    sheets, problems = check_sheets(
        [
            _sheet(
                write_sheet,
                "d,สำนักงานทดสอบ,2565,pmqa-2562,,2.1,80,consensus,",
                "d,สำนักงานทดสอบ,2565,pmqa-2562,,2.2,45,consensus,ผลลัพธ์ยังไม่ครอบคลุม",
            )
        ]
    )
    assert problems == []
    assert [str(p) for p in unexplained(sheets)] == [
        "stages.csv, row 8, column 'percent': found the agreed value 80 of item 2.1, outside "
        "the assessors' 50 to 70, with no reason; expected a reason in the reason column "
        "(เหตุผล). The committee says why it agreed a value no assessor gave."
    ]
    set_language("th")
    assert str(unexplained(sheets)[0]).startswith("stages.csv")
    assert "ค่าที่ตกลง 80 ของหัวข้อ 2.1 อยู่นอกช่วงของผู้ประเมิน (50 ถึง 70)" in str(unexplained(sheets)[0])
