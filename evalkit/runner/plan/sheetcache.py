"""What the last plan learnt from each set of sheets, kept beside the run record, so that a
run whose sheets have not changed need not read them again: the agencies, frameworks and
years they hold and the digests of their rows (:mod:`evalkit.runner.plan.rows`).

An entry is used only while every sheet and framework file it came from has the same size,
modification time and change time (which no program can set back), and evalkit is the same;
sheets that had problems or left lines aside are never kept, so their problems and skipped
lines are said again by every run. A cache that cannot be read is ignored, and one that
cannot be written costs the next run its reading, nothing else.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from evalkit.core.files import write_text_atomic
from evalkit.runner.manifest import evalkit_hash
from evalkit.runner.plan.rows import RowDigests

CACHE = "plan-cache.json"

#: (agency_id, framework) -> {year: agency name}
Index = dict[tuple[str, str], dict[int, str]]


@dataclass(frozen=True)
class Known:
    """What a set of sheets holds, as planning needs it."""

    index: Index
    frameworks: frozenset[str]
    digests: RowDigests


def _stamp(path: Path) -> list[int]:
    try:
        found = path.stat()
    except OSError:
        return [-1, -1, -1]
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns]


def _named(path: str | Path) -> str:
    """A file as the cache names it: by a digest of its path, so that the cache, in the
    reports folder, names no folder of the machine."""
    return hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]


@lru_cache(maxsize=64)
def _framework_stamps(folders: tuple[str, ...]) -> list[list[Any]]:
    files = sorted(f for folder in folders for f in Path(folder).glob("*.yaml"))
    return [[_named(f), *_stamp(f)] for f in files]


def _stamps(data: tuple[Path, ...], folders: tuple[str, ...]) -> list[list[Any]]:
    return [[_named(p), *_stamp(p)] for p in data] + _framework_stamps(folders)


class SheetCache:
    """The cache of one reports folder, read at the start of a plan and saved at its end."""

    def __init__(self, out_dir: Path | None):
        self.path = out_dir / CACHE if out_dir is not None else None
        self.entries: dict[str, Any] = self._read()
        self.changed = False

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            found = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(found, dict) or found.get("evalkit") != evalkit_hash():
            return {}
        entries = found.get("entries")
        return entries if isinstance(entries, dict) else {}

    @staticmethod
    def _key(data: tuple[Path, ...], folders: tuple[str, ...]) -> str:
        return _named(json.dumps([[str(p) for p in data], list(folders)]))

    def get(self, data: tuple[Path, ...], folders: tuple[str, ...]) -> Known | None:
        entry = self.entries.get(self._key(data, folders))
        if not isinstance(entry, dict) or entry.get("stamps") != _stamps(data, folders):
            return None
        with suppress(KeyError, TypeError, ValueError):
            index: Index = {}
            for agency, framework, year, name in entry["index"]:
                index.setdefault((agency, framework), {})[int(year)] = name
            portfolios = {(f, int(y)): d for f, y, d in entry["portfolios"]}
            digests = RowDigests(dict(entry["agencies"]), portfolios)
            return Known(index, frozenset(entry["frameworks"]), digests)
        return None

    def keep(
        self,
        data: tuple[Path, ...],
        folders: tuple[str, ...],
        known: Known,
        stamps: list[list[Any]],
    ) -> None:
        """Keep what ``data`` holds, with the ``stamps`` it had before it was read."""
        self.entries[self._key(data, folders)] = {
            "stamps": stamps,
            "index": [
                [agency, framework, year, name]
                for (agency, framework), years in known.index.items()
                for year, name in years.items()
            ],
            "frameworks": sorted(known.frameworks),
            "agencies": known.digests.agencies,
            "portfolios": [[f, y, d] for (f, y), d in known.digests.portfolios.items()],
        }
        self.changed = True

    def stamps(self, data: tuple[Path, ...], folders: tuple[str, ...]) -> list[list[Any]]:
        """The stamps of ``data`` and its framework files now, before they are read."""
        return _stamps(data, folders)

    def save(self) -> None:
        if self.path is None or not self.changed or not self.path.parent.is_dir():
            return
        document = {"evalkit": evalkit_hash(), "entries": self.entries}
        with suppress(OSError):
            write_text_atomic(self.path, json.dumps(document, ensure_ascii=False))
        self.changed = False


def clear() -> None:
    """Forget the framework files' stamps: they may have changed since the last plan."""
    _framework_stamps.cache_clear()
