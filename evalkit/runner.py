"""``evalkit run``: execute the report notebook once per agency and year, render HTML, index.

Everything is checked before the first notebook runs: params files, then every score sheet
they name. Each report is executed by papermill in a fresh ``evalkit`` kernel, so the
notebook always runs the Python that evalkit is installed in.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import nbformat

from .errors import EvalkitError, InvalidInputError, Problem, ReportError
from .framework import Registry
from .params import ReportParams, load_params
from .publish import notebook_body, notebook_summary, write_index, write_report
from .sheets import check_sheets

KERNEL_NAME = "evalkit"
DEFAULT_NOTEBOOK = Path("notebooks/agency_report.ipynb")


@dataclass(frozen=True)
class ReportJob:
    params: ReportParams
    year: int
    agency_name: str
    notebook: Path
    output: Path
    href: str

    def parameters(self) -> dict[str, Any]:
        p = self.params
        return {
            "agency_id": p.agency_id,
            "year": self.year,
            "framework": p.framework,
            "data": [str(d) for d in p.data],
            "note": p.note,
            "frameworks_dir": str(p.frameworks_dir) if p.frameworks_dir else None,
        }


@dataclass
class ReportResult:
    job: ReportJob
    status: str
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure kernel ``name`` runs this Python; register it in this environment if not."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        if Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name="Python (evalkit)", prefix=sys.prefix)
    return name


def plan(
    params_files: Sequence[Path], out_dir: Path, notebook: Path = DEFAULT_NOTEBOOK
) -> list[ReportJob]:
    """Check every params file and sheet, then list the reports to render."""
    problems: list[Problem] = []
    params: list[ReportParams] = []
    for path in params_files:
        try:
            params.append(load_params(path))
        except InvalidInputError as exc:
            problems += exc.problems
    if problems:
        raise InvalidInputError(problems)
    if not notebook.is_file():
        raise ReportError(
            f"The report notebook {notebook} does not exist; run evalkit from the "
            "project folder or name one with --notebook."
        )
    jobs = []
    for p in params:
        registry = Registry([p.frameworks_dir] if p.frameworks_dir else [])
        sheets, found = check_sheets(p.data, registry)
        problems += found
        if found:
            continue
        mine = sheets.agencies()
        mine = mine[(mine["agency_id"] == p.agency_id) & (mine["framework"] == p.framework)]
        have = sorted(int(y) for y in mine["year"].unique())
        for year in p.years or have:
            if year not in have:
                problems.append(
                    Problem(
                        str(p.path),
                        0,
                        "years",
                        f"{year} (the data for {p.agency_id} holds {have or 'none'})",
                        f"a year with {p.framework} scores for {p.agency_id}",
                    )
                )
                continue
            name = str(mine.loc[mine["year"] == year, "agency_name"].iloc[0])
            href = f"{p.agency_id}/{year}.html"
            jobs.append(ReportJob(p, year, name, notebook.resolve(), out_dir / href, href))
    if problems:
        raise InvalidInputError(problems)
    return jobs


def execute(job: ReportJob, kernel: str = KERNEL_NAME) -> ReportResult:
    """Run one report; a failure is recorded (and rendered as a page), never raised."""
    import papermill

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="evalkit-") as tmp:
        executed = Path(tmp) / "report.ipynb"
        error = ""
        try:
            papermill.execute_notebook(
                str(job.notebook),
                str(executed),
                parameters=job.parameters(),
                kernel_name=kernel,
                cwd=str(job.notebook.parent),
                progress_bar=False,
            )
        except Exception as exc:  # the notebook's own error, reported for this report only
            error = f"{type(exc).__name__}: {exc}"
        notebook = nbformat.read(executed, as_version=4) if executed.exists() else None
    title = f"{job.agency_name} พ.ศ. {job.year}"
    body = notebook_body(notebook) if notebook is not None else ""
    if error:
        body = (
            f"<h1>{escape(title)}</h1><p>รายงานนี้สร้างไม่สำเร็จ (this report failed)</p>"
            f"<pre>{escape(error)}</pre>{body}"
        )
    write_report(job.output, title, body)
    summary = (notebook_summary(notebook) if notebook is not None else None) or {}
    return ReportResult(
        job, "failed" if error else "ok", time.perf_counter() - start, summary, error
    )


def run(
    params_files: Sequence[Path],
    out_dir: Path,
    jobs: int = 1,
    notebook: Path = DEFAULT_NOTEBOOK,
    log: Callable[[str], None] = print,
) -> list[ReportResult]:
    """Render every report of ``params_files`` into ``out_dir`` and write its index."""
    planned = plan(params_files, out_dir, notebook)
    if not planned:
        raise EvalkitError("No reports to render: the params files name no agency and year.")
    kernel = ensure_kernel()
    results: list[ReportResult] = []
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(planned)))) as pool:
        futures = [pool.submit(execute, job, kernel) for job in planned]
        for n, future in enumerate(futures, start=1):
            result = future.result()
            results.append(result)
            job = result.job
            log(
                f"[{n}/{len(planned)}] {result.status:6} {job.params.agency_id} {job.year}"
                f"  {result.seconds:.1f} s  {job.output}"
            )
    entries = [
        {
            "agency_id": r.job.params.agency_id,
            "agency_name": r.job.agency_name,
            "year": r.job.year,
            "framework": r.job.params.framework,
            "href": r.job.href,
            "status": r.status,
            "points": r.summary.get("points"),
            "max_points": r.summary.get("max_points"),
        }
        for r in results
    ]
    notes = sorted({job.params.note for job in planned if job.params.note})
    write_index(out_dir, entries, notes)
    return results
