"""Papermill's semantics whichever engine: what a notebook's own ``sys.exit`` means, and a
cell papermill injected before."""

from __future__ import annotations

import nbformat
import pytest

from evalkit.runner.engines import get_engine
from evalkit.runner.notebook import inject

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
