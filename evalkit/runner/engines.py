"""Engines execute one prepared report notebook and hand back the executed notebook.

- ``shell`` (the default): each worker keeps one report process, an IPython shell with the
  libraries already imported (:mod:`evalkit.runner.shell`), and sends it one message per cell.
  Between reports the user namespace and matplotlib's settings are reset; the process is
  replaced every ``restart_every`` reports and after a crash or a timeout, by a fork of the
  template process when the executor started one (:mod:`evalkit.runner.template`), else by a
  process started afresh.
- ``warm``: the same, with a Jupyter kernel kept warm and the Jupyter protocol.
- ``papermill``: the strict engine, a fresh kernel per report through papermill.

All run the same cells with the same parameters and give the same outputs; the test suite
holds them to that. :func:`get_engine` finds one by name.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

import nbformat
from jupyter_core.utils import run_sync

from evalkit.core.errors import EvalkitError
from evalkit.runner.shell import COMMAND, RUN
from evalkit.runner.template import Forked, fork

# The libraries are imported and warmed up once (evalkit.report.warm) and live as long as the
# process: frozen, the
# garbage collector stops walking them at every reset and in every cell.
WARM_IMPORTS = """\
import gc, evalkit.report.warm as _w
_w.warm_up()
gc.freeze()
"""
RESET = """\
get_ipython().run_line_magic("reset", "-f")
import os as _os, matplotlib as _mpl
_mpl.rcdefaults()
_os.chdir({cwd!r})
del _os, _mpl
"""


@dataclass
class Executed:
    """An executed notebook; ``error`` is empty unless a cell failed (``failed_cell``)."""

    notebook: nbformat.NotebookNode | None
    error: str = ""
    failed_cell: int | None = None


class Engine(Protocol):
    name: str

    def start(self) -> None: ...

    def execute(self, notebook: nbformat.NotebookNode, cwd: Path) -> Executed: ...

    def close(self) -> None: ...

    def abandon(self) -> None:
        """End the engine's kernel at once, from any thread: this worker is about to exit."""
        ...


class PapermillEngine:
    """A fresh kernel per report, through papermill."""

    name = "papermill"

    def __init__(
        self,
        kernel: str,
        timeout: float | None,
        restart_every: int = 0,
        template: str | None = None,
    ):
        self.kernel, self.timeout = kernel, timeout

    def start(self) -> None:
        pass

    def execute(self, notebook: nbformat.NotebookNode, cwd: Path) -> Executed:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        with tempfile.TemporaryDirectory(prefix="evalkit-") as tmp:
            source, executed = Path(tmp) / "in.ipynb", Path(tmp) / "out.ipynb"
            nbformat.write(notebook, source)
            error, cell = "", None
            try:
                papermill.execute_notebook(
                    str(source),
                    str(executed),
                    kernel_name=self.kernel,
                    cwd=str(cwd),
                    progress_bar=False,
                    execution_timeout=self.timeout,
                )
            except PapermillExecutionError as exc:
                error, cell = f"{exc.ename}: {exc.evalue}", exc.cell_index
            except Exception as exc:  # a dead kernel or a timeout ends this report only
                error = f"{type(exc).__name__}: {exc}"
            result = nbformat.read(executed, as_version=4) if executed.exists() else None
        if result is not None and cell is None and error:
            cell = _last_run_cell(result)
        return Executed(result, error, cell)

    def close(self) -> None:
        pass

    def abandon(self) -> None:
        pass  # papermill's kernel ends by itself once this worker is gone


def _last_run_cell(notebook: nbformat.NotebookNode) -> int | None:
    ran = [n for n, c in enumerate(notebook.cells) if c.get("outputs") or c.get("execution_count")]
    return ran[-1] if ran else None


