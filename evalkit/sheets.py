"""Score sheets: long-form rows of assessors' percentages, typed, normalised and validated.

A band sheet has one row per assessor per item::

    agency_id, agency_name, year, framework, assessor, item, percent
    [, strength, improvement, evidence]

Years may be Buddhist era or common era (stored as Buddhist era); digits may be Thai.
:func:`load_scores` reads any number of sheets and either returns one frame or raises
:class:`~evalkit.errors.InvalidInputError` listing every problem in every file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

import pandas as pd
from pythainlp.util import thai_digit_to_arabic_digit

from .errors import InvalidInputError, Problem
from .framework import Registry, default_registry
from .readers import Table, canonical_column, read_table

KEYS = ("agency_id", "year", "framework")
REQUIRED = ("agency_id", "agency_name", "year", "framework", "assessor", "item", "percent")
OPTIONAL_TEXT = ("strength", "improvement", "evidence")
COLUMNS = (*REQUIRED, *OPTIONAL_TEXT, "source_file", "source_sheet", "source_row")
SAFE_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?")
BE_YEARS = range(2500, 2701)
CE_OFFSET = 543
SLUG_EXPECTED = "an id of lowercase letters, digits, '-' or '_' (e.g. trat-cdd)"


def is_safe_slug(value: str) -> bool:
    """True for ids usable as file names: lowercase letters, digits, '-' and '_', 1-64 long."""
    return SAFE_SLUG.fullmatch(value) is not None


def to_arabic_digits(series: pd.Series) -> pd.Series:
    """Replace Thai digits (๐-๙) with Arabic ones, converting each distinct value once."""
    uniques = series.unique()
    return series.map({u: thai_digit_to_arabic_digit(u) for u in uniques})


def to_be_year(value: float) -> float:
    """A year as Buddhist era: common-era years (1900-2399) gain 543; others stay as they are."""
    return value + CE_OFFSET if 1900 <= value < 2400 else value


class _Collector:
    """Collects problems for one table, row by row, in a vectorised way."""

    def __init__(self, table: Table, header: dict[str, str]):
        self.table = table
        self.header = header  # canonical -> column name as written in the file
        self.problems: list[Problem] = []

    def add(
        self,
        frame: pd.DataFrame,
        mask: pd.Series,
        column: str,
        expected: str,
        hint: str | Callable[[str], str] = "",
    ) -> None:
        for row, found in zip(frame.loc[mask, "source_row"], frame.loc[mask, column], strict=True):
            text = hint(found) if callable(hint) else hint
            self.problems.append(
                Problem(
                    self.table.file,
                    int(row),
                    self.header.get(column, column),
                    repr(found) if found != "" else "an empty cell",
                    expected,
                    text,
                    self.table.sheet,
                )
            )


def _closest(word: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"Did you mean {match[0]!r}?" if match else ""


def _frame(table: Table, header: dict[str, str]) -> pd.DataFrame:
    positions = {canon: table.header.index(name) for canon, name in header.items()}
    frame = pd.DataFrame(
        {canon: [row[pos] for _, row in table.rows] for canon, pos in positions.items()},
        dtype=object,
    )
    for column in OPTIONAL_TEXT:
        if column not in frame:
            frame[column] = ""
    frame["source_file"] = table.file
    frame["source_sheet"] = table.sheet
    frame["source_row"] = [number for number, _ in table.rows]
    return frame


def _check_table(table: Table, registry: Registry) -> tuple[pd.DataFrame, list[Problem]]:
    header: dict[str, str] = {}
    for name in table.header:
        canon = canonical_column(name)
        if canon and canon not in header:
            header[canon] = name
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = [h for h in table.header if h]
        return pd.DataFrame(columns=COLUMNS), [
            Problem(
                table.file,
                table.header_row,
                ", ".join(missing),
                f"the columns {found}",
                "the columns " + ", ".join(REQUIRED),
                "Add the missing columns; Thai names work too.",
                table.sheet,
            )
        ]
    if not table.rows:
        return pd.DataFrame(columns=COLUMNS), [
            Problem(
                table.file,
                table.header_row,
                "",
                "a header with no rows under it",
                "one row per assessor per item",
                sheet=table.sheet,
            )
        ]
    frame = _frame(table, header)
    out = _Collector(table, header)

    bad = frame["agency_id"].map(lambda v: not is_safe_slug(v))
    out.add(frame, bad, "agency_id", SLUG_EXPECTED)
    out.add(frame, frame["agency_name"] == "", "agency_name", "the agency's name")
    out.add(frame, frame["assessor"] == "", "assessor", "the assessor's name or code")

    year = pd.to_numeric(to_arabic_digits(frame["year"]), errors="coerce").map(to_be_year)
    bad = ~year.isin(BE_YEARS)
    out.add(frame, bad, "year", "a year between 2500 and 2700 BE (or 1957-2157 CE)")

    known = frame["framework"].isin(registry.ids())
    out.add(
        frame,
        ~known,
        "framework",
        "one of " + ", ".join(registry.ids()),
        partial(_closest, choices=registry.ids()),
    )

    frame["item"] = to_arabic_digits(frame["item"])
    raw_percent = to_arabic_digits(frame["percent"]).str.rstrip("%").str.strip()
    percent = pd.to_numeric(raw_percent, errors="coerce")
    for framework_id in frame.loc[known, "framework"].unique():
        framework = registry.get(framework_id)
        items = [i.key for i in framework.items]
        ours = frame["framework"] == framework_id
        out.add(
            frame,
            ours & ~frame["item"].isin(items),
            "item",
            f"an item of {framework_id}: " + ", ".join(items),
            partial(_closest, choices=items),
        )
        off_step = (percent % framework.step).abs() > 1e-9
        bad = ours & (percent.isna() | (percent < 0) | (percent > 100) | off_step)
        out.add(frame, bad, "percent", f"a number from 0 to 100 in steps of {framework.step:g}")

    frame["year"] = year
    frame["percent"] = percent
    return frame, out.problems


def check_scores(
    paths: Iterable[str | Path], registry: Registry | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate sheets; return the valid rows and every problem found."""
    registry = registry or default_registry()
    frames: list[pd.DataFrame] = []
    problems: list[Problem] = []
    for path in paths:
        table = read_table(path)
        if isinstance(table, Problem):
            problems.append(table)
            continue
        frame, found = _check_table(table, registry)
        problems += found
        frames.append(frame)
    if not frames and not problems:
        problems.append(Problem("(no files)", 0, "", "no score sheets", "at least one sheet"))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    frame = frame.reindex(columns=list(COLUMNS))
    if not problems:
        frame = frame.astype({"year": "int64", "percent": "float64", "source_row": "int64"})
        problems = _clashes(frame)
        frame = frame.drop_duplicates(subset=[*KEYS, "assessor", "item"])
    return frame, problems


def _clashes(frame: pd.DataFrame) -> list[Problem]:
    """Rows where one assessor gave one item different percentages (in any of the files)."""
    keys = [*KEYS, "assessor", "item"]
    clash = frame[frame.groupby(keys)["percent"].transform("nunique") > 1]
    problems = []
    for row in clash.itertuples():
        others = clash[(clash[keys] == [getattr(row, k) for k in keys]).all(axis=1)]
        values = ", ".join(f"{v:g}" for v in others["percent"].unique())
        problems.append(
            Problem(
                row.source_file,
                row.source_row,
                "percent",
                f"{row.percent:g}",
                "one percent per assessor and item",
                f"Assessor {row.assessor!r} scored item {row.item} of {row.agency_id} "
                f"{row.year} more than once: {values}.",
                row.source_sheet,
            )
        )
    return problems


def load_scores(paths: Iterable[str | Path], registry: Registry | None = None) -> pd.DataFrame:
    """Read sheets into one validated frame, or raise InvalidInputError with every problem."""
    frame, problems = check_scores(paths, registry)
    if problems:
        raise InvalidInputError(problems)
    return frame
