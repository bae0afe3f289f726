"""Parts of run_bench.py: the papermill baselines, the run record, the index in Chromium and
the long run's memory."""

from __future__ import annotations

import contextlib
import json
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from evalkit import Registry
from evalkit.exports.sample import make_scores
from evalkit.runner.jobs import ReportJob
from evalkit.runner.manifest import Manifest
from evalkit.runner.publish.pages import write_index
from evalkit.runner.run import RunOptions, run

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"


# --- papermill ------------------------------------------------------------------------------


def ploomber_one(task: tuple[str, dict[str, Any], str]) -> None:
    """One page by ploomber-engine (the notebook's cells in this process, no kernel), with
    the same HTML export as papermill's."""
    import nbformat
    from nbconvert import HTMLExporter
    from ploomber_engine import execute_notebook

    notebook, parameters, out = task
    executed = execute_notebook(
        notebook,
        None,
        parameters=parameters,
        progress_bar=False,
        log_output=False,
        cwd=str(Path(notebook).parent),
    )
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(nbformat.from_dict(executed))
    Path(out).write_text(body, encoding="utf-8")


def papermill_one(task: tuple[str, dict[str, Any], str]) -> None:
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    notebook, parameters, out = task
    executed = papermill.execute_notebook(
        notebook,
        None,
        parameters=parameters,
        kernel_name="evalkit",
        progress_bar=False,
        cwd=str(Path(notebook).parent),
    )
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(nbformat.from_dict(executed))
    Path(out).write_text(body, encoding="utf-8")


