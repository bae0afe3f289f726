"""Where reports are rendered: worker processes, each holding one engine.

:class:`LocalExecutor` runs :func:`render` on a pool of processes on this machine. Another
executor (a Dask cluster, say) needs only the same ``map``: run :func:`render` on each job
where its workers are, and yield the results as they finish.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing.util import Finalize
from pathlib import Path

from evalkit.core.errors import ReportError
from evalkit.runner.engines import Engine, get_engine
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.notebook import inject, read_notebook
from evalkit.runner.publish import notebook_summary, write_report

_ENGINE: Engine | None = None


def _start_worker(engine: str, kernel: str, timeout: float | None, restart_every: int) -> None:
    global _ENGINE
    _ENGINE = get_engine(engine, kernel, timeout, restart_every)
    # worker processes end without running atexit hooks, but they do run these finalizers
    Finalize(_ENGINE, _ENGINE.close, exitpriority=10)


def render(job: ReportJob) -> ReportResult:
    """Execute and publish one report in this worker; a failure is recorded, never raised."""
    if _ENGINE is None:
        raise ReportError("render() runs in a worker started by an executor.")
    start = time.perf_counter()
    notebook = inject(read_notebook(job.notebook), job.parameters())
    executed = _ENGINE.execute(notebook, job.notebook.parent)
    title = job.title
    if executed.error:  # the last good page, if any, stays; the failure gets a page beside it
        write_report(failure_path(job.output), title, executed)
    else:
        write_report(job.output, title, executed)
        failure_path(job.output).unlink(missing_ok=True)
    return ReportResult(
        job,
        "failed" if executed.error else "ok",
        time.perf_counter() - start,
        notebook_summary(executed.notebook),
        executed.error,
    )


def failure_path(output: Path) -> Path:
    """Where the page of a failed render goes: beside the report, never over it."""
    return output.with_suffix(".failed.html")


class LocalExecutor:
    """Worker processes on this machine. Another executor (a Dask cluster, say) needs only
    ``map``: run :func:`render` on each job where its workers are, yield results as they
    finish."""

    def __init__(
        self, jobs: int, engine: str, kernel: str, timeout: float | None, restart_every: int
    ):
        self.workers = max(1, jobs)
        self.start_args = (engine, kernel, timeout, restart_every)

    def map(self, jobs: Sequence[ReportJob]) -> Iterator[ReportResult]:
        workers = min(self.workers, len(jobs)) or 1
        with ProcessPoolExecutor(
            workers, initializer=_start_worker, initargs=self.start_args
        ) as pool:
            for future in as_completed([pool.submit(render, job) for job in jobs]):
                yield future.result()


EXECUTORS: dict[str, Callable[..., LocalExecutor]] = {"local": LocalExecutor}
