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
that is not input are in :func:`csv_signatures`, and :func:`csv_kind` names the kind of a
header. Text that would run as a formula (:func:`is_risky`) is neutralised in a CSV with a
leading apostrophe, which the readers take back (:func:`restored`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache

from evalkit.core.i18n import Message, msg

#: What a spreadsheet takes for the start of a formula (OWASP's rule for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Text that is a plain number: a spreadsheet reads it as that number, never as a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_risky(value: object) -> bool:
    """True for text that a spreadsheet would read as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def needs_quote(value: object) -> bool:
    """True for text the CSV writer puts an apostrophe before: text that would run as a
    formula, or that would once its own leading apostrophes were taken back (``'=x``)."""
    return isinstance(value, str) and is_risky(value.lstrip("'"))


def restored(text: str) -> str:
    """Text of a CSV cell as it was before evalkit neutralised it: the apostrophe put before
    it taken back (``'=x`` reads ``=x``, ``''=x`` reads ``'=x``, ``'ok`` stays ``'ok``)."""
    return text[1:] if text.startswith("'") and needs_quote(text[1:]) else text


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
    "feedback": msg("a feedback workbook"),
    "consensus-meeting": msg("a consensus meeting workbook"),
    "what-if": msg("a what-if of the explore dashboard"),
}


def written_by_evalkit(kind: object) -> Message:
    """How a reader says that a file is one of evalkit's outputs (``kind``: what it is)."""
    return msg("{kind} written by evalkit", kind=kind)


#: Kind -> columns that, all present in a CSV header, mark that CSV as this output of
#: evalkit's (never a score sheet: a score sheet has none of these sets).
CSV_SIGNATURES: dict[str, frozenset[str]] = {
    "scores": frozenset({"level", "key", "points", "max_points"}),
    "rules": frozenset({"rule", "threshold", "met", "shortfall"}),
    "scores-export": frozenset({"item", "points", "max_points", "label"}),
    "problems": frozenset({"file", "row", "column", "found", "expected"}),
    "poverty-tables": frozenset({"table", "group", "households", "people"}),
}
#: Column -> heading of the columns that mark a decision list, whose headers are in Thai
#: only (their Thai is the signature); :data:`evalkit.analysis.decisions.HEADINGS` heads the
#: list's columns with these.
DECISION_LIST_HEADINGS: dict[str, Message] = {
    "rank": msg("rank within the type"),
    "level": msg("decision"),
    "met": msg("conditions met"),
    "failed": msg("conditions not met"),
}


@cache
def csv_signatures() -> dict[str, frozenset[str]]:
    """:data:`CSV_SIGNATURES`, and the decision list's by its Thai headings."""
    thai = frozenset(heading.render("th") for heading in DECISION_LIST_HEADINGS.values())
    return {**CSV_SIGNATURES, "decision-list": thai}


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
    for kind, signature in csv_signatures().items():
        if signature <= present:
            return kind
    return None
