"""Rendering many reports: evalkit run against the usual ways of running papermill.

    python benchmarks/run_bench.py [--agencies 40] [--long 1000] [--jobs 2]

Renders the same N sample agencies (one report each) three ways and prints seconds per
report and the ratios:
(a) a shell loop of the ``papermill`` and ``jupyter nbconvert`` commands;
(b) papermill's Python API with in-process HTML export, in a pool of 2 processes;
(c) ``evalkit run`` (warm engine, --jobs 2).
Then renders ``--long`` reports with evalkit run and samples the memory of every worker and
its kernel, to show that it stays flat over a long run (``--long 0`` skips this).
Targets on a 2-core machine: (c) at least 10x faster than (a) and 2.5x faster than (b).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

from evalkit import Registry
from evalkit.exports.sample import make_scores
from evalkit.runner.run import RunOptions, ensure_kernel, run

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"


def make_project(folder: Path, agencies: int) -> list[Path]:
    """One sheet of three assessors for ``agencies`` agencies, and a params file for each."""
    framework = Registry().get("pmqa-2562")
    names = [(f"bench-{n:04d}", f"หน่วยงานทดสอบที่ {n}") for n in range(agencies)]
    folder.mkdir(parents=True, exist_ok=True)
    sheet = folder / "scores.csv"
    make_scores(
        framework, names, [2564, 2565], ["ผู้ประเมิน 1", "ผู้ประเมิน 2", "ผู้ประเมิน 3"], seed=agencies
    ).to_csv(sheet, index=False)
    params = []
    for agency_id, _ in names:
        path = folder / "params" / f"{agency_id}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            f"agency_id: {agency_id}\nframework: pmqa-2562\ndata: [{sheet}]\nyears: [2565]\n",
            encoding="utf-8",
        )
        params.append(path)
    return params


def shell_loop(params: list[Path], folder: Path) -> None:
    out = folder / "a"
    out.mkdir()
    sheet = folder / "scores.csv"
    lines = []
    for path in params:
        executed = out / f"{path.stem}.ipynb"
        lines.append(
            f"papermill -k evalkit --no-progress-bar {shlex.quote(str(NOTEBOOK))} "
            f"{shlex.quote(str(executed))} -p agency_id {path.stem} -p year 2565 "
            f"-y {shlex.quote(f'data: [{sheet}]')} > /dev/null 2>&1"
        )
        lines.append(
            f"jupyter nbconvert --to html --no-input {shlex.quote(str(executed))} > /dev/null 2>&1"
        )
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        ["bash", "-c", "\n".join(lines)],
        check=False,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(Path.home())},
    )
    made = len(list(out.glob("*.html")))
    if made != len(params):
        raise SystemExit(f"the shell loop rendered {made} of {len(params)} reports")


def papermill_one(args: tuple[str, str, str]) -> None:
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    agency_id, sheet, out = args
    executed = papermill.execute_notebook(
        str(NOTEBOOK),
        None,
        parameters={"agency_id": agency_id, "year": 2565, "data": [sheet]},
        kernel_name="evalkit",
        progress_bar=False,
        cwd=str(NOTEBOOK.parent),
    )
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(nbformat.from_dict(executed))
    Path(out, f"{agency_id}.html").write_text(body, encoding="utf-8")


def _quiet_kernels() -> None:
    """Kernels inherit this worker's stderr; their start-up warnings would bury the table.
    A failing notebook still raises in the parent."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


def papermill_pool(params: list[Path], folder: Path) -> None:
    out = folder / "b"
    out.mkdir()
    tasks = [(p.stem, str(folder / "scores.csv"), str(out)) for p in params]
    with ProcessPoolExecutor(2, initializer=_quiet_kernels) as pool:
        list(pool.map(papermill_one, tasks))


def evalkit_run(params: list[Path], folder: Path, jobs: int) -> None:
    results = run(params, folder / "c", RunOptions(jobs=jobs, force=True, quiet=True), NOTEBOOK)
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise SystemExit(f"evalkit run failed: {failed[0].error}")


def timed(function, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


class MemorySampler(threading.Thread):
    """Peak resident memory of each worker process together with its kernel, over time."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, list[float]]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        me, start = psutil.Process(), time.perf_counter()
        while not self.stopped.wait(1.0):
            workers = []
            for child in me.children():
                try:
                    family = [child, *child.children(recursive=True)]
                    workers.append(sum(p.memory_info().rss for p in family) / 2**20)
                except psutil.NoSuchProcess:
                    continue
            if workers:
                self.samples.append((time.perf_counter() - start, workers))


def long_run(folder: Path, reports: int, jobs: int) -> None:
    params = make_project(folder / "long", reports)
    sampler = MemorySampler()
    sampler.start()
    seconds = timed(evalkit_run, params, folder / "long", jobs)
    sampler.stopped.set()
    sampler.join()
    print(
        f"\nlong run: {reports} reports in {seconds:.0f} s ({seconds / reports:.2f} s per report)"
    )
    print(f"{'progress':>9} {'worker + kernel MB (each worker)':>34}")
    for fraction in (0.1, 0.25, 0.5, 0.75, 1.0):
        upto = [s for s in sampler.samples if s[0] <= fraction * seconds] or sampler.samples[:1]
        peak = [max(s[1][i] for s in upto if len(s[1]) > i) for i in range(jobs)]
        print(f"{fraction:>8.0%} {'  '.join(f'{m:8.0f}' for m in peak):>34}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--long", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    ensure_kernel()
    with tempfile.TemporaryDirectory(prefix="evalkit-bench-") as tmp:
        folder = Path(tmp)
        params = make_project(folder, args.agencies)
        n = len(params)
        results = {
            "(a) papermill + nbconvert commands": timed(shell_loop, params, folder),
            "(b) papermill API, pool of 2": timed(papermill_pool, params, folder),
            f"(c) evalkit run --jobs {args.jobs}": timed(evalkit_run, params, folder, args.jobs),
        }
        print(f"{n} reports, one per agency")
        print(f"{'method':38} {'seconds':>8} {'s/report':>9}")
        for name, seconds in results.items():
            print(f"{name:38} {seconds:8.1f} {seconds / n:9.2f}")
        a, b, c = results.values()
        print(
            f"(c) is {a / c:.1f}x faster than (a) (target 10x) and {b / c:.1f}x faster "
            "than (b) (target 2.5x)"
        )
        if args.long:
            long_run(folder, args.long, args.jobs)


if __name__ == "__main__":
    main()
