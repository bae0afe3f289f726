"""Each deliberately broken file produces exactly the problems listed beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT

from evalkit.cli.main import main
from evalkit.sheets.load import check_sheets

BROKEN = ROOT / "tests" / "broken"
CASES = sorted(p for p in BROKEN.iterdir() if ".expected." not in p.name and p.suffix != ".md")


def _expected(path: Path) -> list[tuple[object, ...]]:
    table = pd.read_csv(
        path.with_name(path.name.split(".")[0] + ".expected.csv"), dtype=str, keep_default_na=False
    )
    return [(int(r.row), r.column, r.found, r.expected, r.hint) for r in table.itertuples()]


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_broken_file_reports_its_problems(path):
    _, problems = check_sheets([path])
    got = [(p.row, p.column, str(p.found), str(p.expected), str(p.hint)) for p in problems]
    assert got == _expected(path)
    assert all(p.file == str(path) for p in problems)


def test_validate_lists_all_files_problems_in_one_pass(tmp_path, capsys):
    out = tmp_path / "problems.csv"
    assert main(["validate", *map(str, CASES), "--out", str(out)]) == 1
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["file", "sheet", "row", "column", "found", "expected", "hint"]
    got = {(r.file, int(r.row), r.column, r.found) for r in table.itertuples()}
    for path in CASES:
        for row, column, found, *_ in _expected(path):
            assert (str(path), row, column, found) in got
    # across files, the same assessor and item also clash between files: reported too
    assert set(table["file"]) == {str(p) for p in CASES}
    err = capsys.readouterr().err
    assert f"{len(table)} problem(s) in {len(CASES)} file(s)" in err
    assert "Traceback" not in err


def test_validate_of_good_sheets_exits_0(capsys):
    sample = sorted((ROOT / "data" / "sample" / "trat").glob("pmqa-2562_*"))
    assert main(["validate", *map(str, sample)]) == 0
    assert "14 file(s), 2269 rows: no problems." in capsys.readouterr().out  # the committee's too
