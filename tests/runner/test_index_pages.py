"""The index at scale, in a real browser: one page of rows at a time, search and sort over
every row, without a server."""

from __future__ import annotations

import os
import shutil

import pytest

from evalkit.runner.publish.pages import INDEX_PAGE, write_index

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("Chromium is not installed (CI installs it)", allow_module_level=True)
pytestmark = pytest.mark.slow


def _entry(n: int) -> dict:
    return {
        "kind": "agency",
        "agency_id": f"district-{n:04d}",
        "agency_name": f"สำนักงานอำเภอที่ {n}",
        "year": 2565,
        "framework": "pmqa-2562",
        "status": "ok",
        "href": f"district-{n:04d}/2565.html",
        "points": float((n * 37) % 250),
        "max_points": 500,
        "rendered_at": "2022-11-21 17:03:00",
    }


def test_a_large_index_pages_searches_and_sorts_every_row(tmp_path):
    from playwright.sync_api import sync_playwright

    path = write_index(tmp_path, [_entry(n) for n in range(250)])
    html = path.read_text(encoding="utf-8")
    assert html.count("<tr hidden ") == 250 - INDEX_PAGE  # laid out one page at a time
    assert 'href="district-0249/2565.html"' in html  # every row is in the file
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        rows = page.locator("table tbody tr")
        assert rows.count() == INDEX_PAGE
        assert "แสดง 1-100 จาก 250 รายการ" in page.inner_text(".ek-pager")
        page.click("text=ถัดไป (next)")
        page.click("text=ถัดไป (next)")
        assert rows.count() == 50 and rows.first.is_visible()
        assert page.inner_text("tbody tr:first-child td:nth-child(2)") == "district-0200"
        assert page.is_disabled("text=ถัดไป (next)")
        page.fill("#filter", "อำเภอที่ 237")  # a row of the last page, found from anywhere
        assert [r.inner_text() for r in rows.locator("td:nth-child(2)").all()] == ["district-0237"]
        page.fill("#filter", "")
        total = page.locator("th", has_text="คะแนนรวม")
        total.click()
        total.click()  # highest first, over all 250 rows, not only the page shown
        assert page.inner_text("tbody tr:first-child td:nth-child(5)").startswith("249.00")
        assert total.get_attribute("aria-sort") == "descending"
        browser.close()
    assert errors == []
