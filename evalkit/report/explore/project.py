"""What the explorer reads from a project folder: the sheets its params files name, its
``frameworks/`` folder and its ledger; the bundled sample when the folder has none of these.

Bad input never stops the explorer. A sheet with problems is left out, with its problems (the
messages of ``evalkit validate``), and the sheets that remain are checked again, so that the
checks across files run on what is used; every other agency stays available. A params file
that cannot be read, or a framework folder with a broken file, is a problem of its own.
Paths are shown relative to the project folder, never absolute.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from evalkit.core.errors import EvalkitError, FrameworkError, Problem
from evalkit.core.files import read_text_file
from evalkit.core.i18n import msg
from evalkit.core.safeyaml import load_yaml
from evalkit.frameworks.registry import Registry, project_registry
from evalkit.scoring.engine import score
from evalkit.sheets.load import check_sheets
from evalkit.sheets.paths import expand_paths
from evalkit.sheets.sheetset import KEYS, SheetSet

#: The project folder the explorer opens when none is given (``evalkit explore`` sets it).
PROJECT_ENV = "EVALKIT_PROJECT"
#: Where ``evalkit ingest`` keeps the ledger, inside a project folder.
LEDGER = Path("data") / "ledger.sqlite"


def sample_folder() -> Path:
    """The bundled sample's sheets: ``evalkit/sample/trat`` in an installed wheel (the build
    maps the repository's ``data/sample/trat`` there), or the repository's own."""
    package = Path(__file__).resolve().parents[2]
    inside = package / "sample" / "trat"
    return inside if inside.is_dir() else package.parent / "data" / "sample" / "trat"


def project_folder(project: str | Path | None = None) -> Path:
    """``project``, else ``$EVALKIT_PROJECT``, else the current folder, or its parent when
    the current folder is a project's ``notebooks/`` (JupyterLab starts kernels there)."""
    chosen = project or os.environ.get(PROJECT_ENV)
    if chosen:
        return Path(chosen)
    here = Path.cwd()
    if not (here / "params").is_dir() and (here.parent / "params").is_dir():
        return here.parent
    return here


