"""Rendering many reports: evalkit run against the floor and its peers.

    python benchmarks/run_bench.py [--jobs 2] [--repeat 3] [--long 10000 --tiny] [--commands]
                                   [--province 500] [--skip-speed]

On the bundled sample (every params file in params/, with its portfolio pages), in
``--repeat`` alternating rounds (each method once per round, so that a noisy minute touches
them alike), prints seconds per page (wall clock) and processor seconds per page (every
process of the method, children included), the median round of each, against:

- the cells-only floor: the notebooks' code cells in N warm in-process IPython shells running
  at once, each over its share of the pages, with every output formatted as Jupyter would
  (wall: the last shell's end; processor: all of them). Beside it, for reference, the same
  cells in one shell on an otherwise idle machine, divided by N: on a 2-core virtual machine
  two busy cores may each run the same code up to 30% slower than one alone, which no method
  running N processes at once escapes, so the targets are read against the floor of N
  shells. Also for reference, the floor with each report in a fork of its shell, its
  preload cell run in the shell first, as evalkit's report processes run them: what a
  clean state for every report costs, apart from the processes and pages around it;
- ``evalkit run --jobs N`` (local executor, default engine), the real command in its own
  process, start-up included, as ``make report`` runs it, and the same with nothing to
  render (the fixed cost: start-up, planning, index);
- the least a run that forks each report can cost: the forked floor, one start-up and warm-up
  of a report process, the fixed cost and the pages made from the executed notebooks of one
  ``evalkit run --keep-notebooks`` (nbconvert's export and the page's template);
- ``evalkit run --executor dask --jobs N``, the same command on a LocalCluster of N workers;
- a ploomber-engine pool of N processes and papermill's Python API in a pool of N (HTML
  exported as nbconvert does; papermill in the first round only: it is slow);

then the run record's cost per report at 1,000 and 10,000 synthetic records, and the index
page's load, search and sort times in Chromium at 10,000 rows. ``--long N`` renders N
synthetic reports (``--tiny``: of a two-cell notebook) and samples the memory of every
worker, report process and template as it goes; ``--commands`` adds a shell loop of the
``papermill`` and ``jupyter nbconvert`` commands; ``--province N`` times the floor, the
forked floor and ``evalkit run`` again over N synthetic agencies of one province-wide sheet,
where a run's fixed cost is spread over N pages rather than 57, with the least a run that
forks each report can cost there.

Targets on a 2-core machine: processor time within 1.1x of the floor, wall time within 1.3x
on a quiet machine, faster than the ploomber-engine pool on both, a fixed cost under a
second; Dask within 1.2x of the local pool; bookkeeping per report flat from 1,000 to 10,000
records; memory per worker flat.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
from bench_helpers import (
    bookkeeping,
    index_in_chromium,
    long_run,
    make_project,
    papermill_one,
    ploomber_one,
    shell_loop,
)

from evalkit.runner.engines import Executed
from evalkit.runner.engines.execution import RESET, WARM_IMPORTS
from evalkit.runner.engines.notebook import (
    AGENCY_NOTEBOOK,
    PORTFOLIO_NOTEBOOK,
    find_notebook,
    inject,
    read_notebook,
)
from evalkit.runner.engines.shell import Outputs, make_shell, run_cell
from evalkit.runner.engines.shell_engine import preload_cell
from evalkit.runner.jobs import ReportJob
from evalkit.runner.plan.planning import plan
from evalkit.runner.publish import report_page
from evalkit.runner.run import ensure_kernel

ROOT = Path(__file__).resolve().parents[1]
#: seconds a shell of the parallel floor may take to warm up, or to run its share
FLOOR_WAIT = 1800
#: The command of the environment running this benchmark.
EVALKIT = Path(sys.executable).parent / "evalkit"


def sample_params() -> list[Path]:
    return sorted((ROOT / "params").glob("*.yaml"))


def sample_jobs(out: Path) -> list[ReportJob]:
    notebook = find_notebook(AGENCY_NOTEBOOK, ROOT)
    return plan(sample_params(), out, notebook, find_notebook(PORTFOLIO_NOTEBOOK, ROOT))


def cells(shell: Any, outputs: Outputs, jobs: list[ReportJob], fork: bool = False) -> None:
    """Each job's code cells after the reset cell; with ``fork``, each job in a fork of this
    shell, after the preload cell has run here, as a report process of evalkit runs them."""
    for job in jobs:
        notebook = inject(read_notebook(job.notebook), job.parameters())
        if fork:
            _forked(shell, outputs, job, notebook)
        else:
            _report(shell, outputs, job, notebook)


def _report(shell: Any, outputs: Outputs, job: ReportJob, notebook: Any) -> None:
    """One job's reset cell, then its code cells, in ``shell``."""
    run_cell(shell, outputs, RESET.format(cwd=str(job.notebook.parent)))
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.strip():
            _, error = run_cell(shell, outputs, cell.source)
            if error:
                raise SystemExit(f"the floor failed on {job.key}: {error}")