class WarmEngine:
    """One kernel kept warm for many reports."""

    name = "warm"

    def __init__(
        self,
        kernel: str,
        timeout: float | None,
        restart_every: int = 50,
        template: str | None = None,
    ):
        self.kernel, self.timeout, self.restart_every = kernel, timeout, restart_every
        self.km: Any = None
        self.kc: Any = None
        self.sockets: Path | None = None
        self.runs = 0
        self.thread = 0
        # jupyter_core keeps the event loop of its blocking calls in a context variable, which
        # a thread may inherit from the thread that gave it work (Dask's workers do): in a
        # context of its own, each engine has a loop of its own
        self.context = contextvars.Context()

    def start(self) -> None:
        self.context.run(self._start)

    def execute(self, notebook: nbformat.NotebookNode, cwd: Path) -> Executed:
        return self.context.run(self._execute, notebook, cwd)

    def close(self) -> None:
        self.context.run(self._close)

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        self._close()
        # local sockets, in a folder of their own, rather than TCP ports
        self.sockets = Path(tempfile.mkdtemp(prefix="evalkit-kernel-"))
        self.km = AsyncKernelManager(
            kernel_name=self.kernel, transport="ipc", ip=str(self.sockets / "kernel")
        )
        run_sync(self.km.start_kernel)()
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=120)
        self._run(WARM_IMPORTS)
        self.runs, self.thread = 0, threading.get_ident()

    def _run(self, code: str) -> None:
        reply = run_sync(self.kc.execute_interactive)(
            code, store_history=False, timeout=120, output_hook=lambda message: None
        )
        if reply["content"]["status"] != "ok":
            raise EvalkitError(
                f"The evalkit kernel could not be prepared: {reply['content'].get('evalue', '')}"
            )

    def _alive(self) -> bool:
        # the kernel's client lives on the event loop of the thread that started it
        same_thread = self.thread == threading.get_ident()
        return self.km is not None and same_thread and bool(run_sync(self.km.is_alive)())

    def _execute(self, notebook: nbformat.NotebookNode, cwd: Path) -> Executed:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError

        if self.runs >= self.restart_every or not self._alive():
            self._start()
        self._run(RESET.format(cwd=str(cwd)))
        self.runs += 1
        client = NotebookClient(notebook, km=self.km, kernel_name=self.kernel, timeout=self.timeout)
        client.kc = self.kc
        count = 0
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and cell.source.strip():
                count += 1
            try:
                client.execute_cell(cell, index, execution_count=count)
            except CellExecutionError as exc:
                return Executed(notebook, f"{exc.ename}: {exc.evalue}", index)
            except Exception as exc:  # the kernel died or a cell timed out: start afresh
                self._close()
                return Executed(notebook, f"{type(exc).__name__}: {exc}", index)
        return Executed(notebook)

    def _close(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None and self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)
        self.km = self.kc = self.sockets = None

    def abandon(self) -> None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            with suppress(OSError):
                process.kill()
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)


class ShellEngine:
    """One report process kept warm for many reports: an IPython shell, one message a cell."""

    name = "shell"

    def __init__(
        self,
        kernel: str,
        timeout: float | None,
        restart_every: int = 50,
        template: str | None = None,
    ):
        self.timeout, self.restart_every, self.template = timeout, restart_every, template
        self.process: subprocess.Popen[bytes] | Forked | None = None
        self.connection: Connection | None = None
        self.runs = 0

    def start(self) -> None:
        self.close()
        mine, theirs = socket.socketpair()
        try:
            self.process = self._forked(theirs) or subprocess.Popen(
                [sys.executable, *COMMAND, str(theirs.fileno()), str(os.getpid())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
            )
        finally:
            theirs.close()
        self.connection = Connection(mine.detach())
        self.connection.send((WARM_IMPORTS, RESET))
        _, error = self._receive(120)
        if error:
            self.close()
            raise EvalkitError(f"The report process could not be prepared: {error}")
        self.runs = 0

    def _forked(self, end: socket.socket) -> Forked | None:
        """A process forked by the template, if there is one; once it has gone, none."""
        if self.template is not None:
            try:
                return fork(self.template, end, 120)
            except OSError:
                self.template = None
        return None

    def _receive(self, timeout: float | None) -> Any:
        assert self.connection is not None
        if not self.connection.poll(timeout):
            raise TimeoutError
        return self.connection.recv()

    def execute(self, notebook: nbformat.NotebookNode, cwd: Path) -> Executed:
        if (
            self.runs >= self.restart_every
            or self.process is None
            or self.process.poll() is not None
        ):
            self.start()
        assert self.connection is not None
        self.runs += 1
        cells = [
            (n, c.source)
            for n, c in enumerate(notebook.cells)
            if c.cell_type == "code" and c.source.strip()
        ]
        self.connection.send((RUN, str(cwd), cells))
        for count, (index, _) in enumerate(cells, 1):
            try:
                _, _, outputs, error = self._receive(self.timeout)
            except TimeoutError:
                self.close()
                seconds = f"{self.timeout:g}"
                return Executed(notebook, f"CellTimeoutError: no reply after {seconds} s", index)
            except (EOFError, OSError):
                self.close()
                return Executed(notebook, "DeadKernelError: the report process died", index)
            cell = notebook.cells[index]
            cell.outputs = [nbformat.from_dict(o) for o in outputs]
            cell.execution_count = count
            if error:
                self._receive(self.timeout)
                return Executed(notebook, error, index)
        self._receive(self.timeout)
        return Executed(notebook)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
        self.process = self.connection = None

    def abandon(self) -> None:
        process = self.process
        if process is not None:
            with suppress(OSError):
                process.kill()


#: The shell engine talks to its process over a socket handed down as a file descriptor,
#: which POSIX systems allow; elsewhere the warm kernel is the default.
DEFAULT_ENGINE = "shell" if os.name == "posix" else "warm"

ENGINES: dict[str, type[ShellEngine] | type[WarmEngine] | type[PapermillEngine]] = {
    "shell": ShellEngine,
    "warm": WarmEngine,
    "papermill": PapermillEngine,
}


def get_engine(
    name: str,
    kernel: str,
    timeout: float | None,
    restart_every: int = 50,
    template: str | None = None,
) -> Engine:
    """The engine called ``name``; ``template`` is the address of a template process
    (:mod:`evalkit.runner.template`) for the ``shell`` engine's report processes."""
    try:
        engine = ENGINES[name]
    except KeyError:
        raise EvalkitError(
            f"Unknown engine {name!r}; known engines are {', '.join(ENGINES)}."
        ) from None
    return engine(kernel, timeout, restart_every, template)
