"""Params files the plan refuses, and the reports they would have made.

A params file with problems renders nothing, and nothing of it is scored; its reports are
marked ``invalid`` in the summary, the manifest and the index, each with a page beside where
the report goes that lists every problem. Which reports: the years the file names, those its
sheets hold, and those an earlier run rendered for the same agency and framework; when none
is known, one page named after the file, ``invalid/<file name>.failed.html``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evalkit.core.errors import Problem
from evalkit.core.files import read_text_file, write_text_atomic
from evalkit.core.i18n import msg
from evalkit.core.page import render_page
from evalkit.core.safeyaml import load_yaml
from evalkit.core.slug import is_safe_slug
from evalkit.runner.jobs import ReportJob
from evalkit.runner.plan import ReportParams

#: A framework id as framework files may spell it (see evalkit.frameworks.schema).
FRAMEWORK_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")


@dataclass
class Refused:
    """A params file refused with its problems, and the reports it would have made."""

    params: Path
    problems: list[Problem]
    reports: list[ReportJob] = field(default_factory=list)


def _raw(path: Path) -> dict[str, Any]:
    """What a refused params file holds, read within the same bounds as a valid one (a file
    refused for its size or its aliases names nothing)."""
    try:
        found = load_yaml(read_text_file(path))
    except (ValueError, yaml.YAMLError):  # YAMLLimitError and undecodable files included
        return {}
    return found if isinstance(found, dict) else {}


def _identity(path: Path, params: ReportParams | None) -> tuple[str, str, set[int]]:
    """The agency, framework and years a params file names, as far as they are safe to use."""
    raw: dict[str, Any] = {} if params is not None else _raw(path)
    if params is not None:
        raw = {"agency_id": params.agency_id, "framework": params.framework}
        raw["years"] = list(params.years or ())
    agency, framework, years = raw.get("agency_id"), raw.get("framework"), raw.get("years")
    years = years if isinstance(years, list) else [years]
    agency = agency if isinstance(agency, str) and is_safe_slug(agency) else ""
    framework = framework if isinstance(framework, str) else ""
    framework = framework if FRAMEWORK_ID.fullmatch(framework) else ""
    good = {y for y in years if isinstance(y, int) and not isinstance(y, bool) and 0 < y < 10000}
    return agency, framework, good


def _slot(
    href: str, name: str, year: int, framework: str, agency: str, out_dir: Path, source: str
) -> ReportJob:
    title = msg("{name} in {year}", name=name, year=year).render("th") if year else name
    return ReportJob(
        href,
        title,
        Path(),
        out_dir / href,
        {},
        {},
        agency,
        name,
        year,
        framework,
        sources=(source,),
    )


def refused_reports(
    refused: Refused,
    params: ReportParams | None,
    years: Iterable[int],
    previous: Sequence[Mapping[str, Any]],
    out_dir: Path,
) -> list[ReportJob]:
    """The reports of a refused params file (see the module's description)."""
    agency, framework, named = _identity(refused.params, params)
    source = str(refused.params.resolve())
    if agency and framework:
        earlier = {
            int(e["year"]): str(e.get("agency_name") or agency)
            for e in previous
            if e.get("kind", "agency") == "agency"
            and (e.get("agency_id"), e.get("framework")) == (agency, framework)
            and isinstance(e.get("year"), int)
        }
        every = sorted(named | set(years) | set(earlier))
        if every:
            return [
                _slot(
                    f"{agency}/{framework}/{y}.html",
                    earlier.get(y, agency),
                    y,
                    framework,
                    agency,
                    out_dir,
                    source,
                )
                for y in every
            ]
    stem = re.sub(r"[^a-z0-9_-]+", "-", refused.params.stem.lower()).strip("-_") or "params"
    digest = hashlib.sha256(source.encode()).hexdigest()[:6]
    href = f"invalid/{stem}-{digest}.html"
    return [_slot(href, agency or refused.params.name, 0, framework, agency, out_dir, source)]


def refused_page(title: str, problems: Sequence[Problem]) -> str:
    """The page of a refused report: what is wrong with its params file, problem by problem."""
    return render_page("refused.html.j2", title=title, problems=problems)


def write_refused_page(path: Path, title: str, problems: Sequence[Problem]) -> None:
    write_text_atomic(path, refused_page(title, problems))
