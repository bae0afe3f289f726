"""The ``dask`` executor: the same jobs on a dask.distributed cluster.

Without a scheduler address it starts a ``LocalCluster`` on this machine: its scheduler and
workers are threads of the run's process (one thread per worker), since the reports run in
the engines' own processes and a worker process would only add its start-up; the report
processes are forks of one template process, as in the local pool. With an address it joins
an existing cluster, whose every worker gets a template of its own. A worker plugin gives
every worker thread an engine of its own, started when the worker joins and kept warm from
report to report, restarted after ``restart_every`` reports and after a crash, as in the
local pool.

Workers read the notebooks and sheets at the paths the run names: the project folder must be
at the same path on every machine (a shared or synchronised folder). They send each page back
as text and the run's process writes it, so the output folder need not be shared. Before the
first report the executor asks every worker whether it can read those files and runs the same
evalkit, and refuses, naming the worker and the file, when one cannot.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import uuid
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import dask.config
from distributed import Client, LocalCluster, get_worker, wait
from distributed.diagnostics.plugin import WorkerPlugin

from evalkit.core.errors import ReportError, UnavailableError
from evalkit.core.i18n import msg
from evalkit.runner.engines import Engine, Template
from evalkit.runner.executors.render import WorkerSettings, failed, render_with, start_template
from evalkit.runner.executors.window import Window
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.manifest import evalkit_hash
from evalkit.runner.registry import engine_kind, register_executor

PLUGIN = "evalkit-engines"
#: how long a report waits for an engine of its worker (there is one per thread)
ENGINE_WAIT_SECONDS = 60.0


class EnginePlugin(WorkerPlugin):
    """One engine per worker thread, started when the worker joins the cluster."""

    name = PLUGIN

    def __init__(self, settings: WorkerSettings):
        self.settings = settings

    def setup(self, worker: Any) -> None:
        self.idle: queue.SimpleQueue[Engine] = queue.SimpleQueue()
        # the run's own LocalCluster shares the run's template; a worker elsewhere starts one
        self.template, settings = start_template(self.settings)
        self.engines = [settings.new_engine() for _ in range(worker.state.nthreads)]
        self.starting: list[threading.Thread] = []
        for engine in self.engines:
            self.idle.put(engine)
            if not engine_kind(engine.name).thread_bound:  # else started by its thread
                thread = threading.Thread(target=_start_quietly, args=(engine,), daemon=True)
                thread.start()
                self.starting.append(thread)

    def teardown(self, worker: Any) -> None:
        for engine in self.engines:
            engine.close()
        if self.template is not None:
            self.template.close()


def _start_quietly(engine: Engine) -> None:
    with contextlib.suppress(Exception):  # the first report starts it again and says why not
        engine.start()


def render_on_worker(job: ReportJob) -> ReportResult:
    """Render one report with an engine of this Dask worker."""
    plugin = cast(EnginePlugin, get_worker().plugins[PLUGIN])
    for thread in plugin.starting:
        thread.join()
    try:  # as many engines as threads: one is free unless a thread lost its own
        engine = plugin.idle.get(timeout=ENGINE_WAIT_SECONDS)
    except queue.Empty:
        raise ReportError(
            msg(
                "No engine of this Dask worker became free within {seconds} s.",
                seconds=f"{ENGINE_WAIT_SECONDS:.0f}",
            )
        ) from None
    try:
        return render_with(engine, job)
    finally:
        plugin.idle.put(engine)


def _inputs(jobs: Sequence[ReportJob]) -> list[str]:
    """Every file or folder a worker must read: notebooks, sheets, frameworks, households."""
    paths = {str(j.notebook) for j in jobs}
    for job in jobs:
        values = job.values
        paths.update(str(d) for d in values.get("data") or [])
        paths.update(str(d) for d in values.get("frameworks_dir") or [])
        if values.get("poverty"):
            paths.add(str(values["poverty"]))
    return sorted(paths)


def probe(paths: list[str]) -> dict[str, Any]:
    """Run on every worker: the paths it cannot read, and the evalkit it runs."""
    return {
        "missing": [p for p in paths if not Path(p).exists()],
        "evalkit": evalkit_hash(),
    }


def _wait(futures: Collection[Any], seconds: float) -> Collection[Any]:
    try:
        done: Collection[Any] = wait(
            list(futures), timeout=seconds, return_when="FIRST_COMPLETED"
        ).done
        return done
    except TimeoutError:
        return ()


@register_executor("dask")
class DaskExecutor:
    """Report jobs on a dask.distributed cluster."""

    name = "dask"

    def __init__(self, workers: int, settings: WorkerSettings, scheduler: str | None = None):
        self.workers, self.settings, self.scheduler = max(1, workers), settings, scheduler
        self.client: Any = None
        self.cluster: Any = None
        self.template: Template | None = None
        self.checked = False

    def start(self) -> None:
        if self.client is not None:
            return
        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="20s")
            except OSError as exc:
                raise UnavailableError(
                    msg(
                        "No Dask scheduler answers at {address} ({reason}); start one with "
                        "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`.",
                        address=self.scheduler,
                        reason=str(exc),
                    )
                ) from None
        else:
            self.template, self.settings = start_template(self.settings)
            # a worker's statistical profiler looks at every thread of the process a hundred
            # times a second: here that is the run's own process, and nobody reads the profile
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=False,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.client = Client(self.cluster)
        self.client.register_plugin(EnginePlugin(self.settings), name=PLUGIN)

    def _check(self, jobs: Sequence[ReportJob]) -> None:
        """Refuse a cluster whose workers cannot read the run's files or run another evalkit."""
        self.client.wait_for_workers(1, timeout=120)
        answers = self.client.run(probe, _inputs(jobs))
        mine = evalkit_hash()
        for worker, answer in sorted(answers.items()):
            missing = answer["missing"]
            if missing:
                raise UnavailableError(
                    msg(
                        "Dask worker {worker} cannot read {file} ({count} files in all): workers "
                        "read the notebooks and sheets at the same paths as this machine. "
                        "Put the project folder at the same path on every worker (a shared or "
                        "synchronised folder), or run with --executor local.",
                        worker=worker,
                        file=missing[0],
                        count=len(missing),
                    )
                )
            if answer["evalkit"] != mine:
                raise UnavailableError(
                    msg(
                        "Dask worker {worker} runs another version of evalkit than this machine; "
                        "install the same evalkit on every worker.",
                        worker=worker,
                    )
                )
        self.checked = True

    def map(self, jobs: Sequence[ReportJob]) -> Iterator[ReportResult]:
        """Hand the cluster no more reports than its worker threads render at once (so that
        nothing queues without bound), and fail a report past its deadline."""
        self.start()
        if not self.checked:
            self._check(jobs)
        run, threads = uuid.uuid4().hex[:8], self._threads()
        window: Window[Any] = Window(self.settings.timeout, _wait)
        waiting = iter(enumerate(jobs))
        while True:
            while len(window) < threads and (item := next(waiting, None)) is not None:
                n, job = item
                key = f"evalkit-{run}-{n}"
                window.add(self.client.submit(render_on_worker, job, key=key, pure=False), job)
            if not window:
                return
            for future, job in window.finished():
                try:
                    yield future.result()
                except Exception as exc:  # the worker was lost, or the task could not run
                    yield failed(job, f"{type(exc).__name__}: {exc}")
                future.release()
            for job, error in window.overdue():
                future = next(f for f, j in window.items() if j is job)
                window.flight.pop(future)
                future.cancel()
                yield failed(job, error)

    def _threads(self) -> int:
        """How many reports the cluster renders at once: its worker threads."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def close(self) -> None:
        if self.client is not None:
            if self.cluster is None:  # the workers of a cluster that stays: stop their engines
                with contextlib.suppress(Exception):
                    self.client.unregister_worker_plugin(PLUGIN)
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        if self.template is not None:
            self.template.close()
        self.client = self.cluster = self.template = None
