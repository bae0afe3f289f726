"""The ``shell`` engine: one report process kept warm for many reports, an IPython shell
with one message a cell (:mod:`evalkit.runner.engines.shell`), forked from the template process when
there is one (:mod:`evalkit.runner.engines.template`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import nbformat

from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg
from evalkit.runner.engines.execution import PRELOAD, RESET, WARM_IMPORTS, Executed
from evalkit.runner.engines.notebook import INJECTED_TAG
from evalkit.runner.engines.shell import COMMAND, ENDED, RUN
from evalkit.runner.engines.template import Forked, fork
from evalkit.runner.registry import register_engine


def placed(
    outputs: list[dict[str, Any]], shown: dict[str, list[nbformat.NotebookNode]]
) -> list[nbformat.NotebookNode]:
    """A cell's outputs as a kernel's client places them: an output with a ``display_id``
    also updates the earlier outputs of that id, in any cell of the report (``shown``), and an
    ``update_display`` does only that."""
    found = []
    for output in outputs:
        display_id = (output.pop("transient", None) or {}).get("display_id")
        for earlier in shown.get(display_id, []) if display_id else []:
            earlier.data, earlier.metadata = output["data"], output["metadata"]
        if output["output_type"] == "update_display_data":
            continue
        node = nbformat.from_dict(output)
        if display_id:
            shown.setdefault(display_id, []).append(node)
        found.append(node)
    return found


def preload_cell(notebook: nbformat.NotebookNode) -> str:
    """The cell the report process runs before it forks this report: its injected
    parameters and what they name (:data:`PRELOAD`); none when nothing is injected."""
    for cell in notebook.cells:
        if INJECTED_TAG in cell.get("metadata", {}).get("tags", []):
            return PRELOAD.format(parameters=cell.source)
    return ""


@register_engine("shell")
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
            raise EvalkitError(
                msg("The report process could not be prepared: {error}", error=error)
            )
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
        self.connection.send((RUN, str(cwd), cells, preload_cell(notebook)))
        shown: dict[str, list[nbformat.NotebookNode]] = {}
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
            cell.outputs = placed(outputs, shown)
            cell.execution_count = count
            if error:
                self._receive(self.timeout)
                return Executed(notebook) if error == ENDED else Executed(notebook, error, index)
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
