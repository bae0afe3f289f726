"""How one report notebook is executed: the engines (``shell``, ``warm``, ``papermill``), the
report processes and the template they are forked from, the clean state between reports, what
reaches the page, and the notebook itself (its parameters, the cell that sets them).

Nothing here loads on import: a report process started afresh imports
:mod:`evalkit.runner.engines.shell` and little else.

The names below are the room's surface, what the rest of the runner and the command use; each
loads its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.core.surface import lazy_surface

if TYPE_CHECKING:
    from evalkit.runner.engines.execution import WARM_IMPORTS, Engine, Executed
    from evalkit.runner.engines.lifeline import watch_parent
    from evalkit.runner.engines.lookup import DEFAULT_ENGINE, get_engine
    from evalkit.runner.engines.notebook import (
        AGENCY_NOTEBOOK,
        PORTFOLIO_NOTEBOOK,
        check_parameters,
        declared_parameters,
        find_notebook,
        inject,
        read_notebook,
    )
    from evalkit.runner.engines.template import Template

__getattr__ = lazy_surface(
    __name__,
    {
        "Engine": "execution",
        "Executed": "execution",
        "WARM_IMPORTS": "execution",
        "watch_parent": "lifeline",
        "DEFAULT_ENGINE": "lookup",
        "get_engine": "lookup",
        "AGENCY_NOTEBOOK": "notebook",
        "check_parameters": "notebook",
        "declared_parameters": "notebook",
        "find_notebook": "notebook",
        "inject": "notebook",
        "PORTFOLIO_NOTEBOOK": "notebook",
        "read_notebook": "notebook",
        "Template": "template",
    },
)

__all__ = [
    "AGENCY_NOTEBOOK",
    "DEFAULT_ENGINE",
    "PORTFOLIO_NOTEBOOK",
    "WARM_IMPORTS",
    "Engine",
    "Executed",
    "Template",
    "check_parameters",
    "declared_parameters",
    "find_notebook",
    "get_engine",
    "inject",
    "read_notebook",
    "watch_parent",
]
