"""Excel and Thai habits read as a person means them: a percent typed the Excel way, a year
written with its era or in Thai digits; and an indicator target that would invert the score
refused."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from helpers import BAND_HEADER

from evalkit import load_sheets
from evalkit.sheets.forms import yes_no
from evalkit.sheets.load import check_sheets


def test_a_percent_cell_reads_as_the_percent_shown(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(BAND_HEADER.strip().split(","))
    ws.append(["x", "ก", 2565, "pmqa-2562", "A", "2.1", 0.45])
    ws.append(["x", "ก", 2565, "pmqa-2562", "A", "2.2", 0.6])
    ws["G2"].number_format, ws["G3"].number_format = "0%", "0.00%"
    book.save(tmp_path / "p.xlsx")
    assert load_sheets([tmp_path / "p.xlsx"]).bands["percent"].tolist() == [45, 60]


@pytest.mark.parametrize(
    "year", ["พ.ศ. 2564", "ปี ๒๕๖๔", "ปีงบประมาณ 2564", "2564 (พ.ศ.)", "ค.ศ. 2021"]
)
def test_a_year_with_its_era_or_thai_digits_is_read(write_sheet, year):
    sheet = write_sheet(
        BAND_HEADER + f'x,ก,"{year}",pmqa-2562,A,2.1,50\nx,ก,2564,pmqa-2562,A,2.2,60\n'
    )
    assert set(load_sheets([sheet]).bands["year"]) == {2564}


@pytest.mark.parametrize("target", ["-10", "0"])
def test_a_target_that_would_invert_the_score_is_refused(write_sheet, target):
    sheet = write_sheet(
        "agency_id,agency_name,year,framework,item,indicator,target,actual,direction\n"
        f"g,x,2565,pmqa40-status,7.1,ก,{target},5,higher\n"
    )
    _, problems = check_sheets([sheet])
    (problem,) = [p for p in problems if p.column == "target"]
    assert str(problem.expected) == "a number above 0 (may be empty when a scale gives the goal)"


def test_a_blank_yes_no_cell_is_no_where_the_form_says_so():
    answers = pd.Series(["ใช่", "", "maybe"])
    assert yes_no(answers)[1].tolist() == [False, True, True]
    values, unreadable = yes_no(answers, blank_is_no=True)
    assert values.tolist() == [True, False, False] and unreadable.tolist() == [False, False, True]
