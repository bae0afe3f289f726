"""``evalkit run``: render many parameterised report notebooks, fast, safely and again.

1. **Plan**: every params file, every sheet it names and every parameter the notebook would
   receive is checked before anything runs; all problems are reported at once.
2. **Skip** what is current: a report whose notebook, params, data and evalkit are unchanged
   since its last good render (content hashes in ``manifest.json``) is not rendered again.
3. **Render** the rest on a pool of workers, each with its own engine (see
   :mod:`evalkit.engines`). A report that fails gets a page saying where and why, and the
   others go on. Every file is written beside its target and renamed into place.
4. **Index** every report of the plan, with its status, total and date.

The output folder is locked for the whole run, so two runs never write to it at once.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import EvalkitError, InvalidInputError, Problem, ReportError
from .files import remove_stale_temporaries
from .framework import Registry
from .jobs import ReportJob, ReportResult
from .manifest import Manifest, evalkit_hash, folder_lock, hash_bytes, hash_files
from .notebook import check_parameters, declared_parameters, read_notebook
from .params import ReportParams, load_params
from .publish import write_index
from .sheets import SheetSet, check_sheets
from .workers import EXECUTORS, failure_path

KERNEL_NAME = "evalkit"
DEFAULT_NOTEBOOK = Path("notebooks/agency_report.ipynb")
DEFAULT_PORTFOLIO = Path("notebooks/portfolio.ipynb")


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


def _load_all(params_files: Sequence[Path]) -> list[ReportParams]:
    problems: list[Problem] = []
    params = []
    for path in params_files:
        try:
            params.append(load_params(path))
        except InvalidInputError as exc:
            problems += exc.problems
    if problems:
        raise InvalidInputError(problems)
    return params


def _agency_values(p: ReportParams, year: int) -> dict[str, Any]:
    return {
        "agency_id": p.agency_id,
        "year": year,
        "framework": p.framework,
        "data": [str(d) for d in p.data],
        "note": p.note,
        "frameworks_dir": str(p.frameworks_dir) if p.frameworks_dir else None,
        "poverty": str(p.poverty) if p.poverty else None,
        **p.parameters,
    }


@lru_cache(maxsize=16)
def _checked(
    data: tuple[Path, ...], frameworks_dir: Path | None
) -> tuple[SheetSet, tuple[Problem, ...]]:
    """Sheets checked once per run, however many params files name them."""
    registry = Registry([frameworks_dir] if frameworks_dir else [])
    sheets, problems = check_sheets(data, registry)
    return sheets, tuple(problems)


@lru_cache(maxsize=64)
def _hashed(paths: tuple[Path, ...]) -> str:
    """Content hash of input files, read once per run however many reports share them."""
    return hash_files(paths)


def _jobs_of(
    p: ReportParams, out_dir: Path, notebook: Path, common: dict[str, str]
) -> tuple[list[ReportJob], list[Problem]]:
    sheets, found = _checked(tuple(p.data), p.frameworks_dir)
    if found:
        return [], list(found)
    problems: list[Problem] = []
    mine = sheets.agencies()
    mine = mine[(mine["agency_id"] == p.agency_id) & (mine["framework"] == p.framework)]
    have = sorted(int(y) for y in mine["year"].unique())
    inputs = [*p.data, *([p.poverty] if p.poverty else [])]
    hashes = {**common, "params": hash_bytes(p.path.read_bytes()), "data": _hashed(tuple(inputs))}
    jobs = []
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
        jobs.append(
            ReportJob(
                href,
                f"{name} พ.ศ. {year}",
                notebook.resolve(),
                out_dir / href,
                _agency_values(p, year),
                hashes,
                p.agency_id,
                name,
                year,
                p.framework,
                p.note,
            )
        )
    return jobs, problems


def _portfolio_jobs(
    agency_jobs: list[ReportJob], params: list[ReportParams], out_dir: Path, notebook: Path
) -> list[ReportJob]:
    """One portfolio page per framework and year, over every agency of the run."""
    jobs = []
    by_key: dict[tuple[str, int], list[ReportJob]] = {}
    for job in agency_jobs:
        by_key.setdefault((job.framework, job.year), []).append(job)
    for (framework, year), members in sorted(by_key.items()):
        sources = [p for p in params if p.framework == framework]
        data = sorted({str(d) for p in sources for d in p.data})
        folders = {str(p.frameworks_dir) for p in sources if p.frameworks_dir}
        notes = sorted({p.note for p in sources if p.note})
        values = {
            "framework": framework,
            "year": year,
            "data": data,
            "note": " ".join(notes),
            "frameworks_dir": next(iter(folders)) if len(folders) == 1 else None,
        }
        hashes = {
            "notebook": hash_bytes(notebook.read_bytes()),
            "evalkit": evalkit_hash(),
            "params": hash_bytes(*(p.path.read_bytes() for p in sources)),
            "data": _hashed(tuple(Path(d) for d in data)),
        }
        href = f"portfolio/{framework}-{year}.html"
        title = f"ภาพรวมหน่วยงาน {framework} พ.ศ. {year}"
        jobs.append(
            ReportJob(
                href,
                title,
                notebook.resolve(),
                out_dir / href,
                values,
                hashes,
                "portfolio",
                f"ภาพรวม {len(members)} หน่วยงาน (portfolio)",
                year,
                framework,
                " ".join(notes),
                kind="portfolio",
            )
        )
    return jobs


def plan(
    params_files: Sequence[Path],
    out_dir: Path,
    notebook: Path = DEFAULT_NOTEBOOK,
    portfolio: Path | None = None,
    consensus: str | None = None,
) -> list[ReportJob]:
    """Check every params file, sheet and parameter, then list the reports to render: one per
    agency and year, and (when the portfolio notebook exists) one per framework and year.
    ``consensus`` overrides the frameworks' consensus rule for every report of the run."""
    params = _load_all(params_files)
    _checked.cache_clear()  # files may have changed since the last plan
    _hashed.cache_clear()
    if not notebook.is_file():
        raise ReportError(
            f"The report notebook {notebook} does not exist; run evalkit from the "
            "project folder or name one with --notebook."
        )
    common = {"notebook": hash_bytes(notebook.read_bytes()), "evalkit": evalkit_hash()}
    jobs: list[ReportJob] = []
    problems: list[Problem] = []
    for p in params:
        found, wrong = _jobs_of(p, out_dir, notebook, common)
        jobs += found
        problems += wrong
    if portfolio is not None and portfolio.is_file() and not problems:
        jobs += _portfolio_jobs(jobs, params, out_dir, portfolio)
    if consensus:
        jobs = [
            replace(
                j,
                values={**j.values, "consensus": consensus},
                hashes={**j.hashes, "consensus": consensus},
            )
            for j in jobs
        ]
    declared = {n: declared_parameters(read_notebook(n)) for n in {j.notebook for j in jobs}}
    checked: set[tuple[str, Path]] = set()
    for job in jobs:
        if (job.agency_id, job.notebook) not in checked:
            checked.add((job.agency_id, job.notebook))
            source = (
                job.notebook.name
                if job.kind == "portfolio"
                else next(str(p.path) for p in params if p.agency_id == job.agency_id)
            )
            problems += check_parameters(job.parameters(), declared[job.notebook], source)
    if problems:
        raise InvalidInputError(problems)
    return jobs


