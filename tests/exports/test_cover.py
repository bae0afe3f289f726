"""``evalkit feedback --cover FILE --thai-digits``: a dated cover note (ที่, วันที่, เรื่อง,
เรียน) first, numbers and dates in Thai numerals; a cover file with a wrong key is refused
by name."""

from __future__ import annotations

import re

from helpers import SAMPLE

from evalkit.cli.main import main

COVER = """\
number: ตร 0017/123
date: 2023-03-14
subject: ส่งรายงานป้อนกลับผลการประเมิน
to: ผู้อำนวยการสำนักงานพัฒนาชุมชนจังหวัดตราด
signer: ประธานคณะผู้ประเมิน
"""


def _feedback(tmp_path, *options: str) -> int:
    sheets = sorted(str(p) for p in SAMPLE.glob("pmqa-2562_2565_*"))
    out = ["--out", str(tmp_path / "feedback"), "--agency", "trat-cdd", "--year", "2565"]
    return main(["feedback", *sheets, *out, *options])


def test_a_cover_note_comes_first_with_its_date_in_thai(tmp_path):
    cover = tmp_path / "cover.yaml"
    cover.write_text(COVER, encoding="utf-8")
    assert _feedback(tmp_path, "--cover", str(cover), "--thai-digits") == 0
    page = (tmp_path / "feedback" / "trat-cdd" / "pmqa-2562-2565-feedback.html").read_text(
        encoding="utf-8"
    )
    start, end = page.index('<section class="ek-cover">'), page.index('<main class="ek-feedback">')
    assert start < end
    cover_note = page[start:end]
    for label, value in (
        ("ที่", "ตร ๐๐๑๗/๑๒๓"),
        ("วันที่", "๑๔ มีนาคม ๒๕๖๖"),
        ("เรื่อง", "ส่งรายงานป้อนกลับผลการประเมิน"),
        ("เรียน", "ผู้อำนวยการสำนักงานพัฒนาชุมชนจังหวัดตราด"),
    ):
        assert f"<tr><th>{label}</th><td>{value}</td></tr>" in cover_note
    assert "ประธานคณะผู้ประเมิน" in cover_note and "พ.ศ. ๒๕๖๕" in cover_note
    body = re.sub(r"<(script|style)\b.*?</\1>|<[^>]*>", " ", page[end:], flags=re.S)
    assert re.search(r"[0-9]", body) is None  # every number of the document in Thai
    assert "คะแนนรวม (total)" in body


def test_without_options_the_document_is_as_before(tmp_path):
    assert _feedback(tmp_path) == 0
    page = (tmp_path / "feedback" / "trat-cdd" / "pmqa-2562-2565-feedback.html").read_text(
        encoding="utf-8"
    )
    assert "ek-cover" not in page.split("</style>")[1] and "พ.ศ. 2565" in page


def test_a_cover_file_with_an_unknown_key_is_refused_by_name(tmp_path, capsys):
    cover = tmp_path / "cover.yaml"
    cover.write_text(COVER + "subjct: typo\n", encoding="utf-8")
    assert _feedback(tmp_path, "--cover", str(cover)) == 1
    err = capsys.readouterr().err
    assert "cover.yaml" in err and "subjct" in err and "subject" in err
    assert "Traceback" not in err and str(tmp_path) not in err
    assert not (tmp_path / "feedback").exists()


def test_a_cover_file_without_its_subject_is_refused(tmp_path, capsys):
    cover = tmp_path / "cover.yaml"
    cover.write_text("to: ผู้อำนวยการ\ndate: 14/03/2023\n", encoding="utf-8")
    assert _feedback(tmp_path, "--cover", str(cover)) == 1
    err = capsys.readouterr().err
    assert "subject" in err and "2023-03-14" in err
