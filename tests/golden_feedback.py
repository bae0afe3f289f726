"""The golden feedback documents of the sample's consensus cycle: the assessors' sheets, the
meeting workbook ``evalkit consensus`` writes, edited as the committee's secretary edits it in
Excel, then ``evalkit feedback``; each document's whole text (what a reader sees, block by
block) is compared with ``tests/golden/feedback-cycle/NAME.txt``.

``python tests/golden_feedback.py`` writes them again; read the diff before committing it.
:func:`normalise` blanks only the date the document was made.

The edits (see :data:`CYCLES`):

- PMQA 2562, ``trat-cdd`` 2565 (the sample's assessors' workbooks and self-assessment): 1.1
  chosen from the drop-down, ``70 (70-85%: เป็นระบบ บูรณาการ)``; 4.2 (assessors 50 to 70)
  typed 50 with a reason and the committee's strengths and improvement; 6.1 chosen as the
  band alone, ``50-65%: มีระบบ ถ่ายทอด เรียนรู้`` (50); 7.6's row deleted (the assessors'
  median stands); every other item left without an agreed value.
- PMQA 4.0 status, ``trat-province`` 2564 (the assessors' sheets and the indicators): check
  1.1-b1 chosen ``ใช่`` with a reason; 1.1-b2 typed ``ไม่ใช่`` with a reason, the committee's
  explanation and its evidence typed over the draft; 1.2-b3's row deleted; every other draft
  left alone (the assessors' text, never the committee's).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from helpers import GOLDEN, SAMPLE, edit_meeting

from evalkit.cli.main import main

CYCLE = GOLDEN / "feedback-cycle"
#: Blocks of a document: each starts a line of its text.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tr",
        "ul",
        "br",
    ]
)
_CELLS = frozenset({"td", "th"})
_HIDDEN = frozenset({"style", "script", "head", "template"})
_DATE_LINE = re.compile(r"^(วันที่จัดทำ \(date\) \| ).*$", re.MULTILINE)


@dataclass(frozen=True)
class Cycle:
    """One consensus cycle: the sheets, the meeting sheet edited and how."""

    name: str
    sheets: tuple[str, ...]
    sheet: str
    key: str
    edits: dict[str, dict[str, object]]
    delete: tuple[str, ...] = ()
    document: str = ""
    options: tuple[str, ...] = field(default=())


CYCLES = (
    Cycle(
        name="pmqa-2562-trat-cdd-2565",
        sheets=("pmqa-2562_2565_assessor-*.xlsx", "pmqa-2562_2565_self-assessment.csv"),
        sheet="trat-cdd 2565",
        key="item",
        edits={
            "1.1": {"agreed_percent": "70 (70-85%: เป็นระบบ บูรณาการ)"},
            "4.2": {
                "agreed_percent": 50,
                "reason": "การนำไปปฏิบัติยังไม่ครอบคลุมทุกกลุ่มงาน คณะกรรมการจึงให้ช่วงล่าง",
                "agreed_strength": "มีระบบรับฟังความต้องการของประชาชนผ่านหลายช่องทาง",
                "agreed_improvement": "ควรวิเคราะห์ข้อร้องเรียนเพื่อปรับปรุงบริการอย่างเป็นระบบ",
            },
            "6.1": {"agreed_percent": "50-65%: มีระบบ ถ่ายทอด เรียนรู้"},
        },
        delete=("7.6",),
        document="trat-cdd/pmqa-2562-2565-feedback.html",
        options=("--agency", "trat-cdd"),
    ),
    Cycle(
        name="pmqa40-status-trat-province-2564",
        sheets=("pmqa40-status_2564_assessor-*.csv", "pmqa40-status_2564_indicators.csv"),
        sheet="trat-province 2564 ข้อตรวจ",
        key="check",
        edits={
            "1.1-b1": {"agreed_met": "ใช่", "reason": "คณะกรรมการเห็นพ้องกับเสียงข้างมาก"},
            "1.1-b2": {
                "agreed_met": "ไม่ใช่",
                "reason": "ยังไม่พบการสื่อสารวิสัยทัศน์ถึงผู้ปฏิบัติทุกระดับ",
                "agreed_explanation": "การสื่อสารยังจำกัดอยู่ที่ผู้บริหารระดับกลาง",
                "agreed_evidence": "รายงานการประชุมผู้บริหาร ครั้งที่ 3/2564",
            },
        },
        delete=("1.2-b3",),
        document="trat-province/pmqa40-status-2564-feedback.html",
    ),
)


class _Text(HTMLParser):
    """The text a reader sees, one block a line, table cells separated by `` | ``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.hidden = 0
        self.cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.lines.append([])
        elif tag in _CELLS:
            if self.cell:
                self.lines[-1].append(" | ")
            self.cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden -= 1
        elif tag in _BLOCKS:
            self.lines.append([])
            self.cell = False

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines[-1].append(data)

    def text(self) -> str:
        joined = (" ".join("".join(parts).split()) for parts in self.lines)
        return "\n".join(line for line in joined if line) + "\n"


def document_text(html: str) -> str:
    """A document's visible text, block by block (no style, script or head)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text()


def normalise(text: str) -> str:
    """``text`` with the date it was made blanked."""
    return _DATE_LINE.sub(r"\1DATE", text)


def cycle_document(cycle: Cycle, folder: Path) -> str:
    """Run one cycle in ``folder``: the meeting workbook written, edited, given back with
    the sheets to ``evalkit feedback``; the document's text, normalised."""
    sheets = [str(p) for pattern in cycle.sheets for p in sorted(SAMPLE.glob(pattern))]
    meeting = folder / f"{cycle.name}-meeting.xlsx"
    argv = ["consensus", *sheets, "--out", str(meeting), *cycle.options, "--quiet"]
    if main(argv) != 0:
        raise RuntimeError(f"evalkit consensus failed for {cycle.name}")
    edit_meeting(meeting, cycle.sheet, cycle.edits, cycle.delete, cycle.key)
    out = folder / f"{cycle.name}-feedback"
    if main(["feedback", *sheets, str(meeting), "--out", str(out), "--quiet"]) != 0:
        raise RuntimeError(f"evalkit feedback failed for {cycle.name}")
    return normalise(document_text((out / cycle.document).read_text(encoding="utf-8")))


def golden(cycle: Cycle) -> Path:
    return CYCLE / f"{cycle.name}.txt"


if __name__ == "__main__":
    import tempfile

    CYCLE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for each in CYCLES:
            golden(each).write_text(cycle_document(each, Path(tmp)), encoding="utf-8")
            print(golden(each))
    sys.exit(0)
