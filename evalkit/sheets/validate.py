"""Validation of score sheets: every row checked against its form and framework, every
problem collected with its file, sheet, row and column."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import msg
from evalkit.frameworks.registry import Registry, default_registry
from evalkit.sheets.assessors import canonical_names
from evalkit.sheets.consistency import Headers, clashes, coverage, names, one_per_agency
from evalkit.sheets.forms import (
    COMMENTS,
    FORMS,
    Form,
    check_identity,
    detect_form,
    factor_letters,
    get_form,
)
from evalkit.sheets.forms.entry import ENTRY_COLUMNS, check_entry
from evalkit.sheets.header import header_of, sheet_columns, unread_columns, without_blank_rows
from evalkit.sheets.numbers import per_value
from evalkit.sheets.readers import read_tables
from evalkit.sheets.rows import Rows
from evalkit.sheets.sheetset import SheetSet, columns_of, value_keys
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.stored import refused, restore_origin, stored_tables
from evalkit.sheets.tables import Table

#: Reads a ledger file's current rows as stored (``id``, ``form``, ``data``, ``source_file``).
LedgerReader = Callable[[Path], pd.DataFrame]


#: Problems listed per file; past it, one more problem counts the rest.
MAX_PER_FILE = 500
LEDGER_SUFFIXES = (".sqlite", ".db")


@dataclass
class _Reading:
    """One call's reading: its options, and what it has found so far."""

    registry: Registry
    sheet: str | None = None
    encoding: str | None = None
    decimal_comma: bool = False
    read_ledger: LedgerReader | None = None
    parts: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    headers: Headers = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parts = {form: [] for form in FORMS}
        self.match = sheet_columns(self.registry)


def _missing(table: Table, header: dict[str, str], form: Form) -> Problem | None:
    """The problem of a header without the columns of its form, or of no filled row."""
    required = [c for c in form.required if c not in header]
    if form.any_of and not set(form.any_of) & set(header):
        required.append(form.any_of[0])
    at = partial(Problem, file=table.file, row=table.header_row, sheet=table.sheet)
    if required:
        expected = list(form.required)
        expected += [" or ".join(form.values)] if form.any_of else []
        return at(
            column=", ".join(required),
            found=msg("the columns {columns}", columns=[h for h in table.header if h]),
            expected=msg(
                "the columns of a {form} sheet: {columns}",
                form=form.name,
                columns=", ".join(expected),
            ),
            hint=msg("Add the missing columns; Thai names work too (see the README)."),
        )
    if not table.rows:
        return at(
            column="",
            found=msg("a header with no filled rows under it"),
            expected=msg("at least one row of scores"),
            hint=msg("Blank rows (no agency, year, assessor, score or comment) are skipped."),
        )
    return None


def _check_table(table: Table, reading: _Reading) -> list[Problem]:
    """Check one table's rows and add the good ones to ``reading``; the problems found."""
    header, doubled = header_of(table, reading.match)
    form = get_form(detect_form(list(header)))
    reading.headers[(table.file, table.sheet)] = header
    if doubled:
        return doubled
    missing = _missing(table, header, form)
    if missing:
        return [missing]
    reading.skipped += unread_columns(table, header, form, reading.registry, reading.match)
    rows = Rows(table, header, form.name, reading.decimal_comma)
    known = check_identity(rows, reading.registry)
    form.check(rows, reading.registry, known)
    check_entry(rows, reading.registry, known)
    factors = factor_letters(reading.registry) if form.factors else ()
    kept = [c for c in rows.frame if c in columns_of(form) or c in factors]
    frame = rows.frame[kept]
    reading.parts[form.name].append(frame[~frame["source_row"].isin(rows.bad)])
    return rows.listed()


def _read_stored(path: Path, reading: _Reading) -> None:
    """Add a ledger's current rows to ``reading``, each checked as a sheet's row is; a row
    that cannot be read or that the checks refuse is set aside with a word."""
    assert reading.read_ledger is not None
    stored = stored_tables(reading.read_ledger(path), str(path))
    reading.skipped += stored.aside
    for table in stored.tables:
        alone = _Reading(reading.registry)
        reading.skipped += refused(_check_table(table, alone))
        for form, frames in alone.parts.items():
            reading.parts[form] += [restore_origin(f, stored.origin) for f in frames if len(f)]


