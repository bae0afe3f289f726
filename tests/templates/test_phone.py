"""The index on a phone (390 px wide) in a real browser: Thai lines break only between words,
every total is on the screen in one column, and each row links its PDF and feedback."""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize

from evalkit.runner.publish.pages import write_index

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("Chromium is not installed (CI installs it)", allow_module_level=True)
pytestmark = pytest.mark.slow

NAMES = (
    "สำนักงานพัฒนาชุมชนจังหวัดตราด",
    "สำนักงานเกษตรและสหกรณ์จังหวัดตราด",
    "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดตราด",
    "องค์การบริหารส่วนจังหวัดตราดกับการมีส่วนร่วมของประชาชนในพื้นที่",
    "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดตราด",
)
#: Where each line of an element's text starts: the offsets of its line breaks. Thai marks
#: above and below a letter (which sit higher or lower than the line) are left out.
LINE_BREAKS = """el => {
  const out = [], range = document.createRange(), walker = document.createTreeWalker(el, 4);
  let offset = 0, last = null, node;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.length; i++, offset++) {
      const c = node.data.charCodeAt(i);
      if (c === 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E)) continue;
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      const middle = box.top + box.height / 2;
      if (last !== null && middle > last + 8) out.push(offset);
      last = middle;
    }
  }
  return [el.textContent, out];
}"""


@cache
def _dictionary() -> frozenset[str]:
    return frozenset(thai_words())


def _words(text: str) -> bool:
    """``text`` is one or more dictionary words (or not Thai at all)."""
    return all(w in _dictionary() or not w.strip() or w.isascii() for w in word_tokenize(text))


def between_words(text: str, at: int) -> bool:
    """A line may break at ``at``: at a space, or where the text on both sides (up to the
    nearest spaces) reads as whole dictionary words. Compounds that pythainlp keeps as one
    word, such as เกษตรและสหกรณ์, may break between their words, as the browser's
    dictionary does; a break inside a syllable or a word never passes."""
    if text[at - 1 : at + 1].strip() != text[at - 1 : at + 1]:
        return True
    start = max(text.rfind(" ", 0, at) + 1, 0)
    end = text.find(" ", at)
    end = len(text) if end < 0 else end
    return _words(text[start:at]) and _words(text[at:end])


def _entries(out: Path) -> list[dict]:
    entries = []
    for n, name in enumerate(NAMES):
        href = f"a{n}/pmqa-2562/2565.html"
        entries.append(
            {
                "kind": "agency",
                "agency_id": f"a{n}",
                "agency_name": name,
                "year": 2565,
                "framework": "pmqa-2562",
                "status": "ok",
                "href": href,
                "points": 312.5 + n,
                "max_points": 500,
                "rendered_at": "2022-11-21T17:03:00+07:00",
            }
        )
        (out / href).parent.mkdir(parents=True)
        (out / href).write_text("page", encoding="utf-8")
    (out / "a0/pmqa-2562/2565.pdf").write_bytes(b"%PDF-1.7")
    feedback = out / "feedback" / "a1" / "pmqa-2562-2565-feedback.html"
    feedback.parent.mkdir(parents=True)
    feedback.write_text("feedback", encoding="utf-8")
    return entries


def test_the_break_rule_tells_words_from_the_middle_of_a_word():
    text = "สำนักงานเกษตรและสหกรณ์จังหวัดตราด"
    assert between_words(text, text.index("จังหวัด"))
    assert between_words(text, text.index("และ"))
    assert not between_words(text, text.index("ดตราด"))  # จังหวั|ด
    assert not between_words(text, len(text) - 1)  # ตรา|ด
    assert not between_words(text, text.index("ักงาน"))  # สำน|ักงาน


def test_the_index_on_a_phone(tmp_path):
    from playwright.sync_api import sync_playwright

    index = write_index(tmp_path, _entries(tmp_path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        page.goto(index.as_uri())
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        totals = page.locator(".ek-index tbody td:nth-child(5)")
        boxes = [totals.nth(i).bounding_box() for i in range(totals.count())]
        assert len(boxes) == len(NAMES)
        assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes), boxes
        assert len({round(b["x"]) for b in boxes}) == 1  # one column, on the screen
        breaks = 0
        for link in page.locator(".ek-index tbody td:first-child a:first-child").all():
            text, offsets = link.evaluate(LINE_BREAKS)
            breaks += len(offsets)
            assert [at for at in offsets if not between_words(text, at)] == [], text
        assert breaks >= 3  # the names are long enough to wrap on a phone
        assert page.locator("a.ek-file", has_text="PDF").get_attribute("href") == (
            "a0/pmqa-2562/2565.pdf"
        )
        feedback = page.locator("a.ek-file", has_text="feedback")
        assert feedback.count() == 1
        assert feedback.get_attribute("href") == "feedback/a1/pmqa-2562-2565-feedback.html"
        browser.close()
