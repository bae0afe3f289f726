"""Only what changed is rendered again: a page is keyed by the rows it reads (its agency's, or
its framework and year's), not by whole files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import BAND_HEADER, ROOT

from evalkit import Registry
from evalkit.cli.main import main
from evalkit.runner.plan.inputs import skipped_in_run
from evalkit.runner.plan.planning import plan
from evalkit.runner.plan.rows import row_digests
from evalkit.runner.plan.sheetcache import CACHE
from evalkit.sheets.load import check_sheets

AGENCIES = ("one", "two", "three")
YEARS = {2564: 40, 2565: 55}


def _rows(agency: str, year: int, percent: int) -> list[str]:
    items = Registry().get("pmqa-2562").items
    return [
        f"{agency},สำนักงาน {agency},{year},pmqa-2562,ผู้ประเมิน 1,{i.key},{percent}\n" for i in items
    ]


def _province(tmp_path: Path) -> list[Path]:
    """One province-wide sheet of three agencies and two years, a params file per agency."""
    rows = [r for a in AGENCIES for year, pc in YEARS.items() for r in _rows(a, year, pc)]
    (tmp_path / "data.csv").write_text(BAND_HEADER + "".join(rows), encoding="utf-8")
    paths = []
    for agency in AGENCIES:
        path = tmp_path / f"{agency}.yaml"
        path.write_text(f"agency_id: {agency}\nframework: pmqa-2562\ndata: [data.csv]\n", "utf-8")
        paths.append(path)
    return paths


def _change(sheet: Path, agency: str, year: int, item: str, percent: int) -> None:
    """Change one score of one agency's row."""
    lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    mark = f"{agency},สำนักงาน {agency},{year},pmqa-2562,ผู้ประเมิน 1,{item},"
    (index,) = [n for n, line in enumerate(lines) if line.startswith(mark)]
    lines[index] = f"{mark}{percent}\n"
    sheet.write_text("".join(lines), encoding="utf-8")


def _digests(sheet: Path) -> tuple[dict[str, str], dict[tuple[str, int], str]]:
    sheets, problems = check_sheets([sheet])
    assert not problems
    found = row_digests(sheets)
    return found.agencies, found.portfolios


def test_a_row_changes_its_agency_and_its_portfolio_digests_only(tmp_path):
    sheet = _province(tmp_path)[0].parent / "data.csv"
    agencies, portfolios = _digests(sheet)
    _change(sheet, "two", 2565, "1.1", 70)
    changed_agencies, changed_portfolios = _digests(sheet)
    assert {a for a in AGENCIES if agencies[a] != changed_agencies[a]} == {"two"}
    assert {k for k in portfolios if portfolios[k] != changed_portfolios[k]} == {
        ("pmqa-2562", 2565)
    }


def test_rows_moved_or_split_into_files_keep_their_digests(tmp_path):
    sheet = _province(tmp_path)[0].parent / "data.csv"
    before = _digests(sheet)
    header, *rows = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    sheet.write_text(header + "".join(reversed(rows)), encoding="utf-8")
    assert _digests(sheet) == before  # the order of rows and their row numbers say nothing
    half = len(rows) // 2
    (tmp_path / "a.csv").write_text(header + "".join(rows[:half]), encoding="utf-8")
    (tmp_path / "b.csv").write_text(header + "".join(rows[half:]), encoding="utf-8")
    sheets, _ = check_sheets([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert (row_digests(sheets).agencies, row_digests(sheets).portfolios) == before


def test_a_new_agency_in_the_sheet_leaves_the_others_keys(tmp_path):
    params = _province(tmp_path)
    notebook = ROOT / "notebooks" / "agency_report.ipynb"
    before = {j.key: j.hashes for j in plan(params, tmp_path / "out", notebook)}
    with open(tmp_path / "data.csv", "a", encoding="utf-8") as sheet:
        sheet.write("".join(_rows("four", 2565, 80)))  # in the sheet, in no params file
    after = {j.key: j.hashes for j in plan(params, tmp_path / "out", notebook)}
    assert after == before


@pytest.mark.slow
def test_one_changed_row_renders_its_agency_and_its_portfolio_again(tmp_path, capsys):
    params = _province(tmp_path)
    out = tmp_path / "out"
    command = ["run", *map(str, params), "--out", str(out), "--jobs", "2", "--lang", "en"]
    assert main([*command, "--quiet"]) == 0
    pages = {p: p.read_bytes() for p in out.rglob("*.html") if p.name != "index.html"}
    assert len(pages) == 3 * 2 + 2  # three agencies, two years, and a portfolio a year
    _change(tmp_path / "data.csv", "two", 2565, "1.1", 70)
    capsys.readouterr()
    assert main([*command, "--json"]) == 0
    reports = {r["key"]: r for r in json.loads(capsys.readouterr().out)["reports"]}
    rendered = {k for k, r in reports.items() if r["status"] == "ok"}
    assert rendered == {
        "two/pmqa-2562/2564.html",  # its trend chart reads every year of its agency
        "two/pmqa-2562/2565.html",
        "portfolio/pmqa-2562-2565.html",
    }
    assert {k for k, r in reports.items() if r["status"] == "skipped"} == {
        k for k in reports if k not in rendered
    }
    assert all(reports[k]["changes"] == ["rows"] for k in rendered)
    unchanged = [p for p in pages if str(p.relative_to(out)) not in rendered]
    assert all(p.read_bytes() == pages[p] for p in unchanged)
    _change(tmp_path / "data.csv", "one", 2564, "1.2", 65)
    capsys.readouterr()
    assert main(command) == 0
    said = capsys.readouterr().out
    assert "3 rendered because the rows it reads changed: one/pmqa-2562/2564.html" in said
    assert "portfolio/pmqa-2562-2564.html" in said and "5 unchanged and skipped" in said


def _plan_hashes(params: list[Path], out: Path) -> dict[str, dict[str, str]]:
    notebook = ROOT / "notebooks" / "agency_report.ipynb"
    return {j.key: j.hashes for j in plan(params, out, notebook)}


def test_unchanged_sheets_are_not_read_again(tmp_path):
    params = _province(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    first = _plan_hashes(params, out)
    cache = json.loads((out / CACHE).read_text(encoding="utf-8"))
    (entry,) = cache["entries"].values()
    entry["agencies"]["two"] = "known from the cache"  # what only the cache could say
    (out / CACHE).write_text(json.dumps(cache), encoding="utf-8")
    cached = _plan_hashes(params, out)
    assert cached["two/pmqa-2562/2565.html"]["rows"] == "known from the cache"
    assert {k: h for k, h in cached.items() if not k.startswith("two/")} == {
        k: h for k, h in first.items() if not k.startswith("two/")
    }
    sheet = tmp_path / "data.csv"
    sheet.write_bytes(sheet.read_bytes())  # the same bytes, written again: read again
    assert _plan_hashes(params, out) == first


def test_sheets_with_problems_or_skipped_lines_are_read_every_run(tmp_path):
    params = _province(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    sheet = tmp_path / "data.csv"
    header, *rows = sheet.read_text(encoding="utf-8").splitlines()
    extra = [header + ",remark", *(row + ",a column no form reads" for row in rows)]
    sheet.write_text("\n".join(extra) + "\n", encoding="utf-8")
    for _ in range(2):
        _plan_hashes(params, out)
        assert skipped_in_run(), "the skipped line is said by every run"
    assert not (out / CACHE).exists()  # nothing kept
