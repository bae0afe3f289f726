"""``evalkit run``: the run (:mod:`evalkit.runner.run`) and its rooms, each used through its
package's surface, imports flowing down this list:

- :mod:`evalkit.runner.executors`: where reports run (local worker processes, a Dask cluster)
  and what a worker does with one job;
- :mod:`evalkit.runner.publish`: the pages, the index, PDFs and the archive, and what may be
  shared;
- :mod:`evalkit.runner.plan`: the params, the sheets they name, the plan, the refused reports
  and what changed since the last run;
- :mod:`evalkit.runner.engines`: how one notebook is executed, the report processes and the
  notebook's parameters;
- what they all share, beside :mod:`~evalkit.runner.run`: the jobs and their results
  (:mod:`~evalkit.runner.jobs`), the run record (:mod:`~evalkit.runner.manifest`), the statuses
  (:mod:`~evalkit.runner.status`), the engines and executors declared by name
  (:mod:`~evalkit.runner.registry`) and the folder's lock (:mod:`~evalkit.runner.lock`).

It depends on frameworks and sheets only, never on :mod:`evalkit.report` or matplotlib.

Neither this package nor its rooms import anything on import: the template of the report
processes (:mod:`evalkit.runner.engines.template`) and a report process started afresh
(:mod:`evalkit.runner.engines.shell`) need neither the planner nor nbformat (about a second of
imports). ``RunOptions`` and ``run`` are :mod:`evalkit.runner.run`'s, and public as
``from evalkit import RunOptions, run``.
"""
