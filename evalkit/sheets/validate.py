"""Validation of score sheets: every row checked against its form and framework, every
problem collected with its file, sheet, row and column."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.frameworks.registry import Registry, default_registry
from evalkit.sheets.forms import (
    CHECKERS,
    COMMENTS,
    FACTORS,
    FORMS,
    TEXT,
    Rows,
    check_identity,
    detect_form,
    year_column,
)
from evalkit.sheets.readers import Table, canonical_column, read_tables
from evalkit.sheets.sheetset import KEYS, VALUE_KEYS, SheetSet

#: form -> the columns an assessor fills in each row: a row with all of them empty is blank
#: and skipped (a template's untouched row); framework, item, check, level, indicator and
#: direction may be filled in advance and do not count.
FILLED: dict[str, tuple[str, ...]] = {
    "band": ("agency_id", "agency_name", "year", "assessor", "percent", "rating", *FACTORS, *TEXT),
    "checklist": ("agency_id", "agency_name", "year", "assessor", "met", *COMMENTS),
    "indicators": ("agency_id", "agency_name", "year", "target", "actual", *COMMENTS),
}

#: Reads a ledger file's current rows.
LedgerReader = Callable[[Path], SheetSet]


def _header(table: Table) -> dict[str, str]:
    """Canonical column -> the header cell that names it (the first, when several do)."""
    header: dict[str, str] = {}
    for name in table.header:
        canon = canonical_column(name) or year_column(name)
        if canon and canon not in header:
            header[canon] = name
    return header


def without_blank_rows(table: Table) -> Table:
    """The table without its blank rows: rows where every column of :data:`FILLED` for the
    table's form is empty (the columns a template fills in advance, such as framework, item,
    check and their names, do not count). A template's untouched rows are blank; a row that
    names its agency, year or assessor but has no value is not, and is checked as usual."""
    header = _header(table)
    filled = [
        table.header.index(header[c]) for c in FILLED[detect_form(list(header))] if c in header
    ]
    rows = tuple((n, row) for n, row in table.rows if any(row[i] for i in filled))
    return replace(table, rows=rows)


def _check_table(table: Table, registry: Registry) -> tuple[str, pd.DataFrame, list[Problem]]:
    header = _header(table)
    form = detect_form(list(header))
    required = [c for c in FORMS[form] if c not in header]
    if form == "band" and not {"percent", "rating", *TEXT} & set(header):
        required.append("percent")

    def fail(
        column: str, found: str, expected: str, hint: str = ""
    ) -> tuple[str, pd.DataFrame, list[Problem]]:
        problem = Problem(
            file=table.file,
            row=table.header_row,
            column=column,
            found=found,
            expected=expected,
            hint=hint,
            sheet=table.sheet,
        )
        return form, pd.DataFrame(), [problem]

    if required:
        found = [h for h in table.header if h]
        expected = list(FORMS[form]) + (["percent or rating"] if form == "band" else [])
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
    rows = Rows(table, header, form)
    known = check_identity(rows, registry)
    CHECKERS[form](rows, registry, known)
    return form, rows.frame, rows.problems


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _clashes(form: str, frame: pd.DataFrame) -> list[Problem]:
    """The same value given twice (in any of the files) with different contents."""
    keys, values = VALUE_KEYS[form]
    signature = pd.util.hash_pandas_object(frame[values], index=False)
    clash = frame[
        signature.groupby([frame[k] for k in keys], observed=True).transform("nunique") > 1
    ]
    problems = []
    for _, group in clash.groupby(keys, sort=False, observed=True):
        found = ", ".join(
            sorted(
                {
                    " / ".join(_shown(v) for v in r if pd.notna(v) and v != "")
                    for r in group[values].itertuples(index=False)
                }
            )
        )
        what = " ".join(str(group.iloc[0][k]) for k in KEYS)
        owner = " and ".join(keys[len(KEYS) :])
        for row in group.itertuples():
            problems.append(
                Problem(
                    file=row.source_file,
                    row=int(row.source_row),
                    column=values[0],
                    found=found,
                    expected=f"one value per {owner}",
                    hint=f"{what}: the same {keys[-1]} was given more than once with "
                    "different values.",
                    sheet=row.source_sheet,
                )
            )
    return problems


def _coverage(sheets: SheetSet, registry: Registry, skip_files: set[str]) -> list[Problem]:
    """Categories must be scored whole, and checklist items with every check.

    Agencies with rows in ``skip_files`` (files that have problems of their own, whose bad
    rows were left out) are not judged, so that one typo is not reported twice."""
    problems = []
    present = pd.concat([f[[*KEYS, "item", "source_file"]] for f in sheets.frames().values()])
    for (agency_id, year, framework_id), group in present.groupby(KEYS, sort=False):
        if skip_files & set(group["source_file"].astype(str)):
            continue
        framework = registry.get(framework_id)
        items = set(group["item"])
        file = str(group["source_file"].iloc[0])
        for category in framework.categories:
            keys = [i.key for i in category.items]
            missing = [k for k in keys if k not in items]
            if missing and len(missing) < len(keys):
                problems.append(
                    Problem(
                        file=file,
                        row=0,
                        column="item",
                        found=f"no scores for item {', '.join(missing)} of {agency_id} {year}",
                        expected=f"every item of category {category.key} or none",
                        hint="A sheet may leave out whole categories (a category award), "
                        "not single items.",
                    )
                )
    checks = sheets.checks
    if len(checks):
        for (agency_id, year, framework_id, item), group in checks.groupby(
            [*KEYS, "item"], sort=False
        ):
            if skip_files & set(group["source_file"].astype(str)):
                continue
            wanted = [c.id for c in registry.get(framework_id).item(item).checks]
            missing = [c for c in wanted if c not in set(group["check"])]
            if missing:
                problems.append(
                    Problem(
                        file=str(group["source_file"].iloc[0]),
                        row=0,
                        column="check",
                        found=f"no rows for checks {', '.join(missing)} of {agency_id} {year}",
                        expected=f"a row for every check of item {item}",
                    )
                )
    return problems


LEDGER_SUFFIXES = (".sqlite", ".db")


def _read_path(
    path: Path,
    registry: Registry,
    sheet: str | None,
    encoding: str | None,
    parts: dict[str, list[pd.DataFrame]],
    read_ledger: LedgerReader | None,
) -> list[Problem]:
    """Add the rows of one file (a sheet, or a ledger's current rows) to ``parts``."""
    if read_ledger is not None and path.suffix.lower() in LEDGER_SUFFIXES:
        for form, frame in read_ledger(path).frames().items():
            parts[form].append(frame)
        return []
    tables = read_tables(path, sheet, encoding, multiline=COMMENTS)
    if isinstance(tables, Problem):
        return [tables]
    problems: list[Problem] = []
    filled = [without_blank_rows(table) for table in tables]
    # a workbook's untouched sheets (a template's other forms) are skipped, not refused
    kept = [table for table in filled if table.rows] or filled[:1]
    for table in kept:
        form, frame, found = _check_table(table, registry)
        problems += found
        if not frame.empty:
            bad = {p.row for p in found if p.sheet == table.sheet}
            parts[form].append(frame[~frame["source_row"].isin(bad)])
    return problems


def check_sheets(
    paths: Iterable[str | Path],
    registry: Registry | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    read_ledger: LedgerReader | None = None,
) -> tuple[SheetSet, list[Problem]]:
    """Read and validate sheets; return the valid rows and every problem found.

    With ``read_ledger``, paths ending in .sqlite or .db are ledgers whose current rows join
    the others (:func:`evalkit.sheets.load.check_sheets` passes the ledger's reader). Rows with
    problems are left out; the checks across rows (the same value given twice, categories
    scored in part) run on the rows that remain.
    """
    registry = registry or default_registry()
    parts: dict[str, list[pd.DataFrame]] = {form: [] for form in FORMS}
    files = [Path(p) for p in paths]
    problems: list[Problem] = []
    for path in files:
        problems += _read_path(path, registry, sheet, encoding, parts, read_ledger)
    if not files:
        problems.append(
            Problem(
                file="(no files)",
                row=0,
                column="",
                found="no score sheets",
                expected="at least one sheet",
            )
        )
    if files and not problems and not any(len(f) for f in itertools.chain(*parts.values())):
        problems.append(
            Problem(
                file=str(files[0]),
                row=0,
                column="",
                found="sheets with no row filled in (agency, year, assessor and values empty)",
                expected="at least one filled row",
                hint="Fill in the template's rows for one agency and year.",
            )
        )
    frames = {form: pd.concat(f, ignore_index=True) if f else None for form, f in parts.items()}
    sheets = SheetSet.of(frames["band"], frames["checklist"], frames["indicators"])
    for form, frame in sheets.frames().items():
        problems += _clashes(form, frame)
    problems += _coverage(sheets, registry, skip_files={p.file for p in problems})
    if problems:
        return sheets, problems
    dedup = {
        form: frame.drop_duplicates(VALUE_KEYS[form][0]).reset_index(drop=True)
        for form, frame in sheets.frames().items()
    }
    return SheetSet(dedup["band"], dedup["checklist"], dedup["indicators"]), problems
