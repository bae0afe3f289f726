"""Validation of score sheets: every row checked against its form and framework, every
problem collected with its file, sheet, row and column."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from evalkit.core.errors import Problem
from evalkit.frameworks.registry import Registry, default_registry
from evalkit.sheets.columns import COLUMNS, aliases, column, factor_column
from evalkit.sheets.consistency import Headers, clashes, coverage, names
from evalkit.sheets.forms import (
    COMMENTS,
    FORMS,
    check_identity,
    detect_form,
    factor_letters,
    get_form,
    pattern_column,
)
from evalkit.sheets.readers import ColumnMatcher, Table, column_matcher, read_tables
from evalkit.sheets.rows import Rows
from evalkit.sheets.sheetset import SheetSet, columns_of, value_keys

#: Reads a ledger file's current rows.
LedgerReader = Callable[[Path], SheetSet]


#: Problems listed per file; past it, one more problem counts the rest.
MAX_PER_FILE = 500


def sheet_columns(registry: Registry) -> ColumnMatcher:
    """The column a header cell names: every declared column, and the factor letters of the
    frameworks of ``registry``."""
    declared = [*COLUMNS.values(), *(factor_column(c) for c in factor_letters(registry))]
    return column_matcher(aliases(declared))


def _header(table: Table, match: ColumnMatcher) -> tuple[dict[str, str], list[Problem]]:
    """Canonical column (or ``y2563`` for a year of results) -> the header cell that names it;
    two columns for one name are refused. What evalkit writes beside a template's rows for
    people to read (an item's name, a check's text) is left aside."""
    header: dict[str, str] = {}
    problems = []
    for position, name in enumerate(table.header):
        canon = match(name) or pattern_column(name)
        if not canon or not column(canon).read:
            continue
        if canon in header:
            first = table.header.index(header[canon])
            problems.append(
                Problem(
                    file=table.file,
                    row=table.header_row,
                    column=name,
                    found=f"two columns for {canon}: {header[canon]!r} (column "
                    f"{get_column_letter(first + 1)}) and {name!r} (column "
                    f"{get_column_letter(position + 1)})",
                    expected=f"one column for {canon}",
                    hint="Delete or rename one of them.",
                    sheet=table.sheet,
                )
            )
            continue
        header[canon] = name
    return header, problems


def without_blank_rows(table: Table, match: ColumnMatcher) -> Table:
    """The table without its blank rows: rows where every column an assessor fills
    (:attr:`Column.filled <evalkit.sheets.columns.Column>`) is empty (the columns a template
    fills in advance, such as framework, item, check and their names, do not count). A
    template's untouched rows are blank; a row that names its agency, year or assessor but has
    no value is not, and is checked as usual."""
    header, _ = _header(table, match)
    filled = [table.header.index(name) for c, name in header.items() if column(c).filled]
    rows = tuple((n, row) for n, row in table.rows if any(row[i] for i in filled))
    return replace(table, rows=rows)


def _check_table(
    table: Table, registry: Registry, match: ColumnMatcher, decimal_comma: bool = False
) -> tuple[str, pd.DataFrame, list[Problem], set[int], dict[str, str]]:
    header, doubled = _header(table, match)
    form = detect_form(list(header))
    declared = get_form(form)
    required = [c for c in declared.required if c not in header]
    if declared.any_of and not set(declared.any_of) & set(header):
        required.append(declared.any_of[0])

    def fail(
        column: str, found: str, expected: str, hint: str = ""
    ) -> tuple[str, pd.DataFrame, list[Problem], set[int], dict[str, str]]:
        problem = Problem(
            file=table.file,
            row=table.header_row,
            column=column,
            found=found,
            expected=expected,
            hint=hint,
            sheet=table.sheet,
        )
        return form, pd.DataFrame(), [problem], set(), header

    if doubled:
        return form, pd.DataFrame(), doubled, set(), header
    if required:
        found = [h for h in table.header if h]
        expected = list(declared.required)
        expected += [" or ".join(declared.values)] if declared.any_of else []
        return fail(
            ", ".join(required),
            f"the columns {found}",
            f"the columns of a {form} sheet: " + ", ".join(expected),
            "Add the missing columns; Thai names work too (see the README).",
        )
    if not table.rows:
        return fail(
            "",
            "a header with no filled rows under it",
            "at least one row of scores",
            "Blank rows (no agency, year, assessor, score or comment) are skipped.",
        )
    rows = Rows(table, header, form, decimal_comma)
    known = check_identity(rows, registry)
    declared.check(rows, registry, known)
    factors = factor_letters(registry) if declared.factors else ()
    kept = [c for c in rows.frame if c in columns_of(declared) or c in factors]
    return form, rows.frame[kept], rows.listed(), rows.bad, header


LEDGER_SUFFIXES = (".sqlite", ".db")


def _read_path(
    path: Path,
    registry: Registry,
    options: dict[str, object],
    parts: dict[str, list[pd.DataFrame]],
    headers: Headers,
    read_ledger: LedgerReader | None,
) -> list[Problem]:
    """Add the rows of one file (a sheet, or a ledger's current rows) to ``parts``."""
    if read_ledger is not None and path.suffix.lower() in LEDGER_SUFFIXES:
        for form, frame in read_ledger(path).frames().items():
            parts[form].append(frame)
        return []
    tables = read_tables(
        path,
        options["sheet"],  # type: ignore[arg-type]
        options["encoding"],  # type: ignore[arg-type]
        match=sheet_columns(registry),
        multiline=COMMENTS,
    )
    if isinstance(tables, Problem):
        return [tables]
    problems: list[Problem] = []
    match = sheet_columns(registry)
    filled = [without_blank_rows(table, match) for table in tables]
    # a workbook's untouched sheets (a template's other forms) are skipped, not refused
    kept = [table for table in filled if table.rows] or filled[:1]
    for table in kept:
        form, frame, found, bad, header = _check_table(
            table, registry, match, bool(options["decimal_comma"])
        )
        headers[(table.file, table.sheet)] = header
        problems += found
        if not frame.empty:
            parts[form].append(frame[~frame["source_row"].isin(bad)])
    return problems


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
                found=f"{count:,} more problems, not listed",
                expected=f"at most {MAX_PER_FILE} problems listed per file",
                hint="Fix the problems listed and check again.",
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
                found="no score sheets",
                expected="at least one sheet",
            )
        ]
    if problems or any(len(f) for f in itertools.chain(*parts.values())):
        return []
    return [
        Problem(
            file=str(files[0]),
            row=0,
            column="",
            found="sheets with no row filled in (agency, year, assessor and values empty)",
            expected="at least one filled row",
            hint="Fill in the template's rows for one agency and year.",
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
    parts: dict[str, list[pd.DataFrame]] = {form: [] for form in FORMS}
    headers: Headers = {}
    options: dict[str, object] = {
        "sheet": sheet,
        "encoding": encoding,
        "decimal_comma": decimal_comma,
    }
    files = [Path(p) for p in paths]
    problems: list[Problem] = []
    for path in files:
        problems += _read_path(path, registry, options, parts, headers, read_ledger)
    problems += _nothing_read(files, parts, problems)
    frames = {form: pd.concat(f, ignore_index=True) for form, f in parts.items() if f}
    sheets = SheetSet.of(**frames)
    for form, frame in sheets.frames().items():
        problems += clashes(form, frame, headers)
    problems += names(sheets, headers)
    problems += coverage(sheets, registry, skip_files={p.file for p in problems})
    if problems:
        return sheets, _capped(problems)
    dedup = {
        form: frame.drop_duplicates(value_keys(get_form(form))[0]).reset_index(drop=True)
        for form, frame in sheets.frames().items()
    }
    return SheetSet(dedup), problems
