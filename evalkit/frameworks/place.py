"""Where a problem of a framework file is: its line and its key path, as a person finds it.

A path is the tuple of keys and list positions from the top of the file
(``("categories", 1, "items", 0, "points")``). It is shown with each list element named by its
``key`` or ``id`` when it has one (``categories[2].items[2.1].points``), else by its position
from 1, and with the line the value starts on, as the YAML file has it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evalkit.core.i18n import Message, msg

Path = tuple[Any, ...]


def kind(value: Any) -> str | Message:
    """A value as a problem names it: its kind for lists and mappings, else the value."""
    if value is None:
        return msg("nothing")
    if isinstance(value, bool):
        return msg("{value} (yes/no)", value=str(value).lower())
    if isinstance(value, Mapping):
        return msg("a mapping")
    if isinstance(value, list):
        return msg("a list")
    if isinstance(value, float) and math.isnan(value):
        return ".nan"
    if isinstance(value, float) and math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if isinstance(value, int) and abs(value) >= 10**15:
        return msg("a number of {digits} digits", digits=len(str(abs(value))))
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _tag(element: Any, position: int) -> str:
    label = element.get("key", element.get("id")) if isinstance(element, Mapping) else None
    if isinstance(label, str | int | float) and not isinstance(label, bool) and label != "":
        text = str(label)
        return text if len(text) <= 40 else text[:37] + "..."
    return str(position + 1)


@dataclass(frozen=True)
class Place:
    """The parsed document of a framework file and the line of each of its values."""

    data: Any
    lines: Mapping[Path, int] = field(default_factory=dict)

    def label(self, path: Path) -> str:
        """``categories[2].items[2.1].points`` for ``("categories", 1, "items", 0, "points")``;
        ``the file`` for the empty path."""
        node, text = self.data, ""
        for step in path:
            if isinstance(step, int) and isinstance(node, list):
                element = node[step] if 0 <= step < len(node) else None
                text += f"[{_tag(element, step)}]"
                node = element
            else:
                text += f".{step}" if text else str(step)
                node = node.get(step) if isinstance(node, Mapping) else None
        return text

    def line(self, path: Path) -> int:
        """The line of the value at ``path``, or of its nearest ancestor the file has; 0 when
        none is known (data not read from a file)."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found:
                return found
        return 0

    def where(self, path: Path) -> str | Message:
        label = self.label(path)
        line = self.line(path)
        if not path:
            return msg("line {line}", line=line) if line else msg("the file")
        return msg("line {line}, {where}", line=line, where=label) if line else label

    def problem(self, path: Path, found: str | Message, expected: str | Message) -> Message:
        """One problem at ``path``: what was found there, and what was expected (a
        :class:`Message` for a phrase, plain text for what the file holds)."""
        return msg(
            "{where}: found {found}; expected {expected}",
            where=self.where(path),
            found=found,
            expected=expected,
        )