def _forked(shell: Any, outputs: Outputs, job: ReportJob, notebook: Any) -> None:
    """One job's cells in a fork of the shell, its preload cell run in the shell first."""
    preload = preload_cell(notebook)
    if preload:
        run_cell(shell, outputs, preload)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _report(shell, outputs, job, notebook)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the forked floor failed on {job.key}")


def cells_floor(
    jobs: list[ReportJob], start: Any = None, fork: bool = False
) -> tuple[float, float]:
    """Every job's code cells in one warm in-process IPython shell, outputs formatted as a
    kernel formats them (with ``fork``, each job in a fork of it); the shell is warmed up with
    the first report, not timed, and with a ``start`` barrier, timed once every shell that
    waits on it is warm."""
    outputs = Outputs()
    shell = make_shell(outputs)
    run_cell(shell, outputs, WARM_IMPORTS)
    cells(shell, outputs, jobs[:1])
    if start is not None:
        start.wait(FLOOR_WAIT)
    return measured(cells, shell, outputs, jobs, fork)


def evalkit_run(
    folder: Path, jobs: int, executor: str, project: Path = ROOT, *options: str
) -> None:
    """The ``evalkit run`` command as a person runs it on the sample (params/, with the
    portfolio pages), or on another ``project``, with any further ``options``: a process of
    its own, so its start-up counts."""
    out = folder / (executor if project == ROOT else f"{project.name}-{executor}")
    command = [str(EVALKIT), "run", "--project", str(project), "--out", str(out)]
    command += ["--force", "--quiet", "--jobs", str(jobs), "--executor", executor, *options]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).splitlines()[-15:])
        raise SystemExit(f"evalkit run --executor {executor} failed ({done.returncode}):\n{tail}")


