"""Sheet paths: glob patterns expanded, and a stamp that changes when a file does."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path


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
