"""Which report a worker gets next: another that reads the same files as the one it has just
ended, so that its report process reads those files once (they are read before each fork)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from evalkit.runner.executors.backlog import Backlog
from evalkit.runner.executors.render import WorkerSettings, write_page
from evalkit.runner.executors.workers import get_executor
from evalkit.runner.jobs import ReportJob


def _job(folder: Path, name: str, files: tuple[Path, ...], pause: float = 0.0) -> ReportJob:
    return ReportJob(
        href=f"{name}/2565.html",
        title=name,
        notebook=folder / "pause.ipynb",
        output=folder / "out" / name / "2565.html",
        values={"agency_id": name, "pause": pause},
        hashes={},
        agency_id=name,
        agency_name=name,
        year=2565,
        framework="tiny",
        inputs=files,
    )


def _interleaved(folder: Path, pauses: dict[str, float]) -> list[ReportJob]:
    """Three reports of each group, in the plan's order of one report of each in turn."""
    files = {group: (folder / f"{group}.csv",) for group in pauses}
    return [
        _job(folder, f"{group}{n}", files[group], pauses[group])
        for n in range(3)
        for group in pauses
    ]


def test_a_worker_gets_the_next_report_of_the_files_it_has_just_read(tmp_path):
    a1, b1, a2, b2, a3, b3 = _interleaved(tmp_path, {"a": 0, "b": 0})
    backlog = Backlog([a1, b1, a2, b2, a3, b3])
    assert backlog.take(None, []) is a1
    assert backlog.take(None, [a1]) is b1  # the second worker starts on other files
    assert backlog.take(a1, [b1]) is a2
    assert backlog.take(a2, [b1]) is a3
    assert backlog.take(a3, [b1]) is b2  # a's are done: the files another worker is on
    assert backlog.take(b1, [b2]) is b3
    assert not backlog


def test_a_worker_whose_files_are_done_takes_files_no_other_worker_is_on(tmp_path):
    a1, b1, c1, a2, b2, c2, *_ = _interleaved(tmp_path, {"a": 0, "b": 0, "c": 0})
    backlog = Backlog([a1, b1, c1, a2, b2, c2])
    assert [backlog.take(None, []), backlog.take(None, [a1])] == [a1, b1]
    assert backlog.take(a1, [b1]) is a2
    assert backlog.take(a2, [b1]) is c1  # not b2: the other worker is on b's files
    assert backlog.take(None, []) is b2


def test_reports_that_read_no_file_are_one_group(tmp_path):
    first, second = _job(tmp_path, "first", ()), _job(tmp_path, "second", ())
    backlog = Backlog([first, second])
    assert backlog.take(None, []) is first
    assert backlog.take(None, [first]) is second  # every group is on a worker: the first left
    assert not backlog


def _pause_notebook(folder: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('agency_id = ""\npause = 0.0', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import os, time\ntime.sleep(pause)\nprint(f'process {os.getppid()}')"
        ),
    ]
    nbformat.write(notebook, folder / "pause.ipynb")


@pytest.mark.slow
def test_the_local_pool_keeps_the_reports_of_the_same_files_on_one_report_process(tmp_path):
    """The reports of ``a`` end while the other worker is still on a ``b``: handed out in the
    plan's order, the second worker would get an ``a`` after its ``b``; from the backlog, each
    ``a`` goes to the worker that has just ended one, and all three are forked from one report
    process (the parent of each report's own process)."""
    _pause_notebook(tmp_path)
    for group in "ab":
        (tmp_path / f"{group}.csv").write_text("x\n1\n", encoding="utf-8")
    jobs = _interleaved(tmp_path, {"a": 0.4, "b": 1.5})
    pool = get_executor("local", 2, WorkerSettings("shell", "evalkit", 60, 50))
    processes: dict[str, str] = {}
    try:
        pool.start()
        for result in pool.map(jobs):
            assert write_page(result).status == "ok", result.error
            page = result.job.output.read_text(encoding="utf-8")
            processes[result.job.agency_id] = re.findall(r"process (\d+)", page)[0]
    finally:
        pool.close()
    assert len(processes) == 6
    assert processes["a0"] == processes["a1"] == processes["a2"]
