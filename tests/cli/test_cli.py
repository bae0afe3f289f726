from __future__ import annotations

import subprocess
import sys

import pandas as pd
from helpers import BAND_HEADER, GOLDEN

from evalkit.cli.main import main


def test_score_writes_utf8_bom_csv(tmp_path):
    out = tmp_path / "scores.csv"
    assert main(["score", str(GOLDEN / "pmqa-2562" / "sheet.csv"), "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype={"key": str})
    total = frame[frame["level"] == "total"].iloc[0]
    assert total["points"] == 474.5 and total["max_points"] == 1000
    assert total["agency_name"] == "หน่วยงานตัวอย่าง"
    assert total["year"] == 2565


def test_invalid_input_exits_1_listing_every_problem(tmp_path, capsys):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        BAND_HEADER + "demo,x,2565,pmqa-2562,A,1.1,abc\n" + "demo,x,2565,pmqa-2562,A,9.9,50\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    assert main(["score", str(sheet), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2 problems in the input; nothing was scored or written" in err
    assert f"{sheet}, row 2, column 'percent': found 'abc'; expected a number from 0 to 100" in err
    assert f"{sheet}, row 3, column 'item': found '9.9'" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_failed_score_keeps_previous_output(tmp_path):
    out = tmp_path / "scores.csv"
    out.write_text("previous good results")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAND_HEADER + "demo,x,2565,pmqa-2562,A,1.1,101\n", encoding="utf-8")
    assert main(["score", str(bad), "--out", str(out)]) == 1
    assert out.read_text() == "previous good results"


def test_usage_error_exits_2():
    completed = subprocess.run(
        [sys.executable, "-m", "evalkit", "score"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 2
    assert "usage: evalkit score" in completed.stderr


def test_console_script_reports_missing_file_without_traceback(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalkit",
            "score",
            str(tmp_path / "nope.csv"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "found no such file; expected an existing .csv or .xlsx file" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_score_rules_of_a_category_award_sheet(tmp_path, capsys):
    sheet = tmp_path / "category-2.csv"
    sheet.write_text(
        BAND_HEADER + "c2,x,2565,pmqa-2562,A,2.1,50\nc2,x,2565,pmqa-2562,A,2.2,70\n",
        encoding="utf-8",
    )
    rules = tmp_path / "rules.csv"
    out = ["score", str(sheet), "--out", str(tmp_path / "s.csv"), "--rules", str(rules)]
    assert main(out) == 0
    assert "Rules: 1 of 1 met (1 not applicable: categories absent)" in capsys.readouterr().out
    table = pd.read_csv(rules, encoding="utf-8-sig").set_index("rule")
    assert not table.loc["award", "applicable"]
    assert pd.isna(table.loc["award", "met"]) and pd.isna(table.loc["award", "shortfall"])
    assert table.loc["award", "note"].startswith("ไม่เกี่ยวข้อง: ไม่ได้ประเมินหมวด 1, 3, 4, 5, 6, 7")
    assert bool(table.loc["category-award", "met"]) is True  # 2.1: 20 + 2.2: 28 = 48 >= 40