def _read_path(path: Path, reading: _Reading) -> list[Problem]:
    """Add the rows of one file (a sheet, or a ledger's current rows) to ``reading``."""
    if reading.read_ledger is not None and path.suffix.lower() in LEDGER_SUFFIXES:
        _read_stored(path, reading)
        return []
    tables = read_tables(
        path,
        reading.sheet,
        reading.encoding,
        match=reading.match,
        multiline=COMMENTS,
        skipped=reading.skipped,
    )
    if isinstance(tables, Problem):
        return [tables]
    filled = [without_blank_rows(table, reading.match) for table in tables]
    # a workbook's untouched sheets (a template's other forms) are left aside, not refused
    kept = [table for table in filled if table.rows] or filled[:1]
    for table in filled:
        if table not in kept:
            reason = msg("a sheet with no row filled in")
            reading.skipped.append(Skipped(table.file, table.sheet, reason, quiet=True))
    problems: list[Problem] = []
    for table in kept:
        problems += _check_table(table, reading)
    return problems


def _one_name_each(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each assessor under one name across every file (``self`` and ``consensus`` by any
    spelling; ``somchai`` as the ``Somchai`` found first)."""
    names = [
        str(n)
        for frame in frames.values()
        if "assessor" in frame
        for n in frame["assessor"].astype(object).dropna().unique()
    ]
    mapping = canonical_names(list(dict.fromkeys(names)))
    return {
        form: frame.assign(
            assessor=per_value(frame["assessor"].astype(object), lambda n: mapping.get(n, n))
        )
        if "assessor" in frame
        else frame
        for form, frame in frames.items()
    }


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most :data:`MAX_PER_FILE` problems of each file, and one counting the rest."""
    listed: dict[str, int] = {}
    unlisted: dict[str, int] = {}
    kept = []
    for problem in problems:
        listed[problem.file] = listed.get(problem.file, 0) + 1
        if listed[problem.file] <= MAX_PER_FILE:
            kept.append(problem)
        else:
            unlisted[problem.file] = unlisted.get(problem.file, 0) + 1
    for file, count in unlisted.items():
        kept.append(
            Problem(
                file=file,
                row=0,
                column="",
                found=msg("{count} more problems, not listed", count=f"{count:,}"),
                expected=msg("at most {count} problems listed per file", count=MAX_PER_FILE),
                hint=msg("Fix the problems listed and check again."),
            )
        )
    return kept


def _nothing_read(
    files: list[Path], parts: dict[str, list[pd.DataFrame]], problems: list[Problem]
) -> list[Problem]:
    """The problem of no file at all, or of files without one filled row."""
    if not files:
        return [
            Problem(
                file="(no files)",
                row=0,
                column="",
                found=msg("no score sheets"),
                expected=msg("at least one sheet"),
            )
        ]
    if problems or any(len(f) for f in itertools.chain(*parts.values())):
        return []
    return [
        Problem(
            file=str(files[0]),
            row=0,
            column="",
            found=msg("sheets with no row filled in (agency, year, assessor and values empty)"),
            expected=msg("at least one filled row"),
            hint=msg("Fill in the template's rows for one agency and year."),
        )
    ]


def check_sheets(
    paths: Iterable[str | Path],
    registry: Registry | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    read_ledger: LedgerReader | None = None,
    decimal_comma: bool = False,
) -> tuple[SheetSet, list[Problem]]:
    """Read and validate sheets; return the valid rows and every problem found.

    With ``read_ledger``, paths ending in .sqlite or .db are ledgers whose current rows join
    the others (:func:`evalkit.sheets.load.check_sheets` passes the ledger's reader). Rows with
    problems are left out, and blank rows (a template's untouched rows) are skipped; the checks
    across rows (the same value given twice, two names for one agency, categories scored in
    part) run on the rows that remain. ``decimal_comma`` reads ``8,5`` as 8.5
    (:mod:`evalkit.sheets.numbers`).
    """
    registry = registry or default_registry()
    reading = _Reading(registry, sheet, encoding, decimal_comma, read_ledger)
    files = [Path(p) for p in paths]
    problems: list[Problem] = []
    for path in files:
        problems += _read_path(path, reading)
    problems += _nothing_read(files, reading.parts, problems)
    frames = {form: pd.concat(f, ignore_index=True) for form, f in reading.parts.items() if f}
    sheets = SheetSet.of(**_one_name_each(frames))
    headers = reading.headers
    for form, frame in sheets.frames().items():
        problems += clashes(form, frame, headers)
    problems += names(sheets, headers)
    problems += [p for c in ENTRY_COLUMNS for p in one_per_agency(sheets, headers, c)]
    problems += coverage(sheets, registry, skip_files={p.file for p in problems})
    skipped = tuple(reading.skipped)
    if problems:
        return sheets.with_skipped(skipped), _capped(problems)
    dedup = {
        form: frame.drop_duplicates(value_keys(get_form(form))[0]).reset_index(drop=True)
        for form, frame in sheets.frames().items()
    }
    return SheetSet(dedup, skipped), problems