def shown_path(path: str | Path, folder: Path) -> str:
    """A path as a person reads it in anything shown: relative to the project folder, or the
    bare file name for a file outside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(folder.resolve()))
    except (ValueError, OSError):
        return path.name


@dataclass(frozen=True)
class Sources:
    """The files a project names: sheets, framework folders, the ledger, and the problems of
    its params files."""

    sheets: tuple[Path, ...]
    frameworks: tuple[Path, ...]
    ledger: Path | None
    problems: tuple[Problem, ...]


def plain(text: str, folder: Path) -> str:
    """A message of the system or of a reader with the project's folder taken out of the paths
    it names, so that it shows no absolute path."""
    return text.replace(str(folder.resolve()) + os.sep, "").replace(str(folder) + os.sep, "")


def _params_problem(path: Path, folder: Path, column: str, found: object) -> Problem:
    return Problem(
        file=shown_path(path, folder),
        row=0,
        column=column,
        found=plain(found, folder) if isinstance(found, str) else str(found),
        expected=msg("a params file naming its sheets (data: [...]), as evalkit run reads it"),
    )


def _read_params(path: Path, folder: Path) -> tuple[list[Path], list[Path], list[Problem]]:
    """The sheets and framework folders one params file names, or its problem."""
    try:
        raw = load_yaml(read_text_file(path))
    except (ValueError, yaml.YAMLError) as exc:
        return [], [], [_params_problem(path, folder, "", f"{type(exc).__name__}: {exc}")]
    if not isinstance(raw, dict):
        return [], [], [_params_problem(path, folder, "", msg("no mapping of keys"))]
    data = raw.get("data")
    patterns = data if isinstance(data, list) else [data] if data else []
    if not patterns or not all(isinstance(p, str) for p in patterns):
        return [], [], [_params_problem(path, folder, "data", msg("no list of sheets"))]
    files = expand_paths(patterns, path.parent)
    missing = [f for f in files if not f.is_file()]
    problems = [
        _params_problem(path, folder, "data", msg("no file {name}", name=shown_path(f, folder)))
        for f in missing
    ]
    if not files:
        problems.append(
            _params_problem(path, folder, "data", msg("no file matching {data}", data=data))
        )
    extra = raw.get("frameworks_dir")
    dirs = [path.parent / extra] if isinstance(extra, str) and extra else []
    return [f for f in files if f.is_file()], [d for d in dirs if d.is_dir()], problems


def project_sources(folder: Path) -> Sources:
    """What ``folder`` names: its ``params/*.yaml`` sheets and framework folders, and its
    ledger when there is one."""
    sheets: dict[Path, None] = {}
    frameworks: dict[Path, None] = {}
    problems: list[Problem] = []
    params = sorted([*folder.glob("params/*.yaml"), *folder.glob("params/*.yml")])
    for path in params:
        files, dirs, found = _read_params(path, folder)
        sheets |= dict.fromkeys(f.resolve() for f in files)
        frameworks |= dict.fromkeys(d.resolve() for d in dirs)
        problems += found
    ledger = folder / LEDGER
    return Sources(
        tuple(sheets), tuple(frameworks), ledger if ledger.is_file() else None, tuple(problems)
    )


def _relative(found: Sequence[Any], folder: Path) -> list[Any]:
    """Problems (or skipped entries) with their files as a person reads them."""
    return [dataclasses.replace(p, file=shown_path(p.file, folder)) for p in found]


def checked_sheets(
    files: Sequence[Path], registry: Registry, folder: Path
) -> tuple[SheetSet, list[Problem]]:
    """The rows of the files without problems, and every problem of the others: a file with
    a problem is left out and the rest checked again (the checks across files then run on
    what is used), at most once per file."""
    remaining, problems = list(files), list[Problem]()
    for _ in range(len(files) + 1):
        if not remaining:
            break
        sheets, found = check_sheets(remaining, registry)
        if not found:
            return sheets.with_skipped(_relative(sheets.skipped, folder)), problems
        problems += _relative(found, folder)
        named = {p.file for p in found}
        kept = [f for f in remaining if str(f) not in named]
        if len(kept) == len(remaining):  # a problem no single file carries: use nothing
            break
        remaining = kept
    return SheetSet.of(), problems


def _merged(sheets: SheetSet, ledger: SheetSet) -> SheetSet:
    """The sheets' rows, and the ledger's for the agency-years the sheets do not hold."""
    held = set(map(tuple, sheets.agencies()[KEYS].astype(str).to_numpy()))

    def add(frame: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
        if more.empty:
            return frame
        keys = more[KEYS].astype(str).apply(tuple, axis=1)
        extra = more[~keys.isin(held).to_numpy()]
        return pd.concat([frame, extra], ignore_index=True) if len(extra) else frame

    frames = {name: add(frame, ledger.frame(name)) for name, frame in sheets.frames().items()}
    return SheetSet.of(**frames).with_skipped([*sheets.skipped, *ledger.skipped])


@dataclass(frozen=True)
class ProjectData:
    """Everything the explorer shows, read once: the scores and the problems."""

    folder: Path
    sample: bool
    registry: Registry
    sheets: SheetSet
    result: pd.DataFrame
    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    def units(self) -> pd.DataFrame:
        """One row per agency, year and framework scored: ``agency_id, year, framework,
        agency_name``."""
        if self.result.empty:
            return pd.DataFrame(columns=[*KEYS, "agency_name"])
        units = self.result[[*KEYS, "agency_name"]].drop_duplicates(KEYS)
        return units.astype({"agency_id": str, "framework": str, "agency_name": str})


def _registry(folder: Path, extra: Sequence[Path]) -> tuple[Registry, list[Problem]]:
    try:
        return project_registry(folder, extra), []
    except EvalkitError as exc:  # a broken framework file: the packaged frameworks still serve
        source = exc.source if isinstance(exc, FrameworkError) else "frameworks/"
        problem = Problem(
            file=shown_path(source, folder),
            row=0,
            column="",
            found=plain(str(exc), folder),
            expected=msg("a framework file that evalkit frameworks check accepts"),
        )
        return Registry(), [problem]


def read_project(
    project: str | Path | None = None, data: Sequence[str | Path] | None = None
) -> ProjectData:
    """The scores of a project folder (see the module docstring); ``data`` names sheets
    instead of the params files. The bundled sample when the folder names no sheet and has
    no ledger."""
    folder = project_folder(project)
    if data:
        sources = Sources(tuple(expand_paths(list(data), folder)), (), None, ())
    else:
        sources = project_sources(folder)
    sample = not sources.sheets and sources.ledger is None
    files = sorted(sample_folder().glob("*.csv")) + sorted(sample_folder().glob("*.xlsx"))
    files = files if sample else list(sources.sheets)
    registry, problems = _registry(folder, sources.frameworks)
    problems = list(sources.problems) + problems
    sheets, found = checked_sheets(files, registry, folder)
    problems += found
    if sources.ledger is not None:
        ledger, found = checked_sheets([sources.ledger], registry, folder)
        problems += found
        sheets = _merged(sheets, ledger)
    result = score(sheets, registry)
    shown = tuple(shown_path(f, folder) for f in files)
    return ProjectData(folder, sample, registry, sheets, result, tuple(problems), shown)
