"""Templates for a round of assessment: one workbook per assessor, with every agency's rows
filled in advance (agency id and name, year, framework, assessor, items and checks), an
instructions sheet in Thai, and drop-down lists for the values.

The agencies come from a CSV or XLSX of ``agency_id`` and ``agency_name`` (Thai names and a
title block above the header accepted, as in a score sheet), read by :func:`read_agencies`.
The assessors fill the score cells only. The indicators of a framework that also has items
assessors score are the agency's own figures, so they are left out of the assessors'
workbooks (the instructions say where they go); a framework of indicators alone gets them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from evalkit.core.errors import EvalkitError, InvalidInputError, Problem
from evalkit.core.i18n import Message, msg, pmsg
from evalkit.exports.spreadsheet import Sheet, write_xlsx
from evalkit.exports.template import form_sheets, sheet_title, template_frames
from evalkit.frameworks.model import Framework
from evalkit.sheets.columns import aliases, column, thai_header, thai_name
from evalkit.sheets.forms import SLUG_EXPECTED, is_safe_slug
from evalkit.sheets.forms.entry import ENTRY_COLUMNS
from evalkit.sheets.readers import column_matcher, read_tables
from evalkit.sheets.tables import Table

AGENCY_COLUMNS = ("agency_id", "agency_name")
_agency_column = column_matcher(aliases(column(c) for c in AGENCY_COLUMNS))
#: Characters a file name cannot hold on Windows, macOS or Linux, and control characters.
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
COLUMNS_EXPECTED = msg(
    "the columns agency_id and agency_name ({headers})",
    headers=", ".join(thai_name(c) for c in AGENCY_COLUMNS),
)
INSTRUCTIONS = pmsg("sheet", "instructions").render("th")
#: Width of the instructions' one column, in characters.
INSTRUCTIONS_WIDTH = 110


@dataclass(frozen=True)
class Agency:
    agency_id: str
    agency_name: str


def _row_problems(
    table: Table, header: dict[str, str], row: int, agency: Agency, first: dict[str, int]
) -> list[Problem]:
    """What is wrong with one agency's row: its id, a repeat, its name."""
    where = partial(Problem, file=table.file, row=row, sheet=table.sheet)
    problems = []
    if not is_safe_slug(agency.agency_id):
        found = repr(agency.agency_id) if agency.agency_id else msg("an empty cell")
        problems.append(where(column=header["agency_id"], found=found, expected=SLUG_EXPECTED))
    elif agency.agency_id in first:
        hint = msg(
            "Agency {agency} is already listed in row {row}.",
            agency=agency.agency_id,
            row=first[agency.agency_id],
        )
        problems.append(
            where(
                column=header["agency_id"],
                found=repr(agency.agency_id),
                expected=msg("each agency once"),
                hint=hint,
            )
        )
    if not agency.agency_name:
        column = header["agency_name"]
        problems.append(
            where(column=column, found=msg("an empty cell"), expected=msg("the agency's name"))
        )
    return problems


def _agencies_of(table: Table, first: dict[str, int]) -> tuple[list[Agency], list[Problem]]:
    """The agencies of one sheet, and its problems; ``first`` holds each id's first row."""
    header = {column: name for name in table.header if (column := _agency_column(name))}
    if set(header) != set(AGENCY_COLUMNS):
        found = msg("the columns {columns}", columns=[h for h in table.header if h])
        missing = Problem(
            file=table.file,
            row=table.header_row,
            column="",
            found=found,
            expected=COLUMNS_EXPECTED,
            sheet=table.sheet,
        )
        return [], [missing]
    at = {c: table.header.index(header[c]) for c in AGENCY_COLUMNS}
    agencies: list[Agency] = []
    problems: list[Problem] = []
    for row, cells in table.rows:
        agency = Agency(cells[at["agency_id"]], cells[at["agency_name"]])
        if agency.agency_id or agency.agency_name:
            problems += _row_problems(table, header, row, agency, first)
            first.setdefault(agency.agency_id, row)
            agencies.append(agency)
    return agencies, problems


def read_agencies(path: str | Path) -> list[Agency]:
    """The agencies of a CSV or XLSX file, in its order; InvalidInputError with every
    problem (file, row, column) when any is found."""
    tables = read_tables(path, match=_agency_column, least=2)
    said = tables.found if isinstance(tables, Problem) else ""
    said = said.render("en") if isinstance(said, Message) else said  # what, not its Thai
    if isinstance(tables, Problem) and said.startswith("no header row"):
        tables = replace(tables, found=said.split(";")[0], expected=COLUMNS_EXPECTED)
    if isinstance(tables, Problem):
        raise InvalidInputError([tables])
    agencies: list[Agency] = []
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for table in tables:
        found, wrong = _agencies_of(table, first)
        agencies += found
        problems += wrong
    if not agencies and not problems:
        found_none = Problem(
            file=str(path),
            row=0,
            column="",
            found=msg("no agency"),
            expected=msg("one row per agency"),
        )
        problems.append(found_none)
    if problems:
        raise InvalidInputError(problems)
    return agencies


def _assessor_forms(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], bool]:
    """The forms an assessor fills, and whether indicators were left out: indicators are the
    agency's own figures, kept only in a framework that has nothing else."""
    if len(frames) > 1 and "indicators" in frames:
        return {f: frame for f, frame in frames.items() if f != "indicators"}, True
    return frames, False


