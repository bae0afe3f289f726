"""The template process: report processes forked from it render what a process started afresh
renders, restarts are forks of it, an engine whose template is gone starts its process afresh,
and a template ends with the process that started it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest
from helpers import ROOT

from evalkit.runner.engines.execution import WARM_IMPORTS
from evalkit.runner.engines.notebook import inject, read_notebook
from evalkit.runner.engines.shell_engine import ShellEngine
from evalkit.runner.engines.template import AVAILABLE, Template
from evalkit.runner.plan.planning import plan

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not AVAILABLE, reason="report processes are forked on Linux only"),
]
NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"


def _job(tmp_path):
    text = (ROOT / "params" / "trat-cdd.yaml").read_text(encoding="utf-8")
    params = tmp_path / "trat-cdd.yaml"
    params.write_text(text.replace("../data/", f"{ROOT}/data/") + "years: [2565]\n", "utf-8")
    (job,) = plan([params], tmp_path / "out", NOTEBOOK)
    return job


def _render(engine: ShellEngine, job) -> tuple[list, int]:
    result = engine.execute(inject(read_notebook(NOTEBOOK), job.parameters()), NOTEBOOK.parent)
    assert not result.error, result.error
    assert engine.process is not None
    outputs = [c.outputs for c in result.notebook.cells if c.cell_type == "code"]
    return outputs, engine.process.pid


@pytest.fixture
def template():
    template = Template()
    address = template.start(WARM_IMPORTS)
    assert address is not None
    yield template
    template.close()


def test_forked_report_processes_render_what_a_fresh_one_renders_and_restart_as_forks(
    tmp_path, template
):
    job = _job(tmp_path)
    fresh = ShellEngine("evalkit", 120)
    forked = ShellEngine("evalkit", 120, restart_every=1, template=template.address)
    try:
        expected, _ = _render(fresh, job)
        first, first_pid = _render(forked, job)
        second, second_pid = _render(forked, job)  # restart_every=1: a new process
        assert psutil.Process(second_pid).ppid() == template.process.pid
    finally:
        fresh.close()
        forked.close()
    assert first == expected and second == expected
    assert sum("image/png" in o.get("data", {}) for c in first for o in c) >= 3
    assert first_pid != second_pid


def test_a_forked_process_is_a_child_of_the_template_and_ends_with_its_engine(tmp_path, template):
    job = _job(tmp_path)
    engine = ShellEngine("evalkit", 120, template=template.address)
    try:
        _, pid = _render(engine, job)
        assert psutil.Process(pid).ppid() == template.process.pid
    finally:
        engine.close()
    _, alive = psutil.wait_procs([psutil.Process(template.process.pid)], timeout=0.1)
    assert alive, "the template outlives the engines it served"
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"


def test_an_engine_whose_template_is_gone_starts_its_process_afresh(tmp_path, template):
    job = _job(tmp_path)
    address = template.address
    template.close()
    engine = ShellEngine("evalkit", 120, template=address)
    try:
        outputs, pid = _render(engine, job)
        assert psutil.Process(pid).ppid() == psutil.Process().pid  # started by the engine
    finally:
        engine.close()
    assert engine.template is None and outputs


def test_a_template_ends_with_the_process_that_started_it(tmp_path):
    started = tmp_path / "template.pid"
    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from evalkit.runner.engines.template import Template
                template = Template()
                template.start("pass")
                open({str(started)!r}, "w").write(f"{{template.process.pid}} {{template.address}}")
                time.sleep(600)
                """
            ),
        ]
    )
    try:
        for _ in range(300):
            if started.exists() and started.read_text():
                break
            psutil.wait_procs([psutil.Process(owner.pid)], timeout=0.1)
        pid, address = started.read_text().split(" ", 1)
        template, folder = psutil.Process(int(pid)), Path(address).parent
        assert folder.is_dir()
        owner.kill()
        owner.wait()
        _, alive = psutil.wait_procs([template], timeout=20)
        assert alive == []
        assert not folder.exists()  # its socket's folder went with it
    finally:
        owner.kill()
