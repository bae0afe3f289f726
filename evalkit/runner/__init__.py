"""``evalkit run``: params, planning, engines, workers, manifest and publishing pages.

It depends on frameworks and sheets only, never on :mod:`evalkit.report` or matplotlib.

The package itself imports nothing: the template of the report processes
(:mod:`evalkit.runner.template`) and a report process started afresh
(:mod:`evalkit.runner.shell`) need neither the planner nor nbformat (about a second of
imports). ``RunOptions`` and ``run`` are :mod:`evalkit.runner.run`'s, and public as
``from evalkit import RunOptions, run``.
"""
