"""What a run renders, and why: the params files and their schema, the sheets each reads (read
and indexed once per run, in the sheet cache), the rows each page reads, the portfolios, the
reports refused before rendering and the reasons a page is rendered again.

The names below are the room's surface, what the rest of the runner and the command use; each
loads its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.core.surface import lazy_surface

if TYPE_CHECKING:
    from evalkit.runner.plan.changes import because_lines, to_render
    from evalkit.runner.plan.inputs import skipped_in_run
    from evalkit.runner.plan.params import ReportParams, load_params
    from evalkit.runner.plan.paramschema import parameter_problems
    from evalkit.runner.plan.planning import Plan, make_plan
    from evalkit.runner.plan.refused import write_refused_page

__getattr__ = lazy_surface(
    __name__,
    {
        "because_lines": "changes",
        "to_render": "changes",
        "skipped_in_run": "inputs",
        "load_params": "params",
        "ReportParams": "params",
        "parameter_problems": "paramschema",
        "make_plan": "planning",
        "Plan": "planning",
        "write_refused_page": "refused",
    },
)

__all__ = [
    "Plan",
    "ReportParams",
    "because_lines",
    "load_params",
    "make_plan",
    "parameter_problems",
    "skipped_in_run",
    "to_render",
    "write_refused_page",
]
