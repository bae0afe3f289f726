"""Templates that read back after filling, and the frameworks command."""

from __future__ import annotations

import json
from importlib import resources

import openpyxl
import pandas as pd
import pytest
from helpers import GOLDEN

from evalkit import Registry, load_sheets, score
from evalkit.cli.main import main
from evalkit.exports.template import write_template


def _fill(path, values):
    """Fill every data row of every visible sheet the way an assessor would in Excel."""
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        if ws.sheet_state == "hidden":
            continue
        header = [c.value.split(" (")[1].rstrip(")") for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for cell, column in zip(row, header, strict=True):
                if column in values:
                    cell.value = values[column]
    book.save(path)


def test_xlsx_template_lists_every_check_and_reads_back_once_filled(tmp_path):
    path = tmp_path / "status.xlsx"
    assert write_template(Registry().get("pmqa40-status"), path) == [path]
    book = openpyxl.load_workbook(path)
    checklist, indicators = book["รายการตรวจ"], book["ตัวชี้วัด"]
    assert checklist.max_row - 1 == 160 and indicators.max_row - 1 == 6
    assert checklist["A1"].value == "รหัสหน่วยงาน (agency_id)"
    assert checklist.freeze_panes == "A2"
    header = {c.column_letter: c.value for c in checklist[1]}
    dropdowns = {
        header[str(dv.sqref).rstrip("0123456789:").rstrip("0123456789")[:1]]
        for dv in checklist.data_validations.dataValidation
    }
    assert dropdowns == {"เกณฑ์ (framework)", "ระดับ (level)", "ผ่าน (met)"}
    _fill(
        path,
        {
            "agency_id": "demo",
            "agency_name": "สำนักงานทดสอบ",
            "year": 2565,
            "assessor": "ผู้ประเมิน 1",
            "met": "ใช่",
            "indicator": "ตัวชี้วัดหลัก",
            "target": 100,
            "actual": 103,
            "direction": "higher",
        },
    )
    result = score(load_sheets([path])).set_index(["level", "key"])
    assert result.loc[("total", "total"), "points"] == pytest.approx((500 * 6 + 400) / 7, abs=1e-4)
    assert result.loc[("category", "1"), "label"] == "Significance"


def test_an_untouched_indicators_sheet_beside_a_filled_checklist_is_ignored(tmp_path):
    path = tmp_path / "status.xlsx"
    write_template(Registry().get("pmqa40-status"), path)
    book = openpyxl.load_workbook(path)
    checklist = book["รายการตรวจ"]
    header = [c.value for c in checklist[1]]
    assert header[-3:] == [
        "คำอธิบายผลการประเมิน (explanation)",
        "หลักฐาน (evidence)",
        "คำอธิบายระดับ (level_text)",
    ]
    rows = {r[header.index("ข้อตรวจ (check)")].value: r for r in checklist.iter_rows(min_row=2)}
    descriptor = rows["2.4-b1"][header.index("คำอธิบายระดับ (level_text)")].value
    assert descriptor.startswith("- การติดตามรายงานผลการดำเนินการตามแผน")
    values = {
        "agency_id": "demo",
        "agency_name": "ทดสอบ",
        "year": 2565,
        "assessor": "1",
        "met": "ใช่",
    }
    names = [h.split(" (")[1].rstrip(")") for h in header]
    for row in checklist.iter_rows(min_row=2):
        for column, value in values.items():
            row[names.index(column)].value = value
    book.save(path)
    result = score(load_sheets([path])).set_index(["level", "key"])
    assert result.loc[("total", "total"), "points"] == 500
    assert result.loc[("category", "7"), "label"] == "absent"


def test_csv_template_per_form_and_band_template_reads_back(tmp_path):
    written = write_template(Registry().get("pmqa40-status"), tmp_path / "s.csv")
    assert [p.name for p in written] == ["s-checklist.csv", "s-indicators.csv"]
    band = write_template(Registry().get("pmqa-2562"), tmp_path / "band.csv")[0]
    frame = pd.read_csv(band, encoding="utf-8-sig", dtype=str)
    assert frame["หัวข้อ (item)"].tolist()[:3] == ["1.1", "1.2", "2.1"] and len(frame) == 18
    frame = frame.fillna("").assign(
        **{
            "รหัสหน่วยงาน (agency_id)": "demo",
            "ชื่อหน่วยงาน (agency_name)": "ทดสอบ",
            "ปี พ.ศ. (year)": "๒๕๖๕",
            "ผู้ประเมิน (assessor)": "1",
            "ร้อยละ (percent)": "50",
        }
    )
    frame.to_csv(band, index=False, encoding="utf-8-sig")
    result = score(load_sheets([band]))
    assert result.iloc[-1]["points"] == 500


def test_frameworks_list_show_and_check(tmp_path, capsys):
    assert main(["frameworks"]) == 0
    listed = capsys.readouterr().out
    for framework_id in (
        "pmqa-2562",
        "pmqa40-status",
        "cdd-clean",
        "cdd-policy-2564",
        "cdd-policy-2565",
        "lertrat-participatory",
        "women-fund",
    ):
        assert framework_id in listed
    assert main(["frameworks", "show", "pmqa40-status", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["checklist_points"] == {"basic": 300, "advance": 100, "significance": 100}
    assert main(["frameworks", "show", "pmqa-2026"]) == 1
    assert "Did you mean 'pmqa-2562'?" in capsys.readouterr().err


def test_frameworks_check_lists_every_problem(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        """
id: broken
max_points: 100
scoring: {method: band-percent, aggregate: sum, consensus: median}
bands: [[0, 10], [5, 25]]
rules:
  - {id: too-high, level: total, min_points: 150}
categories:
  - key: "1"
    name: {th: หนึ่ง, en: One}
    items:
      - {key: "1.1", points: 30}
      - {key: "1.1", points: 30, method: magic}
""",
        encoding="utf-8",
    )
    assert main(["frameworks", "check", str(broken)]) == 1
    err = capsys.readouterr().err
    for expected in (
        "line 13, categories[1].items[1.1].key: found '1.1', given on line 12 too",
        "line 13, categories[1].items[1.1].method: found 'magic'; expected one of band-percent",
        "line 5, bands[2]: found a band that starts at 5; expected bands in rising order",
        "line 7, rules[too-high].min_points: found 150; expected at most 100",
        "line 8, categories: found item points that add up to 60; expected item points that add "
        "up to max_points, 100",
    ):
        assert expected in err
    assert main(["frameworks", "check", str(GOLDEN / "frameworks" / "golden-mini.yaml")]) == 0


def test_a_project_framework_file_overrides_the_packaged_one(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    text = (resources.files("evalkit") / "frameworks" / "pmqa-2562.yaml").read_text("utf-8")
    folder.joinpath("pmqa-2562.yaml").write_text(
        text.replace("min_points: 400", "min_points: 480"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "rules.csv"
    assert (
        main(
            [
                "score",
                str(GOLDEN / "pmqa-2562" / "sheet.csv"),
                "--out",
                str(tmp_path / "s.csv"),
                "--rules",
                str(out),
            ]
        )
        == 0
    )
    rules = pd.read_csv(out, encoding="utf-8-sig").set_index("rule")
    assert rules.loc["award", "threshold"] == 480 and rules.loc["award", "shortfall"] == 5.5


def test_score_says_which_categories_are_absent(tmp_path, capsys):
    assert (
        main(["score", str(GOLDEN / "cdd-clean" / "sheet.csv"), "--out", str(tmp_path / "s.csv")])
        == 0
    )
    assert "clean 2564 cdd-clean: categories 2, 3, 4 absent" in capsys.readouterr().err


def test_readme_example_sheets_score(tmp_path):
    from helpers import ROOT

    examples = sorted((ROOT / "data" / "examples").glob("*.csv"))
    assert len(examples) == 5
    out = tmp_path / "scores.csv"
    assert main(["score", *map(str, examples), "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert set(frame["framework"]) == {"pmqa-2562", "pmqa40-status", "cdd-clean"}
