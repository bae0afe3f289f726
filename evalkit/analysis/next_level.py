"""The cheapest path of one entry to the next award level, by the same exact searches the
what-if uses: the fewest one-step raises of bands and ratings
(:func:`evalkit.analysis.compare.cheapest_path`) or, for a gated checklist, the fewest
checks (:func:`evalkit.analysis.check_path.check_path`, which needs the sheets' verdicts).

The path is said as a :class:`~evalkit.core.i18n.Message`; what the level's rule asks besides
its total (its failed conditions) is listed by the decision list itself.
"""

from __future__ import annotations

import pandas as pd

from evalkit.analysis.agreement import stepped_methods
from evalkit.analysis.check_path import check_path, checklist_items
from evalkit.analysis.checks import check_verdicts, unmet_checks
from evalkit.analysis.compare import cheapest_path
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import Message, msg
from evalkit.frameworks.model import Framework
from evalkit.sheets.sheetset import SheetSet

#: Steps of a path named one by one; past it, the rest are counted.
SHOWN = 8


def _listed(steps: list[str]) -> str:
    more = len(steps) - SHOWN
    return ", ".join(steps[:SHOWN]) + (f" +{more}" if more > 0 else "")


def _raises(
    result: pd.DataFrame, framework: Framework, agency_id: str, year: int, threshold: float
) -> Message:
    try:
        path = cheapest_path(result, framework, agency_id, year, threshold)
    except EvalkitError:
        return msg("not reachable by raising item scores one step at a time")
    steps = [f"{row.item} {row.from_percent:g}→{row.to_percent:g}%" for row in path.itertuples()]
    return msg("{count} one-step raises: {steps}", count=len(steps), steps=_listed(steps))


def _checks(
    unit: pd.DataFrame, framework: Framework, sheets: SheetSet, start: float, threshold: float
) -> Message | None:
    agency_id, year = str(unit["agency_id"].iloc[0]), int(unit["year"].iloc[0])
    verdicts = check_verdicts(sheets, framework, agency_id, year)
    if verdicts.empty:
        return None
    items = checklist_items(verdicts, framework, unit)
    path = check_path(items, unmet_checks(verdicts, framework), framework, start, threshold)
    if not path.attrs["reachable"]:
        return msg("not reachable even with every check met (at most {ceiling:.2f} points)",
                   ceiling=path.attrs["ceiling"])  # fmt: skip
    steps = [str(check) for check in path["check"]]
    return msg("{count} more checks met: {checks}", count=len(steps), checks=_listed(steps))


def path_to(
    unit: pd.DataFrame,
    framework: Framework,
    threshold: float,
    sheets: SheetSet | None = None,
) -> Message | None:
    """The cheapest path of one entry's scores ``unit`` (its rows of the score table) to a
    total of ``threshold`` points; None when the total already reaches it, or when a
    checklist's verdicts are not at hand (no ``sheets``) or the items do not move in steps."""
    start = float(unit.loc[unit["level"] == "total", "points"].iloc[0])
    if start >= threshold - 1e-9:
        return None
    if "gated-checklist" in framework.methods:
        return _checks(unit, framework, sheets, start, threshold) if sheets is not None else None
    if not stepped_methods(framework):
        return None  # no bands or ratings: no steps to search
    agency_id, year = str(unit["agency_id"].iloc[0]), int(unit["year"].iloc[0])
    return _raises(unit, framework, agency_id, year, threshold)
