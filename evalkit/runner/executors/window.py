"""The reports in flight on an executor's workers, and how long the run waits for them.

An executor hands its workers no more jobs than they can render at once, so nothing queues
without bound in a pipe or a scheduler, whatever the size of the run. The run waits for the
next job to end in slices of :data:`HEARTBEAT_SECONDS`, and after each slice without one it
logs which reports it is waiting for. A report has a deadline: its code cells times the
cell timeout (``--timeout``), plus :data:`GRACE_SECONDS` for its engine to start and its
page to be made. The engines end a cell that overruns; the deadline is there for what they
cannot see (a worker stuck outside a cell), and the executor fails a report past it with a
sentence saying so. With ``--timeout 0`` (no limit) a report has no deadline, and the run
still logs what it waits for.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Collection, Hashable
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from evalkit.runner.jobs import ReportJob

log = logging.getLogger("evalkit.runner")

#: how long the run waits for a report to end before it logs what it is waiting for
HEARTBEAT_SECONDS = 30.0
#: what a report may take beyond its cells' timeouts: its engine's start, its page
GRACE_SECONDS = 300.0

F = TypeVar("F", bound=Hashable)
#: waits up to the given seconds for some of the futures to end; returns those that did
Waiter = Callable[[Collection[F], float], Collection[F]]


@cache
def _code_cells(notebook: str, stamp: float) -> int:
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
        return max(1, sum(bool(c.get("cell_type") == "code") for c in cells))
    except (OSError, ValueError, AttributeError):
        return 1  # the worker says what is wrong with it


def deadline_seconds(job: ReportJob, timeout: float | None) -> float | None:
    """The longest ``job`` may take on a worker; none when cells have no time limit."""
    if not timeout:
        return None
    try:
        stamp = job.notebook.stat().st_mtime
    except OSError:
        stamp = 0.0
    return GRACE_SECONDS + timeout * _code_cells(str(job.notebook), stamp)


class Window(Generic[F]):
    """The jobs in flight, each with its future and the time it was handed out."""

    def __init__(self, timeout: float | None, wait: Waiter[F]):
        self.timeout, self.wait = timeout, wait
        self.flight: dict[F, tuple[ReportJob, float]] = {}

    def __len__(self) -> int:
        return len(self.flight)

    def add(self, future: F, job: ReportJob) -> None:
        self.flight[future] = (job, time.monotonic())

    def items(self) -> list[tuple[F, ReportJob]]:
        return [(future, job) for future, (job, _) in self.flight.items()]

    def finished(self) -> list[tuple[F, ReportJob]]:
        """The jobs that ended within one heartbeat (none after a silent one, logged)."""
        done = self.wait(list(self.flight), HEARTBEAT_SECONDS)
        if not done:
            oldest = min(started for _, started in self.flight.values())
            log.info(
                "waiting for %d report(s) for %.0f s: %s",
                len(self.flight),
                time.monotonic() - oldest,
                ", ".join(job.key for job, _ in self.flight.values()),
            )
        return [(future, self.flight.pop(future)[0]) for future in done]

    def overdue(self) -> list[tuple[ReportJob, str]]:
        """The jobs past their deadline, each with the error that fails it."""
        now, late = time.monotonic(), []
        for job, started in self.flight.values():
            limit = deadline_seconds(job, self.timeout)
            if limit is not None and now - started > limit:
                late.append(
                    (
                        job,
                        f"ReportTimeoutError: the report did not finish within {limit:.0f} s "
                        "(its cells times --timeout, and time to start and make the page)",
                    )
                )
        return late
