"""The files of ``evalkit poverty``: the counts in one long table, and the households to
follow up, written by :mod:`evalkit.exports.spreadsheet` with Thai headings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.analysis.poverty import follow_up
from evalkit.analysis.poverty_output import HEADINGS, long_tables
from evalkit.exports.spreadsheet import write_table


def write_tables(classified: pd.DataFrame, path: str | Path) -> Path:
    """Every count of :func:`~evalkit.analysis.poverty_output.long_tables` in one table."""
    return write_table(long_tables(classified), path, "poverty-tables", "ตาราง", HEADINGS)


def write_follow_up(classified: pd.DataFrame, path: str | Path) -> Path:
    """The households to follow up (:func:`~evalkit.analysis.poverty.follow_up`)."""
    return write_table(
        follow_up(classified), path, "poverty-follow-up", "ครัวเรือนที่ต้องติดตาม", HEADINGS
    )
