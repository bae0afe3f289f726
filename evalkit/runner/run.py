"""``evalkit run``: render many parameterised report notebooks, fast, safely and again.

1. **Plan** (:mod:`evalkit.runner.plan.planning`): each params file, every sheet it names and
   every parameter the notebook would receive is checked before anything runs. A file with
   problems gets its reports marked ``invalid``, each with a page listing every problem, and the
   others go on (``strict`` refuses the whole run instead).
2. **Skip** what is current: a report whose notebook, params, data and evalkit are unchanged
   since its last good render (content hashes in ``manifest.json``, as the worker that rendered
   it read them) is not rendered again.
3. **Render** the rest with an executor (:mod:`evalkit.runner.executors.workers`: a local pool,
   or a Dask cluster), whose workers each hold an engine (:mod:`evalkit.runner.engines.lookup`)
   started while the run is planned. A report that fails gets a page saying where and why, and
   the others go on; a worker process that dies fails the reports it was rendering. Every file
   is written beside its target, flushed and renamed into place.
4. **Index** every report in the folder (:mod:`evalkit.runner.publish.folder`), with its status,
   total and date.

The output folder is locked for the whole run (:mod:`evalkit.runner.lock`), so two runs never
write to it at once, and a killed run's lock dies with it.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from evalkit.core.collector import fewer_collections
from evalkit.core.dates import now_iso
from evalkit.core.errors import EvalkitError, InvalidInputError, Problem, UnavailableError
from evalkit.core.files import remove_stale_temporaries
from evalkit.core.i18n import Message, msg
from evalkit.runner.engines import (
    AGENCY_NOTEBOOK,
    DEFAULT_ENGINE,
    PORTFOLIO_NOTEBOOK,
    find_notebook,
)
from evalkit.runner.executors import (
    Executor,
    WorkerSettings,
    failure_path,
    get_executor,
    write_page,
)
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.lock import folder_lock
from evalkit.runner.manifest import Manifest
from evalkit.runner.plan import Plan, make_plan, to_render, write_refused_page
from evalkit.runner.publish import finish, shareable_problem, written_folders
from evalkit.runner.registry import engine_kind
from evalkit.runner.status import NOT_RENDERED, Status

KERNEL_NAME = "evalkit"
log = logging.getLogger("evalkit.runner")


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure kernel ``name`` runs this Python; register it in this environment if not.
    A machine where that cannot be done (no ipykernel, a read-only environment) is refused
    with the reason."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            spec = KernelSpecManager().get_kernel_spec(name)
            if Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
                return name
        except NoSuchKernel:
            pass
        from ipykernel.kernelspec import install

        install(kernel_name=name, display_name="Python (evalkit)", prefix=sys.prefix)
    except (ImportError, OSError) as exc:
        raise UnavailableError(
            msg(
                "No Jupyter kernel {name} can be used on this machine ({reason}); install "
                "evalkit with its dependencies (pip install evalkit), or run with "
                "--engine shell.",
                name=name,
                reason=f"{type(exc).__name__}: {exc}",
            )
        ) from None
    return name


def portfolio_notebook(project: Path) -> Path:
    """The portfolio notebook of a project: its own, else the one that ships with evalkit."""
    return find_notebook(PORTFOLIO_NOTEBOOK, project)


# --- the run ---------------------------------------------------------------------------------


@dataclass
class RunOptions:
    jobs: int = 1
    engine: str = DEFAULT_ENGINE
    timeout: float | None = 300
    retry: int = 0
    force: bool = False
    #: seconds to queue behind another run holding the folder; 0 refuses at once
    wait: float = 0.0
    quiet: bool = False
    restart_every: int = 50
    executor: str = "local"  # see evalkit.runner.registry
    #: the address of a Dask scheduler; none starts a LocalCluster of ``jobs`` workers
    scheduler: str | None = None
    consensus: str | None = None
    #: the project folder: its ``frameworks/`` and ``notebooks/`` take precedence
    project: Path = Path(".")
    #: refuse the whole run when any params file has a problem (nothing renders)
    strict: bool = False
    #: drop from the index the reports whose params files are gone
    prune: bool = False
    #: notebook values for every agency report, given on the command line (``-p``, ``-f``)
    overrides: dict[str, Any] = field(default_factory=dict)
    #: keep each executed notebook beside its page
    keep_notebooks: bool = False


def report_entry(
    result: ReportResult, out_dir: Path, problems: Sequence[Problem] = ()
) -> dict[str, Any]:
    """The run record of a report: no absolute path (params files relative to the folder)."""
    job = result.job
    failed = result.status in NOT_RENDERED
    return {
        "kind": job.kind,
        "agency_id": job.agency_id,
        "agency_name": job.agency_name,
        "year": job.year,
        "framework": job.framework,
        "status": result.status,
        "href": failure_path(Path(job.href)).as_posix() if failed else job.href,
        "previous": job.href if failed and job.output.exists() else None,
        "seconds": round(result.seconds, 3),
        "hashes": result.hashes or job.hashes,
        "error": result.error,
        "problems": [p.as_dict() for p in problems],
        "attempts": result.attempts,
        "points": result.summary.get("points"),
        "max_points": result.summary.get("max_points"),
        "note": job.note,
        "sources": [os.path.relpath(s, out_dir.resolve()) for s in job.sources],
        "rendered_at": now_iso(),
    }


def _record(manifest: Manifest, result: ReportResult, problems: Sequence[Problem] = ()) -> None:
    """Record a report; on a full disk the entry stays in memory for the end of the run."""
    with suppress(OSError):
        manifest.record(result.job.key, report_entry(result, manifest.path.parent, problems))
    manifest.reports[result.job.key] = report_entry(result, manifest.path.parent, problems)


def _progress(total: int, done: int, quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, initial=done, disable=quiet, unit="report", file=sys.stderr, dynamic_ncols=True
    )


def _executor(options: RunOptions) -> Executor:
    kernel = ensure_kernel() if engine_kind(options.engine).kernel else KERNEL_NAME
    settings = WorkerSettings(options.engine, kernel, options.timeout, options.restart_every)
    return get_executor(options.executor, options.jobs, settings, options.scheduler)


def _execute(
    todo: list[ReportJob],
    options: RunOptions,
    executor: Executor,
    manifest: Manifest,
    bar: Any,
    counts: dict[str, int],
) -> list[ReportResult]:
    results: dict[str, ReportResult] = {}
    pending, attempt = todo, 1
    while pending and attempt <= options.retry + 1:
        for result in executor.map(pending):
            result.attempts = attempt
            if result.log:
                log.warning("report %s wrote to stderr:\n%s", result.job.key, result.log.rstrip())
            write_page(result)
            results[result.job.key] = result
            _record(manifest, result)
            if result.status == Status.OK or attempt == options.retry + 1:
                counts[result.status] += 1
                bar.update(1)
            bar.set_postfix(counts, refresh=False)
        pending = [r.job for r in results.values() if r.status == Status.FAILED]
        attempt += 1
    return list(results.values())


def _refuse(made: Plan, manifest: Manifest, project: Path) -> list[ReportResult]:
    """Mark the reports of refused params files ``invalid``, each with a page of problems (as
    a page may show them; as they are in the run's log)."""
    slots: dict[str, tuple[ReportJob, list[Problem], list[Problem]]] = {}
    for refused in made.refused:
        for problem in refused.problems:
            log.warning("refused %s: %s", refused.params, problem)
        shown = [shareable_problem(p, project, [refused.params]) for p in refused.problems]
        for job in refused.reports:
            slot = slots.setdefault(job.key, (job, [], []))
            slot[1].extend(shown)
            slot[2].extend(refused.problems)
    results = []
    for job, problems, found in slots.values():
        error = "\n".join(str(p) for p in problems)
        with suppress(OSError):
            write_refused_page(failure_path(job.output), job.title, problems)
        raw = "\n".join(str(p) for p in found)
        result = ReportResult(job, Status.INVALID, 0.0, {}, error, attempts=0, log=raw)
        _record(manifest, result, problems)
        results.append(result)
    return results


def run(
    params_files: Sequence[Path],
    out_dir: Path,
    options: RunOptions | None = None,
    notebook: Path | None = None,
    portfolio: Path | None = None,
) -> list[ReportResult]:
    """Render every report of ``params_files`` into ``out_dir`` and write its index; with
    ``portfolio``, also one portfolio page per framework and year (:func:`portfolio_notebook`
    finds the project's or evalkit's). The report notebook defaults to the project's own
    ``notebooks/agency_report.ipynb``, else the one that ships with evalkit. A params file
    with problems gets its reports marked ``invalid`` and the others render; with
    ``options.strict`` the whole run is refused instead."""
    options = options or RunOptions()
    notebook = notebook or find_notebook(AGENCY_NOTEBOOK, options.project)
    with folder_lock(out_dir, options.wait):
        manifest = Manifest(out_dir)
        executor = _executor(options)
        try:
            if options.force or not manifest.reports:  # a first run renders everything:
                executor.start()  # the engines start while the run is planned
            with fewer_collections():
                made = _plan(params_files, out_dir, options, notebook, portfolio, manifest)
            remove_stale_temporaries(written_folders(out_dir, made, manifest))
            todo, skipped = to_render(made.jobs, manifest, options.force)
            invalid = _refuse(made, manifest, options.project)
            counts = {str(s): 0 for s in Status} | {
                Status.INVALID: len(invalid),
                Status.SKIPPED: len(skipped),
            }
            done = len(skipped) + len(invalid)
            with _progress(len(todo) + done, done, options.quiet) as bar:
                bar.set_postfix(counts, refresh=False)
                results = _execute(todo, options, executor, manifest, bar, counts) if todo else []
        finally:
            executor.close()
        with fewer_collections():
            finish(out_dir, manifest, made, options.prune, [*skipped, *invalid, *results])
    return skipped + invalid + results


def _plan(
    params_files: Sequence[Path],
    out_dir: Path,
    options: RunOptions,
    notebook: Path,
    portfolio: Path | None,
    manifest: Manifest,
) -> Plan:
    made = make_plan(
        params_files,
        out_dir,
        notebook,
        portfolio,
        options.consensus,
        options.project,
        list(manifest.reports.values()),
        options.overrides,
    )
    if options.keep_notebooks:
        made.jobs[:] = [replace(j, keep_notebook=True) for j in made.jobs]
    if options.strict and made.refused:
        raise InvalidInputError(made.problems)
    if not made.jobs and not made.refused:
        raise EvalkitError(msg("No reports to render: the params files name no agency and year."))
    return made


def summary_table(results: Iterable[ReportResult]) -> list[Message]:
    """A few lines for the end of a run: counts and time per report."""
    results = list(results)
    rendered = [r for r in results if r.status in (Status.OK, Status.FAILED)]
    counts = {s: sum(r.status == s for r in results) for s in Status}
    lines = [
        msg(
            "{total} reports: {ok} rendered, {failed} failed, {invalid} refused as invalid, "
            "{skipped} unchanged and skipped.",
            total=len(results),
            ok=counts[Status.OK],
            failed=counts[Status.FAILED],
            invalid=counts[Status.INVALID],
            skipped=counts[Status.SKIPPED],
        )
    ]
    if rendered:
        mean = sum(r.seconds for r in rendered) / len(rendered)
        slowest = max(rendered, key=lambda r: r.seconds)
        lines.append(
            msg(
                "{mean} s per report in a worker; slowest {key} ({seconds} s).",
                mean=f"{mean:.2f}",
                key=slowest.job.key,
                seconds=f"{slowest.seconds:.1f}",
            )
        )
    return lines
