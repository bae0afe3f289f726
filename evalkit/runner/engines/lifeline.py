"""Worker processes end with the run that started them.

A run killed with SIGKILL cannot tell its workers to stop, and a worker of a process pool
waits for work for ever. Each worker therefore watches its run from a small thread and ends
itself (and, first, its kernel) as soon as the run is gone. Kernels watch their worker in the
same way: jupyter_client gives each kernel its parent's id (``JPY_PARENT_PID`` on Linux and
macOS, a process handle on Windows) and ipykernel ends when that parent does.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import suppress

import psutil

#: Seconds between two looks at the parent.
INTERVAL = 0.5


def _gone(parent: psutil.Process) -> bool:
    try:
        return not parent.is_running() or parent.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def watch_parent(parent_pid: int, on_exit: Callable[[], None] | None = None) -> threading.Thread:
    """End this process when ``parent_pid`` ends, after calling ``on_exit`` (which must be
    quick and safe to call from another thread)."""
    try:
        parent = psutil.Process(parent_pid)
    except psutil.Error:
        parent = None

    def watch() -> None:
        stop = threading.Event()
        while parent is not None and not _gone(parent):
            stop.wait(INTERVAL)
        if on_exit is not None:
            with suppress(Exception):
                on_exit()
        os._exit(1)

    thread = threading.Thread(target=watch, name="evalkit-lifeline", daemon=True)
    thread.start()
    return thread
