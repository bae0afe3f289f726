"""Dates people read are Buddhist era, in Thai, in Bangkok time; machine files keep ISO."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime

import pytest
from helpers import GOLDEN

from evalkit.cli.main import main
from evalkit.core.dates import now_iso, read_date, thai_datetime
from evalkit.runner.publish.pages import write_index

THAI_DATE = re.compile(r"\d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d")


def test_thai_form_buddhist_era_bangkok_time():
    assert thai_datetime("2026-11-21T10:03:00+00:00") == "21 พ.ย. 2569 17:03"
    assert thai_datetime(datetime(2026, 1, 1, 0, 30, tzinfo=UTC)) == "1 ม.ค. 2569 07:30"
    assert thai_datetime("2026-12-31T20:00:00+00:00") == "1 ม.ค. 2570 03:00"  # next day there
    assert thai_datetime("") == "" and thai_datetime(None) == ""
    assert thai_datetime("not a date") == "not a date"


def test_machine_timestamps_are_iso_with_offset():
    stamp = now_iso()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", stamp)
    assert datetime.fromisoformat(stamp).utcoffset().total_seconds() == 7 * 3600


def test_index_shows_buddhist_era_dates_and_sorts_by_iso(tmp_path):
    entry = {
        "agency_id": "trat-cdd",
        "agency_name": "สำนักงานพัฒนาชุมชนจังหวัดตราด",
        "year": 2565,
        "framework": "pmqa-2562",
        "status": "ok",
        "href": "trat-cdd/2565.html",
        "points": 554.75,
        "max_points": 1000,
        "rendered_at": "2026-11-21T17:03:09+07:00",
    }
    page = write_index(tmp_path, [entry]).read_text(encoding="utf-8")
    assert '<td data-sort="2026-11-21T17:03:09+07:00">21 พ.ย. 2569 17:03</td>' in page
    assert "สำเร็จ (ok)" in page  # the status too is Thai first
    assert "2026-11-21 17:03" not in page


def test_history_shows_thai_dates_while_the_ledger_keeps_iso(tmp_path, capsys):
    ledger = tmp_path / "ledger.sqlite"
    sheet = str(GOLDEN / "pmqa-2562" / "sheet.csv")
    assert main(["ingest", sheet, "--ledger", str(ledger)]) == 0
    capsys.readouterr()
    assert main(["history", "golden", "--ledger", str(ledger)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(THAI_DATE.match(line) for line in lines), lines[:3]
    (stamp,) = sqlite3.connect(ledger).execute("SELECT ingested_at FROM ingests").fetchone()
    assert datetime.fromisoformat(stamp).tzinfo is not None  # ISO, for machines


#: The fifth of August 2565 as offices write it.
FIFTH_OF_AUGUST = ["5/8/2565", "05-08-2022", "5.8.2565", "2565-08-05", "2022-08-05 00:00:00"]
FIFTH_OF_AUGUST += ["5 ส.ค. 2565", "5 สิงหาคม พ.ศ. 2565", "๕ ส.ค. ๒๕๖๕"]


@pytest.mark.parametrize("text", FIFTH_OF_AUGUST)
def test_a_date_as_thai_offices_write_it(text):
    assert read_date(text) == date(2022, 8, 5)


@pytest.mark.parametrize("text", ["", "soon", "31/2/2565", "5 ส.ค.", "2565"])
def test_what_is_not_a_date(text):
    assert read_date(text) is None
