"""Checklist, indicator and factor-column sheets: what is accepted and what is refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import BAND_HEADER, GOLDEN

from evalkit import InvalidInputError, load_sheets, score
from evalkit.sheets.validate import check_sheets

FACTOR_HEADER = "agency_id,agency_name,year,framework,assessor,item,percent,a,d,l,i\n"


def _category_1(percent_11: int, factors_11: str) -> str:
    return (
        f"demo,x,2565,pmqa-2562,A,1.1,{percent_11},{factors_11}\n"
        "demo,x,2565,pmqa-2562,A,1.2,50,,,,\n"
    )


def test_weakest_factor_caps_the_band(write_sheet):
    ok = write_sheet(FACTOR_HEADER + _category_1(45, "80,40,60,70"), "ok.csv")
    result = score(load_sheets([ok]))
    assert result.loc[result["key"] == "1.1", "points"].item() == 27  # 45% of 60


def test_percent_above_the_factor_cap_is_an_input_error(write_sheet):
    bad = write_sheet(FACTOR_HEADER + _category_1(50, "80,40,60,70"))
    with pytest.raises(InvalidInputError) as info:
        load_sheets([bad])
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.found) == (2, "percent", "'50'")
    assert str(problem.expected) == "at most 45: the weakest factor d = 40 caps the band at 30-45"


def test_letci_factors_cap_results_items(write_sheet):
    header = "agency_id,agency_name,year,framework,assessor,item,percent,le,t,c,i\n"
    rows = "".join(
        f"demo,x,2565,pmqa-2562,A,7.{n},{p},90,95,8,90\n"
        for n, p in zip(range(1, 7), (5, 5, 5, 5, 5, 10), strict=True)
    )
    with pytest.raises(InvalidInputError, match="at most 5: the weakest factor c = 8") as info:
        load_sheets([write_sheet(header + rows)])
    assert [p.row for p in info.value.problems] == [7]


def test_checklist_values_and_ids_are_checked(write_sheet):
    text = (GOLDEN / "pmqa40-status" / "checklist.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[1] = lines[1].replace("ใช่", "maybe")
    lines[2] = lines[2].replace("1.1-b2", "1.1-b9")
    lines[3] = lines[3].replace("basic", "advance")
    with pytest.raises(InvalidInputError) as info:
        load_sheets([write_sheet("\n".join(lines) + "\n")])
    found = {(p.row, p.column): p for p in info.value.problems}
    assert str(found[(2, "met")].expected) == "yes or no (also 1/0, ใช่/ไม่ใช่)"
    assert str(found[(3, "check")].hint).startswith("Did you mean '1.1-b")
    assert str(found[(4, "level")].expected) == "the level the framework gives that check"


def test_every_check_of_a_scored_item_needs_a_row(write_sheet):
    text = (GOLDEN / "pmqa40-status" / "checklist.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if ",1.2-a2," not in line]
    with pytest.raises(
        InvalidInputError,
        match=r"no rows for checks 1.2-a2 of g40 2565; expected a row for every check of item 1.2",
    ):
        load_sheets(
            [write_sheet("\n".join(lines) + "\n"), GOLDEN / "pmqa40-status" / "indicators.csv"]
        )


def test_indicator_values_are_checked(write_sheet):
    sheet = write_sheet(
        "agency_id,agency_name,year,framework,item,indicator,target,actual,direction\n"
        "g,x,2565,pmqa40-status,7.1,ก,0,5,higher\n"
        "g,x,2565,pmqa40-status,7.2,ข,10,n/a,sideways\n"
        "g,x,2565,pmqa40-status,1.1,ค,10,5,higher\n"
    )
    with pytest.raises(InvalidInputError) as info:
        load_sheets([sheet])
    found = {(p.row, p.column) for p in info.value.problems}
    assert {(2, "target"), (3, "actual"), (3, "direction"), (4, "item")} <= found
    wrong_form = next(p for p in info.value.problems if p.row == 4 and p.column == "item")
    assert "put it in a checklist sheet" in str(wrong_form.hint)


def test_band_sheet_for_a_checklist_framework_is_refused(write_sheet):
    sheet = write_sheet(BAND_HEADER + "g,x,2565,pmqa40-status,A,1.1,50\n")
    with pytest.raises(InvalidInputError, match="scored by gated-checklist"):
        load_sheets([sheet])


def test_a_category_scored_in_part_is_refused(write_sheet):
    sheet = write_sheet(BAND_HEADER + "demo,x,2565,pmqa-2562,A,2.1,50\n")
    with pytest.raises(
        InvalidInputError,
        match=r"no scores for item 2.2 of demo 2565; expected every item of category 2 or none",
    ):
        load_sheets([sheet])


def test_a_category_award_sheet_scores_one_category(write_sheet):
    sheet = write_sheet(
        BAND_HEADER + "demo,x,2565,pmqa-2562,A,2.1,50\n" + "demo,x,2565,pmqa-2562,A,2.2,70\n"
    )
    result = score(load_sheets([sheet])).set_index(["level", "key"])
    assert result.loc[("total", "total"), ["points", "max_points"]].tolist() == [48, 80]
    assert result.loc[("category", "1"), "label"] == "absent"
    assert result[result["label"] == "absent"].index.get_level_values("key").tolist() == [
        "1",
        "3",
        "4",
        "5",
        "6",
        "7",
    ]


def test_yes_no_reads_alike_everywhere_thai_digits_included(write_sheet):
    """One reading of yes/no: a checklist's ``met`` takes ๑ and ๐ as a household file does."""
    from evalkit.sheets.forms import yes_no

    values, bad = yes_no(pd.Series(["๑", "๐", "ใช่", "ไม่ใช่", "Yes", " no ", "", "maybe"]))
    assert values.tolist() == [True, False, True, False, True, False, False, False]
    assert bad.tolist() == [False, False, False, False, False, False, True, True]


