"""Blank score sheets for a framework, ready for assessors to fill in Excel.

An XLSX template has one sheet per form the framework needs (band, checklist, indicators),
Thai headers with the English column name in parentheses, every item (and every check)
listed, drop-down lists where the values are fixed and a frozen header row. A framework
whose award has types, works or eligibility screens gets the entry columns too (the types'
drop-down in Thai). A CSV template
holds one form; a framework that needs several gets one CSV per form. A template may be
limited to some categories (a category award) and a band template may carry the factor
columns (ADLI, LeTCI). Rows left untouched are blank and skipped when the sheet is read.

:func:`write_household_template` writes the household file of ``evalkit poverty``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from evalkit.analysis.households import ALIASES as HOUSEHOLD_ALIASES
from evalkit.analysis.households import MENUS, TEMPLATE_COLUMNS
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg, pmsg
from evalkit.exports.spreadsheet import Sheet, write_csv, write_xlsx
from evalkit.frameworks.bandnames import percent_choices
from evalkit.frameworks.model import Framework, Item
from evalkit.sheets.columns import column as declared_column
from evalkit.sheets.columns import thai_header
from evalkit.sheets.forms import FORMS, get_form
from evalkit.sheets.forms.common import WRITTEN_NO, WRITTEN_YES
from evalkit.sheets.forms.entry import template_columns

#: The Thai name of a sheet that is not a score-sheet form.
SHEET_NAMES = {"households": pmsg("sheet", "households").render("th")}


def _items(framework: Framework, categories: Sequence[str] | None) -> list[Item]:
    """The framework's items, of the named categories only when some are named."""
    if not categories:
        return list(framework.items)
    known = [c.key for c in framework.categories]
    unknown = [c for c in categories if c not in known]
    if unknown:
        raise EvalkitError(
            msg(
                "{framework} has no category {unknown}; its categories are {known}.",
                framework=framework.id,
                unknown=", ".join(unknown),
                known=", ".join(known),
            )
        )
    return [i for c in framework.categories if c.key in categories for i in c.items]


def _with_entry(framework: Framework, columns: list[str]) -> list[str]:
    """The form's columns with the entry columns of ``framework``'s award after who assessed
    (or, on a form without an assessor, after the framework)."""
    at = columns.index("assessor" if "assessor" in columns else "framework") + 1
    return [*columns[:at], *template_columns(framework), *columns[at:]]


def template_frames(
    framework: Framework, categories: Sequence[str] | None = None, factors: bool = False
) -> dict[str, pd.DataFrame]:
    """One blank frame per form the items need, keyed by form: every item, or the items of
    ``categories``; with ``factors``, band frames carry the factor columns of their items.
    A framework with award types, works or eligibility screens gets their entry columns."""
    items = _items(framework, categories)
    methods = {i.method for i in items}
    frames = {}
    for form in FORMS.values():
        if methods & set(form.methods):
            columns, rows = form.layout(framework, items, factors)
            frames[form.name] = pd.DataFrame(rows, columns=_with_entry(framework, columns))
    return frames


#: Columns of free text, shown wide.
WIDE = ("strength", "improvement", "explanation")


def column_header(column: str) -> str:
    """``ไทย (column)``: a score-sheet column's Thai header, or a household column's Thai
    name (:data:`evalkit.analysis.households.ALIASES`)."""
    if column in HOUSEHOLD_ALIASES:
        return f"{HOUSEHOLD_ALIASES[column][1]} ({column})"
    return thai_header(column)


def column_choices(framework: Framework, frame: pd.DataFrame) -> dict[str, list[str]]:
    """The drop-down list of each column of a form's template that declares one (the percent
    of a framework that names its bands: see :func:`percent_rows`)."""
    found = {}
    for name in frame.columns:
        choices = declared_column(name).choices
        if name == "percent" and framework.band_names:
            continue
        if callable(choices):
            found[name] = list(choices(framework))
        elif choices:
            found[name] = list(choices)
    return found


def percent_rows(framework: Framework, items: Sequence[object]) -> list[list[str]]:
    """The percent drop-down of each row, by its item, for a framework that names its bands:
    each step with its band and the band's name for the item's factor set (ADLI, LeTCI;
    :func:`~evalkit.frameworks.bandnames.percent_choices`); none for an item scored
    otherwise."""
    if not framework.band_names:
        return []
    kinds = {i.key: i.factors for i in framework.items if i.method == "band-percent"}
    lists = {k: percent_choices(framework, f) for k, f in kinds.items()}
    return [lists.get(str(item), []) for item in items]


#: Width of a column of names and free text, in characters (others take the default).
WIDE_WIDTH = 40


def sheet_title(form: str) -> str:
    """The Thai title of a template's sheet for a form (or for the household file)."""
    return SHEET_NAMES[form] if form in SHEET_NAMES else get_form(form).sheet_th


def _sheet(
    form: str,
    frame: pd.DataFrame,
    choices: dict[str, list[str]],
    rows: int = 0,
    by_row: dict[str, list[list[str]]] | None = None,
) -> Sheet:
    """A form's sheet: Thai headers, names and free text wide, drop-down lists over ``rows``
    data rows (at least the frame's), and ``by_row`` lists for each row of a column; a score
    form's sheet is score input."""
    wide = [c for c in frame.columns if c.endswith(("_name", "_text")) or c in WIDE]
    return Sheet(
        sheet_title(form),
        frame,
        headers={c: column_header(c) for c in frame.columns},
        input=form in FORMS,
        choices=choices,
        choice_rows=rows,
        row_choices=by_row or {},
        widths=dict.fromkeys(wide, WIDE_WIDTH),
    )


def form_sheets(framework: Framework, frames: dict[str, pd.DataFrame]) -> list[Sheet]:
    """The sheets of a template's forms (frames by form), with their drop-down lists."""
    sheets = []
    for form, frame in frames.items():
        percent = percent_rows(framework, list(frame["item"])) if "percent" in frame else []
        by_row = {"percent": percent} if percent else {}
        sheets.append(_sheet(form, frame, column_choices(framework, frame), by_row=by_row))
    return sheets


def write_template(
    framework: Framework,
    path: str | Path,
    categories: Sequence[str] | None = None,
    factors: bool = False,
) -> list[Path]:
    """Write a blank sheet (or one per form, for CSV) and return the paths written; the
    arguments are those of :func:`template_frames`."""
    path = Path(path)
    frames = template_frames(framework, categories, factors)
    if path.suffix.lower() == ".xlsx":
        return [write_xlsx(form_sheets(framework, frames), path, "template")]
    return [
        write_csv(
            _sheet(form, frame, {}),
            path if len(frames) == 1 else path.with_stem(f"{path.stem}-{form}"),
        )
        for form, frame in frames.items()
    ]


#: Rows of a household template that carry the drop-down lists.
HOUSEHOLD_ROWS = 2000


def write_household_template(path: str | Path) -> list[Path]:
    """Write a blank household file for ``evalkit poverty``: the header only (Thai names,
    English in parentheses), with drop-down lists for ``cannot_help`` and ``menu`` in XLSX."""
    path = Path(path)
    frame = pd.DataFrame(columns=list(TEMPLATE_COLUMNS))
    if path.suffix.lower() == ".xlsx":
        choices = {"cannot_help": [WRITTEN_YES, WRITTEN_NO], "menu": list(MENUS)}
        sheet = _sheet("households", frame, choices, HOUSEHOLD_ROWS)
        return [write_xlsx([sheet], path, "household-template")]
    return [write_csv(_sheet("households", frame, {}), path)]
