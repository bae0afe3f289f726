"""Where reports are rendered: executors, whose workers each hold one engine.

An executor (the :class:`Executor` protocol) starts its workers, which start their engines while
the run is being planned; runs a job on each report where its workers are and yields the results
as they finish; and closes. ``local`` is a pool of processes on this machine; ``dask`` a
dask.distributed cluster (:mod:`evalkit.runner.executors.dask_executor`). What a worker does
with one job is :mod:`evalkit.runner.executors.render`.

Workers send each page back as text and the run's own process writes it, with the run record and
the index, so that every file of the output folder is written by the process that holds its
lock. A job that raises, or whose worker is lost, comes back as a failed result; it never stops
the run. Every local worker watches the run that started it and ends with it
(:mod:`evalkit.runner.engines.lifeline`); one that dies (killed, out of memory) fails the
reports it was rendering, and the others go on in a fresh pool."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.util import Finalize
from typing import Any, Protocol

from evalkit.core.errors import EvalkitError, ReportError
from evalkit.core.i18n import msg
from evalkit.runner.engines import Engine, Template, watch_parent
from evalkit.runner.executors.backlog import Backlog
from evalkit.runner.executors.render import WorkerSettings, failed, render_with, start_template
from evalkit.runner.executors.window import Window
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.publish import warm_pages
from evalkit.runner.registry import engine_kind, executor_implementation, register_executor

#: the local pool's workers are forks of the run's process where the system can fork (as
#: Python's default was on Linux): what the run has loaded they find loaded
FORK = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


class Executor(Protocol):
    """Runs report jobs on workers; ``local`` and ``dask`` implement it."""

    name: str

    def start(self) -> None:
        """Start the workers and their engines; a run calls it before planning."""

    def map(self, jobs: Sequence[ReportJob]) -> Iterator[ReportResult]:
        """Render every job; yield one result per job, as they finish, failures included."""

    def close(self) -> None:
        """Stop the workers and their engines."""


# --- the local pool ---------------------------------------------------------------------------

_ENGINE: Engine | None = None


def _start_worker(settings: WorkerSettings, parent: int | None = None) -> None:
    global _ENGINE
    _ENGINE = settings.new_engine()
    # worker processes end without running atexit hooks, but they do run these finalizers
    Finalize(_ENGINE, _ENGINE.close, exitpriority=10)
    if parent is not None:
        watch_parent(parent, _ENGINE.abandon)
    with contextlib.suppress(Exception):  # the first report starts it again and says why not
        _ENGINE.start()


def _ready() -> bool:
    return _ENGINE is not None


def render(job: ReportJob) -> ReportResult:
    """Render one report in a worker of the local pool."""
    if _ENGINE is None:
        raise ReportError("render() runs in a worker started by an executor.")
    return render_with(_ENGINE, job)


def _wait(futures: Collection[Future[ReportResult]], seconds: float) -> set[Any]:
    return wait(futures, timeout=seconds, return_when=FIRST_COMPLETED).done


def _broken(future: Future[ReportResult]) -> bool:
    return isinstance(future.exception(), BrokenProcessPool)


def _result(future: Future[ReportResult], job: ReportJob) -> ReportResult:
    """The result of a finished job; one job's error never ends the run."""
    try:
        return future.result()
    except Exception as exc:
        return failed(job, f"{type(exc).__name__}: {exc}")


@register_executor("local")
class LocalExecutor:
    """Worker processes on this machine, each with one engine, whose report processes are
    forks of one template process.

    No more jobs are handed to the pool than it has workers (a :class:`Window`), so every job
    in flight is being rendered: when a worker dies, those are the reports that fail, and
    nothing queues without bound in a pipe, however many reports the run has. The worker
    that has just ended a report gets next another that reads the same files, where there is
    one (a :class:`Backlog`): its report process has them read."""

    name = "local"

    def __init__(self, workers: int, settings: WorkerSettings, scheduler: str | None = None):
        if scheduler:
            raise EvalkitError(msg("--scheduler is an address for the dask executor only."))
        self.workers, self.settings = max(1, workers), settings
        self.pool: ProcessPoolExecutor | None = None
        self.template: Template | None = None

    def start(self) -> None:
        if self.template is None:
            self.template, self.settings = start_template(self.settings)
        if self.pool is None:
            if FORK is not None:  # nbconvert and its templates loaded once, for every worker
                warm_pages()
            args = (self.settings, os.getpid())
            self.pool = ProcessPoolExecutor(
                self.workers, FORK, initializer=_start_worker, initargs=args
            )
            for _ in range(self.workers):  # the processes start now, and their engines
                self.pool.submit(_ready)

    def map(self, jobs: Sequence[ReportJob]) -> Iterator[ReportResult]:
        pending = {job.key: job for job in jobs}
        while pending:  # a fresh pool after each worker that died or overran
            yield from self._pool(pending)

    def _pool(self, pending: dict[str, ReportJob]) -> Iterator[ReportResult]:
        """Render ``pending`` (removing each job as it ends) until done, a worker dies or a
        report overruns; then fail the reports concerned and leave the others pending."""
        self.start()
        pool = self.pool
        assert pool is not None
        window: Window[Future[ReportResult]] = Window(self.settings.timeout, _wait)
        waiting, ended = Backlog(pending.values()), list[ReportJob]()
        while True:
            while len(window) < self.workers and waiting:
                # the worker that has just ended a report is the one free for the next
                after = ended.pop() if ended else None
                job = waiting.take(after, [job for _, job in window.items()])
                window.add(pool.submit(render, job), job)
            if not window:
                return
            done = window.finished()
            ended = [job for _, job in done]
            lost = [job for future, job in done if _broken(future)]
            for future, job in done:
                if job not in lost:
                    del pending[job.key]
                    yield _result(future, job)
            if lost:
                self._stop_pool()
                yield from self._after_break(window, lost, pending)
                return
            overdue = window.overdue()
            if overdue:
                self._kill_pool()
                for job, error in overdue:  # the others in flight go to a fresh pool
                    yield failed(pending.pop(job.key), error)
                return

    def _after_break(
        self, window: Window[Future[ReportResult]], lost: list[ReportJob], pending: dict[str, Any]
    ) -> Iterator[ReportResult]:
        """A worker died: what finished meanwhile stands, and every report that was being
        rendered fails (each in flight had a worker of its own)."""
        for future, job in window.items():
            if future.done() and not _broken(future):
                del pending[job.key]
                yield _result(future, job)
            else:
                lost.append(job)
        for job in lost:
            error = "WorkerDied: the worker process rendering this report ended abruptly"
            yield failed(pending.pop(job.key), error)

    def _kill_pool(self) -> None:
        """End the pool's processes at once (a report overran), then the pool."""
        if self.pool is not None:
            for process in list(getattr(self.pool, "_processes", {}).values()):
                with contextlib.suppress(OSError):
                    process.kill()
        self._stop_pool()

    def _stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def close(self) -> None:
        self._stop_pool()
        if self.template is not None:
            self.template.close()
            self.template = None


def get_executor(
    name: str, workers: int, settings: WorkerSettings, scheduler: str | None = None
) -> Executor:
    """The executor called ``name``; an unknown engine or executor is an error listing the
    known ones."""
    engine_kind(settings.engine)
    executor: Executor = executor_implementation(name)(workers, settings, scheduler)
    return executor
