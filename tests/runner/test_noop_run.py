"""A run with nothing to render: it reads no sheet, so it loads neither pandas nor openpyxl,
and it leaves the run record as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, mark_rendered

from evalkit.runner.engines.notebook import AGENCY_NOTEBOOK, find_notebook
from evalkit.runner.manifest import JOURNAL, MANIFEST, Manifest
from evalkit.runner.plan.planning import make_plan

PARAMS = sorted((ROOT / "params").glob("*.yaml"))

NOOP = """
import sys
from pathlib import Path
from evalkit.runner.run import RunOptions, run
params = [Path(p) for p in sys.argv[2:]]
results = run(params, Path(sys.argv[1]), RunOptions(quiet=True, project=Path({root!r})))
print(sorted({{str(r.status) for r in results}}))
print(sorted(m for m in ("pandas", "numpy", "openpyxl", "matplotlib") if m in sys.modules))
"""


def rendered(out: Path) -> None:
    """The folder as a run that rendered every agency report of the sample leaves it."""
    made = make_plan(PARAMS, out, find_notebook(AGENCY_NOTEBOOK, ROOT), None, None, ROOT)
    assert made.jobs and not made.refused
    mark_rendered(made.jobs, out)


def noop(out: Path) -> list[str]:
    code = NOOP.format(root=str(ROOT))
    command = [sys.executable, "-c", code, str(out), *map(str, PARAMS)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


def test_a_run_with_nothing_to_render_reads_no_sheet_and_keeps_its_record(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    rendered(out)
    noop(out)  # the index, as every run writes it
    before = {name: (out / name).stat().st_mtime_ns for name in (JOURNAL, MANIFEST)}
    assert noop(out) == ["['skipped']", "[]"]
    assert {name: (out / name).stat().st_mtime_ns for name in (JOURNAL, MANIFEST)} == before


def test_a_record_a_killed_run_left_unexported_is_exported_by_the_next(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    rendered(out)
    key, entry = next(iter(Manifest(out).reports.items()))
    line = json.dumps([key, entry | {"seconds": 12345.678}], ensure_ascii=False)
    with open(out / JOURNAL, "a", encoding="utf-8") as journal:  # as a killed run leaves it
        journal.write(line + "\n")
    assert noop(out)[0] == "['skipped']"
    assert "12345.678" in (out / MANIFEST).read_text(encoding="utf-8")
    assert len((out / JOURNAL).read_text(encoding="utf-8").splitlines()) == len(
        Manifest(out).reports
    )
