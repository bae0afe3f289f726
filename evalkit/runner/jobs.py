"""A report to render, and what came of rendering it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit.runner.status import Status


@dataclass(frozen=True)
class ReportJob:
    """One page to render: which notebook, with which parameters, into which file."""

    href: str
    title: str
    notebook: Path
    output: Path
    values: dict[str, Any]
    hashes: dict[str, str]
    agency_id: str
    agency_name: str
    year: int
    framework: str
    note: str = ""
    kind: str = "agency"
    #: the files the notebook reads (sheets, household file, framework files), stamped again
    #: by the worker that renders, so the manifest records what the page was made from
    inputs: tuple[Path, ...] = ()
    #: each input's stamp (path, modification time, size) before the plan read it: a worker
    #: that finds another renders from something else, and records so
    stamps: tuple[tuple[str, int, int], ...] = ()
    #: the params files the report comes from (``--prune`` drops reports whose files are gone)
    sources: tuple[str, ...] = ()
    #: the project folder: paths on the page are shown relative to it
    project: Path = Path(".")
    #: keep the executed notebook beside the page (``--keep-notebooks``)
    keep_notebook: bool = False
    #: why it is rendered (:data:`evalkit.runner.plan.changes.REASONS`); none when it is current
    changes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.href

    def parameters(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass
class ReportResult:
    job: ReportJob
    status: Status
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    attempts: int = 1
    #: the hashes of what the worker actually read; empty when it read nothing
    hashes: dict[str, str] = field(default_factory=dict)
    #: the page's HTML, on its way from the worker to the file the run writes
    page: str = ""
    #: the executed notebook, with ``keep_notebook``, on its way to its file likewise
    notebook: str = ""
    #: the report failed for the machine (its page met a full disk), not for its notebook
    environment: bool = False
    #: for this machine only (the console, the run's log), never a page: what the report
    #: process wrote to stderr and its error as it was; the problems of a refused report with
    #: every path and finding as they are
    log: str = ""
