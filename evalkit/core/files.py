"""Safe writes: every output is written beside its target and renamed into place.

A run that fails or is killed half-way never leaves a half-written file, and the previous
good file stays until its replacement is complete: the new content is flushed to the disk
(``fsync``) before the rename, and the rename itself is flushed where the system allows it.

Temporary files are named ``.<target>.evalkit-<random>.tmp``, so that the clean-up of those a
killed run left behind (:func:`remove_stale_temporaries`) recognises evalkit's own and no
others.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from evalkit.core.i18n import Message, msg

TEMPORARY_MARK = ".evalkit-"
#: ``.<target>.evalkit-<8 random characters>.tmp``, as :func:`tempfile.mkstemp` makes them.
STALE_TEMPORARY = re.compile(r"\..+\.evalkit-[a-z0-9_]{8}\.tmp")


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; folders cannot be opened this way on Windows."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        with suppress(OSError):  # some file systems refuse to sync a folder; the rename stands
            os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success, flush it to the disk and rename
    it onto ``target``. On any failure the temporary file is removed and ``target`` is left
    as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}{TEMPORARY_MARK}", suffix=".tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        _fsync_file(tmp)
        os.replace(tmp, target)
        _fsync_folder(target.parent)
    finally:
        tmp.unlink(missing_ok=True)


class Unreadable(ValueError):
    """A file that is not read, and why (``message``; ``str()`` says it in the language of
    the moment)."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def read_text_file(path: Path, limit: int = 2 * 2**20) -> str:
    """A small UTF-8 text file (a framework or params file), or ValueError whose message says
    what was found instead: no file, a folder, a device or a pipe (never opened for reading,
    so ``/dev/zero`` or a FIFO neither fills memory nor waits), a file too large, unreadable,
    not UTF-8. At most ``limit`` bytes are ever read."""
    data = _read_regular(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Unreadable(
            msg(
                "text that is not {encoding} (byte {byte} on line {line})",
                encoding="UTF-8",
                byte=f"0x{data[exc.start]:02x}",
                line=line,
            )
        ) from None


def not_regular(path: Path) -> Message | None:
    """Why ``path`` cannot be read as a file without opening it (a folder, a device or a pipe,
    nothing there), or None for a regular file; a device is never opened, so ``/dev/zero`` or
    a FIFO neither fills memory nor waits."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return msg("no such file")
    except OSError as exc:
        return msg("a file that cannot be read ({error})", error=exc.strerror or exc)
    if stat.S_ISDIR(found.st_mode):
        return msg("a folder, not a file")
    if not stat.S_ISREG(found.st_mode):
        return msg("a device or a pipe, not a regular file")
    return None


def _read_regular(path: Path, limit: int) -> bytes:
    refused = not_regular(path)
    if refused is not None:
        raise Unreadable(refused)
    try:
        found = os.stat(path)
        if found.st_size > limit:
            raise Unreadable(
                msg(
                    "a file of {size} bytes (at most {limit} are read)",
                    size=f"{found.st_size:,}",
                    limit=f"{limit:,}",
                )
            )
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the stat
                raise Unreadable(msg("a device or a pipe, not a regular file"))
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise Unreadable(msg("no such file")) from None
    except OSError as exc:
        error = exc.strerror or exc
        raise Unreadable(msg("a file that cannot be read ({error})", error=error)) from None
    if len(data) > limit:  # it grew since the stat
        raise Unreadable(
            msg("a file of more than {limit} bytes (at most {limit} are read)", limit=f"{limit:,}")
        )
    return data


def write_text_atomic(target: str | Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def remove_stale_temporaries(folders: Iterable[Path]) -> list[Path]:
    """Remove the temporary files a killed run left behind in ``folders`` (not below them):
    only files named as :func:`atomic_path` names them. Returns what was removed."""
    removed = []
    for folder in set(folders):
        if not folder.is_dir():
            continue
        for stale in folder.glob(f".*{TEMPORARY_MARK}*.tmp"):
            if stale.is_file() and STALE_TEMPORARY.fullmatch(stale.name):
                stale.unlink(missing_ok=True)
                removed.append(stale)
    return removed
