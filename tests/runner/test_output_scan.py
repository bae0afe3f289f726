"""Every output of a run is safe to send: the pages, their PDFs, the index, the run record and
the bundle of the sample project, rendered in a temporary folder, name no folder of this
machine, no user, and no sheet but the ones each page was made from."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT

from evalkit.cli.main import main
from evalkit.runner.plan.params import load_params

pytestmark = pytest.mark.slow


def _sample_project(folder: Path) -> Path:
    shutil.copytree(ROOT / "params", folder / "params")
    shutil.copytree(ROOT / "data" / "sample", folder / "data" / "sample")
    return folder


def _leaks(text: str, forbidden: list[str]) -> list[str]:
    return [word for word in forbidden if word in text]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _forbidden(project: Path) -> list[str]:
    """Folders of this machine and its user, as a page could spell them."""
    user = getpass.getuser()
    found = {str(project), str(project.resolve()), str(ROOT), str(Path.home()), f"/{user}/"}
    found |= {os.path.dirname(str(project))}
    found |= {f.replace("/", "\\") for f in list(found)}  # as Windows would spell them
    return sorted(found)


def _other_sheets(project: Path) -> dict[str, set[str]]:
    """For each agency: the names of the sheets the other agencies' params files name."""
    sheets = {
        p.agency_id: {d.name for d in p.data}
        for p in (load_params(f) for f in sorted((project / "params").glob("*.yaml")))
    }
    every = set().union(*sheets.values())
    return {agency: every - own for agency, own in sheets.items()}


def test_no_output_of_a_sample_run_names_the_machine_or_another_agency(tmp_path):
    project = _sample_project(tmp_path / "ผู้ใช้ somchai" / "project")
    reports = project / "reports"
    assert main(["run", "--project", str(project), "--pdf", "--quiet", "--jobs", "2"]) == 0
    assert main(["bundle", "--project", str(project), "--quiet"]) == 0
    forbidden, others = _forbidden(project), _other_sheets(project)
    outputs = [p for p in reports.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert any(p.suffix == ".pdf" for p in outputs) and (reports / "index.html") in outputs
    for path in outputs:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    assert not name.startswith("/") and ".." not in name, name
                    text = archive.read(name).decode("utf-8", errors="replace")
                    if name.endswith(".html"):
                        assert _leaks(text, forbidden) == [], (path, name)
            continue
        if path.suffix == ".pdf":
            text = _pdf_text(path)
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
        assert _leaks(text, forbidden) == [], path
        agency = path.relative_to(reports).parts[0]
        if agency in others and path.suffix in (".html", ".pdf"):
            named = {s for s in others[agency] if re.search(re.escape(s), text)}
            assert named == set(), (path, named)
