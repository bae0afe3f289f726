"""Params files: one YAML file per agency report, in ``params/``.

::

    agency_id: trat-cdd            # a safe slug; pages go to DIR/trat-cdd/<framework>/<year>.html
    framework: pmqa-2562
    data: [../data/sample/trat/*]  # sheets or glob patterns, relative to this file
    years: [2564, 2565]            # optional; default: every year the data holds
    frameworks_dir: ../frameworks  # optional; a folder of extra framework files
    note: Illustrative scores       # optional; shown at the top of the report and the index
    parameters: {top_gaps: 8}       # optional; more values for the notebook's parameters cell
                                   # (not the ones above, nor year: the run sets those)
    poverty: ../data/households.csv # optional; household records for the poverty tables
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.files import read_text_file
from evalkit.core.i18n import Message, msg
from evalkit.core.safeyaml import YAMLLimitError, load_yaml, yaml_problem
from evalkit.frameworks.shape import kind as shape_kind
from evalkit.runner.plan.paramschema import file_problem, known_keys, runner_owned, schema_problems
from evalkit.sheets.paths import expand_paths

#: the keys of a params file, as its schema declares them
KNOWN_KEYS = known_keys()


@dataclass(frozen=True)
class ReportParams:
    path: Path
    agency_id: str
    framework: str
    data: tuple[Path, ...]
    years: tuple[int, ...] | None
    frameworks_dir: Path | None
    note: str
    parameters: dict[str, Any]
    poverty: Path | None = None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


#: Values the runner sets from the params file itself; ``parameters:`` cannot set them, or a
#: page filed under one agency and year could show another's scores.
RUNNER_OWNED = runner_owned()


def _read(path: Path) -> Any:
    """The YAML document of a params file, or InvalidInputError saying why there is none."""
    try:
        return load_yaml(read_text_file(path))
    except ValueError as exc:  # unreadable, not UTF-8, a folder, past the YAML limits
        found: str | Message = (
            msg("YAML past evalkit's limits: {error}", error=exc.found)
            if isinstance(exc, YAMLLimitError)
            else str(exc)
        )
        raise InvalidInputError(
            [file_problem(path, "", found, msg("a params YAML file in UTF-8, of a few lines"))]
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(
            [
                file_problem(
                    path,
                    "",
                    msg("invalid YAML ({error})", error=yaml_problem(exc)),
                    msg("a YAML mapping of parameters"),
                )
            ]
        ) from None


def _missing_files(path: Path, raw: dict[str, Any], data: tuple[Path, ...]) -> list[Problem]:
    """The files and folders a params file names that are not there."""
    base = path.parent.resolve()
    problems = []
    if raw.get("data") and not data:
        found: str | Message = msg("no file matching {data}", data=repr(raw["data"]))
        expected: str | Message = msg("sheets relative to {folder}", folder=base)
        problems.append(file_problem(path, "data", found, expected))
    poverty = raw.get("poverty")
    if isinstance(poverty, str) and poverty and not (base / poverty).is_file():
        found = msg("no file {name}", name=repr(poverty))
        expected = msg("a household file relative to {folder}", folder=base)
        problems.append(file_problem(path, "poverty", found, expected))
    folder = raw.get("frameworks_dir")
    if isinstance(folder, str) and folder and not (base / folder).is_dir():
        found = msg("no folder {name}", name=repr(folder))
        expected = msg("a folder relative to {folder}", folder=base)
        problems.append(file_problem(path, "frameworks_dir", found, expected))
    return problems


def load_params(path: str | Path) -> ReportParams:
    """Read a params file, or raise InvalidInputError naming the file and every bad key."""
    path = Path(path)
    raw = _read(path)
    if not isinstance(raw, dict):
        found, expected = shape_kind(raw), "a YAML mapping of parameters"
        raise InvalidInputError([file_problem(path, "", found, expected)])
    base = path.parent.resolve()
    data = tuple(
        p.resolve() for p in expand_paths([str(d) for d in _as_list(raw.get("data") or [])], base)
    )
    problems = schema_problems(path, raw) + _missing_files(path, raw, data)
    if problems:
        raise InvalidInputError(problems)
    years = raw.get("years")
    folder = raw.get("frameworks_dir")
    return ReportParams(
        path=path,
        agency_id=raw["agency_id"],
        framework=str(raw["framework"]),
        data=data,
        years=tuple(_as_list(years)) if years is not None else None,
        frameworks_dir=(base / folder).resolve() if folder else None,
        note=str(raw.get("note") or ""),
        parameters=dict(raw.get("parameters") or {}),
        poverty=(base / raw["poverty"]).resolve() if raw.get("poverty") else None,
    )
