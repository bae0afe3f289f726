"""Where reports are rendered: executors, whose workers each hold one engine.

An executor (the :class:`Executor` protocol) starts its workers, which start their engines
while the run is being planned; runs a job on each report where its workers are and yields
the results as they finish; and closes. ``local`` is a pool of processes on this machine;
``dask`` a dask.distributed cluster (:mod:`evalkit.runner.dask_executor`). What a worker does
with one job is :mod:`evalkit.runner.render`.

Workers send each page back as text and the run's own process writes it, with the run record
and the index, so that every file of the output folder is written by the process that holds
its lock. A job that raises, or whose worker is lost, comes back as a failed result; it never
stops the run. Every local worker watches the run that started it and ends with it
(:mod:`evalkit.runner.lifeline`); one that dies (killed, out of memory) fails the reports it
was rendering, and the others go on in a fresh pool.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.util import Finalize
from typing import Any, Protocol

from evalkit.core.errors import EvalkitError, ReportError
from evalkit.runner.engines import ENGINES
from evalkit.runner.execution import Engine
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.lifeline import watch_parent
from evalkit.runner.render import WorkerSettings, failed, render_with, start_template
from evalkit.runner.template import Template


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
_STARTED: Any = None  # a queue on which this worker names each job as it starts it


def _start_worker(settings: WorkerSettings, parent: int | None = None, started: Any = None) -> None:
    global _ENGINE, _STARTED
    _ENGINE, _STARTED = settings.new_engine(), started
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
    if _STARTED is not None:
        _STARTED.put(job.key)
    return render_with(_ENGINE, job)


def _drain(queue: Any) -> set[str]:
    found = set()
    while not queue.empty():
        found.add(queue.get())
    return found


class LocalExecutor:
    """Worker processes on this machine, each with one engine, whose report processes are
    forks of one template process."""

    name = "local"

    def __init__(self, workers: int, settings: WorkerSettings, scheduler: str | None = None):
        if scheduler:
            raise EvalkitError("--scheduler is an address for the dask executor only.")
        self.workers, self.settings = max(1, workers), settings
        self.pool: ProcessPoolExecutor | None = None
        self.template: Template | None = None
        self.started: Any = None

    def start(self) -> None:
        if self.template is None:
            self.template, self.settings = start_template(self.settings)
        if self.pool is None:
            self.started = multiprocessing.get_context().SimpleQueue()
            args = (self.settings, os.getpid(), self.started)
            self.pool = ProcessPoolExecutor(self.workers, initializer=_start_worker, initargs=args)
            for _ in range(self.workers):  # the processes start now, and their engines
                self.pool.submit(_ready)

    def map(self, jobs: Sequence[ReportJob]) -> Iterator[ReportResult]:
        pending = {job.key: job for job in jobs}
        while pending:  # a fresh pool after each worker that died
            yield from self._pool(pending)

    def _pool(self, pending: dict[str, ReportJob]) -> Iterator[ReportResult]:
        """Render ``pending`` (removing each job as it ends) until done or a worker dies; then
        fail the jobs that were being rendered and leave the others pending."""
        self.start()
        assert self.pool is not None
        started = self.started
        futures: dict[Future[ReportResult], ReportJob] = {
            self.pool.submit(render, job): job for job in pending.values()
        }
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
        self._stop_pool()
        for future, job in futures.items():  # finished before the pool broke
            if job.key in pending and future.exception() is None:
                del pending[job.key]
                yield future.result()
        running = _drain(started) & pending.keys() or set(pending)
        for key in sorted(running):
            error = "WorkerDied: the worker process rendering this report ended abruptly"
            yield failed(pending.pop(key), error)

    def _stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def close(self) -> None:
        self._stop_pool()
        if self.template is not None:
            self.template.close()
            self.template = None


def _dask_executor(
    workers: int, settings: WorkerSettings, scheduler: str | None = None
) -> Executor:
    # dask is an optional extra: it is imported only when a run asks for it
    try:
        from evalkit.runner.dask_executor import DaskExecutor
    except ImportError as exc:
        if exc.name not in ("dask", "distributed"):
            raise
        raise EvalkitError(
            "The dask executor needs evalkit's dask extra: pip install 'evalkit[dask]'."
        ) from None
    return DaskExecutor(workers, settings, scheduler)


EXECUTORS: dict[str, Callable[..., Executor]] = {"local": LocalExecutor, "dask": _dask_executor}


def get_executor(
    name: str, workers: int, settings: WorkerSettings, scheduler: str | None = None
) -> Executor:
    """The executor called ``name``; an unknown name is an error listing the known ones."""
    if settings.engine not in ENGINES:
        raise EvalkitError(
            f"Unknown engine {settings.engine!r}; known engines are {', '.join(ENGINES)}."
        )
    try:
        make = EXECUTORS[name]
    except KeyError:
        raise EvalkitError(
            f"Unknown executor {name!r}; known executors are {', '.join(EXECUTORS)}."
        ) from None
    return make(workers, settings, scheduler)
