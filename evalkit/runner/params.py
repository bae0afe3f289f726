"""Params files: one YAML file per agency report, in ``params/``.

::

    agency_id: trat-cdd            # a safe slug; pages go to DIR/trat-cdd/<framework>/<year>.html
    framework: pmqa-2562
    data: [../data/sample/trat/*]  # sheets or glob patterns, relative to this file
    years: [2564, 2565]            # optional; default: every year the data holds
    frameworks_dir: ../frameworks  # optional; a folder of extra framework files
    note: Illustrative scores       # optional; shown at the top of the report and the index
    parameters: {top_gaps: 8}       # optional; more values for the notebook's parameters cell
    poverty: ../data/households.csv # optional; household records for the poverty tables
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.sheets.forms import SLUG_EXPECTED, is_safe_slug
from evalkit.sheets.paths import expand_paths

KNOWN_KEYS = (
    "agency_id",
    "framework",
    "data",
    "years",
    "frameworks_dir",
    "note",
    "parameters",
    "poverty",
)


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


def _problems(path: Path, raw: dict[str, Any]) -> list[Problem]:
    file = str(path)
    found: list[Problem] = []
    for key in raw:
        if key not in KNOWN_KEYS:
            found.append(
                Problem(
                    file=file,
                    row=0,
                    column=key,
                    found=f"an unknown key {key!r}",
                    expected="one of " + ", ".join(KNOWN_KEYS),
                )
            )
    for key in ("agency_id", "framework", "data"):
        if raw.get(key) in (None, "", []):
            found.append(
                Problem(
                    file=file, row=0, column=key, found="no value", expected=f"a value for {key!r}"
                )
            )
    agency_id = raw.get("agency_id")
    if agency_id and not (isinstance(agency_id, str) and is_safe_slug(agency_id)):
        found.append(
            Problem(
                file=file, row=0, column="agency_id", found=repr(agency_id), expected=SLUG_EXPECTED
            )
        )
    if not isinstance(raw.get("parameters") or {}, dict):
        found.append(
            Problem(
                file=file,
                row=0,
                column="parameters",
                found=repr(raw["parameters"]),
                expected="a mapping of notebook parameters, e.g. {top_gaps: 8}",
            )
        )
    years = raw.get("years")
    if years is not None and not all(isinstance(y, int) for y in _as_list(years)):
        found.append(
            Problem(
                file=file,
                row=0,
                column="years",
                found=repr(years),
                expected="a year or a list of years, e.g. [2565]",
            )
        )
    return found


def load_params(path: str | Path) -> ReportParams:
    """Read a params file, or raise InvalidInputError naming the file and every bad key."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(
            [
                Problem(
                    file=str(path),
                    row=0,
                    column="",
                    found="no such file",
                    expected="an existing params YAML file",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(
            [
                Problem(
                    file=str(path),
                    row=0,
                    column="",
                    found=f"invalid YAML ({exc})",
                    expected="a YAML mapping of parameters",
                )
            ]
        ) from None
    if not isinstance(raw, dict):
        raise InvalidInputError(
            [
                Problem(
                    file=str(path),
                    row=0,
                    column="",
                    found=repr(raw),
                    expected="a YAML mapping of parameters",
                )
            ]
        )
    problems = _problems(path, raw)
    base = path.parent.resolve()
    data = tuple(
        p.resolve() for p in expand_paths([str(d) for d in _as_list(raw.get("data") or [])], base)
    )
    if raw.get("data") and not data:
        problems.append(
            Problem(
                file=str(path),
                row=0,
                column="data",
                found=f"no file matching {raw['data']!r}",
                expected=f"sheets relative to {base}",
            )
        )
    if raw.get("poverty") and not (base / str(raw["poverty"])).is_file():
        problems.append(
            Problem(
                file=str(path),
                row=0,
                column="poverty",
                found=f"no file {raw['poverty']!r}",
                expected=f"a household file relative to {base}",
            )
        )
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
