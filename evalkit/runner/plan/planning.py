"""The plan of a run: every report to render, with its parameters and content hashes.

Each params file is checked on its own before anything runs: the file, every sheet it names and
every parameter the notebook would receive. A file with problems is refused with all of them
(:mod:`evalkit.runner.plan.refused`) and the others are planned; :func:`plan` refuses the whole
run instead, as ``--strict`` does. Two params files that would write the same page are both
refused, each naming the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.core.errors import InvalidInputError, Problem, ReportError
from evalkit.core.i18n import msg
from evalkit.runner.engines import check_parameters, declared_parameters, read_notebook
from evalkit.runner.jobs import ReportJob
from evalkit.runner.manifest import evalkit_hash, hash_bytes
from evalkit.runner.plan.inputs import (
    agency_years,
    checked_sheets,
    clear_caches,
    framework_folders,
    hashed,
    other_inputs,
    planned_stamps,
    report_inputs,
    row_digests_of,
    save_cache,
    use_cache,
)
from evalkit.runner.plan.params import ReportParams, load_params
from evalkit.runner.plan.portfolios import checked_portfolio
from evalkit.runner.plan.refused import Refused, refused_reports
from evalkit.runner.plan.values import declared_only, with_consensus, with_overrides


def _agency_values(p: ReportParams, year: int, project: Path) -> dict[str, Any]:
    return {
        "agency_id": p.agency_id,
        "year": year,
        "framework": p.framework,
        "data": [str(d) for d in p.data],
        "note": p.note,
        "frameworks_dir": framework_folders(p, project) or None,
        "poverty": str(p.poverty) if p.poverty else None,
        **p.parameters,
    }


def _jobs_of(
    p: ReportParams, out_dir: Path, notebook: Path, common: dict[str, str], project: Path
) -> tuple[list[ReportJob], list[Problem], set[int]]:
    """The reports of one params file, its problems, and the years its sheets hold."""
    sheets, problems = checked_sheets(p, project)
    if sheets is None:
        return [], problems, set()
    index, frameworks = agency_years(p, project)
    names = index.get((p.agency_id, p.framework), {})
    have = sorted(names)
    if problems:
        return [], problems, set(have)
    if not have:  # the data holds neither this agency nor this framework: nothing to render
        problem = Problem(
            file=str(p.path),
            row=0,
            column="agency_id" if p.framework in frameworks else "framework",
            found=msg(
                "{agency} with {framework}, which no row of its sheets holds",
                agency=p.agency_id,
                framework=p.framework,
            ),
            expected=msg("an agency and framework that its data: sheets hold"),
        )
        return [], [problem], set()
    hashes = {
        **common,
        "params": hash_bytes(p.path.read_bytes()),
        "rows": row_digests_of(tuple(p.data)).agency(p.agency_id),
        "files": hashed(other_inputs(p, project)),
    }
    inputs = report_inputs(p, project)
    stamps = planned_stamps(inputs)
    jobs = []
    for year in p.years or have:
        if year not in have:
            problems.append(
                Problem(
                    file=str(p.path),
                    row=0,
                    column="years",
                    found=msg(
                        "{year} (the data for {agency} holds {years})",
                        year=year,
                        agency=p.agency_id,
                        years=have or "none",
                    ),
                    expected=msg(
                        "a year with {framework} scores for {agency}",
                        framework=p.framework,
                        agency=p.agency_id,
                    ),
                )
            )
            continue
        name = names[year]
        href = f"{p.agency_id}/{p.framework}/{year}.html"
        jobs.append(
            ReportJob(
                href,
                msg("{name} in {year}", name=name, year=year).render("th"),
                notebook.resolve(),
                out_dir / href,
                _agency_values(p, year, project),
                hashes,
                p.agency_id,
                name,
                year,
                p.framework,
                p.note,
                inputs=inputs,
                stamps=stamps,
                sources=(str(p.path.resolve()),),
                project=project,
            )
        )
    return jobs, problems, set(have)


@dataclass
class Plan:
    """The reports to render, and the params files refused with the reports they would make."""

    jobs: list[ReportJob]
    refused: list[Refused]

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.refused for p in r.problems]


PARAMS_EXPECTED = msg("a readable params YAML file in UTF-8")


def _plan_file(
    path: Path, notebook: Path, common: dict[str, str], context: dict[str, Any]
) -> tuple[ReportParams | None, list[ReportJob], list[Problem], set[int]]:
    """One params file on its own: its params, reports, problems and the years of its data."""
    try:
        p = load_params(path)
    except InvalidInputError as exc:
        return None, [], list(exc.problems), set()
    except (OSError, ValueError) as exc:  # a folder, an unreadable or undecodable file
        found = msg("{error}: {detail}", error=type(exc).__name__, detail=str(exc))
        problem = Problem(file=str(path), row=0, column="", found=found, expected=PARAMS_EXPECTED)
        return None, [], [problem], set()
    jobs, problems, years = _jobs_of(p, context["out"], notebook, common, context["project"])
    jobs = [
        declared_only(
            with_overrides(with_consensus(j, context["consensus"]), context["overrides"]),
            context["declared"],
        )
        for j in jobs
    ]
    if jobs:
        problems += check_parameters(jobs[0].parameters(), context["declared"], str(p.path))
    return p, jobs, problems, years


def _clashes(planned: Sequence[tuple[Path, list[ReportJob]]]) -> dict[Path, list[Problem]]:
    """Params files that would write the same page, each problem naming the other files."""
    writers: dict[str, list[Path]] = {}
    for path, jobs in planned:
        for job in jobs:
            writers.setdefault(job.key, []).append(path)
    found: dict[Path, list[Problem]] = {}
    for key, paths in writers.items():
        for path in paths if len(paths) > 1 else []:
            others = ", ".join(str(o) for o in paths if o != path)
            found.setdefault(path, []).append(
                Problem(
                    file=str(path),
                    row=0,
                    column="agency_id",
                    found=msg(
                        "the page {page}, which {others} also writes", page=key, others=others
                    ),
                    expected=msg("one params file per agency, framework and year"),
                )
            )
    return found


def _check_notebooks(notebook: Path, portfolio: Path | None) -> None:
    if not notebook.is_file():
        raise ReportError(
            msg(
                "The report notebook {notebook} does not exist; name an existing one with "
                "--notebook, or leave it out to use the project's or evalkit's own.",
                notebook=str(notebook),
            )
        )
    if portfolio is not None and not portfolio.is_file():
        raise ReportError(
            msg(
                "The portfolio notebook {notebook} does not exist; name an existing one with "
                "--portfolio-notebook, or --no-portfolio to render none.",
                notebook=str(portfolio),
            )
        )


def make_plan(
    params_files: Sequence[Path],
    out_dir: Path,
    notebook: Path,
    portfolio: Path | None = None,
    consensus: str | None = None,
    project: Path = Path("."),
    previous: Sequence[dict[str, Any]] = (),
    overrides: dict[str, Any] | None = None,
) -> Plan:
    """Check each params file on its own and list the reports to render: one per agency,
    framework and year, and (with ``portfolio``) one per framework and year over the files
    that passed. ``consensus`` overrides the frameworks' consensus rule for every report;
    ``previous`` (the manifest's entries) names the years of a refused file's reports;
    ``overrides`` are notebook values for every agency report (``-p``, ``-f``)."""
    _check_notebooks(notebook, portfolio)
    clear_caches()  # files may have changed since the last plan
    use_cache(out_dir)
    common = {"notebook": hash_bytes(notebook.read_bytes()), "evalkit": evalkit_hash()}
    declared = declared_parameters(read_notebook(notebook))
    context = {
        "out": out_dir,
        "project": project,
        "consensus": consensus,
        "declared": declared,
        "overrides": dict(overrides or {}),
    }
    given = check_parameters(dict(overrides or {}), declared, "-p/-f")
    if given:  # the notebook does not take them: no params file can fix that
        raise InvalidInputError(given)
    files = list(dict.fromkeys(Path(f) for f in params_files))
    each = [(path, *_plan_file(path, notebook, common, context)) for path in files]
    clashes = _clashes([(path, jobs) for path, _, jobs, _, _ in each])
    jobs: list[ReportJob] = []
    passed: list[ReportParams] = []
    refused: list[Refused] = []
    for path, p, found, problems, years in each:
        if problems or path in clashes:
            entry = Refused(path, [*problems, *clashes.get(path, [])])
            years |= {j.year for j in found}
            entry.reports = refused_reports(entry, p, years, previous, out_dir)
            refused.append(entry)
        elif p is not None:
            jobs += found
            passed.append(p)
    taken = {j.key for j in jobs}
    for entry in refused:  # a page another file renders stays that file's
        entry.reports = [r for r in entry.reports if r.key not in taken]
    if portfolio is not None and jobs:
        jobs += checked_portfolio(jobs, passed, out_dir, portfolio, project, consensus)
    save_cache()
    return Plan(jobs, refused)


def plan(
    params_files: Sequence[Path],
    out_dir: Path,
    notebook: Path,
    portfolio: Path | None = None,
    consensus: str | None = None,
    project: Path = Path("."),
) -> list[ReportJob]:
    """The reports of a run that must be whole (``--strict``): every problem of every params
    file, sheet and parameter is raised at once, and nothing is planned."""
    made = make_plan(params_files, out_dir, notebook, portfolio, consensus, project)
    if made.refused:
        raise InvalidInputError(made.problems)
    return made.jobs
