"""Each params file on its own, one page per agency, framework and year, an index of the whole
folder, and a manifest that records what the worker read."""

from __future__ import annotations

import html
import json
from pathlib import Path

import nbformat
import pytest
from helpers import BAND_HEADER, ROOT

from evalkit import InvalidInputError, Registry
from evalkit.cli.main import main
from evalkit.runner.plan.planning import make_plan, plan

NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"
PACKAGED = ROOT / "evalkit" / "frameworks" / "pmqa-2562.yaml"


def _rows(agency: str, framework: str = "pmqa-2562", percent: int = 55) -> str:
    items = Registry().get("pmqa-2562").items
    return "".join(
        f"{agency},สำนักงาน {agency},2565,{framework},ผู้ประเมิน 1,{i.key},{percent}\n" for i in items
    )


def _params(folder: Path, name: str, agency: str, data: str, extra: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"agency_id: {agency}\nframework: pmqa-2562\ndata: [{data}]\n{extra}", encoding="utf-8"
    )
    return path


def _manifest(out: Path) -> dict[str, dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]


def test_two_frameworks_of_one_agency_get_two_pages(tmp_path):
    own = tmp_path / "frameworks"
    own.mkdir()
    text = PACKAGED.read_text(encoding="utf-8").replace("id: pmqa-2562", "id: pmqa-copy", 1)
    (own / "pmqa-copy.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "data.csv").write_text(BAND_HEADER + _rows("one"), encoding="utf-8")
    (tmp_path / "copy.csv").write_text(BAND_HEADER + _rows("one", "pmqa-copy"), "utf-8")
    first = _params(tmp_path, "a", "one", "data.csv")
    second = _params(tmp_path, "b", "one", "copy.csv")
    second.write_text(second.read_text().replace("pmqa-2562", "pmqa-copy"), encoding="utf-8")
    jobs = plan([first, second], tmp_path / "out", NOTEBOOK, project=tmp_path)
    assert sorted(j.href for j in jobs) == ["one/pmqa-2562/2565.html", "one/pmqa-copy/2565.html"]


def test_two_params_files_for_one_page_are_refused_naming_each_other(tmp_path):
    (tmp_path / "data.csv").write_text(BAND_HEADER + _rows("one") + _rows("two"), "utf-8")
    first = _params(tmp_path, "first", "one", "data.csv")
    again = _params(tmp_path, "again", "one", "data.csv", "note: the same agency again\n")
    other = _params(tmp_path, "other", "two", "data.csv")
    made = make_plan([first, again, other], tmp_path / "out", NOTEBOOK)
    assert [j.href for j in made.jobs] == ["two/pmqa-2562/2565.html"]
    found = {Path(p.file).name: str(p.found) for p in made.problems}
    assert found == {
        "first.yaml": f"the page one/pmqa-2562/2565.html, which {again} also writes",
        "again.yaml": f"the page one/pmqa-2562/2565.html, which {first} also writes",
    }
    assert [j.href for r in made.refused for j in r.reports] == ["one/pmqa-2562/2565.html"] * 2
    with pytest.raises(InvalidInputError, match="also writes"):
        plan([first, again, other], tmp_path / "out", NOTEBOOK)


def test_a_refused_file_gets_a_page_of_its_problems_and_strict_refuses_the_run(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "agency_id: two\nframework: pmqa-2562\ndata: [none-*.csv]\nyears: [2565]\n"
        "colour: <b>blue</b>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(bad), "--out", str(out), "--strict", "--quiet"]) == 1
    assert "colour" in capsys.readouterr().err and not (out / "index.html").exists()
    assert main(["run", str(bad), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "invalid: two/pmqa-2562/2565.html:" in err and "'colour'" in err
    entry = _manifest(out)["two/pmqa-2562/2565.html"]
    assert entry["status"] == "invalid" and entry["href"] == "two/pmqa-2562/2565.failed.html"
    assert {p["column"] for p in entry["problems"]} == {"colour", "data"}
    failed = (out / entry["href"]).read_text(encoding="utf-8")
    assert "this report was not rendered" in failed and "<b>blue" not in failed
    assert "an unknown key &#x27;colour&#x27;" in failed
    assert 'href="two/pmqa-2562/2565.failed.html"' in (out / "index.html").read_text("utf-8")


@pytest.mark.slow
def test_one_bad_file_leaves_the_others_and_the_index_covers_the_folder(tmp_path, capsys):
    (tmp_path / "data.csv").write_text(BAND_HEADER + _rows("one") + _rows("three"), "utf-8")
    (tmp_path / "bad.csv").write_text(BAND_HEADER + _rows("two", percent=155), "utf-8")
    good = _params(tmp_path, "good", "one", "data.csv")
    bad = _params(tmp_path, "bad", "two", "bad.csv")
    later = _params(tmp_path, "later", "three", "data.csv")
    out = tmp_path / "out"
    common = ["--out", str(out), "--jobs", "1", "--quiet"]
    assert main(["run", str(good), str(bad), *common]) == 1
    assert "1 refused as invalid" in capsys.readouterr().out
    reports = _manifest(out)
    (refused,) = [k for k in reports if k.startswith("invalid/bad-")]  # no year known: by file
    assert {k: e["status"] for k, e in reports.items()} == {
        "one/pmqa-2562/2565.html": "ok",
        refused: "invalid",
        "portfolio/pmqa-2562-2565.html": "ok",
    }
    problem = reports[refused]["problems"][0]
    assert (Path(problem["file"]).name, problem["row"], problem["column"]) == (
        "bad.csv",
        2,
        "percent",
    )
    portfolio = html.unescape((out / "portfolio" / "pmqa-2562-2565.html").read_text("utf-8"))
    assert "สำนักงาน one" in portfolio and "สำนักงาน two" not in portfolio  # nothing of it scored

    assert main(["run", str(later), *common, "--no-portfolio"]) == 0  # one file: whole index
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in ("one/pmqa-2562/2565.html", refused.replace(".html", ".failed.html")):
        assert f'href="{href}"' in index
    assert 'href="three/pmqa-2562/2565.html"' in index

    later.unlink()
    (out / "portfolio" / "pmqa-2562-2565.html").unlink()
    assert main(["run", str(good), *common, "--no-portfolio", "--prune"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "three/" not in index and "portfolio/" not in index and 'href="one/' in index
    assert sorted(_manifest(out)) == [refused, "one/pmqa-2562/2565.html"]


MUTATE_CELL = """\
import os as _os
if mutate and _os.path.exists(mutate):  # the sheet changes while this report runs
    _os.remove(mutate)
    _text = open(data[0], encoding="utf-8").read().replace(",55\\n", ",60\\n")
    open(data[0], "w", encoding="utf-8").write(_text)
"""


@pytest.mark.slow
def test_a_sheet_changed_during_a_run_and_put_back_is_rendered_again(tmp_path, capsys):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells[0].source += '\nmutate = ""'
    notebook.cells.insert(1, nbformat.v4.new_code_cell(MUTATE_CELL))
    path = tmp_path / "mutating.ipynb"
    nbformat.write(notebook, path)
    data = tmp_path / "data.csv"
    data.write_text(BAND_HEADER + _rows("one"), encoding="utf-8")
    original = data.read_bytes()
    trigger = tmp_path / "trigger"
    trigger.touch()
    params = _params(tmp_path, "one", "one", "data.csv", f"parameters: {{mutate: '{trigger}'}}\n")
    out = tmp_path / "out"
    command = ["run", str(params), "--out", str(out), "--notebook", str(path), "--quiet"]
    assert main([*command, "--no-portfolio", "--jobs", "1"]) == 0
    page = out / "one" / "pmqa-2562" / "2565.html"
    assert "600.00" in page.read_text(encoding="utf-8")  # what the kernel read
    assert _manifest(out)["one/pmqa-2562/2565.html"]["hashes"]["rows"] == "changed while rendering"
    data.write_bytes(original)  # put back: the page must not stay at 600 for ever
    assert main([*command, "--no-portfolio", "--jobs", "1"]) == 0
    assert "550.00" in page.read_text(encoding="utf-8")
    capsys.readouterr()
    loud = [arg for arg in command if arg != "--quiet"]
    assert main([*loud, "--no-portfolio", "--jobs", "1"]) == 0  # now current: skipped
    assert "1 unchanged and skipped" in capsys.readouterr().out
