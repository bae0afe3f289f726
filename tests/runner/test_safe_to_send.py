"""Safe to send: nothing but the report reaches a page (logging, warnings and stderr of the
report process go to the run's log, on every engine), no page names the machine's folders or
files outside the project, and a params file whose agency or framework the data does not
hold is refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from helpers import BAND_HEADER

from evalkit import Registry
from evalkit.cli.main import main
from evalkit.runner.plan.params import RUNNER_OWNED

#: the parameters cell of a tiny report notebook: the names the runner gives every report
PARAMETERS = "\n".join(f"{name} = None" for name in RUNNER_OWNED)

#: what a report process may write besides its report, each with a path of another agency
NOISE = """\
import logging, sys, warnings
logging.getLogger("evalkit.sheets").warning("{secret} [_lists]: a hidden sheet, skipped")
warnings.warn("{secret} looks odd")
print("{secret} to stderr", file=sys.stderr)
print("รายงานของ", agency_id)
"""


def _notebook(folder: Path, *cells: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        *(nbformat.v4.new_code_cell(source) for source in cells),
    ]
    path = folder / "notebooks" / "tiny.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def _project(folder: Path, agency: str = "one", framework: str = "pmqa-2562") -> Path:
    """A project folder with one sheet of ``one``'s 2565 scores and a params file naming
    ``agency`` and ``framework``."""
    items = Registry().get("pmqa-2562").items
    rows = [f"one,สำนักงาน one,2565,pmqa-2562,ผู้ประเมิน 1,{i.key},50\n" for i in items]
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "scores.csv").write_text(BAND_HEADER + "".join(rows), encoding="utf-8")
    (folder / "params").mkdir(exist_ok=True)
    params = folder / "params" / f"{agency}.yaml"
    params.write_text(
        f"agency_id: {agency}\nframework: {framework}\ndata: [../data/scores.csv]\n",
        encoding="utf-8",
    )
    return params


def _run(project: Path, *args: str) -> int:
    return main(["run", "--project", str(project), "--no-portfolio", "--jobs", "1", *args])


def _shared_files(out: Path) -> dict[Path, str]:
    return {
        p: p.read_text(encoding="utf-8", errors="replace")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".jsonl")
    }


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["shell", "warm", "papermill"])
def test_logging_warnings_and_stderr_go_to_the_log_not_the_page(tmp_path, engine):
    project = tmp_path / "project"
    _project(project)
    secret = "/srv/other/data/chan-agri-assessor.xlsx"
    notebook = _notebook(project, NOISE.format(secret=secret))
    log = tmp_path / "run.log"
    code = _run(project, "--notebook", str(notebook), "--engine", engine, "--log-file", str(log))
    assert code == 0
    page = (project / "reports" / "one" / "pmqa-2562" / "2565.html").read_text(encoding="utf-8")
    assert "รายงานของ one" in page
    assert "chan-agri" not in page and "hidden sheet" not in page and "looks odd" not in page
    logged = log.read_text(encoding="utf-8")
    for line in ("[_lists]: a hidden sheet, skipped", "looks odd", "to stderr"):
        assert f"{secret} {line}" in logged or line in logged


@pytest.mark.slow
def test_a_failed_page_names_files_by_their_path_in_the_project(tmp_path, capsys):
    project = tmp_path / "project"
    _project(project)
    inside, outside = project / "data" / "extra.csv", tmp_path / "elsewhere" / "secret.csv"
    notebook = _notebook(project, f"raise FileNotFoundError('{inside} and {outside} are missing')")
    assert _run(project, "--notebook", str(notebook)) == 3
    failed = project / "reports" / "one" / "pmqa-2562" / "2565.failed.html"
    text = failed.read_text(encoding="utf-8")
    assert "data/extra.csv and secret.csv are missing" in text
    for name, content in _shared_files(project / "reports").items():
        assert str(tmp_path) not in content, name
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    ("agency", "framework", "column"),
    [("nobody", "pmqa-2562", "agency_id"), ("one", "cdd-clean", "framework")],
)
def test_params_whose_agency_or_framework_the_data_lacks_are_refused(
    tmp_path, capsys, agency, framework, column, strict
):
    project = tmp_path / "project"
    _project(project, agency, framework)
    code = _run(project, "--lang", "en", *(["--strict"] if strict else []))
    assert code == 1
    captured = capsys.readouterr()
    assert f"{agency} with {framework}, which no row of its sheets holds" in captured.err
    if not strict:
        assert "1 refused as invalid" in captured.out
        failed = project / "reports" / agency / framework / "2565.failed.html"
        pages = list((project / "reports").rglob("*.failed.html"))
        assert pages, "a failed page for the refused params file"
        text = pages[0].read_text(encoding="utf-8")
        assert "params/" in text and column in text and str(tmp_path) not in text
        assert not failed.with_suffix("").with_suffix(".html").exists()


@pytest.mark.slow
def test_files_outside_the_project_never_leak_into_refused_pages(tmp_path):
    project = tmp_path / "project"
    params = _project(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "salaries.csv").write_text("ชื่อ,เงินเดือน\nสมชาย,99999\n", encoding="utf-8")
    params.write_text(
        f"agency_id: one\nframework: pmqa-2562\ndata: [{elsewhere / 'salaries.csv'}]\n",
        encoding="utf-8",
    )
    secret = elsewhere / "secret.yaml"
    secret.write_text("password: hunter2\n: [unclosed\n", encoding="utf-8")
    os.symlink(secret, project / "params" / "linked.yaml")
    assert _run(project, "--lang", "en") == 1
    shared = _shared_files(project / "reports")
    assert any(p.name.endswith(".failed.html") for p in shared)
    for name, content in shared.items():
        for leak in ("99999", "เงินเดือน", "hunter2", str(tmp_path)):
            assert leak not in content, (name, leak)


def test_the_manifest_of_a_run_names_no_absolute_path(tmp_path):
    project = tmp_path / "project"
    _project(project, "nobody")
    assert _run(project) == 1
    record = (project / "reports" / "manifest.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in record
    assert json.loads(record)["reports"]


def test_a_one_off_value_is_refused_where_it_was_given(tmp_path, capsys):
    """A value of -p is named as -p's, one of -f as the file's, whichever is wrong."""
    project = tmp_path / "project"
    _project(project)
    extra = tmp_path / "extra.yaml"
    extra.write_text("top_gaps: 0\nmsg: x\n", encoding="utf-8")
    assert _run(project, "-f", str(extra), "-p", "top_gaps", "-1", "--lang", "en") == 1
    said = capsys.readouterr().err
    assert "-p, key 'parameters.top_gaps': found -1" in said
    assert "extra.yaml" not in said  # its own 0 is not what the run would use
    assert _run(project, "-f", str(extra), "-p", "msg", "y", "--lang", "th") == 1
    said = capsys.readouterr().err
    assert "extra.yaml คีย์ 'parameters.top_gaps': พบ 0" in said
    assert "-p" not in said


@pytest.mark.slow
def test_one_off_values_with_p_and_f_and_kept_notebooks(tmp_path, capsys):
    project = tmp_path / "project"
    _project(project)
    notebook = _notebook(project, "print(msg, top_gaps * 2)")
    nb = nbformat.read(notebook, as_version=4)  # both names declared in the parameters cell
    nb.cells[0].source += "\ntop_gaps = 5\nmsg = ''"
    nbformat.write(nb, notebook)
    extra = tmp_path / "extra.yaml"
    extra.write_text("msg: จาก -f\ntop_gaps: 2\n", encoding="utf-8")
    args = ["--notebook", str(notebook), "-f", str(extra), "-p", "top_gaps", "7"]
    assert _run(project, *args, "--keep-notebooks") == 0
    page = project / "reports" / "one" / "pmqa-2562" / "2565.html"
    assert "จาก -f 14" in page.read_text(encoding="utf-8")  # -p after -f wins
    kept = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
    assert any("จาก -f 14" in o.get("text", "") for c in kept.cells for o in c.get("outputs", []))
    capsys.readouterr()
    assert _run(project, "--notebook", str(notebook), "-p", "top_gaps", "-1", "--lang", "en") == 1
    assert "key 'parameters.top_gaps': found -1" in capsys.readouterr().err
    assert _run(project, "--notebook", str(notebook), "-p", "colour", "red", "--lang", "en") == 1
    assert "'colour' the notebook does not declare" in capsys.readouterr().err
