"""One report rendered by a worker: what a worker needs to start its engine, the result with
its page, and where the run writes that page. Every executor's workers use it."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat

from evalkit.core.errors import ENVIRONMENT_ERRNOS
from evalkit.core.files import write_text_atomic
from evalkit.runner.engines import (
    DEFAULT_ENGINE,
    WARM_IMPORTS,
    Engine,
    Executed,
    Template,
    get_engine,
    inject,
)
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.manifest import hash_bytes
from evalkit.runner.publish import notebook_summary, report_page, scrub, scrub_outputs, take_stderr
from evalkit.runner.registry import engine_kind
from evalkit.runner.status import Status
from evalkit.sheets.paths import stamp

#: The rows' digest recorded when an input changed between the plan and the end of its
#: report's render: it matches no rows, so the next run renders the report again.
CHANGED_WHILE_RENDERING = "changed while rendering"


@dataclass(frozen=True)
class WorkerSettings:
    """What every worker needs to start its engine."""

    engine: str = DEFAULT_ENGINE
    kernel: str = "evalkit"
    timeout: float | None = 300
    restart_every: int = 50
    #: the address of the template process that forks this machine's report processes
    template: str | None = None

    def new_engine(self) -> Engine:
        return get_engine(self.engine, self.kernel, self.timeout, self.restart_every, self.template)


def start_template(settings: WorkerSettings) -> tuple[Template | None, WorkerSettings]:
    """A template process for the report processes of ``settings``' engines, started now, and
    the settings that name it; none for engines that have no report process to fork."""
    if not engine_kind(settings.engine).template or settings.template is not None:
        return None, settings
    template = Template()
    address = template.start(WARM_IMPORTS)
    return template, replace(settings, template=address)


def render_with(engine: Engine, job: ReportJob) -> ReportResult:
    """Execute one report with ``engine`` and make its page; a failure is recorded, never
    raised. The result carries the hashes of the notebook as this worker read it, and of the
    rows as planned unless an input changed since the plan read it."""
    start = time.perf_counter()
    before = stamp(job.inputs)
    hashes = dict(job.hashes)
    try:
        source = job.notebook.read_bytes()
        hashes["notebook"] = hash_bytes(source)
        notebook = inject(nbformat.reads(source.decode("utf-8"), as_version=4), job.parameters())
        executed = engine.execute(notebook, job.notebook.parent)
    except Exception as exc:  # an unreadable file or an engine that cannot start: this report
        executed = Executed(None, f"{type(exc).__name__}: {exc}")
    if stamp(job.inputs) != before or (job.stamps and before != job.stamps):
        hashes["rows"] = CHANGED_WHILE_RENDERING
    log = take_stderr(executed.notebook)  # logging, warnings: the run's log, not the page
    scrub_outputs(executed.notebook, job.project)
    raw, executed.error = executed.error, scrub(executed.error, job.project)
    if raw != executed.error:
        log += raw
    return ReportResult(
        job,
        Status.FAILED if executed.error else Status.OK,
        time.perf_counter() - start,
        notebook_summary(executed.notebook),
        executed.error,
        hashes=hashes,
        page=report_page(job.title, executed),
        log=log,
        notebook=nbformat.writes(executed.notebook)
        if job.keep_notebook and executed.notebook is not None
        else "",
    )


def failed(job: ReportJob, error: str) -> ReportResult:
    """A report that failed outside its worker's engine (its worker was lost, say)."""
    shown = scrub(error, job.project)
    page = report_page(job.title, Executed(None, shown))
    log = error if shown != error else ""
    return ReportResult(job, Status.FAILED, 0.0, {}, shown, page=page, log=log)


def failure_path(output: Path) -> Path:
    """Where the page of a failed render goes: beside the report, never over it."""
    return output.with_suffix(".failed.html")


def write_page(result: ReportResult) -> ReportResult:
    """Write a result's page where it belongs: the last good page of a failed report stays,
    and the failure gets a page beside it. A full disk or an unwritable folder fails the
    report, with the reason, and leaves the last good page as it was."""
    job = result.job
    try:
        page = job.output if result.status == Status.OK else failure_path(job.output)
        write_text_atomic(page, result.page)
        if result.status == Status.OK:
            failure_path(job.output).unlink(missing_ok=True)
        if result.notebook:  # --keep-notebooks: the executed notebook beside its page
            write_text_atomic(page.with_suffix(".ipynb"), result.notebook)
    except OSError as exc:
        reason = f"{type(exc).__name__}: the page could not be written ({exc.strerror or exc})"
        result.status, result.error = Status.FAILED, result.error or reason
        result.environment = exc.errno in ENVIRONMENT_ERRNOS
    result.page = result.notebook = ""
    return result
