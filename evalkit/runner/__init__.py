"""``evalkit run``: params, planning, engines, workers, manifest and publishing pages.

It depends on frameworks and sheets only, never on :mod:`evalkit.report` or matplotlib.
"""

from evalkit.runner.run import RunOptions, run

__all__ = ["RunOptions", "run"]
