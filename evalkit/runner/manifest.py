"""What a run knows about earlier runs into the same folder: the run record (a journal, and
``manifest.json`` exported from it) and the content hashes that decide whether a report must
be rendered again (the folder's lock is in :mod:`evalkit.runner.lock`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from evalkit.core.dates import now_iso
from evalkit.core.files import write_text_atomic
from evalkit.core.version import __version__

MANIFEST = "manifest.json"
JOURNAL = "manifest.jsonl"


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
    """The run record of an output folder, one entry per report.

    ``manifest.jsonl`` is a journal: each result is appended as one line when it comes, so
    recording a report costs the same in a run of ten reports or of a hundred thousand. The
    next run reads it back (a report's last line wins; a line cut short by a killed run is
    left out). :meth:`save`, once at the end of a run, rewrites it with one line per report
    and exports the same entries as ``manifest.json``. A folder rendered before the journal
    existed is read from its ``manifest.json``.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / MANIFEST
        self.journal = out_dir / JOURNAL
        self.reports: dict[str, dict[str, Any]] = self._read()
        self._appending: IO[str] | None = None

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            lines = self.journal.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            try:
                return dict(json.loads(self.path.read_text(encoding="utf-8"))["reports"])
            except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError):
                return {}
        reports = {}
        for line in lines:
            try:
                key, entry = json.loads(line)
            except (json.JSONDecodeError, ValueError, TypeError):
                continue  # the last line of a run killed while writing it
            reports[key] = entry
        return reports

    def is_current(self, key: str, hashes: dict[str, str], output: Path) -> bool:
        entry = self.reports.get(key)
        return (
            entry is not None
            and entry.get("status") == "ok"
            and entry.get("hashes") == hashes
            and output.exists()
        )

    def record(self, key: str, entry: dict[str, Any]) -> None:
        """Keep ``entry`` as the record of report ``key``: one line appended to the journal."""
        self.reports[key] = entry
        if self._appending is None:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            self._appending = open(self.journal, "a", encoding="utf-8")  # noqa: SIM115
        self._appending.write(json.dumps([key, entry], ensure_ascii=False) + "\n")
        self._appending.flush()

    def forget(self, keys: Iterable[str]) -> None:
        """Drop the entries of ``keys`` (reports whose pages or params are gone); then save."""
        for key in keys:
            self.reports.pop(key, None)
        self.save()

    def save(self) -> None:
        """Rewrite the journal with one line per report, and export ``manifest.json``."""
        if self._appending is not None:
            self._appending.close()
            self._appending = None
        lines = "".join(
            json.dumps([k, e], ensure_ascii=False) + "\n" for k, e in self.reports.items()
        )
        write_text_atomic(self.journal, lines)
        document = {"generated": now_iso(), "reports": self.reports}
        write_text_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1))
