"""What a run knows about earlier runs into the same folder: the run manifest, the content
hashes that decide whether a report must be rendered again, and the folder's lock."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from evalkit.core.errors import EvalkitError
from evalkit.core.files import write_text_atomic
from evalkit.core.version import __version__

MANIFEST = "manifest.json"
LOCK = ".evalkit-run.lock"


def hash_bytes(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def hash_files(paths: Iterable[Path]) -> str:
    return hash_bytes(*(Path(p).read_bytes() for p in sorted(paths)))


@cache
def evalkit_hash() -> str:
    """The version of evalkit that renders: its code, frameworks and templates, by content."""
    root = resources.files("evalkit")
    files = sorted(
        str(p)
        for p in Path(str(root)).rglob("*")
        if p.suffix in (".py", ".yaml", ".css") and "__pycache__" not in p.parts
    )
    return hash_bytes(__version__.encode(), hash_files(Path(f) for f in files).encode())


class Manifest:
    """``DIR/manifest.json``: one entry per report, written after every report."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / MANIFEST
        try:
            self.reports: dict[str, dict[str, Any]] = json.loads(
                self.path.read_text(encoding="utf-8")
            )["reports"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            self.reports = {}

    def is_current(self, key: str, hashes: dict[str, str], output: Path) -> bool:
        entry = self.reports.get(key)
        return (
            entry is not None
            and entry.get("status") == "ok"
            and entry.get("hashes") == hashes
            and output.exists()
        )

    def record(self, key: str, entry: dict[str, Any]) -> None:
        self.reports[key] = entry
        document = {"generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "reports": self.reports}
        write_text_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1))


@contextmanager
def folder_lock(out_dir: Path, wait: bool) -> Iterator[None]:
    """Hold the output folder's lock; wait for it, or refuse when another run holds it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise EvalkitError(
                f"Another evalkit run ({holder}) is writing to {out_dir}; wait for it to "
                "finish, or run again with --wait to queue behind it."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