# --- the run ---------------------------------------------------------------------------------


@dataclass
class RunOptions:
    jobs: int = 1
    engine: str = "warm"
    timeout: float | None = 300
    retry: int = 0
    force: bool = False
    wait: bool = False
    quiet: bool = False
    restart_every: int = 50
    executor: str = "local"
    consensus: str | None = None


def _entry(result: ReportResult) -> dict[str, Any]:
    job = result.job
    failed = result.status == "failed"
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
        "hashes": job.hashes,
        "error": result.error,
        "attempts": result.attempts,
        "points": result.summary.get("points"),
        "max_points": result.summary.get("max_points"),
        "rendered_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _progress(total: int, done: int, quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, initial=done, disable=quiet, unit="report", file=sys.stderr, dynamic_ncols=True
    )


def _execute(
    todo: list[ReportJob], options: RunOptions, manifest: Manifest, bar: Any, counts: dict[str, int]
) -> list[ReportResult]:
    kernel = ensure_kernel()
    executor = EXECUTORS[options.executor](
        options.jobs, options.engine, kernel, options.timeout, options.restart_every
    )
    results: dict[str, ReportResult] = {}
    pending, attempt = todo, 1
    while pending and attempt <= options.retry + 1:
        for result in executor.map(pending):
            result.attempts = attempt
            results[result.job.key] = result
            manifest.record(result.job.key, _entry(result))
            if result.status == "ok" or attempt == options.retry + 1:
                counts[result.status] += 1
                bar.update(1)
            bar.set_postfix(counts, refresh=False)
        pending = [r.job for r in results.values() if r.status == "failed"]
        attempt += 1
    return list(results.values())


def run(
    params_files: Sequence[Path],
    out_dir: Path,
    options: RunOptions | None = None,
    notebook: Path = DEFAULT_NOTEBOOK,
    portfolio: Path | None = None,
) -> list[ReportResult]:
    """Render every report of ``params_files`` into ``out_dir`` and write its index; with
    ``portfolio``, also one portfolio page per framework and year."""
    options = options or RunOptions()
    with folder_lock(out_dir, options.wait):
        remove_stale_temporaries(out_dir)
        planned = plan(params_files, out_dir, notebook, portfolio, options.consensus)
        if not planned:
            raise EvalkitError("No reports to render: the params files name no agency and year.")
        manifest = Manifest(out_dir)
        todo = [
            j
            for j in planned
            if options.force or not manifest.is_current(j.key, j.hashes, j.output)
        ]
        skipped = [_skipped(j, manifest) for j in planned if j not in todo]
        counts = {"ok": 0, "failed": 0, "skipped": len(skipped)}
        with _progress(len(planned), len(skipped), options.quiet) as bar:
            bar.set_postfix(counts, refresh=False)
            results = _execute(todo, options, manifest, bar, counts) if todo else []
        entries = [manifest.reports[j.key] for j in planned]
        notes = sorted({j.note for j in planned if j.note and j.kind == "agency"})
        write_index(out_dir, entries, notes)
    return skipped + results


def _skipped(job: ReportJob, manifest: Manifest) -> ReportResult:
    entry = manifest.reports[job.key]
    summary = {"points": entry.get("points"), "max_points": entry.get("max_points")}
    return ReportResult(job, "skipped", 0.0, summary)


def summary_table(results: Iterable[ReportResult]) -> str:
    """A few lines for the end of a run: counts and time per report."""
    results = list(results)
    rendered = [r for r in results if r.status != "skipped"]
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "failed", "skipped")}
    lines = [
        f"{len(results)} reports: {counts['ok']} rendered, {counts['failed']} failed, "
        f"{counts['skipped']} unchanged and skipped."
    ]
    if rendered:
        mean = sum(r.seconds for r in rendered) / len(rendered)
        slowest = max(rendered, key=lambda r: r.seconds)
        lines.append(
            f"{mean:.2f} s per report in a worker; slowest {slowest.job.key} "
            f"({slowest.seconds:.1f} s)."
        )
    return "\n".join(lines)
