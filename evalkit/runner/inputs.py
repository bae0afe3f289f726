"""What the reports of a params file read: framework folders, sheets checked once per run,
and the content hashes of every input file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from evalkit.core.errors import EvalkitError, InvalidInputError, Problem
from evalkit.frameworks.registry import FRAMEWORKS_FOLDER, Registry
from evalkit.runner.manifest import hash_files
from evalkit.runner.params import ReportParams
from evalkit.sheets.load import check_sheets
from evalkit.sheets.sheetset import SheetSet
from evalkit.sheets.skipped import Skipped


def framework_folders(p: ReportParams, project: Path) -> list[str]:
    """The framework folders of a params file: the project's, then its own ``frameworks_dir``;
    the planner and the notebook's kernel build the same registry from them."""
    own = project / FRAMEWORKS_FOLDER
    folders = [own.resolve()] if own.is_dir() else []
    return [str(f) for f in [*folders, *([p.frameworks_dir] if p.frameworks_dir else [])]]


#: What reading the sheets of this run left aside, by the sheets read (for its summary).
_SKIPPED: dict[tuple[Path, ...], tuple[Skipped, ...]] = {}


def skipped_in_run() -> list[Skipped]:
    """What reading the sheets of this run left aside, each once."""
    return list(dict.fromkeys(s for found in _SKIPPED.values() for s in found))


@lru_cache(maxsize=16)
def _checked(
    data: tuple[Path, ...], folders: tuple[str, ...]
) -> tuple[SheetSet, tuple[Problem, ...]]:
    """Sheets checked once per run, however many params files name them."""
    registry = Registry(folders)
    sheets, problems = check_sheets(data, registry)
    _SKIPPED[data] = sheets.skipped
    return sheets, tuple(problems)


#: (agency_id, framework) -> {year: agency name}, and every framework the sheets hold
AgencyIndex = tuple[dict[tuple[str, str], dict[int, str]], frozenset[str]]


@lru_cache(maxsize=16)
def _indexed(data: tuple[Path, ...], folders: tuple[str, ...]) -> AgencyIndex:
    """The agencies, frameworks and years of checked sheets, indexed once per run however
    many params files name them (the first name a sheet gives an agency-year is kept)."""
    sheets, _ = _checked(data, folders)
    table = sheets.agencies()
    index: dict[tuple[str, str], dict[int, str]] = {}
    columns = table[["agency_id", "framework", "year", "agency_name"]]
    for agency, framework, year, name in columns.itertuples(index=False):
        index.setdefault((str(agency), str(framework)), {}).setdefault(int(year), str(name))
    return index, frozenset(str(f) for f in table["framework"].unique())


def agency_years(p: ReportParams, project: Path) -> AgencyIndex:
    """The index of the sheets of ``p`` (checked first with :func:`checked_sheets`)."""
    return _indexed(tuple(p.data), tuple(framework_folders(p, project)))


@lru_cache(maxsize=64)
def hashed(paths: tuple[Path, ...]) -> str:
    """Content hash of input files, read once per run however many reports share them."""
    return hash_files(paths)


def report_inputs(p: ReportParams, project: Path) -> tuple[Path, ...]:
    """Every file a report of ``p`` reads: sheets, household file, framework files."""
    folders = framework_folders(p, project)
    frameworks = [f for folder in folders for f in Path(folder).glob("*.yaml")]
    return tuple(sorted({*p.data, *([p.poverty] if p.poverty else []), *frameworks}))


def checked_sheets(p: ReportParams, project: Path) -> tuple[SheetSet | None, list[Problem]]:
    try:
        sheets, found = _checked(tuple(p.data), tuple(framework_folders(p, project)))
    except InvalidInputError as exc:
        return None, list(exc.problems)
    except (EvalkitError, OSError) as exc:  # a framework file or a sheet that cannot be read
        problem = Problem(
            file=str(p.path), row=0, column="", found=str(exc), expected="files evalkit can read"
        )
        return None, [problem]
    return sheets, list(found)


def clear_caches() -> None:
    """Forget what was read: files may have changed since the last plan."""
    _checked.cache_clear()
    _indexed.cache_clear()
    hashed.cache_clear()
    _SKIPPED.clear()
