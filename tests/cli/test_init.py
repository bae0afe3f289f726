"""``evalkit init``: a starter project that loads as it is, written once, never overwritten."""

from __future__ import annotations

from evalkit.cli.main import main
from evalkit.runner.plan.params import load_params
from evalkit.sheets.readers import read_tables


def test_init_writes_a_starter_project_and_keeps_what_exists(tmp_path, capsys):
    folder = tmp_path / "my-province"
    assert main(["init", str(folder), "--framework", "cdd-clean"]) == 0
    template = folder / "templates" / "template-cdd-clean.xlsx"
    (table,) = read_tables(template, None, None)
    assert "รหัสหน่วยงาน (agency_id)" in table.header
    (folder / "data" / "assessor-1.xlsx").write_bytes(template.read_bytes())  # as step 1 says
    params = load_params(folder / "params" / "example.yaml")
    assert (params.agency_id, params.framework) == ("my-agency", "cdd-clean")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "evalkit run" in readme and "กรอกคะแนน" in readme
    (folder / "README.md").write_text("ours", encoding="utf-8")
    capsys.readouterr()
    assert main(["init", str(folder)]) == 0
    assert (folder / "README.md").read_text(encoding="utf-8") == "ours"
    assert "kept" in capsys.readouterr().out
