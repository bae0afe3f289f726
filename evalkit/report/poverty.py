"""The poverty section of an agency report: what levels A, B, C and F mean, households and
people by level and by menu with their shares, the two crossed, and the households still to
follow up."""

from __future__ import annotations

from pathlib import Path

from evalkit.analysis.households import MENU_EN, load_households
from evalkit.analysis.poverty import (
    FOLLOW_UP,
    LEVELS,
    TOTAL,
    classify,
    follow_up,
    level_by_menu,
    tables,
    with_shares,
)
from evalkit.report.display import Html, section

#: Households of the follow-up list shown in a page; the rest are counted in a note.
SHOWN = 300


def poverty_tables(path: str | Path) -> Html:
    """The section's body (without its heading) for a household file."""
    classified = classify(load_households(path))
    by_level, by_menu = tables(classified)
    households = level_by_menu(classified).set_index("level")
    people = level_by_menu(classified, "people").set_index("level")
    crossed = (households.astype(str) + " / " + people.astype(str)).reset_index()
    listed = follow_up(classified)
    pct = {c: str for c in ("households_pct", "people_pct")}
    return section(
        "poverty",
        "tables",
        levels=LEVELS,
        by_level=with_shares(by_level).astype(pct),
        by_menu=with_shares(by_menu).astype(pct),
        crossed=crossed,
        menus={m: f"{m} ({e})" for m, e in MENU_EN.items()},
        total=TOTAL,
        follow_up={
            "levels": ", ".join(FOLLOW_UP),
            "households": len(listed),
            "people": int(listed["members"].sum()),
        },
        shown=listed.head(SHOWN),
        rest=len(listed) - SHOWN,
    )
