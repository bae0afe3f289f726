"""What a bundle carries: one top folder; the whole reports folder, or one agency's pages,
PDFs and feedback documents and nothing of another agency."""

from __future__ import annotations

import zipfile
from pathlib import Path

from evalkit.cli.main import main


def _reports(root: Path) -> Path:
    reports = root / "reports"
    files = {
        "index.html": "index",
        "manifest.json": "{}",
        "a1/pmqa-2562/2565.html": "page",
        "a1/pmqa-2562/2565.pdf": "%PDF",
        "a1/pmqa-2562/2564.html": "page",
        "a10/pmqa-2562/2565.html": "another agency whose id starts alike",
        "a2/pmqa-2562/2565.html": "page",
        "feedback/a1/pmqa-2562-2565-feedback.html": "feedback",
        "feedback/a2/pmqa-2562-2565-feedback.html": "feedback",
        "portfolio/pmqa-2562-2565.html": "portfolio",
    }
    for name, text in files.items():
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        (reports / name).write_text(text, encoding="utf-8")
    return reports


def _names(archive: Path) -> set[str]:
    return set(zipfile.ZipFile(archive).namelist())


def test_a_bundle_has_one_top_folder_named_after_it(tmp_path, capsys):
    reports = _reports(tmp_path)
    assert main(["bundle", "--reports", str(reports)]) == 0
    archive = reports / "evalkit-reports.zip"
    assert capsys.readouterr().out.strip().endswith("evalkit-reports.zip")
    names = _names(archive)
    assert {n.split("/")[0] for n in names} == {"evalkit-reports"}
    assert "evalkit-reports/index.html" in names
    assert "evalkit-reports/feedback/a2/pmqa-2562-2565-feedback.html" in names
    assert "evalkit-reports/manifest.json" not in names


def test_an_agency_bundle_holds_its_pages_pdfs_and_feedback_only(tmp_path):
    reports = _reports(tmp_path)
    assert main(["bundle", "--reports", str(reports), "--agency", "a1"]) == 0
    assert _names(reports / "evalkit-a1.zip") == {
        "evalkit-a1/a1/pmqa-2562/2564.html",
        "evalkit-a1/a1/pmqa-2562/2565.html",
        "evalkit-a1/a1/pmqa-2562/2565.pdf",
        "evalkit-a1/feedback/a1/pmqa-2562-2565-feedback.html",
    }


def test_an_agency_with_no_pages_is_refused_by_name(tmp_path, capsys):
    reports = _reports(tmp_path)
    assert main(["bundle", "--reports", str(reports), "--agency", "a9"]) != 0
    err = capsys.readouterr().err
    assert "a9" in err and "Traceback" not in err and str(tmp_path) not in err
    assert not (reports / "evalkit-a9.zip").exists()


def test_an_agency_id_that_leaves_the_folder_is_refused(tmp_path, capsys):
    reports = _reports(tmp_path)
    assert main(["bundle", "--reports", str(reports), "--agency", "../reports"]) != 0
    assert "Not an agency id" in capsys.readouterr().err
