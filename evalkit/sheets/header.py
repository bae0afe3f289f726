"""A table's header read against the declared columns: which column each header cell names,
the rows that are blank, and the columns a sheet of its form does not read (left aside with a
word, never dropped in silence)."""

from __future__ import annotations

from dataclasses import replace

from openpyxl.utils import get_column_letter

from evalkit.core.errors import Problem
from evalkit.core.i18n import msg
from evalkit.frameworks.registry import Registry
from evalkit.sheets.columns import COLUMNS, aliases, column, factor_column
from evalkit.sheets.forms import Form, factor_letters, pattern_column
from evalkit.sheets.readers import column_matcher
from evalkit.sheets.sheetset import columns_of
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.tables import ColumnMatcher, Table


def sheet_columns(registry: Registry) -> ColumnMatcher:
    """The column a header cell names: every declared column, and the factor letters of the
    frameworks of ``registry``."""
    declared = [*COLUMNS.values(), *(factor_column(c) for c in factor_letters(registry))]
    return column_matcher(aliases(declared))


def header_of(table: Table, match: ColumnMatcher) -> tuple[dict[str, str], list[Problem]]:
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
                    found=msg(
                        "two columns for {column}: {first} (column {first_at}) and {second} "
                        "(column {second_at})",
                        column=canon,
                        first=repr(header[canon]),
                        first_at=get_column_letter(first + 1),
                        second=repr(name),
                        second_at=get_column_letter(position + 1),
                    ),
                    expected=msg("one column for {column}", column=canon),
                    hint=msg("Delete or rename one of them."),
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
    header, _ = header_of(table, match)
    filled = [table.header.index(name) for c, name in header.items() if column(c).filled]
    rows = tuple((n, row) for n, row in table.rows if any(row[i] for i in filled))
    return replace(table, rows=rows)


def unread_columns(
    table: Table, header: dict[str, str], form: Form, registry: Registry, match: ColumnMatcher
) -> list[Skipped]:
    """The columns with something in them that a sheet of ``form`` does not read: one that
    names no column evalkit knows, or a column of another form. What evalkit writes for
    people to read (an item's name, a check's text) is left aside without a word."""
    read = set(columns_of(form)) | (set(factor_letters(registry)) if form.factors else set())
    used = {name for canon, name in header.items() if canon in read}
    found = []
    for position, name in enumerate(table.header):
        canon = match(name)
        if name in used or (canon is not None and not column(canon).read):
            continue
        filled = sum(1 for _, row in table.rows if row[position])
        if filled:
            label = name or get_column_letter(position + 1)
            reason = msg("a column a {form} sheet does not have, not read", form=form.name)
            found.append(Skipped(table.file, table.sheet, reason, count=filled, column=label))
    return found
