"""No hang at any size: thousands of reports in one run, on each executor. A run once stopped
for good past about 1,300 reports, when a pipe that nobody read filled up."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from evalkit.runner.executors.render import WorkerSettings, write_page
from evalkit.runner.executors.window import Window, deadline_seconds
from evalkit.runner.executors.workers import get_executor
from evalkit.runner.jobs import ReportJob

REPORTS = 3000


def _tiny_notebook(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('agency_id = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(agency_id)"),
    ]
    path = folder / "tiny.ipynb"
    nbformat.write(notebook, path)
    return path


def _jobs(folder: Path, count: int) -> list[ReportJob]:
    notebook = _tiny_notebook(folder)
    return [
        ReportJob(
            href=f"a{n}/2565.html",
            title=f"a{n}",
            notebook=notebook,
            output=folder / "out" / f"a{n}" / "2565.html",
            values={"agency_id": f"a{n}"},
            hashes={},
            agency_id=f"a{n}",
            agency_name=f"a{n}",
            year=2565,
            framework="tiny",
        )
        for n in range(count)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["local", "dask"])
def test_thousands_of_reports_in_one_run(tmp_path, executor):
    if executor == "dask":
        pytest.importorskip("distributed")
    jobs = _jobs(tmp_path, REPORTS)
    pool = get_executor(executor, 2, WorkerSettings("shell", "evalkit", 60, 50))
    statuses: dict[str, str] = {}
    try:
        pool.start()
        for result in pool.map(jobs):
            statuses[result.job.key] = write_page(result).status
    finally:
        pool.close()
    assert len(statuses) == REPORTS and set(statuses.values()) == {"ok"}
    last = (tmp_path / "out" / f"a{REPORTS - 1}" / "2565.html").read_text(encoding="utf-8")
    assert f"a{REPORTS - 1}" in last


def test_a_report_has_a_deadline_from_its_cells_and_the_timeout(tmp_path):
    (job,) = _jobs(tmp_path, 1)
    assert deadline_seconds(job, None) is None  # --timeout 0: no limit asked for
    assert deadline_seconds(job, 10.0) == 300 + 2 * 10  # two code cells


def test_the_window_fails_what_overran_and_logs_what_it_waits_for(tmp_path, caplog):
    (job,) = _jobs(tmp_path, 1)
    window: Window[str] = Window(0.001, lambda futures, seconds: ())
    window.add("future", job)
    window.flight["future"] = (job, time.monotonic() - 400)  # handed out 400 s ago
    with caplog.at_level("INFO", logger="evalkit.runner"):
        assert window.finished() == []
    assert "waiting for 1 report(s) for 400 s: a0/2565.html" in caplog.text
    ((late, error),) = window.overdue()
    assert late is job and error.startswith("ReportTimeoutError: the report did not finish")
