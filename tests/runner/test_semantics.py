"""Papermill's semantics whichever engine: what a notebook's own ``sys.exit`` means, and a
cell papermill injected before."""

from __future__ import annotations

import nbformat
import pytest

from evalkit.runner.engines.lookup import get_engine
from evalkit.runner.engines.notebook import inject

pytestmark = pytest.mark.slow

EXITS = {
    "sys.exit(0)": ("import sys\nsys.exit(0)", ""),
    "sys.exit()": ("import sys\nsys.exit()", ""),
    "raise SystemExit": ("raise SystemExit", ""),
    "sys.exit(3)": ("import sys\nsys.exit(3)", "SystemExit: 3"),
}


def _notebook(cell: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('msg = "Default"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('msg = "Old"', metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("print(msg)"),
        nbformat.v4.new_code_cell(cell),
        nbformat.v4.new_code_cell("print('after the exit')"),
    ]
    return inject(notebook, {"msg": "New"})


def _printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        o.get("text", "")
        for c in notebook.cells
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )


@pytest.mark.parametrize("engine", ["shell", "warm", "papermill"])
def test_sys_exit_and_an_old_injected_cell_as_papermill_has_them(tmp_path, engine):
    runner = get_engine(engine, "evalkit", 60)
    try:
        for case, (cell, error) in EXITS.items():
            executed = runner.execute(_notebook(cell), tmp_path)
            assert executed.error == error, (engine, case)
            assert executed.notebook is not None
            printed = _printed(executed.notebook)
            assert "New" in printed and "Old" not in printed, (engine, case)
            assert "after the exit" not in printed, (engine, case)
    finally:
        runner.close()


@pytest.mark.parametrize("engine", ["shell", "warm", "papermill"])
def test_input_fails_at_once(tmp_path, engine):
    import time

    runner = get_engine(engine, "evalkit", 60)
    try:
        runner.execute(_notebook("x = 1"), tmp_path)  # started and warm
        start = time.monotonic()
        executed = runner.execute(_notebook("answer = input('ปีงบประมาณ? ')"), tmp_path)
        assert time.monotonic() - start < 30, "input() waited for an answer"
        assert executed.error.startswith(("StdinNotImplementedError", "EOFError", "OSError"))
    finally:
        runner.close()


#: one report leaves behind what a kernel restarted for the next would not have
LEAKS = """\
import os, sys, pandas as pd
print(os.environ.get("EVALKIT_LEAK"), "/leak" in sys.path, pd.get_option("display.max_rows"))
os.environ["EVALKIT_LEAK"] = "1"
sys.path.append("/leak")
pd.set_option("display.max_rows", 3)
import leaky
leaky.state.append(1)
print(leaky.state)
"""
#: outputs that reach the page only when the engine handles them as a kernel does
SHOWN = [
    'from IPython.display import display, update_display\ndisplay("first", display_id="d1")',
    'update_display("second", display_id="d1")',
    "!echo from-shell",
    'import os\nstatus = os.system("echo from-system; echo to-stderr >&2")',
    'import subprocess\nsubprocess.run(["echo", "from-subprocess"])\nprint("printed")',
    "1 + 1",
]


def _cells(sources: list[str]) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return notebook


def _what_shows(notebook: nbformat.NotebookNode) -> list[tuple[object, ...]]:
    """Each cell's In [N], its displays and results, and its streams' lines (in any order: a
    kernel's own order of a process's and Python's writes is not fixed)."""
    return [
        (
            cell.execution_count,
            [
                (o.output_type, o.get("execution_count"), o["data"].get("text/plain"))
                for o in cell.outputs
                if "data" in o
            ],
            sorted(
                (o.name, line)
                for o in cell.outputs
                if o.output_type == "stream"
                for line in o.text.splitlines()
            ),
        )
        for cell in notebook.cells
    ]


@pytest.mark.parametrize("engine", ["shell", "warm"])
def test_each_report_starts_clean(tmp_path, engine):
    (tmp_path / "leaky.py").write_text("state = []\n", encoding="utf-8")
    runner = get_engine(engine, "evalkit", 60)
    try:
        for _ in range(2):  # the second report sees nothing of the first
            executed = runner.execute(_cells([LEAKS]), tmp_path)
            assert not executed.error and executed.notebook is not None
            assert _printed(executed.notebook) == "None False 60\n[1]\n", engine
    finally:
        runner.close()


#: what each cell of SHOWN prints, by stream: a kernel forwards a process's writes from a
#: thread of its own, so papermill may miss them at the end of a cell; evalkit's engines may not
PRINTED = [
    [],
    [],
    [("stdout", "from-shell")],
    [("stderr", "to-stderr"), ("stdout", "from-system")],
    [("stdout", "from-subprocess"), ("stdout", "printed")],
    [],
]


@pytest.mark.parametrize("engine", ["shell", "warm"])
def test_updated_displays_and_subprocess_output_as_papermill_shows_them(tmp_path, engine):
    strict = get_engine("papermill", "evalkit", 60).execute(_cells(SHOWN), tmp_path)
    assert strict.notebook is not None and not strict.error
    expected = [
        (count, shown, printed)
        for (count, shown, _), printed in zip(_what_shows(strict.notebook), PRINTED, strict=True)
    ]
    assert expected[0][1][0] == ("display_data", None, "'second'")  # the update reached it
    runner = get_engine(engine, "evalkit", 60)
    try:
        for _ in range(2):
            executed = runner.execute(_cells(SHOWN), tmp_path)
            assert executed.notebook is not None and not executed.error
            assert _what_shows(executed.notebook) == expected, engine
    finally:
        runner.close()
