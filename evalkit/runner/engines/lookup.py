"""Engines execute one prepared report notebook and hand back the executed notebook.

- ``shell`` (the default, :mod:`evalkit.runner.engines.shell_engine`): each worker keeps one
  report process, an IPython shell with the libraries already imported
  (:mod:`evalkit.runner.engines.shell`), and sends it one message per cell. Between reports the
  user namespace and matplotlib's settings are reset; the process is replaced every
  ``restart_every`` reports and after a crash or a timeout, by a fork of the template process
  when the executor started one (:mod:`evalkit.runner.engines.template`), else by a process
  started afresh.
- ``warm`` (:mod:`evalkit.runner.engines.kernels`): the same, with a Jupyter kernel kept warm
  and the Jupyter protocol.
- ``papermill`` (:mod:`evalkit.runner.engines.kernels`): the strict engine, a fresh kernel per
  report through papermill.

All run the same cells with the same parameters and give the same outputs; the test suite holds
them to that; what they share is :mod:`evalkit.runner.engines.execution`. :func:`get_engine`
finds one by name."""

from __future__ import annotations

from evalkit.runner.engines.execution import Engine
from evalkit.runner.registry import default_engine, engine_implementation

#: The shell engine talks to its process over a socket handed down as a file descriptor,
#: which POSIX systems allow; elsewhere the warm kernel is the default.
DEFAULT_ENGINE = default_engine()


def get_engine(
    name: str,
    kernel: str,
    timeout: float | None,
    restart_every: int = 50,
    template: str | None = None,
) -> Engine:
    """The engine called ``name``; ``template`` is the address of a template process
    (:mod:`evalkit.runner.engines.template`) for the ``shell`` engine's report processes."""
    engine: Engine = engine_implementation(name)(kernel, timeout, restart_every, template)
    return engine
