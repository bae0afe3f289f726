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
    assert "สำนักงานจังหวัดตราด" in first and "327.69" in first
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
