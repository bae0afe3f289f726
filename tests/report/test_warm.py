"""What a report process loads before a report it forks: the sheets the report's parameters
name, read and scored once, then found read by the report and the reports after it while the
files are unchanged; nothing for paths that depend on the folder, and no error of its own."""

from __future__ import annotations

import shutil

import pytest
from helpers import ROOT

from evalkit.core.errors import EvalkitError
from evalkit.report.sources import scored, sheets_read
from evalkit.report.warm import warm_for


@pytest.fixture
def sheets(tmp_path):
    """The sample's women's fund sheets, copied: paths no other test has read."""
    copied = []
    for source in sorted((ROOT / "data" / "sample" / "trat").glob("women-fund_2564_*.csv")):
        copied.append(str(shutil.copy(source, tmp_path / source.name)))
    return copied


def test_the_sheets_a_report_names_are_read_once_and_then_found_read(sheets):
    read = sheets_read()
    assert warm_for({"data": sheets, "frameworks_dir": None, "consensus": None})
    assert sheets_read() == read + 1
    assert not warm_for({"data": sheets})
    found = scored(sheets)  # what the report itself asks for
    assert sheets_read() == read + 1
    assert len(found.result)


def test_a_changed_sheet_is_read_again(sheets):
    assert warm_for({"data": sheets})
    with open(sheets[0], "a", encoding="utf-8") as sheet:
        sheet.write("\n")
    assert warm_for({"data": sheets})


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"data": []},
        {"data": "/one/path/not/a/list.csv"},
        {"data": ["data/sample/trat/women-fund_2564_assessor-1.csv"]},
        {"data": ["/abs.csv"], "frameworks_dir": "frameworks"},
    ],
)
def test_parameters_that_name_no_absolute_sheets_read_nothing(parameters):
    read = sheets_read()
    assert not warm_for(parameters)
    assert sheets_read() == read


def test_sheets_that_cannot_be_read_leave_the_error_to_the_report(tmp_path):
    broken = tmp_path / "women-fund_2564_assessor-1.csv"
    broken.write_text("agency_id,year\nx,notayear\n", encoding="utf-8")
    assert warm_for({"data": [str(broken)]})  # read, and refused: nothing kept
    with pytest.raises(EvalkitError):
        scored([str(broken)])
