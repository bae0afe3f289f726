"""Text from sheets made safe to print on a terminal.

A cell can hold escape sequences (``\\x1b[2J`` clears the screen, ``\\x1b]52;`` writes to the
clipboard) or bidirectional overrides that reorder what a line appears to say. Everything
evalkit prints of a sheet's, a params file's or a framework file's text goes through
:func:`printable` first; the data itself is kept as it was.
"""

from __future__ import annotations

import re

#: C0 and C1 control characters (tab, newline and carriage return included: a printed value
#: stays on its line), DEL, and the bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with every control character shown as a space, ready for a terminal."""
    return _CONTROL.sub(" ", str(text))


def printable_lines(text: str) -> str:
    """Several lines, each :func:`printable`: a message that lists problems keeps its lines."""
    return "\n".join(printable(line) for line in text.split("\n"))
