"""Where a report's scores come from: sheet paths and patterns, read and scored once per
kernel while the files are unchanged."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .framework import Registry
from .scoring import score
from .sheets import SheetSet, load_sheets


def expand_paths(patterns: Sequence[str | Path], base: Path | None = None) -> list[Path]:
    """Paths and glob patterns (relative to ``base``) as a sorted list of existing files."""
    found: list[Path] = []
    for pattern in patterns:
        full = Path(pattern) if base is None else base / pattern
        matches = sorted(glob.glob(str(full))) if glob.has_magic(str(full)) else [str(full)]
        found += [Path(m) for m in matches]
    return found


def stamp(files: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file with its modification time and size: a changed file gets a new stamp."""
    stamps = []
    for path in files:
        stat = path.stat() if path.exists() else None
        stamps.append((str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0))
    return tuple(stamps)


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
