"""Where reports are rendered: worker processes, each holding one engine.

:class:`LocalExecutor` runs :func:`render` on a pool of processes on this machine. Another
executor (a Dask cluster, say) needs only the same ``map``: run :func:`render` on each job
where its workers are, and yield the results as they finish.

Every worker watches the run that started it and ends with it (:mod:`evalkit.runner.lifeline`).
A worker process that dies (killed, out of memory) fails the reports it was rendering; the
others go on in a fresh pool.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any

import nbformat

from evalkit.core.errors import ReportError
from evalkit.runner.engines import Engine, Executed, get_engine
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.lifeline import watch_parent
from evalkit.runner.manifest import hash_bytes, hash_files
from evalkit.runner.notebook import inject
from evalkit.runner.publish import notebook_summary, write_report
from evalkit.sheets.paths import stamp

_ENGINE: Engine | None = None
_STARTED: Any = None  # a queue on which this worker names each job as it starts it

#: The data hash recorded when an input changed while its report was rendered: it matches no
#: file, so the next run renders the report again.
CHANGED_WHILE_RENDERING = "changed while rendering"


def _start_worker(
    engine: str,
    kernel: str,
    timeout: float | None,
    restart_every: int,
    parent: int | None = None,
    started: Any = None,
) -> None:
    global _ENGINE, _STARTED
    _ENGINE, _STARTED = get_engine(engine, kernel, timeout, restart_every), started
    # worker processes end without running atexit hooks, but they do run these finalizers
    Finalize(_ENGINE, _ENGINE.close, exitpriority=10)
    if parent is not None:
        watch_parent(parent, _ENGINE.abandon)


def _publish(job: ReportJob, executed: Executed) -> Executed:
    """Write the page (or, for a failure, the page beside it); a full disk or an unwritable
    folder fails this report, with the reason, and leaves the last good page as it was."""
    try:
        if executed.error:  # the last good page, if any, stays; the failure gets a page beside it
            write_report(failure_path(job.output), job.title, executed)
        else:
            write_report(job.output, job.title, executed)
            failure_path(job.output).unlink(missing_ok=True)
    except OSError as exc:
        reason = f"{type(exc).__name__}: the page could not be written ({exc.strerror or exc})"
        return Executed(executed.notebook, executed.error or reason, executed.failed_cell)
    return executed


def render(job: ReportJob) -> ReportResult:
    """Execute and publish one report in this worker; a failure is recorded, never raised.
    The result carries the hashes of the notebook and the inputs as this worker read them."""
    if _ENGINE is None:
        raise ReportError("render() runs in a worker started by an executor.")
    if _STARTED is not None:
        _STARTED.put(job.key)
    start = time.perf_counter()
    before = stamp(job.inputs)
    source = job.notebook.read_bytes()
    hashes = {**job.hashes, "notebook": hash_bytes(source)}
    if job.inputs:
        hashes["data"] = hash_files(job.inputs)
    notebook = inject(nbformat.reads(source.decode("utf-8"), as_version=4), job.parameters())
    executed = _publish(job, _ENGINE.execute(notebook, job.notebook.parent))
    if stamp(job.inputs) != before:
        hashes["data"] = CHANGED_WHILE_RENDERING
    return ReportResult(
        job,
        "failed" if executed.error else "ok",
        time.perf_counter() - start,
        notebook_summary(executed.notebook),
        executed.error,
        hashes=hashes,
    )


def failure_path(output: Path) -> Path:
    """Where the page of a failed render goes: beside the report, never over it."""
    return output.with_suffix(".failed.html")


def failed(job: ReportJob, error: str) -> ReportResult:
    """A report that failed outside its worker's engine, with its failure page if the disk
    lets it be written."""
    _publish(job, Executed(None, error))
    return ReportResult(job, "failed", 0.0, {}, error)


def _drain(queue: Any) -> set[str]:
    found = set()
    while not queue.empty():
        found.add(queue.get())
    return found


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
        pending = {job.key: job for job in jobs}
        while pending:  # a fresh pool after each worker that died
            yield from self._pool(pending)

    def _pool(self, pending: dict[str, ReportJob]) -> Iterator[ReportResult]:
        """Render ``pending`` (removing each job as it ends) until done or a worker dies; then
        fail the jobs that were being rendered and leave the others pending."""
        started = multiprocessing.get_context().SimpleQueue()
        args = (*self.start_args, os.getpid(), started)
        with ProcessPoolExecutor(
            min(self.workers, len(pending)), initializer=_start_worker, initargs=args
        ) as pool:
            futures = {pool.submit(render, job): job for job in pending.values()}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    break
                except Exception as exc:  # one job's error never ends the run
                    result = failed(job, f"{type(exc).__name__}: {exc}")
                del pending[job.key]
                yield result
            else:
                return
        for future, job in futures.items():  # finished before the pool broke
            if job.key in pending and future.exception() is None:
                del pending[job.key]
                yield future.result()
        running = _drain(started) & pending.keys() or set(pending)
        for key in sorted(running):
            error = "WorkerDied: the worker process rendering this report ended abruptly"
            yield failed(pending.pop(key), error)


EXECUTORS: dict[str, Callable[..., LocalExecutor]] = {"local": LocalExecutor}
