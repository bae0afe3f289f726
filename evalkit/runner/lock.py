"""The output folder's lock: one run writes to a folder at a time.

The lock is the operating system's own on an open file (``flock`` on Linux and macOS, a
locked byte range on Windows, through :mod:`filelock`), so it dies with the process that holds
it: a run killed with SIGKILL leaves no lock behind. filelock closes the lock's file in
processes forked from the run, so its workers do not hold it; should a process that inherited
it outlive a killed run all the same, the next run waits a few seconds for it (a dead run's
children end as soon as they see it gone, see :mod:`evalkit.runner.engines.lifeline`) rather than
refusing.

Who holds the lock is written beside it, in ``.evalkit-run.holder``, for the message a second
run shows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
from filelock import FileLock, Timeout

from evalkit.core.dates import now_iso, thai_datetime
from evalkit.core.errors import BusyError
from evalkit.core.i18n import msg

LOCK = ".evalkit-run.lock"
HOLDER = ".evalkit-run.holder"
#: How long a run waits for the workers of a dead run to let go of the lock.
ORPHAN_GRACE_SECONDS = 20.0


def _holder(out_dir: Path) -> dict[str, object]:
    try:
        found = json.loads((out_dir / HOLDER).read_text(encoding="utf-8"))
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def _alive(holder: dict[str, object]) -> bool:
    """Whether the run named in the holder file still exists (not merely a zombie)."""
    pid, created = holder.get("pid"), holder.get("created")
    if not isinstance(pid, int) or not isinstance(created, int | float):
        return True  # nothing to judge by: assume a live run
    try:
        process = psutil.Process(pid)
        return abs(process.create_time() - created) < 1.0 and bool(
            process.status() != psutil.STATUS_ZOMBIE
        )
    except psutil.Error:
        return False


def _describe(holder: dict[str, object]) -> str:
    if "pid" not in holder:
        return "another process"
    return f"pid {holder['pid']}, started {thai_datetime(str(holder.get('started', ''))) or '?'}"


def _acquire(lock: FileLock, out_dir: Path, wait: float) -> None:
    try:
        lock.acquire(timeout=0)
        return
    except Timeout:
        pass
    holder = _holder(out_dir)
    if wait > 0:
        with suppress(Timeout):
            lock.acquire(timeout=wait)  # queue behind the live run, for so long
            return
        raise BusyError(
            msg(
                "Another evalkit run ({holder}) still held {folder} after {seconds} s of "
                "waiting; try again later, or wait longer with --wait-timeout.",
                holder=_describe(holder),
                folder=str(out_dir),
                seconds=f"{wait:.0f}",
            )
        )
    if not _alive(holder):  # a killed run: its workers are on their way out
        with suppress(Timeout):
            lock.acquire(timeout=ORPHAN_GRACE_SECONDS)
            return
        raise BusyError(
            msg(
                "The evalkit run ({holder}) that locked {out_dir} has ended, but processes it "
                "started still hold the lock after {seconds} s; end them, or run again with "
                "--wait to queue behind them.",
                holder=_describe(holder),
                out_dir=str(out_dir),
                seconds=f"{ORPHAN_GRACE_SECONDS:.0f}",
            )
        )
    raise BusyError(
        msg(
            "Another evalkit run ({holder}) is writing to {folder}; wait for it to finish, or "
            "run again with --wait to queue behind it.",
            holder=_describe(holder),
            folder=str(out_dir),
        )
    )


@contextmanager
def folder_lock(out_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the output folder's lock; wait up to ``wait`` seconds for it (none: refuse at
    once) with a message naming the run that holds it (a dead run's lock is taken over once
    its workers end)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out_dir / LOCK)
    _acquire(lock, out_dir, wait)
    try:
        holder = {
            "pid": os.getpid(),
            "created": psutil.Process().create_time(),
            "started": now_iso(),
        }
        with suppress(OSError):  # a full disk: the lock holds without its note
            (out_dir / HOLDER).write_text(json.dumps(holder), encoding="utf-8")
        yield
    finally:
        with suppress(OSError):
            (out_dir / HOLDER).unlink()
        lock.release()
