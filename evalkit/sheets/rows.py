"""One table's rows as text, keyed by canonical column, with the problems found in them."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message
from evalkit.sheets.numbers import number_reasons
from evalkit.sheets.tables import Table

#: Problems listed per table; past it, one more problem counts the rest.
MAX_LISTED = 200


class Rows:
    """One table's rows as text, keyed by canonical column, with problems collected.

    Every row with a problem is remembered in ``bad``; the first :data:`MAX_LISTED` problems
    are listed and ``unlisted`` counts the others."""

    def __init__(
        self, table: Table, header: dict[str, str], form: str, decimal_comma: bool = False
    ):
        self.table, self.header, self.form = table, header, form
        self.decimal_comma = decimal_comma
        self.problems: list[Problem] = []
        self.unlisted = 0
        self.bad: set[int] = set()
        self.reasons: dict[str, pd.Series] = {}
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
        hint: str | Message | Callable[[str], str] = "",
    ) -> None:
        rows = self.frame.loc[mask, ["source_row", column]]
        reasons = self.reasons.get(column)
        for index, row, found in rows.itertuples(index=True):
            self.bad.add(int(row))
            if len(self.problems) >= MAX_LISTED:
                self.unlisted += 1
                continue
            text: str | Message = hint(found) if callable(hint) else hint
            if not text and reasons is not None:
                text = str(reasons.get(index, "") or "")
            self.problems.append(
                Problem(
                    file=self.table.file,
                    row=int(row),
                    column=self.header.get(column, column),
                    found=repr(found) if found != "" else "an empty cell",
                    expected=expected,
                    hint=text,
                    sheet=self.table.sheet,
                )
            )

    def listed(self) -> list[Problem]:
        """The problems, with one that counts the unlisted ones when there are any."""
        if not self.unlisted:
            return self.problems
        more = Problem(
            file=self.table.file,
            row=0,
            column="",
            found=f"{self.unlisted:,} more problems, not listed",
            expected=f"at most {MAX_LISTED} problems listed per sheet",
            hint="Fix the problems listed and check again.",
            sheet=self.table.sheet,
        )
        return [*self.problems, more]
