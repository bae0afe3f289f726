"""The explore notebook as ``make lab`` opens it: on the project named by EVALKIT_PROJECT, no
Python to edit, a broken sheet shown as ``evalkit validate`` shows it, never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import ROOT, SAMPLE

from evalkit.runner.engines.kernels import PapermillEngine
from evalkit.runner.engines.notebook import read_notebook

pytestmark = pytest.mark.slow


def test_the_notebook_opens_on_the_projects_data_and_lists_its_problems(tmp_path, monkeypatch):
    project = tmp_path / "my-province"
    (project / "params").mkdir(parents=True)
    (project / "data").mkdir()
    for sheet in SAMPLE.glob("cdd-clean_2564_assessor-*.csv"):
        shutil.copy(sheet, project / "data")
    broken = (SAMPLE / "cdd-clean_2564_assessor-1.csv").read_text(encoding="utf-8")
    broken = broken.replace("cdd-muang-trat", "Muang Trat", 1)  # not a safe agency id
    (project / "data" / "broken.csv").write_text(broken, encoding="utf-8")
    (project / "params" / "clean.yaml").write_text(
        "agency_id: cdd-ko-chang\nframework: cdd-clean\ndata: [../data/*.csv]\n", encoding="utf-8"
    )
    monkeypatch.setenv("EVALKIT_PROJECT", str(project))
    notebook = read_notebook(ROOT / "notebooks" / "explore.ipynb")
    executed = PapermillEngine("evalkit", 180).execute(notebook, ROOT / "notebooks")
    assert executed.error == ""
    text = json.dumps(executed.notebook, ensure_ascii=False)
    assert "Traceback" not in text
    assert "data/broken.csv" in text and "Muang Trat" in text  # the problem, file and value
    assert str(project) not in text  # no absolute path
    assert "สำนักงานพัฒนาชุมชนอำเภอเกาะช้าง" in text  # the other sheets still explored
