"""The notebooks are the source: each stays output-free in git, runs on the ``evalkit``
kernel, declares its parameters in a tagged cell, keeps working when edited in JupyterLab, and
runs top to bottom on a tiny sample."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from helpers import ROOT, SAMPLE

from evalkit.runner.engines.kernels import PapermillEngine
from evalkit.runner.engines.notebook import (
    PARAMETERS_TAG,
    declared_parameters,
    inject,
    read_notebook,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DATA = [str(SAMPLE / "pmqa-2562_2565_*")]
PARAMETERS = {
    "agency_report.ipynb": {"data": DATA, "agency_id": "trat-nre", "year": 2565},
    "portfolio.ipynb": {"data": DATA, "year": 2565},
    "explore.ipynb": {"data": DATA, "agency_id": "trat-nre"},
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebooks_carry_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
    assert notebook.metadata["kernelspec"]["name"] == "evalkit"
    assert any(PARAMETERS_TAG in c.metadata.get("tags", []) for c in notebook.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_cell_ids_are_unique_and_stay_put(path):
    notebook = nbformat.read(path, as_version=4)
    ids = [c["id"] for c in notebook.cells]
    assert len(set(ids)) == len(ids), path.name


def test_a_cell_added_in_jupyterlab_keeps_the_notebook_usable(tmp_path):
    """What a user does in JupyterLab: insert a markdown cell mid-way and save. The other
    cells keep their ids, and the runner still finds the parameters and injects values."""
    source = ROOT / "notebooks" / "agency_report.ipynb"
    notebook = nbformat.read(source, as_version=4)
    before = [c["id"] for c in notebook.cells]
    notebook.cells.insert(3, nbformat.v4.new_markdown_cell("## หมายเหตุ (A note of ours)"))
    edited = tmp_path / "agency_report.ipynb"
    nbformat.write(notebook, edited)  # as JupyterLab saves: nbformat 4, one-space indent
    again = nbformat.read(edited, as_version=4)
    nbformat.validate(again)
    assert [c["id"] for c in again.cells if c["id"] in before] == before
    assert "agency_id" in declared_parameters(read_notebook(edited))
    injected = inject(read_notebook(edited), {"agency_id": "trat-nre"})
    assert any("trat-nre" in c.source for c in injected.cells)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_notebook_runs_top_to_bottom(path):
    values = PARAMETERS[path.name]
    assert set(values) <= set(declared_parameters(read_notebook(path)))
    executed = PapermillEngine("evalkit", 120).execute(
        inject(read_notebook(path), values), path.parent
    )
    assert executed.error == ""
    text = json.dumps(executed.notebook, ensure_ascii=False)
    expected = "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดตราด"
    assert expected in text  # in the outputs, or in the explorer's widget state
    assert Path(path).read_text(encoding="utf-8").count('"outputs": []') >= 1
