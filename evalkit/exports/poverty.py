"""The files of ``evalkit poverty``, written by :mod:`evalkit.exports.spreadsheet`: the counts
in one long table (CSV), and the households to follow up, for the field workers who visit
them (CSV, or XLSX with one sheet per district, printable on A4).

The follow-up list keeps every column of the household file as the office wrote it, in the
office's order, between the level and what evalkit adds (the number of indicators not passed
yet, their dimensions, the row in the office's file), so it reads back as a household file.
Every sheet states the date of the data above its header.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.analysis.households import FOLLOW_UP_HEADINGS, OFFICE
from evalkit.analysis.poverty import area_table, tables, with_shares
from evalkit.analysis.poverty_output import HEADINGS, LABELS, Poverty, long_tables
from evalkit.core.i18n import bilingual, msg, pmsg
from evalkit.exports.spreadsheet import Sheet, write_csv, write_table, write_xlsx

#: The widest a column of the follow-up list is, in characters.
MAX_WIDTH = 40
#: The title of the sheet of households whose district the file does not give.
NO_DISTRICT = msg("district not stated").render("th")


def write_tables(poverty: Poverty, path: str | Path) -> Path:
    """Every count of :func:`~evalkit.analysis.poverty_output.long_tables` in one table."""
    title = pmsg("poverty table", "table").render("th")
    return write_table(long_tables(poverty), path, "poverty-tables", title, HEADINGS)


def _list_of(listed: pd.DataFrame) -> pd.DataFrame:
    """The follow-up list as the field worker reads it: the level, the office's columns as
    written, then what evalkit adds."""
    office = [c for c in listed if c.startswith(OFFICE)]
    added = [c for c in ("to_pass", "dimensions", "source_row") if c in listed]
    shown = listed[["level", *office, *added]].rename(columns=lambda c: c.removeprefix(OFFICE))
    return shown.rename(columns=FOLLOW_UP_HEADINGS)


def _widths(frame: pd.DataFrame) -> dict[str, float]:
    """Each column as wide as its longest text (header included), within :data:`MAX_WIDTH`."""
    return {
        c: min(MAX_WIDTH, max(8, len(str(c)), *(len(str(v)) for v in frame[c])))
        for c in frame.columns
    }


def _sheet(title: str, listed: pd.DataFrame, heading: str, as_of_line: str) -> Sheet:
    shown = _list_of(listed)
    return Sheet(
        title,
        shown,
        above=(heading, as_of_line),
        widths=_widths(shown),
        paper=True,
        landscape=True,
    )


def _summary(poverty: Poverty) -> Sheet:
    """The counts a supervisor reads first: by district and sub-district where the file
    gives them, else by level."""
    table = area_table(poverty.classified, ("district", "subdistrict"))
    if table.empty:
        table = with_shares(tables(poverty.classified)[0])
    table = table.map(lambda v: LABELS.get(v, v) if isinstance(v, str) else v)
    heading = bilingual(msg("households, by area and level"))
    return Sheet(
        pmsg("sheet", "summary").render("th"),
        table,
        headers=HEADINGS,
        above=(heading, poverty.as_of_line),
        widths=_widths(table),
        paper=True,
    )


def follow_up_sheets(poverty: Poverty) -> list[Sheet]:
    """A summary, then one sheet per district (the whole list when the file gives none)."""
    listed = poverty.follow_up()
    sheets = [_summary(poverty)]
    if not listed["district"].astype(bool).any():
        title = pmsg("sheet", "households to follow up").render("th")
        return [*sheets, _sheet(title, listed, _heading(len(listed)), poverty.as_of_line)]
    for district, rows in listed.groupby("district", sort=False):
        name = str(district) or NO_DISTRICT
        sheets.append(_sheet(name, rows, _heading(len(rows), name), poverty.as_of_line))
    return sheets


def write_follow_up(poverty: Poverty, path: str | Path) -> Path:
    """The households to follow up: XLSX (a summary, then a sheet per district) or CSV (the
    whole list, by district), as the path's suffix says."""
    if Path(path).suffix.lower() == ".xlsx":
        return write_xlsx(follow_up_sheets(poverty), path, "poverty-follow-up")
    listed = poverty.follow_up()
    return write_csv(_sheet("", listed, _heading(len(listed)), poverty.as_of_line), path)


def _heading(count: int, district: str = "") -> str:
    """The line above a follow-up list: how many households, in which district if one."""
    said = (
        msg("households to follow up in {district}: {count}", district=district, count=count)
        if district
        else msg("households to follow up: {count}", count=count)
    )
    return f"{said.render('th')} (households to follow up)"
