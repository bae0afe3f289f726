"""The checklist and indicator sections of the agency report: checks not met and the Basic
check that blocks, the fewest checks to each target, self beside panel, indicator points and
trends; empty for frameworks without checklists; and the report notebook run on the kernel."""

from __future__ import annotations

import json
import re

import pytest
from helpers import GOLDEN, ROOT, SAMPLE

from evalkit.report.agency import AgencyReport
from evalkit.runner.engines.kernels import PapermillEngine
from evalkit.runner.engines.notebook import inject, read_notebook

FOLDER = GOLDEN / "pmqa40-status"
DATA = [str(FOLDER / n) for n in ("checklist.csv", "indicators.csv", "self.csv")]


@pytest.fixture(scope="module")
def status():
    return AgencyReport.load(DATA, "g40", 2565, "pmqa40-status")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_checks_not_met_name_the_blocking_basic_check(status):
    text = _text(status.unmet_checks_section().body)
    assert "ระดับ Below Basic: ต่ำกว่าระดับพื้นฐาน" in text
    assert "หัวข้อที่ยังไม่ผ่าน Basic ครบ: 1.2, 2.1, 2.4" in text
    assert (
        "ข้อตรวจที่ปิดกั้น (blocking check) 2.4-b1 : หัวข้อ 2.4 ยังไม่ผ่านข้อตรวจ Basic นี้ "
        "จึงไม่ได้คะแนนระดับ Advance และ Significance ที่ผ่านแล้ว 200.00 คะแนนของหัวข้อ"
    ) in text
    # the check's published text, its level descriptor, and the self explanation and evidence
    assert "ระบบการติดตามรายงานผลของตัวชี้วัด" in text and "(Open by default)" in text
    assert "self: รายงานติดตาม-2565.pdf" in text
    assert "<br>" in status.unmet_checks_section().body  # line breaks of the checklist kept


def test_the_path_to_each_target(status):
    text = _text(status.check_path_section().body)
    assert (
        "เป้าหมายคะแนนสถานะไม่น้อยกว่า 350 คะแนน · เกณฑ์ตัวอย่าง (ยังไม่ยืนยัน) (350.00 คะแนน; ปัจจุบัน 294.44): "
    ) in text
    assert "ต้องผ่านเพิ่มอย่างน้อย 2 ข้อ" in text and "ต้องผ่านเพิ่มอย่างน้อย 5 ข้อ" in text
    assert "404.86" in text and "361.11" in text


def test_self_beside_panel_for_checks_and_indicators(status):
    text = _text(status.checks_self_vs_panel().body)
    assert "2.4 500.00 Significance 0.00 Below Basic" in text
    assert "2.4-b1 ผ่าน (met) ไม่ผ่าน (not met) ต่างกัน" in text
    points = _text(status.indicator_points_section().body)
    assert "7.2 ระยะเวลารอคอย คณะ (panel) ยิ่งน้อยยิ่งดี (lower) 10.00 9.00" in points
    assert "ร้อยละความสำเร็จ (success) 500.00" in points
    chart = status.indicator_trend_chart()
    assert "7.1 ตัวชี้วัด ก: 2563 90, 2564 95, 2565 100" in chart.alt


def test_other_frameworks_get_no_checklist_sections():
    report = AgencyReport.load([str(SAMPLE / "pmqa-2562_2565_*")], "trat-nre", 2565, "pmqa-2562")
    for section in (
        report.unmet_checks_section,
        report.check_path_section,
        report.checks_self_vs_panel,
        report.indicator_points_section,
        report.indicator_trend_chart,
    ):
        assert section().body == ""


@pytest.mark.slow
def test_the_report_notebook_shows_the_status_sections():
    path = ROOT / "notebooks" / "agency_report.ipynb"
    values = {"data": DATA, "agency_id": "g40", "year": 2565, "framework": "pmqa40-status"}
    executed = PapermillEngine("evalkit", 120).execute(
        inject(read_notebook(path), values), path.parent
    )
    assert executed.error == ""
    text = json.dumps(executed.notebook, ensure_ascii=False)
    for expected in (
        "ข้อตรวจที่ยังไม่ผ่าน (Checks not met)",
        "ข้อตรวจที่ปิดกั้น (blocking check) 2.4-b1",
        "ข้อตรวจที่น้อยที่สุดสู่เป้าหมาย (Fewest checks to each target)",
        "ต้องผ่านเพิ่มอย่างน้อย 5 ข้อ",
        "ข้อตรวจ: ประเมินตนเองเทียบกับคณะผู้ประเมิน (Self and panel)",
        "คะแนนตัวชี้วัด (Indicator points)",
        "ผลตัวชี้วัดรายปี (indicator results by year)",
    ):
        assert expected in text
    assert "no self-assessment rows" not in text
