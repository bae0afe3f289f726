"""What the files evalkit writes say about themselves, so that evalkit can tell its own
outputs from input when they are given back to it.

Every workbook evalkit writes carries two custom document properties (``docProps/custom.xml``,
kept by Excel and LibreOffice when the file is saved again):

- :data:`KIND_PROPERTY` (``evalkit-kind``): what the workbook is, one of :data:`KINDS`;
- :data:`INPUT_SHEETS_PROPERTY` (``evalkit-input-sheets``): a JSON list of the titles of the
  sheets that are score input (``[]`` when none). The workbook's other sheets are evalkit's
  own (instructions, drop-down lists, computed tables).

A workbook without them but with a hidden sheet named exactly :data:`LISTS_SHEET` is a
template of an older evalkit. A CSV file has no properties: the columns of each CSV output
that is not input are in :data:`CSV_SIGNATURES`, and :func:`csv_kind` names the kind of a
header.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from evalkit.core.i18n import Message, msg

KIND_PROPERTY = "evalkit-kind"
INPUT_SHEETS_PROPERTY = "evalkit-input-sheets"
#: The hidden sheet of a template that holds its drop-down lists.
LISTS_SHEET = "_lists"

#: Kind -> what it is, as a person would name it (a reader says what it does with it).
KINDS: dict[str, Message] = {
    "template": msg("a score-sheet template"),
    "scores-export": msg("a score export"),
    "scores": msg("a table of scores"),
    "rules": msg("a table of award and target rules"),
    "problems": msg("a list of the problems found in sheets"),
    "household-template": msg("a household file template"),
    "poverty-tables": msg("a table of poverty counts"),
    "poverty-follow-up": msg("a poverty follow-up list"),
    "sample": msg("a sheet of the illustrative sample"),
    "decision-list": msg("an award decision list"),
    "what-if": msg("a what-if of the explore dashboard"),
}
#: How a reader says that a file is one of evalkit's outputs.
WRITTEN_BY_EVALKIT = "{kind} written by evalkit"

#: Kind -> columns that, all present in a CSV header, mark that CSV as this output of
#: evalkit's (never a score sheet: a score sheet has none of these sets).
CSV_SIGNATURES: dict[str, frozenset[str]] = {
    "scores": frozenset({"level", "key", "points", "max_points"}),
    "rules": frozenset({"rule", "threshold", "met", "shortfall"}),
    "scores-export": frozenset({"item", "points", "max_points", "label"}),
    "problems": frozenset({"file", "row", "column", "found", "expected"}),
    "poverty-tables": frozenset({"table", "group", "households", "people"}),
    "decision-list": frozenset({"ลำดับ", "ผลการตัดสิน", "เงื่อนไขที่ผ่าน", "เงื่อนไขที่ไม่ผ่าน"}),
}


def properties(kind: str, input_sheets: Iterable[str]) -> dict[str, str]:
    """The custom document properties of a workbook of ``kind`` whose score input is in
    ``input_sheets`` (titles); ValueError for a kind that is not in :data:`KINDS`."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; the kinds are {', '.join(KINDS)}")
    return {
        KIND_PROPERTY: kind,
        INPUT_SHEETS_PROPERTY: json.dumps(list(input_sheets), ensure_ascii=False),
    }


def column_name(header: str) -> str:
    """The column a header cell evalkit wrote names: ``ร้อยละ (percent)`` -> ``percent``."""
    text = header.strip()
    if text.endswith(")") and "(" in text:
        text = text[text.rindex("(") + 1 : -1]
    return text.strip().casefold()


def csv_kind(header: Iterable[str]) -> str | None:
    """The kind of evalkit output a CSV with this header row is (header cells as evalkit
    writes them: ``name`` or ``ไทย (name)``), or None when it is none of them."""
    present = {column_name(cell) for cell in header}
    for kind, signature in CSV_SIGNATURES.items():
        if signature <= present:
            return kind
    return None
