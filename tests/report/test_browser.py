"""Reports and the index in a real browser: headless Chromium driven by Playwright."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import pytest
from helpers import ROOT, SAMPLE

from evalkit.cli.main import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "build" / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("Chromium is not installed (CI installs it)", allow_module_level=True)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    params = []
    for agency in ("trat-cdd", "trat-land", "trat-transport"):
        path = folder / f"{agency}.yaml"
        path.write_text(
            f"agency_id: {agency}\nframework: pmqa-2562\nyears: [2565]\n"
            f"data: ['{SAMPLE}/pmqa-2562_2565_*']\n"
            + (
                f"poverty: {ROOT}/data/sample/poverty/trat-2565.csv\n"
                if agency == "trat-cdd"
                else ""
            ),
            encoding="utf-8",
        )
        params.append(str(path))
    out = folder / "reports"
    assert main(["run", *params, "--out", str(out), "--quiet", "--jobs", "2"]) == 0
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "Chromium must be installed: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None,
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    return page, errors, requests


def test_report_loads_offline_in_sarabun(browser, reports):
    page, errors, requests = _open(browser, reports / "trat-cdd" / "pmqa-2562" / "2565.html")
    assert errors == [] and requests == []
    assert page.evaluate("document.fonts.check('16px Sarabun', 'คะแนนรวม')")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Sarabun')"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.startswith('"Sarabun"') or family.startswith("Sarabun")
    assert page.locator("nav.ek-toc a").count() >= 8
    assert page.locator("img[alt]").count() == page.locator("img").count() >= 2
    heat = page.locator("table.ek-heat td").first  # the assessors' shaded table
    assert heat.evaluate("c => getComputedStyle(c).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.locator("text=สำนักงานพัฒนาชุมชนจังหวัดตราด").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-trat-cdd-2565.png"), full_page=True)
    assert (ARTIFACTS / "report-trat-cdd-2565.png").stat().st_size > 50_000


def test_index_sorts_and_filters(browser, reports):
    page, errors, requests = _open(browser, reports / "index.html")
    assert errors == [] and requests == []
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    first_id = "table tbody tr:first-child td:nth-child(2)"
    total = page.locator("th", has_text="คะแนนรวม")
    total.click()
    lowest = page.inner_text(first_id)
    total.click()
    highest = page.inner_text(first_id)
    assert (lowest, highest) == ("trat-transport", "trat-land")
    assert total.get_attribute("aria-sort") == "descending"
    page.fill("#filter", "ที่ดิน")
    visible = [r for r in rows.all() if r.is_visible()]
    assert [r.locator("td:nth-child(2)").inner_text() for r in visible] == ["trat-land"]
    page.click("text=pmqa-2562 พ.ศ. 2565")  # the portfolio page opens from the index
    assert "ภาพรวมหน่วยงาน" in page.inner_text("h1")


def test_bundle_holds_the_index_and_every_report(reports, tmp_path):
    out = tmp_path / "reports.zip"
    assert main(["bundle", "--reports", str(reports), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert {n.split("/")[0] for n in archive.namelist()} == {"reports"}  # one top folder
        names = {n.removeprefix("reports/") for n in archive.namelist()}
        archive.extractall(tmp_path / "unpacked")
    assert {
        "index.html",
        "trat-cdd/pmqa-2562/2565.html",
        "trat-land/pmqa-2562/2565.html",
        "portfolio/pmqa-2562-2565.html",
    } <= names
    assert not any(n.endswith((".json", ".lock", ".tmp")) for n in names)
    index = (tmp_path / "unpacked" / "reports" / "index.html").read_text(encoding="utf-8")
    for name in names - {"index.html"}:
        assert f'href="{name}"' in index


def _long_feedback_sheet(path: Path) -> None:
    """Every item of pmqa-2562, two assessors, comments of uneven length: many A4 pages."""
    from evalkit import Registry

    rows = [["agency_id", "agency_name", "year", "framework", "assessor", "item", "percent"]]
    rows[0] += ["strength", "improvement", "evidence"]
    for n, item in enumerate(Registry().get("pmqa-2562").items):
        for assessor, percent in (("ผู้ประเมิน 1", 45), ("ผู้ประเมิน 2", 65)):
            strengths = [
                f"จุดแข็งข้อ {k} ของหัวข้อ {item.key}: มีการวางแผนและติดตามผลอย่างเป็นระบบ"
                for k in range(1, 3 + n % 4)
            ]
            improvements = [f"ควรปรับปรุงข้อ {k}: ทบทวนผลทุกไตรมาส" for k in range(1, 2 + n % 3)]
            rows.append(
                [
                    *("print", "สำนักงานทดสอบการพิมพ์", "2565", "pmqa-2562", assessor, item.key),
                    *(str(percent), "\n".join(strengths), "\n".join(improvements)),
                    f"แผน-{item.key}.pdf\nรายงาน-{item.key}.pdf",
                ]
            )
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _last_lines(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [[line.strip() for line in p.splitlines() if line.strip()] for p in text.split("\f")]
    return [lines[-1] for lines in pages if lines]


def test_feedback_page_prints_on_a4_with_no_heading_at_a_page_foot(tmp_path):
    sheet = tmp_path / "long.csv"
    _long_feedback_sheet(sheet)
    assert main(["feedback", str(sheet), "--out", str(tmp_path / "out")]) == 0
    page = tmp_path / "out" / "print" / "pmqa-2562-2565-feedback.html"
    pdf = tmp_path / "feedback.pdf"
    _printed(page, pdf)
    lines = _last_lines(pdf)
    assert len(lines) >= 5  # long enough that page breaks fall among the items
    html_text = page.read_text(encoding="utf-8")
    headings = {
        unescape(re.sub(r"<[^>]+>", "", h)).strip()[:20]
        for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html_text)
    }
    stranded = [
        line
        for line in lines
        if any(line.startswith(h) for h in headings) or line.startswith("คะแนน (points)")
    ]
    assert stranded == [], f"headings left at the foot of a page: {stranded}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "feedback-a4.pdf")


PHONE = {"width": 390, "height": 844}


def _open_phone(browser, path: Path):
    page = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    return page


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_index_reads_on_a_phone_without_sideways_scrolling(browser, reports):
    page = _open_phone(browser, reports / "index.html")
    assert page.evaluate("window.innerWidth") == 390
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    table = page.locator("table").first  # the columns a phone needs fit the screen
    assert table.evaluate("t => t.getBoundingClientRect().right") <= 390
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "index-phone-390.png"), full_page=True)
    page.close()


def test_report_reads_on_a_phone_and_on_a_desktop(browser, reports):
    phone = _open_phone(browser, reports / "trat-cdd" / "pmqa-2562" / "2565.html")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    widths = phone.evaluate("[...document.images].map(i => i.getBoundingClientRect().width)")
    assert widths and max(widths) <= 390  # the charts scale down
    tables = phone.evaluate(
        "[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)"
    )
    assert tables and max(tables) <= 390
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "report-phone-390.png"), full_page=True)
    phone.close()
    desktop, _, _ = _open(browser, reports / "trat-cdd" / "pmqa-2562" / "2565.html")
    assert desktop.evaluate(NO_SIDEWAYS_SCROLL)
    assert desktop.locator("table").first.evaluate("t => getComputedStyle(t).display") == "table"
    desktop.screenshot(path=str(ARTIFACTS / "report-desktop-1100.png"), full_page=True)


def test_print_rules_keep_headings_with_what_follows(browser, reports):
    page, _, _ = _open(browser, reports / "trat-cdd" / "pmqa-2562" / "2565.html")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('h2')).breakAfter") == "avoid"
    assert page.evaluate("getComputedStyle(document.querySelector('img')).breakInside") == "avoid"
    assert page.locator("#filter").count() == 0  # (the report has no filter; the index does)


def test_a_page_of_the_report_pdf_as_a_picture(reports, tmp_path):
    """The first page of the report's PDF, rasterised: A4 proportions, and not blank."""
    import pypdfium2

    assert main(["pdf", str(reports)]) == 0
    document = pypdfium2.PdfDocument(reports / "trat-cdd" / "pmqa-2562" / "2565.pdf")
    picture = document[0].render(scale=1.5).to_pil().convert("L")
    width, height = picture.size
    assert abs(width / height - 210 / 297) < 0.01
    dark = picture.histogram()[:128]
    dark = sum(dark)
    assert dark > 0.01 * width * height  # text and tables, not an empty page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    picture.save(ARTIFACTS / "report-trat-cdd-2565-pdf-page1.png")


