"""The ledger keeps each stage's rows side by side: the meeting's agreed values, the site
visit's and each assessor's own; a newer file replaces the rows of its own stage only, and the
precedence (site visit, then the meeting, then the framework's rule) picks each item's value.

Golden (tests/golden/feedback/sheet.csv): 1.1 percents 45, 65, 70 (median 65); 1.2 percents
50, 50, 55 (median 50). The meeting agrees 60 for 1.1 (with a reason) and 55 for 1.2; the site
visit raises 1.1 to 70.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import FEEDBACK, edit_meeting, item_section

from evalkit.cli.main import main
from evalkit.core.errors import LedgerError
from evalkit.sheets.ledger import Ledger
from evalkit.sheets.ledgerschema import SCHEMA_VERSION

LEDGERS = Path(__file__).parent / "ledgers"
NAME = "สำนักงาน <ทดสอบ> & คณะ"
VISIT_HEADER = "agency_id,agency_name,year,framework,assessor,stage,item,percent,reason\n"
AFTER_VISIT = "คะแนนหลังการตรวจเยี่ยม (after the site visit)"
AGREED = "คะแนนที่คณะกรรมการตกลง (agreed by the committee)"


def _visit(tmp_path: Path, percent: int, name: str = "site-visit.csv") -> Path:
    path = tmp_path / name
    path.write_text(
        VISIT_HEADER + f"fbk,{NAME},2565,pmqa-2562,ฉันทามติ,ตรวจเยี่ยม,1.1,{percent},"
        "พบหลักฐานการถ่ายทอดครบเมื่อตรวจเยี่ยม\n",
        encoding="utf-8",
    )
    return path


def _meeting(tmp_path: Path, second: int = 55, name: str = "meeting.xlsx") -> Path:
    out = tmp_path / name
    assert main(["consensus", str(FEEDBACK), "--out", str(out), "--quiet"]) == 0
    reason = "การถ่ายทอดสู่การปฏิบัติยังไม่ครบทุกหน่วย"
    edits = {"1.1": {"agreed_percent": 60, "reason": reason}, "1.2": {"agreed_percent": second}}
    if second > 55:
        edits["1.2"]["reason"] = "คณะกรรมการพบหลักฐานเพิ่มเติมในที่ประชุม"
    return edit_meeting(out, "fbk 2565", edits)


def _ingest(ledger: Path, capsys, *files: Path) -> list[str]:
    capsys.readouterr()
    assert main(["ingest", *map(str, files), "--ledger", str(ledger)]) == 0
    return capsys.readouterr().out.splitlines()


def _items(ledger: Path, tmp_path: Path, capsys) -> dict[str, float]:
    out = tmp_path / "scores.csv"
    assert main(["score", str(ledger), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    lines = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    cells = [line.split(",") for line in lines]
    return {c[5]: float(c[6]) for c in cells if c[4] == "item"}


def _feedback(ledger: Path, tmp_path: Path, capsys) -> str:
    out = tmp_path / "feedback"
    assert main(["feedback", str(ledger), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    return (out / "fbk" / "pmqa-2562-2565-feedback.html").read_text(encoding="utf-8")


def _history(ledger: Path, capsys) -> list[str]:
    capsys.readouterr()
    assert main(["history", "fbk", "--ledger", str(ledger)]) == 0
    said = capsys.readouterr().out.replace(f"{ledger.parent}/", "")
    return [line.split("  ", 1)[1] for line in said.splitlines()]


@pytest.mark.parametrize("visit_first", [False, True], ids=["meeting-then-visit", "visit-first"])
def test_the_meeting_and_the_site_visit_are_both_kept(tmp_path, capsys, visit_first):
    ledger = tmp_path / "ledger.sqlite"
    meeting, visit = _meeting(tmp_path), _visit(tmp_path, 70)
    first, second = (visit, meeting) if visit_first else (meeting, visit)
    _ingest(ledger, capsys, FEEDBACK)
    _ingest(ledger, capsys, first)
    (said,) = _ingest(ledger, capsys, second)
    # the meeting replaces the committee's text of the sheets only, never the site visit
    expected = "2 rows, 1 earlier rows" if second == meeting else "1 rows, 0 earlier rows"
    assert f"{expected} superseded" in said
    assert _items(ledger, tmp_path, capsys) == {"1.1": 70.0, "1.2": 55.0}
    page = _feedback(ledger, tmp_path, capsys)
    assert AFTER_VISIT in item_section(page, "1.1") and AGREED not in item_section(page, "1.1")
    assert AGREED in item_section(page, "1.2")
    assert "<strong>42.00</strong> จาก 60.00 (70.0%)" in item_section(page, "1.1")
    history = _history(ledger, capsys)
    assert "2565 pmqa-2562 consensus 1.1: new: 60  (meeting.xlsx)" in history
    assert "2565 pmqa-2562 site-visit 1.1: new: 70  (site-visit.csv)" in history
    assert "2565 pmqa-2562 consensus 1.2: new: 55  (meeting.xlsx)" in history
    assert not [line for line in history if "->" in line]  # no stage overwrote another


def test_a_stage_given_again_replaces_its_own_rows_only(tmp_path, capsys):
    ledger = tmp_path / "ledger.sqlite"
    _ingest(ledger, capsys, FEEDBACK, _meeting(tmp_path), _visit(tmp_path, 70))
    (said,) = _ingest(ledger, capsys, _visit(tmp_path, 75, "site-visit-corrected.csv"))
    assert "1 rows, 1 earlier rows superseded" in said
    assert _items(ledger, tmp_path, capsys) == {"1.1": 75.0, "1.2": 55.0}
    opened = Ledger.open_existing(ledger)
    stored = opened.stored()
    opened.close()
    assert sorted(stored.loc[stored["assessor"] == "consensus", "stage"]) == [
        "consensus",
        "consensus",
        "consensus",  # the golden sheet's own agreed text, kept beside the meeting's
        "site-visit",
    ]
    (said,) = _ingest(ledger, capsys, _meeting(tmp_path, 60, "meeting-corrected.xlsx"))
    assert "2 rows, 3 earlier rows superseded" in said  # the meeting's and the sheet's text
    assert _items(ledger, tmp_path, capsys) == {"1.1": 75.0, "1.2": 60.0}
    history = _history(ledger, capsys)
    assert "2565 pmqa-2562 site-visit 1.1: 70 -> 75  (site-visit-corrected.csv)" in history
    assert "2565 pmqa-2562 consensus 1.2: 55 -> 60  (meeting-corrected.xlsx)" in history
    assert len([line for line in history if "->" in line]) == 2


def _user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


@pytest.mark.parametrize("name", ["v1-meeting-then-visit", "v1-visit-then-meeting"])
def test_a_ledger_of_the_previous_version_is_migrated_when_opened(tmp_path, capsys, name):
    """Written by the previous evalkit (tests/sheets/ledgers/README.md): the meeting (1.1 60,
    1.2 50) and the site visit (1.1 70), one of them superseded by the other when ingested."""
    ledger = tmp_path / "ledger.sqlite"
    shutil.copyfile(LEDGERS / f"{name}.sqlite", ledger)
    assert _user_version(ledger) == 1
    assert _items(ledger, tmp_path, capsys) == {"1.1": 70.0, "1.2": 50.0}
    assert _user_version(ledger) == SCHEMA_VERSION
    page = _feedback(ledger, tmp_path, capsys)
    assert AFTER_VISIT in item_section(page, "1.1") and AGREED in item_section(page, "1.2")
    history = _history(ledger, capsys)
    assert "2565 pmqa-2562 site-visit 1.1: new: 70  (site-visit.csv)" in history
    assert not [line for line in history if "->" in line]
    with sqlite3.connect(ledger) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        current = db.execute("SELECT count(*) FROM rows WHERE superseded_by IS NULL")
        assert current.fetchone() == (12,)  # nothing superseded across stages any more
    # a newer meeting workbook now supersedes the meeting's rows, not the site visit's
    (said,) = _ingest(ledger, capsys, _meeting(tmp_path))
    assert "2 rows, 3 earlier rows superseded" in said  # its two values and the sheet's text
    assert _items(ledger, tmp_path, capsys) == {"1.1": 70.0, "1.2": 55.0}


def test_a_migration_that_cannot_finish_leaves_the_ledger_as_it_was(tmp_path, capsys):
    ledger = tmp_path / "ledger.sqlite"
    shutil.copyfile(LEDGERS / "v1-meeting-then-visit.sqlite", ledger)
    before = ledger.read_bytes()
    holder = sqlite3.connect(ledger, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another evalkit writing
    try:
        with pytest.raises(LedgerError, match="busy"):
            Ledger(ledger, busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ledger.read_bytes() == before and _user_version(ledger) == 1
    assert _items(ledger, tmp_path, capsys) == {"1.1": 70.0, "1.2": 50.0}