def shell_loop(jobs: list[ReportJob], folder: Path) -> None:
    """The ``papermill`` and ``jupyter nbconvert`` commands, one report after the other."""
    out = folder / "commands"
    out.mkdir()
    lines = []
    for n, job in enumerate(jobs):
        executed = out / f"{n}.ipynb"
        lines.append(
            f"papermill -k evalkit --no-progress-bar --cwd {shlex.quote(str(job.notebook.parent))}"
            f" {shlex.quote(str(job.notebook))} {shlex.quote(str(executed))}"
            f" -y {shlex.quote(json.dumps(job.parameters()))} > /dev/null 2>&1"
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
    if made != len(jobs):
        raise SystemExit(f"the shell loop rendered {made} of {len(jobs)} reports")


# --- the run record -------------------------------------------------------------------------


def synthetic_entry(n: int) -> dict[str, Any]:
    """An entry the size of a real one."""
    return {
        "kind": "agency",
        "agency_id": f"district-{n:06d}",
        "agency_name": f"สำนักงานพัฒนาชุมชนอำเภอที่ {n}",
        "year": 2565 + n % 3,
        "framework": "pmqa-2562",
        "status": "ok" if n % 50 else "failed",
        "href": f"district-{n:06d}/{2565 + n % 3}.html",
        "previous": None,
        "seconds": 0.412,
        "hashes": {k: f"{n:064x}" for k in ("notebook", "evalkit", "params", "rows", "files")},
        "error": "",
        "attempts": 1,
        "points": 300.0 + n % 200,
        "max_points": 500,
        "rendered_at": "2022-11-21 17:03:00",
    }


def _per_entry(seconds: float, count: int) -> float:
    return seconds / count * 1e6


def record_costs(folder: Path, size: int) -> tuple[float, float, float]:
    """Microseconds per report to record a run of ``size`` results, to read them back at the
    start of the next run, and to compact the journal and export manifest.json at its end."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(folder)
    start = time.perf_counter()
    for n in range(size):
        manifest.record(f"district-{n:06d}/2565.html", synthetic_entry(n))
    recorded = time.perf_counter()
    manifest.save()
    closed = time.perf_counter()
    again = Manifest(folder)
    read = time.perf_counter()
    if len(again.reports) != size:
        raise SystemExit(f"the run record lost entries: {len(again.reports)} of {size}")
    return (
        _per_entry(recorded - start, size),
        _per_entry(read - closed, size),
        _per_entry(closed - recorded, size),
    )


def whole_rewrite(folder: Path, size: int) -> float:
    """Microseconds to rewrite a manifest.json of ``size`` entries, as each report once did."""
    folder.mkdir(parents=True, exist_ok=True)
    reports = {f"k{n}": synthetic_entry(n) for n in range(size)}
    start = time.perf_counter()
    (folder / "manifest.json").write_text(
        json.dumps({"reports": reports}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return (time.perf_counter() - start) * 1e6


def bookkeeping(folder: Path) -> None:
    print("\nrun record, microseconds per report")
    print(f"{'records':>8} {'record':>8} {'read':>8} {'save':>8} {'total':>8} {'old':>10}")
    totals = []
    for size in (1_000, 10_000):
        costs = record_costs(folder / f"journal-{size}", size)
        totals.append(sum(costs))
        old = whole_rewrite(folder / f"old-{size}", size)
        print(
            f"{size:8,} " + " ".join(f"{c:8.1f}" for c in costs) + f" {sum(costs):8.1f} {old:10.0f}"
        )
    print(
        f"per report at 10,000 records / at 1,000: {totals[1] / totals[0]:.2f} (target: flat); "
        "old: a whole manifest.json rewritten after each report"
    )


# --- the index in Chromium ------------------------------------------------------------------

INDEX_TIMES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const time = (act) => {const t = performance.now(); act(); document.body.offsetHeight;
    return performance.now() - t};
  const filter = document.querySelector('#filter');
  const th = [...document.querySelectorAll('th')].find(h => h.textContent.includes('คะแนนรวม'));
  return {
    load: nav.loadEventEnd,
    search: time(() => {filter.value = 'อำเภอที่ 42'; filter.dispatchEvent(new Event('input'))}),
    clear: time(() => {filter.value = ''; filter.dispatchEvent(new Event('input'))}),
    sort: time(() => th.click()),
    next: time(() => document.querySelector('.ek-pager [data-step="1"]').click()),
    rows: document.querySelectorAll('tbody tr').length,
    status: document.querySelector('.ek-pager span').textContent,
  };
}"""


def index_in_chromium(folder: Path, rows: int) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("\nindex in Chromium: skipped (no Chromium or no playwright)")
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = write_index(folder, [synthetic_entry(n) for n in range(rows)])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        times = page.evaluate(INDEX_TIMES)
        browser.close()
    size = path.stat().st_size / 2**20
    print(f"\nindex.html of {rows:,} reports ({size:.1f} MB) in Chromium, milliseconds:")
    print(
        f"load {times['load']:.0f}; search {times['search']:.0f}; clear {times['clear']:.0f}; "
        f"sort {times['sort']:.0f}; next page {times['next']:.0f} "
        f"({times['rows']} rows shown: {times['status']})"
    )


# --- memory over a long run -----------------------------------------------------------------


def make_project(folder: Path, agencies: int, small: bool = False) -> list[Path]:
    """One sheet of three assessors and two years for ``agencies`` agencies (``small``: one
    assessor and one year), and a params file for each."""
    framework = Registry().get("pmqa-2562")
    names = [(f"bench-{n:04d}", f"หน่วยงานทดสอบที่ {n}") for n in range(agencies)]
    folder.mkdir(parents=True, exist_ok=True)
    sheet = folder / "scores.csv"
    years = [2565] if small else [2564, 2565]
    assessors = ["ผู้ประเมิน 1"] if small else ["ผู้ประเมิน 1", "ผู้ประเมิน 2", "ผู้ประเมิน 3"]
    make_scores(framework, names, years, assessors, seed=agencies).to_csv(sheet, index=False)
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


def _pss(process: psutil.Process) -> float:
    """Proportional memory in MB: a page shared with the template counts in part."""
    return process.memory_full_info().pss / 2**20


class MemorySampler(threading.Thread):
    """Memory over time: each worker process (resident), each report process (proportional,
    since they are forks of one template and share its pages) and the template (resident)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, dict[str, list[float]]]] = []
        self.stopped = threading.Event()

    def sample(self, me: psutil.Process) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {"worker": [], "report process": [], "template": []}
        for child in me.children():
            with contextlib.suppress(psutil.Error):
                if "evalkit.runner.engines.template" in " ".join(child.cmdline()):
                    found["template"].append(child.memory_info().rss / 2**20)
                    found["report process"] += [_pss(p) for p in child.children()]
                elif "multiprocessing" not in " ".join(child.cmdline()):
                    found["worker"].append(child.memory_info().rss / 2**20)
        return found

    def run(self) -> None:
        me, start = psutil.Process(), time.perf_counter()
        while not self.stopped.wait(1.0):
            self.samples.append((time.perf_counter() - start, self.sample(me)))


#: A report notebook that does next to nothing: what ``--long`` renders by the thousand
TINY = """{
 "cells": [
  {"cell_type": "code", "execution_count": null, "id": "p", "metadata": {"tags": ["parameters"]},
   "outputs": [], "source": ["agency_id = \\"\\"\\n", "year = 0"]},
  {"cell_type": "code", "execution_count": null, "id": "s", "metadata": {}, "outputs": [],
   "source": ["print(agency_id, year)"]}
 ],
 "metadata": {"kernelspec": {"display_name": "Python (evalkit)", "language": "python",
  "name": "evalkit"}},
 "nbformat": 4, "nbformat_minor": 5
}
"""


def long_run(folder: Path, reports: int, jobs: int, tiny: bool = False) -> None:
    params = make_project(folder, reports, small=tiny)
    notebook = NOTEBOOK
    if tiny:
        notebook = folder / "tiny.ipynb"
        notebook.write_text(TINY, encoding="utf-8")
    sampler = MemorySampler()
    sampler.start()
    start = time.perf_counter()
    options = RunOptions(jobs=jobs, force=True, quiet=True)
    results = run(params, folder / "out", options, notebook)
    seconds = time.perf_counter() - start
    sampler.stopped.set()
    sampler.join()
    failed = sum(r.status != "ok" for r in results)
    print(
        f"\nlong run{' (tiny notebook)' if tiny else ''}: {reports} reports in {seconds:.0f} s "
        f"({seconds / reports:.3f} s per report), {failed} failed"
    )
    print("largest process of each kind, MB, by the end of each part of the run")
    kinds = ("worker", "report process", "template")
    print(f"{'progress':>9} " + " ".join(f"{k:>15}" for k in kinds))
    for fraction in (0.1, 0.25, 0.5, 0.75, 1.0):
        part = [
            s for t, s in sampler.samples if (fraction - 0.1) * seconds < t <= fraction * seconds
        ]
        peaks = [max((m for s in part for m in s[k]), default=0.0) for k in kinds]
        print(f"{fraction:>8.0%} " + " ".join(f"{m:15.0f}" for m in peaks))
