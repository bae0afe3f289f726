"""The engines that run a report in a Jupyter kernel: ``warm`` (one kernel kept warm for
many reports) and ``papermill`` (a fresh kernel per report, the strict one)."""

from __future__ import annotations

import contextvars
import shutil
import tempfile
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

import nbformat
from jupyter_core.utils import run_sync

from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg
from evalkit.runner.engines.execution import RESET, WARM_IMPORTS, Executed, ended_well
from evalkit.runner.engines.kernel_client import PatientKernelManager
from evalkit.runner.registry import register_engine


@register_engine("papermill")
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
                    kernel_manager_class=PatientKernelManager,
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


#: The kernel's descriptors 1 and 2 caught, so that what a subprocess writes joins its cell
CAPTURE = """\
import evalkit.runner.engines.capture as _k
_k.Capture.in_kernel(get_ipython())
del _k
"""


@register_engine("warm")
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
        self._close()
        # local sockets, in a folder of their own, rather than TCP ports
        self.sockets = Path(tempfile.mkdtemp(prefix="evalkit-kernel-"))
        self.km = PatientKernelManager(
            kernel_name=self.kernel, transport="ipc", ip=str(self.sockets / "kernel")
        )
        run_sync(self.km.start_kernel)()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.allow_stdin = False  # input() fails at once, as nbclient's own clients have it
        run_sync(self.kc.wait_for_ready)(timeout=120)
        self._run(WARM_IMPORTS)
        self._run(CAPTURE)
        self.runs, self.thread = 0, threading.get_ident()

    def _run(self, code: str) -> None:
        reply = run_sync(self.kc.execute_interactive)(
            code, store_history=False, timeout=120, output_hook=lambda message: None
        )
        if reply["content"]["status"] != "ok":
            raise EvalkitError(
                msg(
                    "The evalkit kernel could not be prepared: {error}",
                    error=reply["content"].get("evalue", ""),
                )
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
                if ended_well(exc.ename, exc.evalue):
                    return Executed(notebook)
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
