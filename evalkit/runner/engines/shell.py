"""The report process of the ``shell`` engine: an IPython shell in a process of its own.

It runs a report's code cells in its own IPython shell, the one a Jupyter kernel wraps, and
formats every output as the kernel would (``execute_result``, ``display_data``, ``stream``,
``error``), but with one message per cell over a local socket instead of the Jupyter protocol's
dozen signed messages per cell. The worker that started it keeps what a kernel gave: a cell that
runs too long or a process that dies fails that report alone, and a new process takes its place
(see :class:`evalkit.runner.engines.shell_engine.ShellEngine`).

Started by :data:`COMMAND` with the number of its end of a socket pair and the id of the
worker's process, or forked from the template process (:mod:`evalkit.runner.engines.template`),
which has run the same preparation."""

from __future__ import annotations

import base64
import os
import sys
from multiprocessing.connection import Connection
from typing import Any

from evalkit.runner.engines.capture import Capture
from evalkit.runner.engines.lifeline import watch_parent

#: what the engine sends: one request per report, ``(RUN, cwd, [(cell index, source), ...],
#: preload)``, where ``preload`` is run before the report is forked (or "")
RUN = "run"
#: what the process answers: ``(READY, error)`` once, then ``(CELL, index, outputs, error)``
#: for each cell it ran and ``(DONE,)`` after the last
READY, CELL, DONE = "ready", "cell", "done"
#: the error of a cell that called ``sys.exit(0)``: no more cells, and no failure
ENDED = "ended"
#: how the engine starts the process, followed by the socket's file descriptor
COMMAND = ["-c", "import sys; from evalkit.runner.engines.shell import main; main(sys.argv[1:])"]
#: the inline backend, as a kernel sets it, for notebooks that draw with pyplot
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: each report forked from the warmed process (Linux); elsewhere, run in it after a reset
FORKS = sys.platform.startswith("linux")
#: the exit status of a forked report that answered to its end
REPORTED = 86


def _clean(value: Any) -> Any:
    """Values as they come out of a kernel's JSON messages: bytes in base64, tuples as lists."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class Outputs:
    """The outputs of the cell being run, in the order a kernel would send them."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        #: what processes write to this one's standard output and error, while a report runs
        self.capture: Capture | None = None

    def add(self, output: dict[str, Any]) -> None:
        self.items.append(_clean(output))

    def write(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        elif text:
            self.items.append({"output_type": "stream", "name": name, "text": text})


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` while a cell runs."""

    def __init__(self, outputs: Outputs, name: str):
        self.outputs, self.name = outputs, name
        self.encoding = "utf-8"

    def write(self, text: str) -> int:
        self.outputs.write(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def make_shell(outputs: Outputs) -> Any:
    """An IPython shell whose displays, results, prints and errors go to ``outputs``."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(
            self,
            data: dict[str, Any],
            metadata: dict[str, Any] | None = None,
            source: object = None,
            *,
            transient: object = None,
            update: bool = False,
            **kw: object,
        ) -> None:
            kind = "update_display_data" if update else "display_data"
            output: dict[str, Any] = {"output_type": kind, "data": data, "metadata": metadata or {}}
            if transient:  # display_id: the engine places updates as a kernel's client does
                output["transient"] = transient
            outputs.add(output)

        def clear_output(self, wait: bool = False) -> None:
            outputs.items.clear()

    class Hook(DisplayHook):
        def write_output_prompt(self) -> None:
            pass

        def write_format_data(
            self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None
        ) -> None:
            outputs.add(
                {
                    "output_type": "execute_result",
                    "execution_count": self.prompt_count,
                    "data": format_dict,
                    "metadata": md_dict or {},
                }
            )

        def finish_displayhook(self) -> None:
            pass

    class ReportShell(InteractiveShell):
        def _showtraceback(
            self, etype: type[BaseException], evalue: BaseException, stb: list[str]
        ) -> None:
            outputs.add(
                {
                    "output_type": "error",
                    "ename": str(etype.__name__),
                    "evalue": str(evalue),
                    "traceback": stb,
                }
            )

    config = Config()
    config.HistoryManager.enabled = False  # no history file written for every cell
    shell = ReportShell.instance(config=config, displayhook_class=Hook, display_pub_class=Publisher)
    formatter = shell.display_formatter
    assert formatter is not None
    formatter.active_types = formatter.format_types  # every MIME type, as a kernel has
    return shell


def run_cell(shell: Any, outputs: Outputs, source: str) -> tuple[list[dict[str, Any]], str]:
    """Run one cell; its outputs, and ``"ename: evalue"`` when it raised."""
    outputs.items = []
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream(outputs, "stdout"), _Stream(outputs, "stderr")
    try:
        result = shell.run_cell(source, store_history=True)
    finally:
        sys.stdout, sys.stderr = saved
    if outputs.capture is not None:
        outputs.capture.take(outputs)
    error = ""
    if not result.success:
        failure = result.error_in_exec or result.error_before_exec
        error = f"{type(failure).__name__}: {failure}"
        if isinstance(failure, SystemExit) and failure.code in (0, None):
            error = ENDED  # sys.exit(0): the report ends here, successfully
    return outputs.items, error


def _report(connection: Connection, shell: Any, outputs: Outputs, reset: str, request: Any) -> None:
    """Run one report: the ``reset`` cell, then its cells, one message each, then DONE."""
    _, cwd, cells, _ = request
    run_cell(shell, outputs, reset.format(cwd=cwd))
    shell.execution_count = 1  # In [1] for the report's first cell, as in a fresh kernel
    for index, source in cells:
        items, error = run_cell(shell, outputs, source)
        connection.send((CELL, index, items, error))
        if error:
            break
    connection.send((DONE,))


def _forked_report(
    connection: Connection, shell: Any, outputs: Outputs, reset: str, request: Any
) -> bool:
    """Run one report in a fork of this process, which stays as the warm-up left it: nothing
    a report does reaches the next, but what the request's preload cell reads here is read
    once for the reports after it. Whether the report answered to its end."""
    if request[3]:
        run_cell(shell, outputs, request[3])
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            watch_parent(os.getppid())  # a report cut short by its engine ends with this
            outputs.capture = Capture()  # what subprocesses write reaches the page
            _report(connection, shell, outputs, reset, request)
            code = REPORTED
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == REPORTED


def serve(connection: Connection, shell: Any, outputs: Outputs, reset: str) -> None:
    """Answer the engine's requests until it closes the connection: each report forked from
    this process where the system can fork (:data:`FORKS`), else run here after ``reset``.
    A forked report that died before its end ends this process too: its engine starts
    another, as for a process that died."""
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if not FORKS:
            with Capture.installed(outputs):
                _report(connection, shell, outputs, reset, request)
        elif not _forked_report(connection, shell, outputs, reset, request):
            return


def prepare(warm: str) -> tuple[Any, Outputs, str]:
    """A shell with ``warm`` run in it: the shell, its outputs, and the error of ``warm``."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    outputs = Outputs()
    shell = make_shell(outputs)
    _, error = run_cell(shell, outputs, warm)
    return shell, outputs, error


def main(argv: list[str]) -> None:
    watch_parent(int(argv[1]))  # the report process ends with the worker that started it
    connection = Connection(int(argv[0]))
    warm, reset = connection.recv()
    shell, outputs, error = prepare(warm)
    connection.send((READY, error))
    serve(connection, shell, outputs, reset)


if __name__ == "__main__":
    main(sys.argv[1:])
