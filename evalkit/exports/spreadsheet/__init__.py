"""The one spreadsheet writer: every CSV and XLSX file evalkit writes goes through here.

- **Formulas never run.** Text that a spreadsheet would read as a formula, beginning with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's rule for CSV injection), is
  neutralised: in CSV with a leading apostrophe; in XLSX it is stored as text with Excel's own
  quote prefix (what Excel records when a person types ``'=``), so it shows as written, stays
  text when the cell is edited, and reads back unchanged. Numbers stay numbers, negative ones
  too, and text that is a plain number (``-5``) is left as it is.
- **Thai shows.** CSV is UTF-8 with a byte-order mark, which Excel needs to show Thai.
- **Whole or not at all.** A file is written beside its target and renamed into place
  (:func:`evalkit.core.files.atomic_path`); a workbook is built in memory first. A full disk
  raises :class:`OSError` naming the file, and the file that was there stays as it was.
- **Workbooks say what they are**: their custom document properties name their kind and the
  sheets that are score input (:mod:`evalkit.core.outputs`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from evalkit.core.files import atomic_path
from evalkit.core.outputs import properties
from evalkit.exports.spreadsheet.cells import (
    CELL_LIMIT,
    FORMULA_STARTS,
    Sheet,
    csv_cell,
    is_risky,
    plain,
    xlsx_text,
)

__all__ = [
    "CELL_LIMIT",
    "FORMULA_STARTS",
    "Sheet",
    "csv_cell",
    "is_risky",
    "plain",
    "write_csv",
    "write_table",
    "write_xlsx",
    "xlsx_text",
]


def write_csv(sheet: Sheet, path: str | Path) -> Path:
    """Write one sheet as CSV (UTF-8 with a BOM; formulas neutralised); return the path."""
    path = Path(path)
    with (
        _naming(path),
        atomic_path(path) as tmp,
        open(tmp, "w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([csv_cell(line)] for line in sheet.above)
        if sheet.show_header:
            writer.writerow([csv_cell(h) for h in sheet.header()])
        writer.writerows([csv_cell(v) for v in row] for row in sheet.rows())
    return path


def write_xlsx(sheets: Sequence[Sheet], path: str | Path, kind: str) -> Path:
    """Write sheets as one workbook of ``kind`` (see :mod:`evalkit.core.outputs`), built in
    memory and then written whole; return the path."""
    path = Path(path)
    from evalkit.exports.spreadsheet.workbook import discard, fill, new_workbook

    book = new_workbook(properties(kind, [s.title for s in sheets if s.input]))
    data = io.BytesIO()
    with _naming(path):
        try:
            fill(book, sheets)
            book.save(data)
        except BaseException:
            discard(book)
            raise
        with atomic_path(path) as tmp:
            tmp.write_bytes(data.getbuffer())
    return path


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    kind: str,
    title: str,
    headers: Mapping[str, str] | None = None,
) -> Path:
    """One table as CSV or XLSX, as the path's suffix says (an XLSX of one sheet, ``title``)."""
    sheet = Sheet(title, frame, headers or {})
    if Path(path).suffix.lower() == ".xlsx":
        return write_xlsx([sheet], path, kind)
    return write_csv(sheet, path)


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """An error of the file system re-raised naming the file being written (not the
    temporary file beside it)."""
    try:
        yield
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
