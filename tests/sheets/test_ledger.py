"""The ledger: ingest, re-ingest, supersede, history, and a killed ingest."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from helpers import BAND_HEADER, SAMPLE

from evalkit import InvalidInputError, load_sheets, score
from evalkit.cli.main import main
from evalkit.sheets.ledger import Ledger


def _sheet(tmp_path, name, first=50, assessor="A", agency="demo"):
    path = tmp_path / name
    path.write_text(
        BAND_HEADER + f"{agency},สำนักงานทดสอบ,2565,pmqa-2562,{assessor},2.1,{first}\n"
        f"{agency},สำนักงานทดสอบ,2565,pmqa-2562,{assessor},2.2,60\n",
        encoding="utf-8",
    )
    return path


def _count(path, table):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_ingest_twice_changes_nothing(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    first = ledger.ingest([_sheet(tmp_path, "a.csv")])
    again = ledger.ingest([_sheet(tmp_path, "a.csv")])
    assert [r.status for r in first + again] == ["ingested", "unchanged"]
    assert _count(tmp_path / "l.sqlite", "rows") == 2
    assert _count(tmp_path / "l.sqlite", "ingests") == 1


def test_corrected_file_supersedes_and_history_shows_the_change(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.ingest([_sheet(tmp_path, "a.csv"), _sheet(tmp_path, "b.csv", 40, assessor="B")])
    (result,) = ledger.ingest([_sheet(tmp_path, "a-corrected.csv", first=70)])
    assert (result.rows, result.superseded) == (2, 2)
    assert _count(tmp_path / "l.sqlite", "rows") == 6  # nothing deleted
    current = ledger.current().bands.set_index(["assessor", "item"])["percent"]
    assert current.to_dict() == {
        ("A", "2.1"): 70,
        ("A", "2.2"): 60,
        ("B", "2.1"): 40,
        ("B", "2.2"): 60,
    }
    history = ledger.history("demo")
    changed = history[history["before"] != ""]
    assert changed[["assessor", "what", "before", "after"]].values.tolist() == [
        ["A", "2.1", "50", "70"]
    ]
    assert changed["source_file"].iloc[0].endswith("a-corrected.csv")
    assert len(history[history["before"] == ""]) == 4  # first values of A and B


def test_invalid_file_stores_nothing(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAND_HEADER + "demo,x,2565,pmqa-2562,A,2.1,52\n", encoding="utf-8")
    with pytest.raises(InvalidInputError):
        ledger.ingest([_sheet(tmp_path, "a.csv"), bad])
    assert _count(tmp_path / "l.sqlite", "rows") == 0


def test_score_and_report_read_the_ledger_like_sheets(tmp_path, capsys):
    path = tmp_path / "l.sqlite"
    sample = sorted(SAMPLE.glob("*2564*"))
    assert main(["ingest", *map(str, sample), "--ledger", str(path)]) == 0
    from_ledger = score(load_sheets([path]))
    from_sheets = score(load_sheets(sample))
    pd.testing.assert_frame_equal(from_ledger, from_sheets)
    assert main(["history", "trat-cdd", "--ledger", str(path)]) == 0
    assert "2564 pmqa-2562 ผู้ประเมิน 1 1.1: new:" in capsys.readouterr().out


def test_killed_ingest_leaves_the_ledger_as_it_was(tmp_path):
    path = tmp_path / "l.sqlite"
    Ledger(path).ingest([_sheet(tmp_path, "a.csv")])
    big = tmp_path / "big.csv"
    lines = [
        f"agency-{n:05d},หน่วยงาน,2565,pmqa-2562,{a},{i},50\n"
        for n in range(3000)
        for a in "ABC"
        for i in ("2.1", "2.2")
    ]
    big.write_text(BAND_HEADER + "".join(lines), encoding="utf-8")
    script = (
        "import sys; from evalkit.sheets.ledger import Ledger; "
        "Ledger(sys.argv[1]).ingest([sys.argv[2]])"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(path), str(big)])
    journal = tmp_path / "l.sqlite-journal"
    deadline = time.monotonic() + 60
    while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the ingest finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    ledger = Ledger(path)  # opening rolls the interrupted transaction back
    assert ledger.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _count(path, "rows") == 2 and _count(path, "ingests") == 1
