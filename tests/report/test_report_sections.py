"""The analysis sections of the agency report and the portfolio, on the bundled sample."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT, SAMPLE

from evalkit.report.agency import AgencyReport
from evalkit.report.portfolio import PortfolioReport

DATA = [str(SAMPLE / "*")]


@pytest.fixture(scope="module")
def agriculture() -> AgencyReport:
    return AgencyReport.load(DATA, "trat-agriculture", 2565, "pmqa-2562")


def test_heatmap_marks_items_where_assessors_are_two_bands_apart(agriculture):
    body = agriculture.assessor_heatmap().body
    marked = re.findall(r'<tr class="ek-marked"><th scope="row">([^<]*)</th>', body)
    assert marked == ["4.2 *"]
    assert body.count('<th scope="col">') == 3  # one column per assessor, self left out
    assert body.count("<tr>") + body.count('<tr class="ek-marked">') == 1 + len(
        agriculture.framework.items
    )
    cell = r'<td style="background-color:(#[0-9a-f]{6});color:(#[0-9a-f]{6})">(\d+)</td>'
    shaded = re.findall(cell, body)
    assert shaded and all((ink == "#ffffff") == (int(v) > 60) for _, ink, v in shaded)
    darker = {int(v): bg for bg, _, v in shaded}  # a higher percent is a darker blue
    low, high = min(darker), max(darker)
    assert low < high and sum(bytes.fromhex(darker[high][1:])) < sum(bytes.fromhex(darker[low][1:]))
    assert "หัวข้อที่ผู้ประเมินต่างกันตั้งแต่ 2 ช่วง: 1 หัวข้อ" in agriculture.agreement_note().body


def test_self_assessment_against_the_panel(agriculture):
    body = agriculture.self_assessment_table().body
    assert "ประเมินตนเองสูงกว่า (over)" in body
    other = AgencyReport.load(DATA, "trat-agriculture", 2564, "pmqa-2562")
    assert "no self-assessment rows" in other.self_assessment_table().body


def test_what_if_lists_raises_and_the_path_to_a_threshold():
    report = AgencyReport.load(DATA, "trat-transport", 2562, "pmqa-2562")  # 350 of 1000
    body = report.what_if_table(3).body
    assert body.split("</table>")[0].count("<tr>") == 3  # three raises under the header
    assert "ทางที่สั้นที่สุดสู่" in body and "(400.00 คะแนน)" in body


def test_trends_and_sections_that_appear_only_with_data(agriculture):
    assert agriculture.category_trend_chart().alt.endswith("7 categories over 4 years")
    assert "เปลี่ยนจากปีก่อน (change)" in agriculture.trend_table().body
    assert agriculture.indicator_section().body == ""
    assert agriculture.poverty_section(None).body == ""
    poverty = agriculture.poverty_section(ROOT / "data" / "sample" / "poverty" / "trat-2565.csv")
    assert "457" in poverty.body and "689" in poverty.body and 'id="poverty"' in poverty.body
    for code, meaning in (
        ("A", "ผ่านเกณฑ์ครบทุกตัวชี้วัด"),
        ("C", "ยังไม่ผ่านเกณฑ์"),
        ("F", "ครัวเรือนที่ไม่สามารถช่วยเหลือ"),
    ):
        assert f"<b>{code}</b>: {meaning}" in poverty.body
    assert "<td>98.1</td>" in poverty.body  # A's share of households
    assert "<td>52 / 54</td>" in poverty.body  # A, survival menu: households / people
    assert "ครัวเรือนที่ต้องติดตาม ระดับ C, F, B: 9 ครัวเรือน 10 คน" in poverty.body
    assert poverty.body.count("<td>H04") == 9


def test_portfolio_ranks_every_agency():
    portfolio = PortfolioReport.load(DATA, "pmqa-2562", 2565)
    ranking = portfolio.ranking()
    assert len(ranking) == 9 and ranking["rank"].tolist()[0] == 1
    assert ranking["points"].is_monotonic_decreasing
    summary = portfolio.summary()._repr_mimebundle_()
    assert summary[1]["evalkit"] == {
        "kind": "portfolio",
        "framework": "pmqa-2562",
        "year": 2565,
        "agencies": 9,
    }
    assert "ผ่าน" in portfolio.ranking_table().body
    heat = portfolio.category_heatmap().body
    assert "<caption>ร้อยละรายหมวดของแต่ละหน่วยงาน" in heat
    assert heat.count('<th scope="row">') == 9 and "ek-marked" not in heat
    assert "9 agencies" in portfolio.distribution_chart().alt


def test_a_portfolio_counts_its_entries_by_what_the_award_ranks():
    """A Lert Rat portfolio ranks works (``award: {entry: work}``): its chart and summary
    count works, where a PMQA portfolio counts agencies."""
    data = [str(SAMPLE / "lertrat-participatory_*")]
    works = PortfolioReport.load(data, "lertrat-participatory", 2564)
    assert works.framework.award.entry == "work"
    chart = works.distribution_chart()
    assert "2 works" in chart.alt and "agencies" not in chart.alt
    assert chart.figure.axes[0].get_ylabel() == "จำนวนผลงาน (works)"
    assert "2 ผลงาน (works) ·" in works.summary().body
    agencies = PortfolioReport.load([str(SAMPLE / "pmqa-2562_*")], "pmqa-2562", 2565)
    assert agencies.distribution_chart().figure.axes[0].get_ylabel() == "จำนวนหน่วยงาน (agencies)"
    assert "9 หน่วยงาน (agencies) ·" in agencies.summary().body
