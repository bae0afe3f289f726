"""What a run knows about earlier runs into the same folder: the run manifest and the content
hashes that decide whether a report must be rendered again (the folder's lock is in
:mod:`evalkit.runner.lock`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from evalkit.core.dates import now_iso
from evalkit.core.files import write_text_atomic
from evalkit.core.version import __version__

MANIFEST = "manifest.json"


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
        if p.suffix in (".py", ".yaml", ".css", ".po") and "__pycache__" not in p.parts
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
        self.save()

    def forget(self, keys: Iterable[str]) -> None:
        """Drop the entries of ``keys`` (reports whose pages or params are gone)."""
        for key in keys:
            self.reports.pop(key, None)
        self.save()

    def save(self) -> None:
        document = {"generated": now_iso(), "reports": self.reports}
        write_text_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1))
