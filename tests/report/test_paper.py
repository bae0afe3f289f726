"""The PMQA 4.0 status page on paper: printed by Chromium, it leads with a summary of at most
two A4 pages (the total against its targets, the categories, the agreed unmet checks that
matter most, the path to the target) and the appendix starts on a new page after it."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from helpers import ROOT

from evalkit.cli.main import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if (CHROMIUM is None or shutil.which("pdftotext") is None) and not os.environ.get("CI"):
    pytest.skip("no Chromium or poppler here (CI installs them)", allow_module_level=True)
pytestmark = pytest.mark.slow

#: The page of its appendix on which a summary of two pages is followed.
APPENDIX_PAGE = 3
#: The status page printed 39 A4 pages before its appendix printed compactly.
BEFORE = 39


def _page_text(pdf, number: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(done.stdout.split())


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def test_the_status_page_prints_a_two_page_summary_then_the_appendix(tmp_path):
    out = tmp_path / "reports"
    params = str(ROOT / "params" / "trat-province.yaml")
    assert main(["run", params, "--out", str(out), "--pdf", "--quiet", "--no-portfolio"]) == 0
    pdf = out / "trat-province" / "pmqa40-status" / "2564.pdf"
    first, second, third = (_page_text(pdf, n) for n in (1, 2, APPENDIX_PAGE))
    summary = first + " " + second
    assert "สำนักงานจังหวัดตราด" in first and "328.88" in first
    for part in (
        "(Summary)",
        "(Categories against targets)",
        "(The agreed unmet checks that matter most)",
        "(The path to the target)",
    ):
        assert part in summary, part
    assert "(Appendix: the detail)" not in summary
    assert "(Appendix: the detail)" in third  # from a new page, after the contents
    assert "เป้าหมายคะแนนสถานะไม่น้อยกว่า 350 คะแนน" in summary
    assert _pages(pdf) < BEFORE * 3 // 4  # the appendix prints compactly


def test_thai_digits_in_a_printed_pdf_and_its_page_numbers(tmp_path):
    from evalkit.core.page import page
    from evalkit.runner.publish.pdf import write_pdfs

    html = tmp_path / "a1" / "2565.html"
    html.parent.mkdir()
    html.write_text(page("สำนักงาน พ.ศ. 2565", "<p>คะแนนรวม 312.50 จาก 500</p>"), encoding="utf-8")
    written = write_pdfs(tmp_path, thai_digits=True).written
    assert written == [html.with_suffix(".pdf")]
    text = _page_text(written[0], 1)
    assert "คะแนนรวม ๓๑๒.๕๐ จาก ๕๐๐" in text
    assert "หน้า ๑ / ๑" in text and "พ.ศ. ๒๕๖๕" in text  # the footer: page and title
    assert html.read_text(encoding="utf-8").count("312.50") == 1  # the page itself is kept


def test_a_params_file_asks_for_its_page_in_thai_numerals(tmp_path):
    from helpers import SAMPLE

    params = tmp_path / "trat-cdd.yaml"
    params.write_text(
        f"agency_id: trat-cdd\nframework: pmqa-2562\nyears: [2565]\n"
        f"data: ['{SAMPLE}/pmqa-2562_2565_*']\nparameters: {{thai_digits: true}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    assert main(["run", str(params), "--out", str(out), "--quiet", "--no-portfolio"]) == 0
    html = (out / "trat-cdd" / "pmqa-2562" / "2565.html").read_text(encoding="utf-8")
    assert "คะแนนรวม (total) <strong>๕๖๔.๗๕</strong>" in html
    assert "ปี พ.ศ. ๒๕๖๕" in html and 'href="#' in html  # links and anchors are kept
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2565" in index  # the index is for the screen: its numbers stay as they are
