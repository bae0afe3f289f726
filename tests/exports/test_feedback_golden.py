"""The feedback document of the sample's consensus cycle, whole: the meeting workbook written
by ``evalkit consensus``, edited as the secretary edits it in Excel (typed cells, a drop-down
choice, drafts left alone, a row deleted), given back to ``evalkit feedback``; the document's
text is compared with its golden file (``tests/golden/feedback-cycle/``), the date it was
made blanked. A change meant to be made is written with ``python tests/golden_feedback.py``
(see its docstring for the edits); read the diff before committing it."""

from __future__ import annotations

import pytest
from golden_feedback import CYCLES, Cycle, cycle_document, document_text, golden, normalise


@pytest.mark.parametrize("cycle", CYCLES, ids=lambda c: c.name)
def test_the_feedback_document_of_a_consensus_cycle_is_its_golden_text(tmp_path, cycle: Cycle):
    text = cycle_document(cycle, tmp_path)
    expected = golden(cycle).read_text(encoding="utf-8")
    assert text.splitlines() == expected.splitlines(), (
        f"{golden(cycle).name} differs: if the change is meant, run python tests/golden_feedback.py"
    )
    assert text.count("DATE") == 1  # only the date line is blanked
    assert "ผู้ประเมิน 1" not in text and "[ร่าง]" not in text  # no assessor named, no draft mark


def test_the_document_text_is_what_a_reader_sees_and_only_its_date_is_blanked():
    html = (
        "<html><head><title>t</title><style>p{}</style></head><body><h1>หัว &amp; ท้าย</h1>"
        "<table><tr><th>วันที่จัดทำ (date)</th><td>3 ธันวาคม 2569</td></tr>"
        "<tr><th>ปี</th><td>2565</td></tr></table><script>x()</script>"
        "<ul><li>ก<br>ข</li></ul></body></html>"
    )
    assert normalise(document_text(html)) == ("หัว & ท้าย\nวันที่จัดทำ (date) | DATE\nปี | 2565\nก\nข\n")