def round_frames(
    frames: dict[str, pd.DataFrame], agencies: Sequence[Agency], year: int, assessor: str
) -> dict[str, pd.DataFrame]:
    """Blank template frames (by form) repeated for every agency, who and when filled in."""
    filled = {}
    for form, frame in frames.items():
        who = {"year": year} | ({"assessor": assessor} if "assessor" in frame else {})
        parts = [
            frame.assign(agency_id=a.agency_id, agency_name=a.agency_name, **who) for a in agencies
        ]
        filled[form] = pd.concat(parts, ignore_index=True)[list(frame.columns)]
    return filled


@cache
def _text() -> dict[str, Any]:
    """The instructions' lines (``instructions.yaml`` beside this module)."""
    source = resources.files("evalkit.exports") / "instructions.yaml"
    loaded: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return loaded


def _value_lines(framework: Framework, frames: dict[str, pd.DataFrame]) -> list[str]:
    """What to write in each value column the frames have."""
    when = _text()["when"]
    columns = list(dict.fromkeys(c for frame in frames.values() for c in frame.columns))
    values = {
        "percent": {"step": f"{framework.step:g}"},
        "rating": {"values": ", ".join(str(r.value) for r in framework.ratings)},
        "met": {},
    }
    lines = [when[c].format(column=thai_header(c), **values[c]) for c in values if c in columns]
    letters = {c for names in framework.factors.values() for c in names}
    factors = [thai_header(c) for c in columns if c in letters]
    if factors:
        lines.append(when["factors"].format(columns=", ".join(factors)))
    entry = [thai_header(c) for c in columns if c in ENTRY_COLUMNS]
    if entry:
        lines.append(when["entry"].format(columns=", ".join(entry)))
    return lines


def _instructions(
    framework: Framework,
    year: int,
    assessor: str,
    agencies: Sequence[Agency],
    frames: dict[str, pd.DataFrame],
    without_indicators: bool,
) -> Sheet:
    """The instructions sheet: how to fill in the workbook, and the agencies in it."""
    text = _text()
    sheets = ", ".join(sheet_title(form) for form in frames)
    lines = [
        text["title"].format(framework=framework.name_th, year=year, assessor=assessor),
        "",
        *(line.format(sheets=sheets) for line in text["how"]),
        *_value_lines(framework, frames),
    ]
    if without_indicators:
        keys = {i.key.split(".")[0] for i in framework.items if i.method == "indicator-success"}
        indicators = text["when"]["indicators"]
        lines.append(indicators.format(framework=framework.id, categories=",".join(sorted(keys))))
    lines += [
        *text["then"],
        "",
        text["agencies"].format(count=len(agencies)),
        *(f"{a.agency_id}  {a.agency_name}" for a in agencies),
    ]
    return Sheet(
        INSTRUCTIONS,
        pd.DataFrame({"text": lines}),
        show_header=False,
        widths={"text": INSTRUCTIONS_WIDTH},
        wrap=["text"],
    )


def workbook_name(framework: Framework, year: int, assessor: str) -> str:
    """``FRAMEWORK-YEAR-ASSESSOR.xlsx``, the assessor's name made safe for a file name; ""
    when nothing of the name is left."""
    name = _NOT_IN_FILE_NAMES.sub("-", assessor)
    name = re.sub(r"\s+", "-", name).strip(" .-")[:80]
    return f"{framework.id}-{year}-{name}.xlsx" if name else ""


def _names(framework: Framework, year: int, assessors: Sequence[str]) -> list[str]:
    """Each assessor's workbook name; EvalkitError when a name is empty, unusable in a file
    name, or two assessors would share a file."""
    names = [workbook_name(framework, year, a) for a in assessors]
    wrong = [a for a, name in zip(assessors, names, strict=True) if not name]
    if wrong:
        raise EvalkitError(
            msg(
                "The assessor {name} has no letter or digit to name a file by.", name=repr(wrong[0])
            )
        )
    if len(set(names)) < len(names):
        twice = next(n for n in names if names.count(n) > 1)
        who = [a for a, n in zip(assessors, names, strict=True) if n == twice]
        raise EvalkitError(
            msg(
                "The assessors {names} would share the file {file}; name them apart.",
                names=", ".join(who),
                file=twice,
            )
        )
    return names


def write_round(
    framework: Framework,
    agencies: Sequence[Agency],
    assessors: Sequence[str],
    year: int,
    folder: str | Path,
    categories: Sequence[str] | None = None,
    factors: bool = False,
) -> list[Path]:
    """Write one workbook per assessor into ``folder`` and return their paths; ``categories``
    and ``factors`` are those of :func:`~evalkit.exports.template.template_frames`."""
    names = _names(framework, year, assessors)
    blank, without_indicators = _assessor_forms(template_frames(framework, categories, factors))
    written = []
    for assessor, name in zip(assessors, names, strict=True):
        frames = round_frames(blank, agencies, year, assessor)
        sheets = [
            _instructions(framework, year, assessor, agencies, frames, without_indicators),
            *(replace(s, paper=True, landscape=True) for s in form_sheets(framework, frames)),
        ]
        written.append(write_xlsx(sheets, Path(folder) / name, "template"))
    return written
