"""The text of a cell: invisible characters removed, white space trimmed and folded; in
comments, line breaks kept."""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_NAME_NOISE = re.compile(r"[\s\u00a0_\-.]+")
_SPACES = re.compile(r"[\s\u00a0]+")


def clean_text(value: object) -> str:
    """Text of a cell with invisible characters removed and white space trimmed and folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", _INVISIBLE.sub("", str(value))).strip()


_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
_LINE_SPACES = re.compile(r"[^\S\n]+")


def clean_lines(value: object) -> str:
    """Like :func:`clean_text`, but line breaks inside the cell are kept (one per line, blank
    lines at either end dropped): for comments, where a list of points is one per line."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _LINE_BREAKS.sub("\n", _INVISIBLE.sub("", str(value)).replace("\u00a0", " "))
    return "\n".join(_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def name_key(name: str) -> str:
    """A column name as headers are matched: case, spaces, ``_``, ``-`` and ``.`` ignored."""
    return _NAME_NOISE.sub("", clean_text(name)).casefold()
