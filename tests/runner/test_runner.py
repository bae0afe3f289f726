"""evalkit run at scale: engines that agree, failures that stay contained, runs that skip what
is current, a lock, and parameters checked before anything runs."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import BAND_HEADER, ROOT, SAMPLE

from evalkit import EvalkitError, InvalidInputError, Registry
from evalkit.cli.main import main
from evalkit.runner.engines.kernels import PapermillEngine, WarmEngine
from evalkit.runner.engines.notebook import inject, read_notebook
from evalkit.runner.lock import folder_lock
from evalkit.runner.plan.planning import plan
from evalkit.runner.run import RunOptions, run

NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"
pytestmark = pytest.mark.slow


def _project(tmp_path: Path, agencies=("one",), extra: str = "") -> list[Path]:
    items = Registry().get("pmqa-2562").items
    rows = [
        f"{a},สำนักงาน {a},{year},pmqa-2562,ผู้ประเมิน 1,{i.key},{percent}\n"
        for a in agencies
        for year, percent in ((2564, 40), (2565, 55))
        for i in items
    ]
    tmp_path.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "data.csv"
    data.write_text(BAND_HEADER + "".join(rows), encoding="utf-8")
    paths = []
    for agency in agencies:
        path = tmp_path / f"{agency}.yaml"
        path.write_text(
            f"agency_id: {agency}\nframework: pmqa-2562\ndata: [data.csv]\n{extra}",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _outputs(notebook):
    return [
        [
            (o.get("output_type"), o.get("data"), o.get("text"), o.get("metadata"))
            for o in cell.get("outputs", [])
        ]
        for cell in notebook.cells
    ]


def test_warm_and_papermill_engines_give_identical_outputs(tmp_path):
    (job,) = [j for j in plan(_project(tmp_path), tmp_path / "out", NOTEBOOK) if j.year == 2565]
    prepared = inject(read_notebook(NOTEBOOK), job.parameters())
    warm = WarmEngine("evalkit", 120)
    try:
        warm.execute(inject(read_notebook(NOTEBOOK), job.parameters()), NOTEBOOK.parent)
        second = warm.execute(
            nbformat.from_dict(json.loads(json.dumps(prepared))), NOTEBOOK.parent
        )  # a reused kernel, after a reset
    finally:
        warm.close()
    strict = PapermillEngine("evalkit", 120).execute(prepared, NOTEBOOK.parent)
    assert not second.error and not strict.error
    images = [o for cell in _outputs(strict.notebook) for o in cell if o[1] and "image/png" in o[1]]
    assert len(images) == 4
    assert _outputs(second.notebook) == _outputs(strict.notebook)


def _failing_notebook(tmp_path: Path) -> Path:
    notebook = read_notebook(NOTEBOOK)
    notebook.cells[0].source += '\nmode = "ok"'
    notebook.cells.insert(
        3,
        nbformat.v4.new_code_cell(
            "import os, time\n"
            "if mode == 'raise': raise ValueError('คะแนนไม่ครบ')\n"
            "if mode == 'sleep': time.sleep(30)\n"
            "if mode == 'die': os._exit(1)"
        ),
    )
    path = tmp_path / "failing.ipynb"
    nbformat.write(notebook, path)
    return path


def test_failures_are_contained_and_retried(tmp_path, capsys):
    notebook = _failing_notebook(tmp_path)
    params = []
    for mode in ("ok", "raise", "sleep", "die"):
        (path,) = _project(
            tmp_path / mode,
            agencies=(mode,),
            extra=f"years: [2565]\nparameters: {{mode: {mode}}}\n",
        )
        params.append(path)
    out = tmp_path / "out"
    code = main(
        [
            "run",
            *map(str, params),
            "--out",
            str(out),
            "--notebook",
            str(notebook),
            "--jobs",
            "2",
            "--timeout",
            "5",
            "--retry",
            "1",
            "--quiet",
        ]
    )
    assert code == 3
    manifest = json.loads((out / "manifest.json").read_text())["reports"]
    status = {key.split("/")[0]: entry["status"] for key, entry in manifest.items()}
    assert status == {
        "ok": "ok",
        "raise": "failed",
        "sleep": "failed",
        "die": "failed",
        "portfolio": "ok",
    }
    attempts = {k.split("/")[0]: e["attempts"] for k, e in manifest.items()}
    assert attempts == {"ok": 1, "raise": 2, "sleep": 2, "die": 2, "portfolio": 1}
    assert 'href="portfolio/pmqa-2562-2565.html"' in (out / "index.html").read_text("utf-8")
    assert (out / "ok" / "pmqa-2562" / "2565.html").is_file()
    raised = (out / "raise" / "pmqa-2562" / "2565.failed.html").read_text(encoding="utf-8")
    injected = inject(read_notebook(notebook), {"mode": "raise"})
    code = [c for c in injected.cells[:5] if c.cell_type == "code" and c.source.strip()]
    assert "this report failed" in raised and f"cell In [{len(code)}]" in raised
    assert 'href="#ek-failed-output"' in raised and 'id="ek-failed-output"' in raised
    assert "ValueError: คะแนนไม่ครบ" in raised
    assert "CellTimeoutError" in (out / "sleep" / "pmqa-2562" / "2565.failed.html").read_text(
        "utf-8"
    )
    assert "DeadKernelError" in (out / "die" / "pmqa-2562" / "2565.failed.html").read_text("utf-8")
    err = capsys.readouterr().err
    assert "failed: raise/pmqa-2562/2565.html: ValueError: คะแนนไม่ครบ" in err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (
        'href="raise/pmqa-2562/2565.failed.html"' in index
        and 'href="ok/pmqa-2562/2565.html"' in index
    )


def test_incremental_runs_skip_what_is_current(tmp_path):
    (params,) = _project(
        tmp_path, extra='note: "ค่า \'); import os; os._exit(3) # \\"\\"\\" ยังเป็นข้อความ"\n'
    )
    out = tmp_path / "out"
    options = RunOptions(jobs=1, quiet=True)
    first = run([params], out, options, NOTEBOOK)
    assert sorted(r.status for r in first) == ["ok", "ok"]
    page = (out / "one" / "pmqa-2562" / "2565.html").read_text(encoding="utf-8")
    shown = html.unescape(page)  # the value is shown as text, and nothing of it ran
    assert 'ค่า \'); import os; os._exit(3) # """ ยังเป็นข้อความ</p>' in shown
    good = page
    assert [r.status for r in run([params], out, options, NOTEBOOK)] == ["skipped", "skipped"]
    data = tmp_path / "data.csv"
    data.write_text(data.read_text(encoding="utf-8").replace(",55\n", ",60\n"), "utf-8")
    again = {r.job.year: r.status for r in run([params], out, options, NOTEBOOK)}
    assert again == {2564: "ok", 2565: "ok"}  # the data of both years is one file
    assert "600.00" in (out / "one" / "pmqa-2562" / "2565.html").read_text(encoding="utf-8")
    forced = run([params], out, RunOptions(jobs=1, quiet=True, force=True), NOTEBOOK)
    assert [r.status for r in forced] == ["ok", "ok"]
    broken = _failing_notebook(tmp_path)
    failing = broken.read_text(encoding="utf-8").replace('mode = \\"ok\\"', 'mode = \\"raise\\"')
    broken.write_text(failing, encoding="utf-8")
    before = (out / "one" / "pmqa-2562" / "2565.html").read_bytes()
    results = run([params], out, RunOptions(jobs=1, quiet=True), broken)
    assert {r.status for r in results} == {"failed"}
    assert (
        out / "one" / "pmqa-2562" / "2565.html"
    ).read_bytes() == before  # the last good page stays
    assert good != before and (out / "one" / "pmqa-2562" / "2565.failed.html").is_file()
    assert "ฉบับก่อนหน้า previous" in (out / "index.html").read_text(encoding="utf-8")


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    params = _project(tmp_path)
    out = tmp_path / "out"
    with (
        folder_lock(out, wait=False),
        pytest.raises(
            EvalkitError,
            match=r"Another evalkit "
            r"run \(pid \d+, started .*\) is writing",
        ),
    ):
        run(params, out, RunOptions(quiet=True), NOTEBOOK)


