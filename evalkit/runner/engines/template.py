"""The template of the report processes: the report libraries imported once, and every report
process a fork of it.

A report process of the ``shell`` engine (:mod:`evalkit.runner.engines.shell`) started afresh
costs a Python start and the import of pandas, matplotlib, IPython and evalkit's report modules:
seconds of processor time, paid by every worker at the start of a run and again at each restart
(after ``restart_every`` reports, after a crash or a timeout). The template pays it once for all
the workers of a machine: it runs the engines' warm-up, then waits on a local socket. An engine
that needs a report process sends it one end of a socket pair; the template forks a child that
serves the engine on it, as a started process would, and answers with the child's id. The child
ends with the engine's process (:mod:`evalkit.runner.engines.lifeline`); the template ends with
the process that started it (a run, a Dask worker).

The template keeps to one thread, so that forking it is safe, and collects its children as
they end, so that their processor time is counted with the run's. Linux only
(:data:`AVAILABLE`): elsewhere, or when the template is gone, an engine starts its report
process afresh.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil

from evalkit.runner.engines.lifeline import INTERVAL, watch_parent
from evalkit.runner.engines.shell import READY, Outputs, prepare, run_cell, serve

#: Forking a process that has imported these libraries is what Python's own multiprocessing
#: does by default on Linux; macOS and Windows start processes afresh.
AVAILABLE = sys.platform.startswith("linux")
#: the name of a template's private folder, which holds its socket, begins with this
FOLDER_PREFIX = "evalkit-template-"
#: seconds a template waits, when told to stop, for its children to end with their engines
STOP_SECONDS = 5.0
#: how a template is started, followed by its listening socket's descriptor, the id of the
#: process that starts it and the warm-up
COMMAND = ["-c", "import sys; from evalkit.runner.engines.template import main; main(sys.argv[1:])"]


class Template:
    """A template process, started by whoever owns a machine's workers; :attr:`address` is
    what their engines need to ask it for report processes."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.folder: Path | None = None
        self.address: str | None = None

    def start(self, warm: str) -> str | None:
        """Start the template with the warm-up ``warm``; its address, or None when this system
        cannot have one (engines then start their processes afresh)."""
        if not AVAILABLE:
            return None
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        address = str(self.folder / "socket")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(address)  # engines may ask at once: they wait while it imports
            listener.listen(64)
            self.process = subprocess.Popen(
                [sys.executable, *COMMAND, str(listener.fileno()), str(os.getpid()), warm],
                pass_fds=[listener.fileno()],
                stdin=subprocess.DEVNULL,
            )
        except OSError:  # a socket path too long for this system, say
            self.close()
            return None
        finally:
            listener.close()
        self.address = address
        return address

    def close(self) -> None:
        """End the template once its children have ended with their engines."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS + 5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.process = self.folder = self.address = None


class Forked:
    """A report process forked by a template, as its engine sees it: not the engine's child,
    so watched by its id (the same methods as :class:`subprocess.Popen`)."""

    def __init__(self, pid: int):
        self.pid = pid
        try:
            self.process: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:  # it has already ended
            self.process = None

    def poll(self) -> int | None:
        """None while the process runs, else -1."""
        with suppress(psutil.Error):
            if (
                self.process is not None
                and self.process.is_running()
                and self.process.status() != psutil.STATUS_ZOMBIE
            ):
                return None
        return -1

    def kill(self) -> None:
        if self.process is not None:
            with suppress(psutil.Error):
                self.process.kill()

    def wait(self, timeout: float = 10) -> None:
        """Wait until the process has ended (a zombie has: only its exit status is left)."""
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)


def fork(address: str, end: socket.socket, timeout: float) -> Forked:
    """A report process forked by the template at ``address``, serving on ``end`` (which the
    caller then closes); :class:`OSError` when no template answers there."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as request:
        request.settimeout(timeout)
        request.connect(address)
        socket.send_fds(request, [str(os.getpid()).encode()], [end.fileno()])
        answer = request.recv(32)
    if not answer.isdigit():
        raise ConnectionError("the template process ended before it could fork")
    return Forked(int(answer))


# --- the template process ----------------------------------------------------------------------


def _child(fd: int, engine: int, shell: Any, outputs: Outputs, warm: str, error: str) -> None:
    """A forked report process: serve the engine on ``fd`` as a started process would."""
    for number in (signal.SIGTERM, signal.SIGCHLD):  # the template's handlers are not a report's
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    watch_parent(engine)
    connection = Connection(fd)
    their_warm, reset = connection.recv()
    if their_warm != warm:  # an engine with another warm-up than the template's
        _, error = run_cell(shell, outputs, their_warm)
    connection.send((READY, error))
    serve(connection, shell, outputs, reset)


def _answer(request: socket.socket, owned: list[socket.socket], prepared: tuple[Any, ...]) -> None:
    """Fork a report process for one request, and answer with its id."""
    request.settimeout(10)
    message, fds, _, _ = socket.recv_fds(request, 32, 1)
    if not fds:
        return
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            for own in owned:
                own.close()
            _child(fds[0], int(message or b"0"), *prepared)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(fds[0])
    request.sendall(str(pid).encode())


def _reap() -> None:
    """Collect the children that have ended, so that their processor time counts for the run."""
    with suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _last_children(seconds: float) -> None:
    """Wait up to ``seconds`` for the children, which end with their engines."""
    deadline = time.monotonic() + seconds
    while psutil.Process().children() and time.monotonic() < deadline:
        _reap()
        time.sleep(0.05)
    _reap()


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run, which then stops it
    listener = socket.socket(fileno=int(argv[0]))
    run, warm = int(argv[1]), argv[2]  # passed in: the run may have ended by now
    shell, outputs, error = prepare(warm)
    stop: list[int] = []
    signal.signal(signal.SIGTERM, lambda number, frame: stop.append(number))
    signal.signal(signal.SIGCHLD, lambda number, frame: _reap())
    listener.settimeout(INTERVAL)
    while not stop and os.getppid() == run:  # a template outlives no run
        try:
            request, _ = listener.accept()
        except (TimeoutError, InterruptedError):
            continue
        with request, suppress(OSError):
            _answer(request, [listener, request], (shell, outputs, warm, error))
    folder = Path(listener.getsockname()).parent
    listener.close()
    _last_children(STOP_SECONDS)
    if folder.name.startswith(FOLDER_PREFIX):  # a run killed outright leaves no folder either
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
