"""What every engine shares: the executed notebook it hands back, the :class:`Engine`
protocol, and the cells every warm process runs (:data:`WARM_IMPORTS` once,
:data:`RESET` before each report, :data:`PRELOAD` before each fork). The engines are in
:mod:`evalkit.runner.engines.lookup`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import nbformat

#: The first cell of every report process and kernel: the libraries are imported and warmed up
#: once (:mod:`evalkit.report.warm`) and live as long as the process; frozen, the garbage
#: collector stops walking them at every reset and in every cell.
WARM_IMPORTS = """\
import gc, evalkit.report.warm as _w, evalkit.runner.engines.cleanslate as _c
_w.warm_up()
_c.save()
gc.freeze()
"""
#: The cell run before each report: a clean namespace and a new session (the first cell is
#: ``In [1]``), the state the warm-up left (:mod:`evalkit.runner.engines.cleanslate`) and matplotlib
#: settings, in ``cwd``.
RESET = """\
get_ipython().reset(new_session=True)
import os as _os, matplotlib as _mpl, evalkit.runner.engines.cleanslate as _c
_c.restore()
_mpl.rcdefaults()
_os.chdir({cwd!r})
del _os, _mpl, _c
"""


#: The cell a report process that forks each report (:mod:`evalkit.runner.engines.shell`)
#: runs in itself before the fork: the report's injected parameters and the sheets they name,
#: read and scored once for the reports forked after it (:func:`evalkit.report.warm.warm_for`);
#: what it read joins the state a report starts from, frozen as the warm-up is. Each fork's
#: :data:`RESET` then clears the names.
PRELOAD = """\
{parameters}
import gc, evalkit.report.warm as _w, evalkit.runner.engines.cleanslate as _c
if _w.warm_for(globals()):
    _c.save()
    gc.collect()
    gc.freeze()
"""


def ended_well(ename: str, evalue: str) -> bool:
    """Whether a cell's error is ``sys.exit()``, ``sys.exit(0)`` or ``raise SystemExit``: as in
    papermill, the report ends there, successfully."""
    return ename == "SystemExit" and evalue in ("", "0", "None")


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