def _printed(page: Path, pdf: Path) -> str:
    """The page printed to an A4 PDF by Chromium, as pdftotext reads it."""
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            *FLAGS,
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_feedback_document_prints_on_a4_naming_no_assessor(tmp_path):
    """The sample's trat-cdd of 2565 with the committee's stage: printed, the committee's
    text is there, the site visit's score named, and no assessor's name, unless asked."""
    sheets = [str(p) for p in sorted(SAMPLE.glob("pmqa-2562_2565_*"))]
    chosen = ["--agency", "trat-cdd", "--year", "2565"]
    assert main(["feedback", *sheets, *chosen, "--out", str(tmp_path / "sent")]) == 0
    own = ["feedback", *sheets, *chosen, "--with-assessors", "--out", str(tmp_path / "kept")]
    assert main(own) == 0
    name = Path("trat-cdd") / "pmqa-2562-2565-feedback.html"
    sent = _printed(tmp_path / "sent" / name, tmp_path / "sent.pdf")
    kept = _printed(tmp_path / "kept" / name, tmp_path / "kept.pdf")
    assessors = ("ผู้ประเมิน 1", "ผู้ประเมิน 2", "ผู้ประเมิน 3")
    assert [a for a in assessors if a in sent] == []
    assert all(a in kept for a in assessors)  # the committee's file names them
    flat = re.sub(r"\s+", "", sent)
    assert "ควรขยายผลการทบทวนกระบวนการไปสู่เครือข่ายชุมชนท่องเที่ยวทุกแห่ง" in flat
    assert "คะแนนหลังการตรวจเยี่ยม" in flat and "ฉันทามติ" not in flat
