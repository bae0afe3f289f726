"""Executors: the local pool and a real Dask LocalCluster render the same pages, and a job that
raises or a worker that is lost fails only its own report; the shell engine's outputs are the
kernel's."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from helpers import ROOT

from evalkit.cli.main import main
from evalkit.core.errors import EvalkitError
from evalkit.runner.engines.kernels import WarmEngine
from evalkit.runner.engines.notebook import inject, read_notebook
from evalkit.runner.engines.shell_engine import ShellEngine
from evalkit.runner.executors.render import WorkerSettings
from evalkit.runner.executors.workers import get_executor
from evalkit.runner.plan.planning import plan
from evalkit.runner.run import RunOptions, run

pytestmark = pytest.mark.slow
NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"
PORTFOLIO = ROOT / "notebooks" / "portfolio.ipynb"


def _sample_params(tmp_path: Path, agencies=("trat-cdd", "trat-land")) -> list[Path]:
    """Sample params files limited to one year, so that a test renders a few pages."""
    params = []
    for agency in agencies:
        text = (ROOT / "params" / f"{agency}.yaml").read_text(encoding="utf-8")
        path = tmp_path / f"{agency}.yaml"
        text = text.replace("../data/", f"{ROOT}/data/")
        path.write_text(text + "years: [2565]\n", encoding="utf-8")
        params.append(path)
    return params


def _outputs(notebook):
    return [
        [(o.get("output_type"), o.get("data"), o.get("text"), o.get("metadata")) for o in c.outputs]
        for c in notebook.cells
        if c.cell_type == "code"
    ]


def test_shell_and_kernel_engines_give_identical_outputs(tmp_path):
    (job, *_) = plan(_sample_params(tmp_path, ("trat-cdd",)), tmp_path / "out", NOTEBOOK)
    executed = {}
    for engine in (ShellEngine("evalkit", 120), WarmEngine("evalkit", 120)):
        try:
            for _ in range(2):  # the second report runs in a reused process, after a reset
                notebook = inject(read_notebook(NOTEBOOK), job.parameters())
                result = engine.execute(notebook, NOTEBOOK.parent)
        finally:
            engine.close()
        assert not result.error
        executed[engine.name] = result.notebook
    assert _outputs(executed["shell"]) == _outputs(executed["warm"])
    assert sum(1 for c in _outputs(executed["shell"]) for o in c if "image/png" in o[1]) >= 3


def test_local_and_dask_render_identical_pages_a_portfolio_and_an_index(tmp_path):
    params = _sample_params(tmp_path)
    pages = {}
    for executor, engine in (("local", "shell"), ("dask", "shell"), ("dask-warm", "warm")):
        out = tmp_path / executor
        options = RunOptions(jobs=2, quiet=True, executor=executor.split("-")[0], engine=engine)
        results = run(params, out, options, portfolio=PORTFOLIO)
        assert {r.status for r in results} == {"ok"}, [r.error for r in results]
        assert len(results) == 3
        pages[executor] = {
            p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*.html"))
            if p.name != "index.html"
        }
        index = (out / "index.html").read_text(encoding="utf-8")
        assert 'href="portfolio/pmqa-2562-2565.html"' in index
        assert (
            'href="trat-cdd/pmqa-2562/2565.html"' in index
            and 'href="trat-land/pmqa-2562/2565.html"' in index
        )
    assert sorted(pages["dask"]) == [
        "portfolio/pmqa-2562-2565.html",
        "trat-cdd/pmqa-2562/2565.html",
        "trat-land/pmqa-2562/2565.html",
    ]
    assert pages["dask"] == pages["local"] == pages["dask-warm"]
    contents = pages["dask"]["trat-cdd/pmqa-2562/2565.html"].split('<nav class="ek-toc">')[1]
    assert contents.split("</nav>")[0].count("<li>") >= 8  # every section heading is found
    assert "ภาพรวมหน่วยงาน" in pages["dask"]["portfolio/pmqa-2562-2565.html"]


def _misbehaving_notebook(tmp_path: Path) -> Path:
    notebook = read_notebook(NOTEBOOK)
    notebook.cells[0].source += '\nmode = "ok"'
    notebook.cells.insert(
        3,
        nbformat.v4.new_code_cell(
            "import os, signal\n"
            "if mode == 'raise': raise ValueError('คะแนนไม่ครบ')\n"
            "if mode == 'kill-worker':\n"
            "    import psutil  # the report is forked by its report process, forked by the\n"
            "    # template, whose parent is the Dask worker\n"
            "    psutil.Process(os.getppid()).parent().parent().send_signal(signal.SIGKILL)"
        ),
    )
    path = tmp_path / "misbehaving.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def process_cluster():
    """A cluster of two worker processes, as on other machines, that fails a report at once
    when its worker is lost."""
    import dask.config
    from distributed import LocalCluster

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
    ):
        yield cluster.scheduler_address


def test_on_dask_a_job_that_raises_and_a_lost_worker_fail_only_their_reports(
    tmp_path, process_cluster
):
    notebook = _misbehaving_notebook(tmp_path)
    modes = {"trat-cdd": "ok", "trat-land": "raise", "trat-health": "kill-worker", "trat-nre": "ok"}
    params = _sample_params(tmp_path, tuple(modes))
    for path in params:
        text = path.read_text(encoding="utf-8").replace("poverty:", "# poverty:")
        path.write_text(text + f"parameters: {{mode: {modes[path.stem]}}}\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "run",
            *map(str, params),
            "--out",
            str(out),
            "--notebook",
            str(notebook),
            "--executor",
            "dask",
            "--scheduler",
            process_cluster,
            "--jobs",
            "2",
            "--no-portfolio",
            "--quiet",
        ]
    )
    assert code == 3
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    status = {key.split("/")[0]: entry["status"] for key, entry in record.items()}
    assert status == {
        "trat-cdd": "ok",
        "trat-land": "failed",
        "trat-health": "failed",
        "trat-nre": "ok",
    }
    failed = (out / "trat-land" / "pmqa-2562" / "2565.failed.html").read_text(encoding="utf-8")
    assert "ValueError: คะแนนไม่ครบ" in failed
    assert "KilledWorker" in record["trat-health/pmqa-2562/2565.html"]["error"]
    assert (out / "trat-health" / "pmqa-2562" / "2565.failed.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="trat-health/pmqa-2562/2565.failed.html"' in index
    assert (
        'href="trat-nre/pmqa-2562/2565.html"' in index
        and 'href="trat-cdd/pmqa-2562/2565.html"' in index
    )


def test_a_cluster_whose_workers_cannot_read_the_files_is_refused_by_name(
    tmp_path, process_cluster
):
    (job,) = plan(_sample_params(tmp_path, ("trat-cdd",)), tmp_path / "out", NOTEBOOK)
    elsewhere = replace(job, notebook=tmp_path / "elsewhere" / "agency_report.ipynb")
    executor = get_executor("dask", 2, WorkerSettings(), process_cluster)
    try:
        with pytest.raises(EvalkitError) as refused:
            list(executor.map([elsewhere]))
    finally:
        executor.close()
    message = str(refused.value)
    assert f"cannot read {elsewhere.notebook}" in message and "Dask worker tcp://" in message
    assert "same path on every worker" in message


def test_a_scheduler_that_does_not_answer_is_a_clear_message(tmp_path, capsys):
    params = _sample_params(tmp_path, ("trat-cdd",))
    args = ["run", *map(str, params), "--out", str(tmp_path / "out"), "--quiet"]
    assert main([*args, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]) != 0
    err = capsys.readouterr().err
    assert "No Dask scheduler answers at tcp://127.0.0.1:9" in err and "dask scheduler" in err
    assert main([*args, "--scheduler", "tcp://127.0.0.1:9"]) != 0
    assert "--scheduler is an address for the dask executor only" in capsys.readouterr().err
