"""The reports not yet handed to a worker, and which one a worker gets next.

A report process of the ``shell`` engine reads the sheets a report names before it forks the
report, and reads them again only when the next report names others
(:func:`evalkit.report.warm.warm_for`). Handed out in the plan's order, the reports of one
params file (its years, its frameworks) go to every worker in turn, and every worker's report
process reads every sheet. The backlog keeps the reports grouped by the files they read, and a
worker that has just ended a report gets another of the same files while there is one; a worker
whose files are done gets the first group no other worker is on. On the bundled sample this
halves the sheets read. Each pick looks at no more groups than there are workers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable

from evalkit.runner.jobs import ReportJob


def _files(job: ReportJob) -> tuple[str, ...]:
    return tuple(sorted(map(str, job.inputs)))


class Backlog:
    """The jobs not handed out yet, in the plan's order within each group of the same files."""

    def __init__(self, jobs: Iterable[ReportJob]):
        self.groups: dict[tuple[str, ...], deque[ReportJob]] = {}
        for job in jobs:
            self.groups.setdefault(_files(job), deque()).append(job)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def take(self, after: ReportJob | None, busy: Collection[ReportJob]) -> ReportJob:
        """The next job for the worker that has just ended ``after`` (None: a worker that has
        rendered nothing yet) while the others render ``busy``. The backlog is not empty."""
        if after is not None and _files(after) in self.groups:
            return self._take(_files(after))
        others = {_files(job) for job in busy}
        free = (files for files in self.groups if files not in others)
        return self._take(next(free, next(iter(self.groups))))

    def _take(self, files: tuple[str, ...]) -> ReportJob:
        group = self.groups[files]
        job = group.popleft()
        if not group:
            del self.groups[files]
        return job
