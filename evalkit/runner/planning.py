"""The plan of a run: every report to render, with its parameters and content hashes.

Every params file, every sheet it names and every parameter the notebook would receive is
checked before anything runs, and all problems are reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from evalkit.core.errors import InvalidInputError, Problem, ReportError
from evalkit.frameworks.registry import FRAMEWORKS_FOLDER, Registry
from evalkit.runner.jobs import ReportJob
from evalkit.runner.manifest import evalkit_hash, hash_bytes, hash_files
from evalkit.runner.notebook import check_parameters, declared_parameters, read_notebook
from evalkit.runner.params import ReportParams, load_params
from evalkit.sheets.load import SheetSet, check_sheets


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


def _folders(p: ReportParams, project: Path) -> list[str]:
    """The framework folders of a params file: the project's, then its own ``frameworks_dir``;
    the planner and the notebook's kernel build the same registry from them."""
    own = project / FRAMEWORKS_FOLDER
    folders = [own.resolve()] if own.is_dir() else []
    return [str(f) for f in [*folders, *([p.frameworks_dir] if p.frameworks_dir else [])]]


def _agency_values(p: ReportParams, year: int, project: Path) -> dict[str, Any]:
    return {
        "agency_id": p.agency_id,
        "year": year,
        "framework": p.framework,
        "data": [str(d) for d in p.data],
        "note": p.note,
        "frameworks_dir": _folders(p, project) or None,
        "poverty": str(p.poverty) if p.poverty else None,
        **p.parameters,
    }


@lru_cache(maxsize=16)
def _checked(
    data: tuple[Path, ...], folders: tuple[str, ...]
) -> tuple[SheetSet, tuple[Problem, ...]]:
    """Sheets checked once per run, however many params files name them."""
    registry = Registry(folders)
    sheets, problems = check_sheets(data, registry)
    return sheets, tuple(problems)


@lru_cache(maxsize=64)
def _hashed(paths: tuple[Path, ...]) -> str:
    """Content hash of input files, read once per run however many reports share them."""
    return hash_files(paths)


def _jobs_of(
    p: ReportParams, out_dir: Path, notebook: Path, common: dict[str, str], project: Path
) -> tuple[list[ReportJob], list[Problem]]:
    sheets, found = _checked(tuple(p.data), tuple(_folders(p, project)))
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
                    file=str(p.path),
                    row=0,
                    column="years",
                    found=f"{year} (the data for {p.agency_id} holds {have or 'none'})",
                    expected=f"a year with {p.framework} scores for {p.agency_id}",
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
                _agency_values(p, year, project),
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
    agency_jobs: list[ReportJob],
    params: list[ReportParams],
    out_dir: Path,
    notebook: Path,
    project: Path,
) -> list[ReportJob]:
    """One portfolio page per framework and year, over every agency of the run."""
    jobs = []
    by_key: dict[tuple[str, int], list[ReportJob]] = {}
    for job in agency_jobs:
        by_key.setdefault((job.framework, job.year), []).append(job)
    for (framework, year), members in sorted(by_key.items()):
        sources = [p for p in params if p.framework == framework]
        data = sorted({str(d) for p in sources for d in p.data})
        folders = {tuple(_folders(p, project)) for p in sources}
        notes = sorted({p.note for p in sources if p.note})
        values = {
            "framework": framework,
            "year": year,
            "data": data,
            "note": " ".join(notes),
            "frameworks_dir": list(next(iter(folders))) or None if len(folders) == 1 else None,
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
    notebook: Path,
    portfolio: Path | None = None,
    consensus: str | None = None,
    project: Path = Path("."),
) -> list[ReportJob]:
    """Check every params file, sheet and parameter, then list the reports to render: one per
    agency and year, and (when the portfolio notebook exists) one per framework and year.
    ``consensus`` overrides the frameworks' consensus rule for every report of the run."""
    params = _load_all(params_files)
    _checked.cache_clear()  # files may have changed since the last plan
    _hashed.cache_clear()
    if not notebook.is_file():
        raise ReportError(
            f"The report notebook {notebook} does not exist; name an existing one with "
            "--notebook, or leave it out to use the project's or evalkit's own."
        )
    if portfolio is not None and not portfolio.is_file():
        raise ReportError(
            f"The portfolio notebook {portfolio} does not exist; name an existing one with "
            "--portfolio-notebook, or --no-portfolio to render none."
        )
    common = {"notebook": hash_bytes(notebook.read_bytes()), "evalkit": evalkit_hash()}
    jobs: list[ReportJob] = []
    problems: list[Problem] = []
    for p in params:
        found, wrong = _jobs_of(p, out_dir, notebook, common, project)
        jobs += found
        problems += wrong
    if portfolio is not None and not problems:
        jobs += _portfolio_jobs(jobs, params, out_dir, portfolio, project)
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
