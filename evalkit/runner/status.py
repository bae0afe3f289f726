"""What became of a report in a run: one vocabulary for the run, its record, its index and
the command's summary and exit status."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A report's status; its value is what the run record and the index store."""

    #: rendered, and its page written
    OK = "ok"
    #: its notebook failed, timed out or lost its worker, or its page could not be written
    FAILED = "failed"
    #: refused before rendering: its params file, sheets or parameters have problems
    INVALID = "invalid"
    #: unchanged since its last good render, so not rendered again
    SKIPPED = "skipped"


#: the statuses of reports that did not render, and get a ``.failed.html`` page
NOT_RENDERED = (Status.FAILED, Status.INVALID)
