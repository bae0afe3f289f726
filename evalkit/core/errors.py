"""Errors raised by evalkit.

Every error a user can cause derives from :class:`EvalkitError`, so a caller that wants to
report problems without a traceback catches that one class::

    EvalkitError
    ├── InvalidInputError      a score sheet or params file is wrong; carries every Problem found
    ├── UnknownFrameworkError  a framework id that no framework file declares
    ├── FrameworkError         a framework file that is not a valid framework
    ├── LedgerError            a ledger that is not one, is damaged, newer, or busy
    ├── ReportError            a report notebook failed to execute or render
    ├── BusyError              another run holds what this one needs: try again later
    └── UnavailableError       the machine lacks what the command needs: a scheduler that
                               answers, disk space, a kernel, a browser

Messages are full sentences that say what was found, what was expected and what to do next.
They are built in English and shown in the current language (:mod:`evalkit.core.i18n`).
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from evalkit.core.i18n import Message, _, msg, ngettext, translate
from evalkit.core.text import printable

#: files whose places are named by line and key (a params file, say), not by row and column
KEYED_FILES = (".yaml", ".yml")
#: the "file" of values given with ``evalkit run -p NAME VALUE``, named by key as well
COMMAND_LINE = "-p"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows.

    ``row`` is the row number a person sees in Excel or a text editor (1-based, header
    included); 0 when the problem concerns the whole file. In a YAML file (:data:`KEYED_FILES`)
    or the values of ``-p`` (:data:`COMMAND_LINE`), ``row`` is a line and ``column`` a key,
    and the message says so.
    """

    file: str
    row: int
    column: str
    found: str | Message
    expected: str | Message
    hint: str | Message = ""
    sheet: str = ""

    def __str__(self) -> str:
        """The message in the current language (fixed phrases translated, data as found), with
        no control character from a sheet's text."""
        return printable(self._text())

    @property
    def keyed(self) -> bool:
        """Whether the place is a line and a key (a YAML file, ``-p``), not a row and a column."""
        return self.file.lower().endswith(KEYED_FILES) or self.file == COMMAND_LINE

    def _text(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row:
            row = _(", line {row}") if self.keyed else _(", row {row}")
            where += row.format(row=self.row)
        if self.column:
            column = _(", key {column}") if self.keyed else _(", column {column}")
            where += column.format(column=repr(self.column))
        text = _("{where}: found {found}; expected {expected}.").format(
            where=where, found=translate(self.found), expected=translate(self.expected)
        )
        if self.hint:
            text += " " + translate(self.hint)
        return text

    def as_dict(self) -> dict[str, object]:
        """The problem as plain data (messages in the current language), e.g. for ``--json``."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        return {k: str(v) if isinstance(v, Message) else v for k, v in values.items()}


class EvalkitError(Exception):
    """Base class of every error evalkit raises on purpose."""


class InvalidInputError(EvalkitError):
    """Input files hold one or more problems; nothing was scored or written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: Sequence[Problem] = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        """Every problem, one a line, in the current language."""
        count = len(self.problems)
        head = ngettext(
            "{count} problem in the input; nothing was scored or written:",
            "{count} problems in the input; nothing was scored or written:",
            count,
        ).format(count=count)
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class UnknownFrameworkError(EvalkitError, KeyError):
    """A framework id that is not registered."""

    def __init__(self, framework_id: str, known: Sequence[str], suggestion: str | None = None):
        self.framework_id = framework_id
        self.known = tuple(known)
        names = {"framework": repr(framework_id), "known": ", ".join(known)}
        self.message = (
            msg(
                "Unknown framework {framework}; known frameworks are {known}. "
                "Did you mean {suggestion}?",
                suggestion=repr(suggestion),
                **names,
            )
            if suggestion
            else msg("Unknown framework {framework}; known frameworks are {known}.", **names)
        )
        super().__init__(self.message.render("en"))

    def __str__(self) -> str:  # KeyError would add quotes around the message
        """The message in the current language."""
        return str(self.message)


class FrameworkError(EvalkitError):
    """A framework file that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, source: str, problems: Sequence[str | Message]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(self._text("en"))

    def _text(self, lang: str | None = None) -> str:
        head = msg("Framework file {source} is not valid:", source=self.source).render(lang)
        return "\n".join([head, *(f"  - {translate(p, lang)}" for p in self.problems)])

    def __str__(self) -> str:
        """Every problem, one a line, in the current language (fixed phrases translated, the
        file's keys and values as found)."""
        return self._text()


class LedgerError(EvalkitError):
    """A ledger file that cannot be used: not a ledger, damaged, from a newer evalkit, or held
    by another writer for longer than the ledger waits."""


class ReportError(EvalkitError):
    """A report could not be executed or rendered."""


#: errors of the operating system that mean the machine, not the input: a full disk, a quota,
#: a file grown to the largest size allowed, a failing device, a place this user may not write
ENVIRONMENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM}
)


class BusyError(EvalkitError):
    """Another run holds the lock of the folder this command writes to: nothing is wrong with
    the input, and the same command succeeds later (``evalkit`` exits 4)."""


class UnavailableError(EvalkitError):
    """Something the command needs from the machine is missing or failing: a Dask scheduler
    that answers, disk space, a Jupyter kernel, a browser (``evalkit`` exits 5)."""
