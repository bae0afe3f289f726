"""``evalkit poverty``: the poverty tables and the follow-up list as aligned text, and the
tables in one long table (written by :mod:`evalkit.exports.poverty`). Every table states the
date of its data.

:class:`Poverty` holds what every output shows: the classified households, the date of the
data and the edition of the deprivation dimensions."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import pandas as pd

from evalkit.analysis.dimensions import Edition, dimension_table
from evalkit.analysis.household_checks import named
from evalkit.analysis.households import MENU_EN
from evalkit.analysis.poverty import (
    TOTAL,
    area_table,
    as_of_text,
    follow_up,
    level_by_menu,
    tables,
    with_shares,
)
from evalkit.core.i18n import bilingual, msg, pmsg

#: The headings of the poverty tables and lists: Thai, then the column's name.
HEADINGS = {
    "level": bilingual(pmsg("poverty table", "level")),
    "menu": bilingual(pmsg("poverty table", "menu")),
    "households": bilingual(pmsg("poverty table", "households")),
    "people": bilingual(pmsg("poverty table", "people")),
    "table": bilingual(pmsg("poverty table", "table")),
    "group": bilingual(pmsg("poverty table", "group")),
    "households_pct": bilingual(pmsg("poverty table", "households_pct")),
    "people_pct": bilingual(pmsg("poverty table", "people_pct")),
    "household_id": bilingual(pmsg("poverty table", "household_id")),
    "members": bilingual(pmsg("poverty table", "members")),
    "indicators_failed": bilingual(pmsg("poverty table", "indicators_failed")),
    "indicators_now_passed": bilingual(pmsg("poverty table", "indicators_now_passed")),
    "to_pass": bilingual(pmsg("poverty table", "to_pass")),
    "still_failed": bilingual(pmsg("poverty table", "still_failed")),
    "source_row": bilingual(pmsg("poverty table", "source_row")),
    "district": bilingual(pmsg("poverty table", "district")),
    "subdistrict": bilingual(pmsg("poverty table", "subdistrict")),
    "village": bilingual(pmsg("poverty table", "village")),
    "responsible": bilingual(pmsg("poverty table", "responsible")),
    "dimension": bilingual(pmsg("poverty table", "dimension")),
    "dimensions": bilingual(pmsg("poverty table", "dimensions")),
    "follow_up": bilingual(pmsg("poverty table", "follow_up")),
    "as_of": bilingual(pmsg("poverty table", "as_of")),
}
LABELS = {"A": "A", "B": "B", "C": "C", "F": "F", TOTAL: bilingual(pmsg("poverty table", "total"))}
LABELS |= {m: f"{m} ({e})" for m, e in MENU_EN.items()}
#: Households of the follow-up list printed on the terminal; ``--follow-up`` writes all.
PRINTED = 50


@dataclass(frozen=True)
class Poverty:
    """The classified households, the date of their data (None when not stated) and the
    edition of the deprivation dimensions the indicators they still fail belong to."""

    classified: pd.DataFrame
    as_of: date | None
    edition: Edition

    @property
    def as_of_line(self) -> str:
        return as_of_text(self.as_of)

    def follow_up(self) -> pd.DataFrame:
        return follow_up(self.classified, self.edition)

    def dimensions(self) -> pd.DataFrame:
        named_ = self.classified["still_failed"].map(named)
        return dimension_table(self.classified, self.edition, named_)


def _width(text: str) -> int:
    """Columns a text takes on a terminal: Thai vowel and tone marks take none."""
    return sum(unicodedata.category(c) != "Mn" for c in text)


def _cell(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else LABELS.get(str(value), str(value))


def format_table(table: pd.DataFrame) -> str:
    """A table as aligned text with Thai headings (English in parentheses); the first column
    is aligned left, the others right."""
    cells = [[HEADINGS.get(c, LABELS.get(c, c)) for c in table.columns]]
    cells += [[_cell(v) for v in row] for row in table.itertuples(index=False)]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for row in cells:
        first = row[0] + " " * (widths[0] - _width(row[0]))
        rest = [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
    return "\n".join(lines)


def _crossed(classified: pd.DataFrame) -> pd.DataFrame:
    households = level_by_menu(classified).set_index("level")
    people = level_by_menu(classified, "people").set_index("level")
    cross = pd.DataFrame(
        [
            {"group": f"{level}/{menu}", "households": households.at[level, menu]}
            | {"people": people.at[level, menu]}
            for level in households.index
            for menu in households.columns
        ]
    )
    whole = float(households.at[TOTAL, TOTAL]), float(people.at[TOTAL, TOTAL])
    cross["households_pct"] = (cross["households"] / whole[0] * 100).round(1) if whole[0] else 0.0
    cross["people_pct"] = (cross["people"] / whole[1] * 100).round(1) if whole[1] else 0.0
    return cross


def _grouped(table: pd.DataFrame, name: str, keys: list[str]) -> pd.DataFrame:
    """An area or dimension table in the long form: its keys joined as ``group``."""
    if table.empty:
        return pd.DataFrame()
    group = table[keys].astype(str).agg("/".join, axis=1).str.rstrip("/")
    return table.assign(group=group, table=name)


def long_tables(poverty: Poverty) -> pd.DataFrame:
    """Every count in one long table: ``table`` (level, menu, level_menu, district,
    subdistrict, dimension), ``group`` (a level, a menu, ``level/menu``, an area such as
    ``district/subdistrict``, a dimension), households, people, the shares in percent where
    they apply, and ``as_of``, the date of the data."""
    classified = poverty.classified
    by_level, by_menu = (with_shares(t) for t in tables(classified))
    parts = [
        by_level.rename(columns={"level": "group"}).assign(table="level"),
        by_menu.rename(columns={"menu": "group"}).assign(table="menu"),
        _crossed(classified).assign(table="level_menu"),
        _grouped(area_table(classified), "district", ["district"]),
        _grouped(
            area_table(classified, ("district", "subdistrict")),
            "subdistrict",
            ["district", "subdistrict"],
        ),
        _grouped(poverty.dimensions(), "dimension", ["dimension"]),
    ]
    columns = ["table", "group", "households", "people", "households_pct", "people_pct"]
    long = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    as_of = poverty.as_of.isoformat() if poverty.as_of else ""
    return long.reindex(columns=columns).assign(as_of=as_of)


def _follow_up_text(poverty: Poverty) -> str:
    listed = poverty.follow_up()
    count = msg("households to follow up, levels C, F and B: {count}", count=len(listed))
    text = f"{count.render('th')} (households to follow up)"
    if len(listed):
        columns = ["level", "household_id", "members", "menu", "to_pass", "still_failed"]
        columns += [c for c in ("dimensions", "village", "subdistrict", "district") if c in listed]
        shown = listed.head(PRINTED)[columns]
        shown = shown[[c for c in columns if shown[c].astype(str).astype(bool).any()]]
        text += "\n" + format_table(shown)
    if len(listed) > PRINTED:
        more = msg(
            "and {count} more: --follow-up FILE.xlsx writes them all", count=len(listed) - PRINTED
        )
        text += f"\n... {bilingual(more)}"
    return text


def report_text(poverty: Poverty) -> str:
    """What ``evalkit poverty`` prints: the date of the data above each table, both tables
    with shares, households by level and menu, by district and sub-district and by dimension
    where the file says so, and the follow-up list (its first :data:`PRINTED` households)."""
    classified = poverty.classified
    by_level, by_menu = (with_shares(t) for t in tables(classified))
    blocks = [
        format_table(by_level),
        format_table(by_menu),
        bilingual(msg("households by level and menu"))
        + "\n"
        + format_table(level_by_menu(classified)),
    ]
    for heading, table in (
        (bilingual(msg("by district")), area_table(classified)),
        (bilingual(msg("by sub-district")), area_table(classified, ("district", "subdistrict"))),
        (bilingual(msg("households by dimension still failed")), poverty.dimensions()),
    ):
        if not table.empty:
            blocks.append(f"{heading}\n" + format_table(table))
    blocks.append(_follow_up_text(poverty))
    return "\n\n".join(f"{poverty.as_of_line}\n{block}" for block in blocks)
