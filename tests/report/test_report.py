"""The report notebook executed end to end through papermill, on a tiny sample."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from helpers import BAND_HEADER, ROOT

from evalkit import InvalidInputError
from evalkit.cli.main import main
from evalkit.runner.plan.planning import plan
from evalkit.runner.run import RunOptions, run

NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"

NAME = "<b>สำนักงาน & ทดสอบ</b>"


def _tiny_project(tmp_path: Path, agency_id: str = "tiny") -> Path:
    rows = [
        f"{agency_id},{NAME},{year},pmqa-2562,{assessor},{item.key},{percent}\n"
        for year, percent in ((2564, 40), (2565, 55))
        for assessor in ("ผู้ประเมิน 1", "ผู้ประเมิน 2")
        for item in _items()
    ]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sheet.csv").write_text(BAND_HEADER + "".join(rows), encoding="utf-8")
    params = tmp_path / "params.yaml"
    params.write_text(
        f"agency_id: {agency_id}\nframework: pmqa-2562\ndata: [data/*.csv]\n"
        "note: illustrative <i>only</i>\n",
        encoding="utf-8",
    )
    return params


def _items():
    from evalkit import Registry

    return Registry().get("pmqa-2562").items


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("project")
    out = tmp_path / "reports"
    results = run(
        [_tiny_project(tmp_path)],
        out,
        RunOptions(jobs=2, quiet=True),
        notebook=ROOT / "notebooks" / "agency_report.ipynb",
    )
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    return out


@pytest.mark.slow
def test_report_holds_agency_total_and_charts_but_no_code(rendered):
    html = (rendered / "tiny" / "pmqa-2562" / "2565.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;สำนักงาน &amp; ทดสอบ&lt;/b&gt;" in html and NAME not in html
    assert "550.00" in html  # 55% of every item: 550 of 1000
    assert "illustrative &lt;i&gt;only&lt;/i&gt;" in html
    images = re.findall(r"<img [^>]+>", html)
    assert len(images) == 4  # radar, items, totals and categories by year
    assert '<table class="ek-heat"><caption>คะแนนของผู้ประเมินรายหัวข้อ' in html
    assert all('src="data:image/png;base64,' in img for img in images)
    assert 'alt="ร้อยละรายหมวด (category %): หมวด 1 55.0%' in images[0]
    for code in ("AgencyReport.load", "import", "agency_id = ", "input_area", "In&nbsp;["):
        assert code not in html
    assert "https://" not in html and "http://" not in html
    assert 'font-family:"Sarabun"' in html


@pytest.mark.slow
def test_index_links_every_report_with_total(rendered):
    index = (rendered / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', index)
    assert sorted(links) == ["tiny/pmqa-2562/2564.html", "tiny/pmqa-2562/2565.html"]
    assert all((rendered / link).is_file() for link in links)
    assert "550.00 / 1,000" in index and "400.00 / 1,000" in index
    assert "&lt;b&gt;สำนักงาน" in index


def test_unsafe_agency_id_is_refused_before_anything_runs(tmp_path):
    params = _tiny_project(tmp_path, "tiny")
    params.write_text(params.read_text().replace("agency_id: tiny", "agency_id: ../../etc"))
    with pytest.raises(InvalidInputError, match=r"agency_id.*expected an id of lowercase"):
        plan([params], tmp_path / "out", NOTEBOOK)
    assert not (tmp_path / "out").exists()


def test_unknown_year_and_key_are_reported_together(tmp_path):
    params = _tiny_project(tmp_path)
    params.write_text(params.read_text() + "years: [2560]\ncolour: blue\n")
    with pytest.raises(InvalidInputError) as info:
        plan([params], tmp_path / "out", NOTEBOOK)
    assert [p.column for p in info.value.problems] == ["colour"]
    params.write_text(params.read_text().replace("colour: blue\n", ""))
    with pytest.raises(InvalidInputError, match=r"2560 \(the data for tiny holds \[2564, 2565\]\)"):
        plan([params], tmp_path / "out", NOTEBOOK)


@pytest.mark.slow
def test_failing_notebook_gets_a_page_and_exit_status_3(tmp_path, capsys):
    notebook = nbformat.read(ROOT / "notebooks" / "agency_report.ipynb", as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell("raise RuntimeError('ข้อมูลไม่ครบ')"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(notebook, broken)
    params = _tiny_project(tmp_path)
    params.write_text(params.read_text() + "years: [2565]\n")
    out = tmp_path / "reports"
    code = main(["run", str(params), "--out", str(out), "--notebook", str(broken), "--jobs", "1"])
    assert code == 3
    page = (out / "tiny" / "pmqa-2562" / "2565.failed.html").read_text(encoding="utf-8")
    assert "this report failed" in page and "ข้อมูลไม่ครบ" in page
    assert "failed" in (out / "index.html").read_text(encoding="utf-8")
    assert "failed: tiny/pmqa-2562/2565.html: RuntimeError: ข้อมูลไม่ครบ" in capsys.readouterr().err


def test_status_assessment_report_sections(tmp_path):
    from helpers import GOLDEN

    from evalkit.report.agency import AgencyReport

    folder = GOLDEN / "pmqa40-status"
    report = AgencyReport.load(
        [str(folder / "checklist.csv"), str(folder / "indicators.csv")],
        "g40",
        2565,
        "pmqa40-status",
    )
    summary = report.summary()._repr_mimebundle_()[0]["text/html"]
    assert "294.44" in summary and "ระดับ (level)" not in summary  # no level for the total
    assert "ไม่ได้ประเมินหมวด (categories not assessed): 3, 4, 5, 6" in summary
    table = report.category_table().body
    assert "ไม่ได้ประเมิน (absent)" in table and "ต่ำกว่าระดับพื้นฐาน (Below Basic)" not in table
    assert report.radar_chart().png().startswith(b"\x89PNG")  # categories 1, 2 and 7
    rules = report.rules_table().body
    assert "ไม่ผ่าน (not met)" in rules and "5.56" in rules  # a mean: judged, with a note
    assert "categories 3, 4, 5, 6 absent" in rules
    assert report.item_chart().png().startswith(b"\x89PNG")
