"""Where a report's scores come from: sheet paths and patterns, read and scored once per
kernel while the files are unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import score
from evalkit.sheets.load import SheetSet, load_sheets
from evalkit.sheets.paths import expand_paths, stamp


@dataclass(frozen=True)
class Scored:
    """Validated rows and their scores, with the frameworks they were scored by."""

    registry: Registry
    sheets: SheetSet
    result: pd.DataFrame


@lru_cache(maxsize=4)
def _scored(
    stamps: tuple[tuple[str, int, int], ...], frameworks_dir: str | None, consensus: str | None
) -> Scored:
    registry = Registry([frameworks_dir] if frameworks_dir else [])
    sheets = load_sheets([Path(name) for name, _, _ in stamps], registry)
    return Scored(registry, sheets, score(sheets, registry, rule=consensus))


def scored(
    data: Sequence[str | Path], frameworks_dir: str | None = None, consensus: str | None = None
) -> Scored:
    """Scores of every agency in the files. A kernel that renders many reports from the same
    sheets reads and scores them once; a changed file is read again."""
    return _scored(stamp(expand_paths(data)), frameworks_dir, consensus)
