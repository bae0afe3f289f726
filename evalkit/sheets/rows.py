"""One table's rows as text, keyed by canonical column, with the problems found in them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg
from evalkit.sheets.numbers import number_reasons
from evalkit.sheets.skipped import row_ranges
from evalkit.sheets.tables import Table

#: Problems listed per table; past it, one more problem counts the rest.
MAX_LISTED = 200


@dataclass(frozen=True, kw_only=True)
class ManyRows(Problem):
    """One problem of many rows of a column (its empty cells), said in one line; ``rows``
    are every row it holds."""

    rows: tuple[int, ...] = ()


class Rows:
    """One table's rows as text, keyed by canonical column, with problems collected.

    Every row with a problem is remembered in ``bad``; the first :data:`MAX_LISTED` problems
    are listed and ``unlisted`` counts the others. The empty cells of a column that are
    refused alike (an untouched workbook of a round, filled in advance with its agencies) are
    one line naming every row, where the first of them is listed."""

    def __init__(
        self, table: Table, header: dict[str, str], form: str, decimal_comma: bool = False
    ):
        self.table, self.header, self.form = table, header, form
        self.decimal_comma = decimal_comma
        self.problems: list[Problem] = []
        self.unlisted = 0
        self.bad: set[int] = set()
        self.reasons: dict[str, pd.Series] = {}
        #: (column, expected, hint) -> where the first empty cell is listed, and its rows
        self.empty: dict[tuple[str, str, str], tuple[int, list[int]]] = {}
        positions = {canon: table.header.index(name) for canon, name in header.items()}
        self.frame = pd.DataFrame(
            {c: [row[p] for _, row in table.rows] for c, p in positions.items()}, dtype=object
        )
        self.frame["source_file"] = table.file
        self.frame["source_sheet"] = table.sheet
        self.frame["source_row"] = [number for number, _ in table.rows]

    def number(self, column: str) -> pd.Series:
        """A column as numbers in the sheet's locale; why a cell was refused becomes the hint
        of its problem."""
        values, reasons = number_reasons(self.frame[column], self.decimal_comma)
        self.reasons[column] = reasons
        return values

    def flag(
        self,
        mask: pd.Series,
        column: str,
        expected: str | Message,
        hint: str | Message | Callable[[str], str | Message] = "",
    ) -> None:
        if pd.api.types.is_bool_dtype(mask) and not mask.any():
            return  # no row flagged: the common case, at no cost
        rows = self.frame.loc[mask, ["source_row", column]]
        reasons = self.reasons.get(column)
        for index, row, found in rows.itertuples(index=True):
            self.bad.add(int(row))
            text: str | Message = ""
            if found == "":
                text = self._hint(hint, found, reasons, index)
                if self._empty_again((column, str(expected), str(text)), int(row)):
                    continue
            if len(self.problems) >= MAX_LISTED:
                self.unlisted += 1
                continue
            text = text or self._hint(hint, found, reasons, index)
            self.problems.append(
                Problem(
                    file=self.table.file,
                    row=int(row),
                    column=self.header.get(column, column),
                    found=repr(found) if found != "" else msg("an empty cell"),
                    expected=expected,
                    hint=text,
                    sheet=self.table.sheet,
                )
            )

    @staticmethod
    def _hint(
        hint: str | Message | Callable[[str], str | Message],
        found: str,
        reasons: pd.Series | None,
        index: object,
    ) -> str | Message:
        text: str | Message = hint(found) if callable(hint) else hint
        if not text and reasons is not None:
            text = reasons.get(index, "") or ""
        return text

    def _empty_again(self, key: tuple[str, str, str], row: int) -> bool:
        """Remember an empty cell; True when its column's line is listed already."""
        if key in self.empty and self.empty[key][0] >= 0:
            self.empty[key][1].append(row)
            return True
        if key not in self.empty:
            listed = len(self.problems) if len(self.problems) < MAX_LISTED else -1
            self.empty[key] = (listed, [row])
        return False

    def _grouped(self) -> list[Problem]:
        """The problems, each column's empty cells refused alike as one line."""
        problems = list(self.problems)
        for at, rows in self.empty.values():
            if at >= 0 and len(rows) > 1:
                first = {f.name: getattr(problems[at], f.name) for f in fields(Problem)}
                found = msg(
                    "empty cells in rows {rows} ({count} rows)",
                    rows=row_ranges(rows),
                    count=f"{len(rows):,}",
                )
                problems[at] = ManyRows(**(first | {"row": 0, "found": found}), rows=tuple(rows))
        return problems

    def listed(self) -> list[Problem]:
        """The problems, with one that counts the unlisted ones when there are any."""
        problems = self._grouped()
        if not self.unlisted:
            return problems
        more = Problem(
            file=self.table.file,
            row=0,
            column="",
            found=msg("{count} more problems, not listed", count=f"{self.unlisted:,}"),
            expected=msg("at most {count} problems listed per sheet", count=MAX_LISTED),
            hint=msg("Fix the problems listed and check again."),
            sheet=self.table.sheet,
        )
        return [*problems, more]
