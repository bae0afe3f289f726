"""What a report's subprocesses and C code write to standard output and error, caught at the
file descriptors (1 and 2) as a Jupyter kernel catches it: ``!echo``, ``os.system`` and
``subprocess.run`` without ``capture_output`` reach the page, in the cell that wrote them.

Each descriptor writes to a temporary file of its own while the report runs; after each cell
what came since the last look joins the cell's outputs as a stream. A file, not a pipe: a
process that writes much is never blocked by a reader that has not looked yet.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

#: the descriptors caught, by the name of their stream
STREAMS = {"stdout": 1, "stderr": 2}
#: reading the files without moving the offset their writers share needs ``os.pread``
#: (Linux and macOS); elsewhere what a subprocess writes goes to the run's console
AVAILABLE = hasattr(os, "pread")


class _Streams:
    """A kernel's own ``sys.stdout`` and ``sys.stderr``, as :meth:`Capture.take` writes."""

    @staticmethod
    def write(name: str, text: str) -> None:
        stream = getattr(sys, name)
        stream.write(text)
        stream.flush()


class Capture:
    """Descriptors 1 and 2 into temporary files until :meth:`stop`."""

    def __init__(self) -> None:
        self.files: dict[str, IO[bytes]] = {}
        self.read: dict[str, int] = {}
        self.saved: dict[int, int] = {}
        for name, fd in STREAMS.items():
            self.files[name] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
            self.read[name] = 0
            self.saved[fd] = os.dup(fd)
            os.dup2(self.files[name].fileno(), fd)

    def take(self, outputs: Any) -> None:
        """Add what was written since the last look to ``outputs`` (whose ``write(name,
        text)`` takes a stream's name and its text)."""
        for stream in (sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
        for name, handle in self.files.items():
            size = os.fstat(handle.fileno()).st_size
            if size > self.read[name]:
                data = os.pread(handle.fileno(), size - self.read[name], self.read[name])
                self.read[name] = size
                outputs.write(name, data.decode("utf-8", errors="replace"))

    def skip(self) -> None:
        """Leave aside what was written until now (between two cells)."""
        for name, handle in self.files.items():
            self.read[name] = os.fstat(handle.fileno()).st_size

    def stop(self) -> None:
        """Give the descriptors back, and drop the files."""
        for fd, saved in self.saved.items():
            os.dup2(saved, fd)
            os.close(saved)
        for handle in self.files.values():
            handle.close()
        self.saved, self.files = {}, {}

    @classmethod
    def in_kernel(cls, shell: Any) -> Capture | None:
        """Catch the descriptors of this kernel for good, each cell's writes added to its
        own output before the kernel replies (ipykernel forwards them from a thread of its
        own, which a client may not wait for at the end of a cell); where not
        :data:`AVAILABLE`, leave them to ipykernel."""
        if not AVAILABLE:
            return None
        capture = cls()
        shell.events.register("pre_run_cell", lambda *_: capture.skip())
        shell.events.register("post_run_cell", lambda *_: capture.take(_Streams()))
        return capture

    @classmethod
    @contextmanager
    def installed(cls, outputs: Any) -> Iterator[None]:
        """Catch the descriptors for ``outputs`` while the block runs."""
        if not AVAILABLE:
            yield
            return
        outputs.capture = cls()
        try:
            yield
        finally:
            outputs.capture.stop()
            outputs.capture = None
