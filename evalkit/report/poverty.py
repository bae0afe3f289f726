"""The poverty section of an agency report (``templates/report/poverty.html.j2``): what
levels A, B, C and F mean, households and people by level and by menu with their shares, the
two crossed, by district and sub-district and by deprivation dimension where the household
file says so, and the households still to follow up; the date of the data above every table.

The page is shared widely, so the follow-up list shows where a household is and who follows
it up, never the names, addresses or phone numbers an office keeps: those go to the field
workers' list only (``evalkit poverty --follow-up``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.analysis.dimensions import get_edition
from evalkit.analysis.households import load_households
from evalkit.analysis.poverty import (
    LEVELS,
    area_table,
    classify,
    data_date,
    level_by_menu,
    tables,
    with_shares,
)
from evalkit.analysis.poverty_output import HEADINGS, LABELS, Poverty
from evalkit.core.templates import fragment
from evalkit.report.display import Html

#: Households of the follow-up list shown in a page; the rest are counted in a note.
SHOWN = 300
#: The follow-up list's columns on a page: where, who, what is left; nothing personal.
PAGE_COLUMNS = (
    "level",
    "household_id",
    "village",
    "subdistrict",
    "district",
    "members",
    "menu",
    "to_pass",
    "still_failed",
    "dimensions",
    "responsible",
)


@dataclass(frozen=True)
class Grid:
    """A table as the template shows it: its columns, their headings (the template may word
    a heading its own way), and rows of text."""

    columns: list[str]
    headers: list[str]
    rows: list[list[str]]


def _text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return LABELS.get(str(value), str(value))


def _grid(frame: pd.DataFrame) -> Grid | None:
    """A table with Thai headings; the columns that hold nothing left out; None when empty."""
    if frame.empty:
        return None
    kept = [c for c in frame.columns if frame[c].astype(str).replace("", pd.NA).notna().any()]
    headers = [HEADINGS.get(c, LABELS.get(c, str(c))) for c in kept]
    rows = [[_text(v) for v in row] for row in frame[kept].itertuples(False)]
    return Grid([str(c) for c in kept], headers, rows)


def _crossed(classified: pd.DataFrame) -> pd.DataFrame:
    households = level_by_menu(classified).set_index("level")
    people = level_by_menu(classified, "people").set_index("level")
    return (households.astype(str) + " / " + people.astype(str)).reset_index()


def poverty_tables(path: str | Path) -> Html:
    """The section's body (without its heading) for a household file."""
    classified = classify(load_households(path))
    poverty = Poverty(classified, data_date(classified), get_edition())
    listed = poverty.follow_up()
    by_level, by_menu = (with_shares(t) for t in tables(classified))
    return Html(
        fragment(
            "report/poverty.html.j2",
            "section",
            levels=LEVELS,
            as_of=poverty.as_of_line,
            by_level=_grid(by_level),
            by_menu=_grid(by_menu),
            crossed=_grid(_crossed(classified)),
            by_district=_grid(area_table(classified)),
            by_subdistrict=_grid(area_table(classified, ("district", "subdistrict"))),
            by_dimension=_grid(poverty.dimensions()),
            edition=poverty.edition,
            listed=_grid(listed.head(SHOWN)[[c for c in PAGE_COLUMNS if c in listed]]),
            count=len(listed),
            people=int(listed["members"].sum()),
            rest=len(listed) - SHOWN,
        )
    )
