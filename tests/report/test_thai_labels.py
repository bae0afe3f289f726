"""Report pages carry no English-only label: Thai first, English in parentheses."""

from __future__ import annotations

import re
from html import unescape

import pytest
from helpers import GOLDEN, ROOT, SAMPLE

from evalkit.report.agency import AgencyReport

THAI = re.compile("[\u0e00-\u0e7f]")
GOLDEN_40 = [str(GOLDEN / "pmqa40-status" / f) for f in ("checklist.csv", "indicators.csv")]


def english_only(body: str, data: set[str]) -> set[str]:
    """Text nodes with English words and no Thai that are not data from the sheets."""
    texts = {unescape(t).strip() for t in re.findall(r">([^<>]+)<", body)}
    return {
        t for t in texts if re.search("[A-Za-z]{2}", t) and not THAI.search(t) and t not in data
    }


def sections(report: AgencyReport) -> str:
    parts = [
        report.summary(),
        report.category_table(),
        report.rules_table(),
        report.gap_table(),
        report.trend_table(),
        report.indicator_section(),
        report.poverty_section(ROOT / "data" / "sample" / "poverty" / "trat-2565.csv"),
    ]
    if report.framework.bands:
        parts.append(report.what_if_table())
    return "".join(p.body for p in parts)


def _data(report: AgencyReport) -> set[str]:
    framework = report.framework
    names = {c.name_en for c in framework.categories} | {i.name_en for i in framework.items}
    indicators = set(report.sheets.indicators.get("indicator", []))
    return names | indicators | {framework.id, report.agency_id, "A", "B", "C", "F"}


@pytest.mark.parametrize(
    ("data", "agency", "year", "framework"),
    [
        ([str(SAMPLE / "*")], "trat-cdd", 2565, "pmqa-2562"),
        (GOLDEN_40, "g40", 2565, "pmqa40-status"),
    ],
)
def test_every_label_is_thai_first(data, agency, year, framework):
    report = AgencyReport.load(data, agency, year, framework)
    body = sections(report)
    assert english_only(body, _data(report)) == set()


def test_levels_directions_and_totals_are_shown_in_both_languages():
    report = AgencyReport.load(GOLDEN_40, "g40", 2565, "pmqa40-status")
    body = sections(report)
    assert "ไม่ได้ประเมิน (absent)" in body  # categories: absent, or points without a level
    assert re.search(r"ยิ่ง(มาก|น้อย)ยิ่งดี \((higher|lower)\)", body)
