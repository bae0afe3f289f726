"""Where a report's scores come from: sheet paths and patterns, read and scored once per
kernel while the files are unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import Message
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import score
from evalkit.sheets.load import load_sheets
from evalkit.sheets.paths import expand_paths, stamp
from evalkit.sheets.sheetset import SheetSet

#: One framework folder, several, or none.
FrameworkFolders = str | Path | Sequence[str | Path] | None


@dataclass(frozen=True)
class Scored:
    """Validated rows and their scores, with the frameworks they were scored by."""

    registry: Registry
    sheets: SheetSet
    result: pd.DataFrame


@lru_cache(maxsize=4)
def _scored(
    stamps: tuple[tuple[str, int, int], ...], folders: tuple[str, ...], consensus: str | None
) -> Scored:
    registry = Registry(folders)
    sheets = load_sheets([Path(name) for name, _, _ in stamps], registry)
    return Scored(registry, sheets, score(sheets, registry, rule=consensus))


def scored(
    data: Sequence[str | Path],
    frameworks_dir: FrameworkFolders = None,
    consensus: str | None = None,
) -> Scored:
    """Scores of every agency in the files, by the packaged frameworks plus those in
    ``frameworks_dir`` (one folder or a list; ``evalkit run`` passes the project's folder and
    the params file's). A kernel that renders many reports from the same sheets reads and
    scores them once; a changed file is read again."""
    if isinstance(frameworks_dir, str | Path):
        frameworks_dir = [frameworks_dir]
    folders = tuple(str(f) for f in frameworks_dir or [])
    return _scored(stamp(expand_paths(data)), folders, consensus)


def sheets_read() -> int:
    """How many sets of sheets this process has read and scored (rather than found kept)."""
    return _scored.cache_info().misses


def not_in_data(column: str, found: str, expected: str | Message) -> InvalidInputError:
    """The error of a report asked for an agency or year its data does not hold."""
    return InvalidInputError(
        [Problem(file="(data)", row=0, column=column, found=found, expected=expected)]
    )
