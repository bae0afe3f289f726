"""Score sheets in, validated frames out.

:func:`load_sheets` reads any number of CSV or XLSX files, in any of the three forms of
:mod:`evalkit.sheets.forms`, and returns a :class:`SheetSet`, or raises
:class:`~evalkit.core.errors.InvalidInputError` listing every problem in every file. Years come
out as Buddhist era, digits as Arabic, and every row keeps its source file, sheet and row.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.frameworks.registry import Registry
from evalkit.sheets import validate
from evalkit.sheets.ledger import Ledger
from evalkit.sheets.sheetset import SheetSet


def _ledger_rows(path: Path) -> pd.DataFrame:
    ledger = Ledger.open_existing(path)
    try:
        return ledger.stored()
    finally:
        ledger.close()


def check_sheets(
    paths: Iterable[str | Path],
    registry: Registry | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    decimal_comma: bool = False,
) -> tuple[SheetSet, list[Problem]]:
    """Read and validate sheets and ledgers (paths ending in .sqlite or .db: their current
    rows join the others); return the valid rows and every problem found. ``decimal_comma``
    reads numbers written ``8,5`` (:mod:`evalkit.sheets.numbers`)."""
    return validate.check_sheets(
        paths, registry, sheet, encoding, read_ledger=_ledger_rows, decimal_comma=decimal_comma
    )


def load_sheets(
    paths: Iterable[str | Path],
    registry: Registry | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    decimal_comma: bool = False,
) -> SheetSet:
    """Read sheets into a SheetSet, or raise InvalidInputError with every problem."""
    sheets, problems = check_sheets(paths, registry, sheet, encoding, decimal_comma)
    if problems:
        raise InvalidInputError(problems)
    return sheets
