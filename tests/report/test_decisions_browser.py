"""The portfolio pages of the sample's women-fund and Lert Rat show the decision list per
award type, from the types the sheets carry, and Lert Rat's eligibility from the sheets' own
columns: rendered by ``evalkit run`` through a kernel and read in a real Chromium."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import CHROMIUM_FLAGS, CHROMIUM_PATH, ROOT

from evalkit.cli.main import main

if not Path(CHROMIUM_PATH).exists() and not os.environ.get("CI"):
    pytest.skip("Chromium is not installed (CI installs it)", allow_module_level=True)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("decisions") / "reports"
    params = [str(ROOT / "params" / f"{a}.yaml") for a in ("wdf-ko-kut", "wdf-muang-trat")]
    assert main(["run", *params, "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    return out / "portfolio" / "women-fund-2564.html"


@pytest.fixture(scope="module")
def lertrat(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("eligibility") / "reports"
    names = ("trat-province-participatory", "trat-local-participatory")
    params = [str(ROOT / "params" / f"{a}.yaml") for a in names]
    assert main(["run", *params, "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    return out / "portfolio" / "lertrat-participatory-2564.html"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    page.errors = errors
    return page


@pytest.fixture(scope="module")
def page(browser, portfolio):
    return _open(browser, portfolio)


def test_the_decision_list_is_there_per_award_type(page):
    assert page.errors == []
    tables = page.locator("table.ek-decision-list")
    assert tables.count() == 2
    kinds = {tables.nth(n).get_attribute("data-type") for n in range(2)}
    assert kinds == {"district-secretariat", "subdistrict-team"}
    headings = page.locator("h3.ek-decision-type").all_inner_texts()
    assert any("กลุ่มอาชีพ" not in h and "ตำบล/เทศบาลดีเด่น" in h for h in headings)
    assert any("อำเภอดีเด่น" in h for h in headings)
    for n in range(2):  # one entry in each type: first in its own type
        rows = tables.nth(n).locator("tbody tr")
        assert rows.count() == 1
        assert rows.locator('td[data-column="rank"]').inner_text() == "1"


def test_each_entry_says_its_level_conditions_and_path(page):
    secretariat = page.locator('table[data-type="district-secretariat"] tbody tr')
    assert secretariat.locator('td[data-column="level"]').inner_text() == "ไม่ได้รับรางวัล"
    assert secretariat.locator('td[data-column="eligible"]').inner_text() == "มีคุณสมบัติ"
    assert secretariat.locator('td[data-column="next_level"]').inner_text().startswith("ระดับชมเชย")
    path = secretariat.locator('td[data-column="path"]').inner_text()
    assert path.startswith("คะแนนรวมขาดอีก") and "ยกคะแนนขึ้น" in path
    team = page.locator('table[data-type="subdistrict-team"] tbody tr')
    assert team.locator('td[data-column="level"]').inner_text().startswith("ระดับดีเด่น")
    assert "เกณฑ์ตัวอย่าง (ยังไม่ยืนยัน)" in team.locator('td[data-column="level"]').inner_text()


def test_the_list_is_dated_in_the_buddhist_era_and_set_in_sarabun(page):
    note = page.locator(".ek-decisions p.ek-note").first.inner_text()
    year = re.search(r"จัดทำเมื่อ \d{1,2} \S+ (\d{4})", note)
    assert year and int(year[1]) >= 2567
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ผลการตัดสิน')")
    cell = page.locator("table.ek-decision-list td").first
    assert "Sarabun" in cell.evaluate("c => getComputedStyle(c).fontFamily")


def test_the_list_fits_the_width_of_an_a4_page_in_print(page):
    page.set_viewport_size({"width": 680, "height": 960})  # A4 less its margins, at 96 dpi
    page.emulate_media(media="print")
    widths = page.evaluate(
        "[...document.querySelectorAll('table.ek-decision-list')]"
        ".map(t => [t.scrollWidth, t.parentElement.clientWidth])"
    )
    page.emulate_media(media="screen")
    assert widths and all(table <= room for table, room in widths), widths


def test_the_lert_rat_page_screens_each_work_from_the_sheets(browser, lertrat):
    page = _open(browser, lertrat)
    assert page.errors == []
    row = 'table.ek-decision-list tbody tr:has(td[data-column="agency_id"]:text-is("{}"))'
    eligible = page.locator(row.format("trat-province-participatory"))
    assert eligible.locator('td[data-column="eligible"]').inner_text() == "มีคุณสมบัติ"
    assert eligible.locator('td[data-column="rank"]').inner_text() == "1"
    late = page.locator(row.format("trat-local-participatory"))
    assert late.locator('td[data-column="eligible"]').inner_text() == "ไม่มีคุณสมบัติ"
    assert late.locator('td[data-column="reason"]').inner_text() == (
        "ดำเนินการมาแล้วไม่น้อยกว่า 1 ปี ก่อนวันปิดรับสมัคร: ดำเนินการมา 120 วัน "
        "(ต้องไม่น้อยกว่า 365); มีผลลัพธ์หรือผลกระทบที่สำคัญ: ไม่ได้ระบุ (effect)"
    )
    assert "ไม่ได้ระบุ" not in eligible.inner_text()