def test_every_thai_header_evalkit_writes_reads_back():
    from evalkit.sheets.columns import COLUMNS, FACTOR_COLUMNS, thai_header
    from evalkit.sheets.readers import canonical_column

    for column in [*COLUMNS, *FACTOR_COLUMNS]:
        assert canonical_column(thai_header(column)) == column


def test_the_checks_each_file_leaves_out_are_named_in_order(write_sheet):
    """Each file's items are judged alone, in the order of the files' first rows, and the
    checks an item leaves out are named in the framework's order."""
    lines = (GOLDEN / "pmqa40-status" / "checklist.csv").read_text(encoding="utf-8").splitlines()

    def without(checks: tuple[str, ...], agency: str) -> str:
        kept = [line for line in lines if not any(f",{c}," in line for c in checks)]
        return "\n".join(line.replace("g40,", f"{agency},", 1) for line in kept) + "\n"

    first = write_sheet(without(("1.2-a2", "1.1-s1", "1.1-b1"), "g40"), "first.csv")
    second = write_sheet(without(("1.3-b2", "1.1-a1"), "g41"), "second.csv")
    _, problems = check_sheets([first, second, GOLDEN / "pmqa40-status" / "indicators.csv"])
    found = [
        (Path(p.file).name, str(p.found), str(p.expected)) for p in problems if p.column == "check"
    ]
    assert found == [
        ("first.csv", "no rows for checks 1.1-b1, 1.1-s1 of g40 2565", _EVERY + "1.1"),
        ("first.csv", "no rows for checks 1.2-a2 of g40 2565", _EVERY + "1.2"),
        ("second.csv", "no rows for checks 1.1-a1 of g41 2565", _EVERY + "1.1"),
        ("second.csv", "no rows for checks 1.3-b2 of g41 2565", _EVERY + "1.3"),
    ]


_EVERY = "a row for every check of item "
