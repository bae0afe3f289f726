"""The portfolio pages of a plan: one per framework and year, over every agency of the run
whose params file passed, keyed by the rows of that framework and year."""

from __future__ import annotations

from pathlib import Path

from evalkit.core.errors import InvalidInputError
from evalkit.core.i18n import msg
from evalkit.runner.engines import check_parameters, declared_parameters, read_notebook
from evalkit.runner.jobs import ReportJob
from evalkit.runner.manifest import evalkit_hash, hash_bytes
from evalkit.runner.plan.inputs import (
    framework_folders,
    hashed,
    other_inputs,
    planned_stamps,
    report_inputs,
    row_digests_of,
)
from evalkit.runner.plan.params import ReportParams
from evalkit.runner.plan.values import declared_only, with_consensus


def portfolio_jobs(
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
        folders = {tuple(framework_folders(p, project)) for p in sources}
        notes = sorted({p.note for p in sources if p.note})
        values = {
            "framework": framework,
            "year": year,
            "data": data,
            "note": " ".join(notes),
            "frameworks_dir": list(next(iter(folders))) or None if len(folders) == 1 else None,
        }
        sheets = sorted({tuple(p.data) for p in sources})
        rows = (row_digests_of(data).portfolio(framework, year).encode() for data in sheets)
        others = tuple(sorted({f for p in sources for f in other_inputs(p, project)}))
        hashes = {
            "notebook": hash_bytes(notebook.read_bytes()),
            "evalkit": evalkit_hash(),
            "params": hash_bytes(*(p.path.read_bytes() for p in sources)),
            "rows": hash_bytes(*rows),
            "files": hashed(others),
        }
        inputs = tuple(sorted({f for p in sources for f in report_inputs(p, project)}))
        href = f"portfolio/{framework}-{year}.html"
        title = msg("the agencies of {framework} in {year}", framework=framework, year=year)
        overview = msg("a portfolio of {count} agencies", count=len(members))
        jobs.append(
            ReportJob(
                href,
                title.render("th"),
                notebook.resolve(),
                out_dir / href,
                values,
                hashes,
                "portfolio",
                f"{overview.render('th')} (portfolio)",
                year,
                framework,
                " ".join(notes),
                kind="portfolio",
                inputs=inputs,
                stamps=planned_stamps(inputs),
                sources=tuple(sorted(str(p.path.resolve()) for p in sources)),
                project=project,
            )
        )
    return jobs


def checked_portfolio(
    jobs: list[ReportJob],
    passed: list[ReportParams],
    out_dir: Path,
    portfolio: Path,
    project: Path,
    consensus: str | None,
) -> list[ReportJob]:
    declared = declared_parameters(read_notebook(portfolio))
    found = [
        declared_only(with_consensus(j, consensus), declared)
        for j in portfolio_jobs(jobs, passed, out_dir, portfolio, project)
    ]
    problems = check_parameters(found[0].parameters(), declared, portfolio.name) if found else []
    if problems:  # the notebook and the runner disagree: no params file can fix that
        raise InvalidInputError(problems)
    return found
