"""Papermill's own test notebooks (``tests/notebooks/papermill``, BSD-3, see its README) run
through every engine give the status and the outputs papermill itself gives: what ran, what
it printed and showed, the error that stopped it, and each cell's ``In [N]``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest
from helpers import BAND_HEADER, ROOT

from evalkit import Registry
from evalkit.cli.main import main
from evalkit.runner.engines.execution import Engine
from evalkit.runner.engines.lookup import get_engine
from evalkit.runner.engines.notebook import INJECTED_TAG, inject, read_notebook

pytestmark = pytest.mark.slow

NOTEBOOKS = ROOT / "tests" / "notebooks" / "papermill"
#: each notebook with the values it is run with
CASES: dict[str, dict[str, Any]] = {
    "simple_execute": {"msg": "สวัสดี"},
    "complex_parameters": {"msg": "Hello", "a": 3.5},
    "nb_version_4.4": {"var": 2},
    "no_parameters": {"msg": "Hello"},
    "read_check": {},
    "systemexit": {},
    "sysexit": {},
    "sysexit0": {},
    "sysexit1": {},
    "line_magic_error": {},
    "broken1": {},
    "broken2": {},
}
ENGINES = ("shell", "warm", "papermill")


def _folder(base: Path, name: str) -> Path:
    """A working folder for one notebook, with the file ``read_check`` looks for."""
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "check.txt").write_text("checked\n", encoding="utf-8")
    return folder


def _stream_text(outputs: list[Any], name: str) -> str:
    return "".join(o.get("text", "") for o in outputs if o.get("name") == name)


def _seen(notebook: nbformat.NotebookNode) -> list[tuple[Any, ...]]:
    """Each code cell but the injected one: its source, ``In [N]``, what it printed (by
    stream, as one text: a kernel may split a stream), what it showed, the error it raised."""
    found = []
    for cell in notebook.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "code" or INJECTED_TAG in tags:
            continue
        outputs = cell.get("outputs", [])
        shown = [
            (o["output_type"], o.get("data", {}).get("text/plain"))
            for o in outputs
            if o["output_type"] in ("execute_result", "display_data")
        ]
        errors = [o["ename"] for o in outputs if o["output_type"] == "error"]
        streams = (_stream_text(outputs, "stdout"), _stream_text(outputs, "stderr"))
        found.append((cell.source, cell.get("execution_count"), streams, shown, errors))
    return found


@cache
def _papermill(name: str, base: Path) -> tuple[bool, list[tuple[Any, ...]]]:
    """What papermill itself gives: whether it failed, and what each cell shows."""
    folder = _folder(base, f"papermill-{name}")
    output = folder / "out.ipynb"
    failed = False
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS / f"{name}.ipynb"),
            str(output),
            parameters=CASES[name],
            kernel_name="evalkit",
            cwd=str(folder),
            progress_bar=False,
        )
    except papermill.PapermillExecutionError:
        failed = True
    return failed, _seen(nbformat.read(output, as_version=4))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("papermill-notebooks")


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Any:
    runner: Engine = get_engine(request.param, "evalkit", 60)
    yield runner
    runner.close()


@pytest.mark.parametrize("name", list(CASES))
def test_papermill_notebooks_as_papermill_runs_them(name: str, engine: Engine, base: Path):
    failed, expected = _papermill(name, base)
    folder = _folder(base, f"{engine.name}-{name}")
    notebook = inject(read_notebook(NOTEBOOKS / f"{name}.ipynb"), CASES[name])
    executed = engine.execute(notebook, folder)
    assert executed.notebook is not None
    assert bool(executed.error) == failed, executed.error
    seen = _seen(executed.notebook)
    if name == "read_check":  # each run has a folder of its own
        expected = [
            (s, n, (out.replace(f"papermill-{name}", f"{engine.name}-{name}"), err), sh, e)
            for s, n, (out, err), sh, e in expected
        ]
    assert seen == expected


def test_the_notebooks_come_with_their_licence():
    assert "BSD 3-Clause" in (NOTEBOOKS / "LICENSE").read_text(encoding="utf-8")
    assert {f"{name}.ipynb" for name in CASES} <= {p.name for p in NOTEBOOKS.iterdir()}


def test_a_papermill_notebook_runs_as_it_is_with_only_the_names_it_declares(tmp_path):
    items = Registry().get("pmqa-2562").items
    rows = "".join(f"one,สำนักงาน one,2565,pmqa-2562,ผู้ประเมิน 1,{i.key},55\n" for i in items)
    (tmp_path / "data.csv").write_text(BAND_HEADER + rows, encoding="utf-8")
    params = tmp_path / "one.yaml"
    params.write_text("agency_id: one\nframework: pmqa-2562\ndata: [data.csv]\n", "utf-8")
    out = tmp_path / "out"
    notebook = NOTEBOOKS / "simple_execute.ipynb"
    command = ["run", str(params), "--out", str(out), "--notebook", str(notebook)]
    assert main([*command, "--no-portfolio", "-p", "msg", "สวัสดี", "--keep-notebooks"]) == 0
    page = (out / "one" / "pmqa-2562" / "2565.html").read_text(encoding="utf-8")
    assert "สวัสดี" in page
    kept = nbformat.read(out / "one" / "pmqa-2562" / "2565.ipynb", as_version=4)
    (injected,) = [c for c in kept.cells if INJECTED_TAG in c.metadata.get("tags", [])]
    assert "msg" in injected.source and "agency_id" not in injected.source
