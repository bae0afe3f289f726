"""What the reports of a params file read: framework folders, sheets checked once per run,
the digests of the rows each page reads (:mod:`evalkit.runner.plan.rows`), the content hashes of
the other input files, and the stamps of every input as it was when planned."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.core.errors import EvalkitError, InvalidInputError, Problem
from evalkit.core.i18n import msg
from evalkit.frameworks.registry import FRAMEWORKS_FOLDER, Registry
from evalkit.runner.manifest import hash_files
from evalkit.runner.plan import sheetcache
from evalkit.runner.plan.params import ReportParams
from evalkit.runner.plan.rows import RowDigests, row_digests
from evalkit.runner.plan.sheetcache import Index, Known, SheetCache
from evalkit.sheets.paths import stamp

if TYPE_CHECKING:  # pandas is loaded when sheets are read, not when the cache knows them
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
#: The digests of the rows of the sheets of this run, by the sheets read: kept for the whole
#: plan (the portfolio pages need them after the sheets themselves are gone).
_DIGESTS: dict[tuple[Path, ...], RowDigests] = {}
#: Each input of this run as it was before it was read (:func:`evalkit.sheets.paths.stamp`).
_STAMPS: dict[str, tuple[str, int, int]] = {}


def skipped_in_run() -> list[Skipped]:
    """What reading the sheets of this run left aside, each once."""
    return list(dict.fromkeys(s for found in _SKIPPED.values() for s in found))


#: the sheet cache of the reports folder being planned (:mod:`evalkit.runner.plan.sheetcache`)
_CACHE: list[SheetCache] = [SheetCache(None)]


def use_cache(out_dir: Path | None) -> None:
    """Plan with the sheet cache of ``out_dir`` (none: read every sheet)."""
    _CACHE[0] = SheetCache(out_dir)


def save_cache() -> None:
    _CACHE[0].save()


#: (agency_id, framework) -> {year: agency name}, and every framework the sheets hold
AgencyIndex = tuple[Index, frozenset[str]]


def _indexed(sheets: SheetSet) -> AgencyIndex:
    """The agencies, frameworks and years of checked sheets (the first name a sheet gives an
    agency-year is kept)."""
    table = sheets.agencies()
    index: Index = {}
    columns = table[["agency_id", "framework", "year", "agency_name"]]
    for agency, framework, year, name in columns.itertuples(index=False):
        index.setdefault((str(agency), str(framework)), {}).setdefault(int(year), str(name))
    return index, frozenset(str(f) for f in table["framework"].unique())


@lru_cache(maxsize=16)
def _checked(data: tuple[Path, ...], folders: tuple[str, ...]) -> tuple[Known, tuple[Problem, ...]]:
    """Sheets checked and indexed once per run, however many params files name them, and not
    at all while the folder's sheet cache knows them unchanged."""
    _STAMPS.update((found[0], found) for found in stamp(data))
    cache = _CACHE[0]
    known = cache.get(data, folders)
    problems: list[Problem] = []
    if known is None:
        before = cache.stamps(data, folders)
        from evalkit.sheets.load import check_sheets  # pandas: only when sheets are read

        sheets, problems = check_sheets(data, Registry(folders))
        _SKIPPED[data] = sheets.skipped
        known = Known(*_indexed(sheets), row_digests(sheets))
        if not problems and not sheets.skipped:
            cache.keep(data, folders, known, before)
    _DIGESTS[data] = known.digests
    return known, tuple(problems)


def agency_years(p: ReportParams, project: Path) -> AgencyIndex:
    """The index of the sheets of ``p`` (checked first with :func:`checked_sheets`)."""
    known, _ = _checked(tuple(p.data), tuple(framework_folders(p, project)))
    return known.index, known.frameworks


def row_digests_of(data: tuple[Path, ...]) -> RowDigests:
    """The row digests of sheets checked in this run (:func:`checked_sheets` first)."""
    return _DIGESTS[data]


@lru_cache(maxsize=64)
def hashed(paths: tuple[Path, ...]) -> str:
    """Content hash of input files, read once per run however many reports share them (each
    stamped first, as it was before it was read)."""
    _STAMPS.update((found[0], found) for found in stamp(paths))
    return hash_files(paths)


def planned_stamps(paths: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """The stamps of ``paths`` taken before they were read in this run: a worker that finds
    another stamp reads something else than the plan did."""
    return tuple(_STAMPS.get(str(path), (str(path), -1, -1)) for path in paths)


def other_inputs(p: ReportParams, project: Path) -> tuple[Path, ...]:
    """The files a report of ``p`` reads besides its sheets: household file, frameworks."""
    folders = framework_folders(p, project)
    frameworks = [f for folder in folders for f in Path(folder).glob("*.yaml")]
    return tuple(sorted({*([p.poverty] if p.poverty else []), *frameworks}))


def report_inputs(p: ReportParams, project: Path) -> tuple[Path, ...]:
    """Every file a report of ``p`` reads: sheets, household file, framework files."""
    return tuple(sorted({*p.data, *other_inputs(p, project)}))


def checked_sheets(p: ReportParams, project: Path) -> tuple[Known | None, list[Problem]]:
    try:
        sheets, found = _checked(tuple(p.data), tuple(framework_folders(p, project)))
    except InvalidInputError as exc:
        return None, list(exc.problems)
    except (EvalkitError, OSError) as exc:  # a framework file or a sheet that cannot be read
        problem = Problem(
            file=str(p.path),
            row=0,
            column="",
            found=str(exc),
            expected=msg("files evalkit can read"),
        )
        return None, [problem]
    return sheets, list(found)


def clear_caches() -> None:
    """Forget what was read: files may have changed since the last plan."""
    _checked.cache_clear()
    hashed.cache_clear()
    sheetcache.clear()
    _SKIPPED.clear()
    _DIGESTS.clear()
    _STAMPS.clear()