def _quiet_kernels() -> None:
    """Kernels inherit this worker's stderr; their start-up warnings would bury the table."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


def _pool(one: Callable[[tuple[str, dict[str, Any], str]], None], name: str) -> Any:
    def pool(jobs: list[ReportJob], folder: Path, workers: int) -> None:
        out = folder / f"{name}-{time.monotonic_ns()}"
        out.mkdir()
        tasks = [
            (str(j.notebook), j.parameters(), str(out / f"{n}.html")) for n, j in enumerate(jobs)
        ]
        with ProcessPoolExecutor(workers, initializer=_quiet_kernels) as executor:
            list(executor.map(one, tasks))

    return pool


#: papermill's Python API in a pool of processes, each report in a kernel of its own
papermill_pool = _pool(papermill_one, "papermill")
#: ploomber-engine in a pool of processes, each report's cells in the process itself
ploomber_pool = _pool(ploomber_one, "ploomber")


def warm_up_run() -> None:
    """One report process's start-up and warm-up, as the template of ``evalkit run`` goes
    through them once before it forks the report processes: a process of its own."""
    code = (
        "import sys\n"
        "from evalkit.runner.engines.shell import prepare\n"
        "_, _, error = prepare(sys.argv[1])\n"
        "raise SystemExit(error or None)\n"
    )
    command = [sys.executable, "-c", code, WARM_IMPORTS]  # the warm-up passed in, as to a template
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the warm-up failed:\n{(done.stderr or done.stdout)[-2000:]}")


def pages_cost(folder: Path, workers: int, project: Path = ROOT) -> float:
    """Processor seconds to make the pages of the sample (or of ``project``) from their
    executed notebooks, as a worker makes each (nbconvert's export and the page's template),
    in this process: what any run pays beside the cells. The notebooks are those one
    ``evalkit run --keep-notebooks`` kept."""
    out = folder / f"kept-{project.name}"
    evalkit_run(out, workers, "local", project, "--keep-notebooks")
    notebooks = [nbformat.read(path, as_version=4) for path in sorted(out.rglob("*.ipynb"))]
    report_page("", Executed(notebooks[0]))  # nbconvert loaded, its templates compiled
    start = time.process_time()
    for notebook in notebooks:
        report_page("", Executed(notebook))
    return time.process_time() - start


def noop_run(folder: Path) -> None:
    """``evalkit run`` over a folder where every page is current: its fixed cost (start-up,
    planning, the index), nothing rendered."""
    command = [str(EVALKIT), "run", "--project", str(ROOT), "--out", str(folder / "local")]
    done = subprocess.run([*command, "--quiet"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"evalkit run with nothing to render failed:\n{done.stderr[-2000:]}")


def measured(function: Callable[..., Any], *args: Any) -> tuple[float, float]:
    """Wall seconds and processor seconds (this process and its finished children, with
    theirs: a command run as a subprocess counts whole)."""

    def cpu() -> float:
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime

    wall, used = time.perf_counter(), cpu()
    function(*args)
    return time.perf_counter() - wall, cpu() - used


def floor_run(jobs: list[ReportJob], workers: int) -> tuple[float, float]:
    """The cells of ``jobs`` in one shell, on an otherwise idle machine: its wall time divided
    by ``workers``, and its processor time."""
    with ProcessPoolExecutor(1) as pool:  # an IPython shell takes over its process' __main__
        one_shell, used = pool.submit(cells_floor, jobs).result()
    return one_shell / workers, used


def _floor_share(jobs: list[ReportJob], start: Any, results: Any, fork: bool) -> None:
    """One shell of the parallel floor, its share timed from the moment every shell is warm."""
    results.put(cells_floor(jobs, start, fork))


def parallel_floor(jobs: list[ReportJob], workers: int, fork: bool = False) -> tuple[float, float]:
    """The cells of ``jobs`` in ``workers`` shells at once, each over every ``workers``-th
    job (with ``fork``, each job in a fork of its shell): the wall time of the last to end,
    and the processor time of all."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # a shell takes over its process' __main__
    start, results = context.Barrier(workers), context.Queue(workers)
    shells = [
        context.Process(target=_floor_share, args=(jobs[n::workers], start, results, fork))
        for n in range(workers)
    ]
    for shell in shells:
        shell.start()
    try:
        found = [results.get(timeout=FLOOR_WAIT) for _ in shells]
    finally:
        for shell in shells:
            shell.join(FLOOR_WAIT)
            if shell.is_alive():
                shell.kill()
    return max(wall for wall, _ in found), sum(used for _, used in found)


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The run of median wall time (with its processor time)."""
    return sorted(runs)[len(runs) // 2]


#: the methods of one round, in the order they run
METHODS = {
    "floor": "cells-only floor ({w} shells at once)",
    "one": "  the same in 1 shell, idle machine, / {w}",
    "forked": "  the same, each report a fork ({w} at once)",
    "local": "evalkit run --jobs {w}",
    "dask": "evalkit run --executor dask ({w})",
    "ploomber": "ploomber-engine pool of {w}",
    "papermill": "papermill API pool of {w}",
}


def _round(jobs: list[ReportJob], folder: Path, workers: int, first: bool) -> dict[str, Any]:
    """Every method once, in turn, so that a noisy minute touches them alike (papermill, the
    slowest by far, in the first round only)."""
    found = {
        "floor": parallel_floor(jobs, workers),
        "one": floor_run(jobs, workers),
        "forked": parallel_floor(jobs, workers, fork=True),
        "local": measured(evalkit_run, folder, workers, "local"),
        "noop": measured(noop_run, folder),
        "warm": measured(warm_up_run),
        "dask": measured(evalkit_run, folder, workers, "dask"),
        "ploomber": measured(ploomber_pool, jobs, folder, workers),
    }
    if first:
        found["papermill"] = measured(papermill_pool, jobs, folder, workers)
    return found


def _verdict(rows: dict[str, tuple[float, float]], noop: tuple[float, float]) -> None:
    floor, local, ploomber = rows["floor"], rows["local"], rows["ploomber"]
    wall, cpu = local[0] / floor[0], local[1] / floor[1]
    met = {True: "met", False: "not met"}
    print(f"evalkit run: processor time {cpu:.2f}x the floor (target 1.1x: {met[cpu <= 1.1]}); ")
    print(f"  wall time {wall:.2f}x the floor (target 1.3x on a quiet machine: {met[wall <= 1.3]})")
    faster = local[0] < ploomber[0] and local[1] < ploomber[1]
    print(
        f"  against the ploomber-engine pool: wall {local[0] / ploomber[0]:.2f}x, processor "
        f"{local[1] / ploomber[1]:.2f}x (target: faster on both: {met[faster]})"
    )
    print(f"  dask {rows['dask'][0] / local[0]:.2f}x the local pool (target 1.2x)")
    print(
        f"  fixed cost of a run (start-up, planning, index; nothing to render): {noop[0]:.2f} s "
        f"wall, {noop[1]:.2f} s processor (target under 1 s: wall {met[noop[0] < 1.0]}, "
        f"processor {met[noop[1] < 1.0]})"
    )


def _table(rows: dict[str, tuple[float, float]], n: int, workers: int) -> None:
    """Each method's seconds per page, wall and processor, and both against the floor's."""
    print(f"{'method':38} {'s/page':>7} {'x floor':>8} {'cpu s/page':>11} {'cpu x floor':>12}")
    floor = rows["floor"]
    for name, (wall, used) in rows.items():
        label = METHODS.get(name, "papermill + nbconvert commands").format(w=workers)
        print(
            f"{label:38} {wall / n:7.3f} {wall / floor[0]:8.2f} {used / n:11.3f} "
            f"{used / floor[1]:12.2f}"
        )


def speed(folder: Path, workers: int, commands: bool, repeat: int) -> None:
    jobs = sample_jobs(folder / "plan")
    n = len(jobs)
    pages = pages_cost(folder, workers)
    rounds = [_round(jobs, folder, workers, first=r == 0) for r in range(repeat)]
    rows = {name: median_of([r[name] for r in rounds if name in r]) for name in METHODS}
    if commands:
        rows["commands"] = measured(shell_loop, jobs, folder)
    noop = median_of([r["noop"] for r in rounds])
    warm = median_of([r["warm"] for r in rounds])
    print(
        f"{n} pages of the sample (params/), {workers} workers, {os.cpu_count()} cores; "
        f"median of {repeat} alternating rounds (papermill: the first only)"
    )
    _table(rows, n, workers)
    floor = rows["floor"]
    one, forked, local = rows["one"], rows["forked"], rows["local"]
    print(
        f"  {workers} busy cores against one: {floor[1] / one[1]:.2f}x the processor time for "
        "the same cells"
    )
    print(
        f"  each report in a fork of its shell: {forked[1] / floor[1]:.2f}x the processor time "
        f"of the same cells in the shell itself; evalkit run {local[1] / forked[1]:.2f}x the "
        "forked cells' processor time"
    )
    least = forked[1] + warm[1] + noop[1] + pages
    print(
        f"  the least a run that forks each report can cost: the forked cells, one start-up "
        f"and warm-up ({warm[1]:.2f} s), the fixed cost ({noop[1]:.2f} s) and the pages made "
        f"from the executed notebooks ({pages:.2f} s): {least / floor[1]:.2f}x the floor, "
        "before anything is sent between processes"
    )
    for name in ("floor", "local", "ploomber"):
        walls = ", ".join(f"{r[name][0] / n:.3f}" for r in rounds)
        print(f"  {name} rounds, s/page: {walls}")
    _verdict(rows, noop)


def scale(folder: Path, pages: int, workers: int, repeat: int) -> None:
    """Processor and wall time of ``evalkit run`` against the floor over ``pages`` synthetic
    agencies (one province-wide sheet, the agency notebook, PMQA 2562), in alternating rounds:
    what the fixed cost of a run, which weighs on the sample's 57 pages, comes to at the size
    of a province."""
    project = folder / "province"
    params = make_project(project, pages)
    notebook = find_notebook(AGENCY_NOTEBOOK, ROOT)
    jobs = plan(params, folder / "province-plan", notebook, find_notebook(PORTFOLIO_NOTEBOOK, ROOT))
    made = pages_cost(folder, workers, project)
    rounds = [
        {
            "floor": parallel_floor(jobs, workers),
            "forked": parallel_floor(jobs, workers, fork=True),
            "local": measured(evalkit_run, folder, workers, "local", project),
            "warm": measured(warm_up_run),
        }
        for _ in range(repeat)
    ]
    rows = {name: median_of([r[name] for r in rounds]) for name in ("floor", "forked", "local")}
    warm = median_of([r["warm"] for r in rounds])
    n = len(jobs)
    print(f"\n{n} pages of {pages} synthetic agencies, {workers} workers, median of {repeat}")
    _table(rows, n, workers)
    (floor_wall, floor_cpu), (wall, used) = rows["floor"], rows["local"]
    cpu = used / floor_cpu
    print(
        f"evalkit run at {n} pages: processor time {cpu:.2f}x the floor (target 1.1x: "
        f"{'met' if cpu <= 1.1 else 'not met'}), wall time {wall / floor_wall:.2f}x"
    )
    least = rows["forked"][1] + warm[1] + made
    print(
        f"  the least a run that forks each report can cost: the forked cells, one start-up "
        f"and warm-up ({warm[1]:.2f} s) and the pages made from the executed notebooks "
        f"({made:.2f} s): {least / floor_cpu:.2f}x the floor; evalkit run "
        f"{used / rows['forked'][1]:.2f}x the forked cells"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--long", type=int, default=0, metavar="N", help="memory over N reports")
    parser.add_argument("--commands", action="store_true", help="add the shell command loop")
    parser.add_argument("--tiny", action="store_true", help="--long with a notebook of 2 cells")
    parser.add_argument("--skip-speed", action="store_true", help="bookkeeping and index only")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each method (median)")
    parser.add_argument(
        "--province", type=int, default=0, metavar="N", help="floor and run over N agencies"
    )
    args = parser.parse_args()
    ensure_kernel()
    with tempfile.TemporaryDirectory(prefix="evalkit-bench-") as tmp:
        folder = Path(tmp)
        if not args.skip_speed:
            speed(folder, args.jobs, args.commands, args.repeat)
        if args.province:
            scale(folder, args.province, args.jobs, args.repeat)
        bookkeeping(folder / "record")
        index_in_chromium(folder / "index", 10_000)
        if args.long:
            long_run(folder / "long", args.long, args.jobs, tiny=args.tiny)


if __name__ == "__main__":
    main()
