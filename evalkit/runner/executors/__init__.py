"""Where reports run: an executor (``local`` worker processes or a Dask cluster) maps the jobs
over workers, each holding an engine, within a bounded window; what a worker does with one job
is :mod:`evalkit.runner.executors.render`.

The names below are the room's surface, what the rest of the runner and the command use; each
loads its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.core.surface import lazy_surface

if TYPE_CHECKING:
    from evalkit.runner.executors.render import WorkerSettings, failure_path, write_page
    from evalkit.runner.executors.workers import Executor, get_executor

__getattr__ = lazy_surface(
    __name__,
    {
        "failure_path": "render",
        "WorkerSettings": "render",
        "write_page": "render",
        "Executor": "workers",
        "get_executor": "workers",
    },
)

__all__ = [
    "Executor",
    "WorkerSettings",
    "failure_path",
    "get_executor",
    "write_page",
]
