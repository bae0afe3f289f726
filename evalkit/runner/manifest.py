"""What a run knows about earlier runs into the same folder: the run record (a journal, and
``manifest.json`` exported from it) and the content hashes that decide whether a report must
be rendered again (the folder's lock is in :mod:`evalkit.runner.lock`)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from evalkit.core.dates import now_iso
from evalkit.core.files import write_text_atomic
from evalkit.core.version import __version__
from evalkit.runner.status import Status

MANIFEST = "manifest.json"
JOURNAL = "manifest.jsonl"
#: where lines of the journal that are not records are kept, for a person to look at
SET_ASIDE = "manifest.set-aside.jsonl"
log = logging.getLogger("evalkit.runner")


def hash_bytes(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    """The SHA-256 of a regular file, read in chunks; a device or a pipe is never read."""
    if not path.is_file():  # is_file() is true for regular files only
        return hashlib.sha256(b"not a regular file").digest()
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def hash_files(paths: Iterable[Path]) -> str:
    """The content hash of files, as :func:`hash_bytes` of their contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(_file_digest(Path(path)))
    return digest.hexdigest()


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


def _entry(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("status"), str)


def _record(line: bytes) -> tuple[str, dict[str, Any]] | None:
    """A journal line as (key, entry); None when it is not one (torn, or of another shape)."""
    try:
        found = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if (
        isinstance(found, list)
        and len(found) == 2
        and isinstance(found[0], str)
        and _entry(found[1])
    ):
        return found[0], found[1]
    return None


class Manifest:
    """The run record of an output folder, one entry per report.

    ``manifest.jsonl`` is a journal: each result is appended as one line when it comes, so
    recording a report costs the same in a run of ten reports or of a hundred thousand. The
    next run reads it back (a report's last line wins). A line that is not a record (cut
    short by a killed run or a full disk, even inside a Thai character, or of another shape)
    is set aside in ``manifest.set-aside.jsonl`` with a warning, and the run goes on; the
    journal it rewrites at the end is clean. :meth:`save`, once at the end of a run, rewrites
    it with one line per report and exports the same entries as ``manifest.json``. A folder
    rendered before the journal existed is read from its ``manifest.json``.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / MANIFEST
        self.journal = out_dir / JOURNAL
        self.reports: dict[str, dict[str, Any]] = self._read()
        self._appending: IO[str] | None = None
        #: a report was recorded or dropped since the record was read
        self._changed = False

    def _read(self) -> dict[str, dict[str, Any]]:
        self.set_aside = 0
        try:
            lines = self.journal.read_bytes().splitlines()
        except FileNotFoundError:
            return self._read_export()
        reports, torn = {}, []
        for line in lines:
            record = _record(line)
            if record is None:
                if line.strip():
                    torn.append(line)
                continue
            reports[record[0]] = record[1]
        if torn:
            self._set_aside(torn)
        return reports

    def _read_export(self) -> dict[str, dict[str, Any]]:
        try:
            found = json.loads(self.path.read_bytes())["reports"]
            return {k: e for k, e in found.items() if isinstance(k, str) and _entry(e)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _set_aside(self, lines: list[bytes]) -> None:
        """Keep the lines that are not records beside the journal, and warn."""
        self.set_aside = len(lines)
        aside = self.journal.with_name(SET_ASIDE)
        with suppress(OSError), open(aside, "ab") as handle:
            handle.write(b"".join(line + b"\n" for line in lines))
        log.warning(
            "%s: %d line(s) that are not records of a report set aside in %s",
            self.journal.name,
            len(lines),
            aside.name,
        )

    def is_current(self, key: str, hashes: dict[str, str], output: Path) -> bool:
        entry = self.reports.get(key)
        return (
            entry is not None
            and entry.get("status") == Status.OK
            and entry.get("hashes") == hashes
            and output.exists()
        )

    def record(self, key: str, entry: dict[str, Any]) -> None:
        """Keep ``entry`` as the record of report ``key``: one line appended to the journal."""
        self.reports[key] = entry
        self._changed = True
        if self._appending is None:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            self._appending = open(self.journal, "a", encoding="utf-8")  # noqa: SIM115
        self._appending.write(json.dumps([key, entry], ensure_ascii=False) + "\n")
        self._appending.flush()

    def forget(self, keys: Iterable[str]) -> None:
        """Drop the entries of ``keys`` (reports whose pages or params are gone); then save,
        unless the record is as it was read (a run with nothing to render writes nothing)."""
        for key in keys:
            self._changed |= self.reports.pop(key, None) is not None
        if self._changed or self.set_aside or not self._exported():
            self.save()

    def _exported(self) -> bool:
        """Whether ``manifest.json`` holds all the journal does (a killed run appends to the
        journal and never exports)."""
        try:
            return self.path.stat().st_mtime_ns >= self.journal.stat().st_mtime_ns
        except OSError:
            return False

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