def test_stale_temporaries_are_cleared_only_where_evalkit_writes(tmp_path):
    out = tmp_path / "out"
    (out / "mine").mkdir(parents=True)
    stale = out / ".index.html.evalkit-abc12_89.tmp"
    stale.write_text("half an index")
    theirs = [out / ".draft.tmp", out / ".index.html.abc12_89.tmp"]
    theirs.append(out / "mine" / ".page.html.evalkit-abc12_89.tmp")  # not a folder of pages
    for path in theirs:
        path.write_text("someone else's")
    results = run([tmp_path / "missing.yaml"], out, RunOptions(quiet=True), NOTEBOOK)
    assert [r.status for r in results] == ["invalid"]
    assert not stale.exists() and all(p.exists() for p in theirs)


def test_parameters_are_checked_against_the_schema_and_the_notebook_first(tmp_path):
    (params,) = _project(tmp_path, extra="parameters: {top_gaps: five, colour: red}\n")
    with pytest.raises(InvalidInputError) as info:
        plan([params], tmp_path / "out", NOTEBOOK)
    found = {(p.file, p.column): p for p in info.value.problems}
    assert found[(str(params), "parameters.top_gaps")].found == "'five'"
    top_gaps = found[(str(params), "parameters.top_gaps")]
    assert str(top_gaps.expected) == "a whole number from 1 to 100"
    params.write_text(params.read_text().replace("top_gaps: five, ", ""), encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        plan([params], tmp_path / "out", NOTEBOOK)
    found = {(p.file, p.column): p for p in info.value.problems}
    assert "does not declare" in str(found[(str(params), "colour")].found)
    assert not (tmp_path / "out").exists()


def test_a_run_chooses_the_consensus_rule(tmp_path):
    (params,) = _project(tmp_path)
    jobs = plan([params], tmp_path / "out", NOTEBOOK, consensus="trimmed")
    assert {j.parameters()["consensus"] for j in jobs} == {"trimmed"}
    assert {j.hashes["consensus"] for j in jobs} == {"trimmed"}  # a new rule renders again
    assert "consensus" not in plan([params], tmp_path / "out", NOTEBOOK)[0].parameters()


@pytest.mark.slow
def test_a_folder_with_one_params_file_renders_its_pages_and_portfolio(tmp_path):
    """Outside the repository: no notebooks/ and no frameworks/ folder, only params/."""
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "nre.yaml").write_text(
        "agency_id: trat-nre\nframework: pmqa-2562\nyears: [2565]\n"
        f"data: ['{SAMPLE}/pmqa-2562_2565_*']\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "evalkit", "run", "--jobs", "1", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    reports = tmp_path / "reports"
    assert "สำนักงานทรัพยากรธรรมชาติ" in (reports / "trat-nre" / "pmqa-2562" / "2565.html").read_text(
        "utf-8"
    )
    assert (reports / "portfolio" / "pmqa-2562-2565.html").is_file()
    assert "trat-nre/pmqa-2562/2565.html" in (reports / "index.html").read_text("utf-8")
