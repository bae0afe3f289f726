"""Hostile cases of the runner, each with its exact outcome: a run record that heals, paths
that are devices or pipes, symbolic links out of the reports folder, and what a killed
``bundle`` leaves behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from evalkit.runner.manifest import JOURNAL, SET_ASIDE, Manifest
from evalkit.runner.publish.archive import bundle
from evalkit.runner.publish.pdf import report_pages

GOOD = {"status": "ok", "agency_name": "สำนักงานพัฒนาชุมชนอำเภอเมือง", "hashes": {}}


def _line(key: str, entry: object) -> bytes:
    return json.dumps([key, entry], ensure_ascii=False).encode("utf-8") + b"\n"


# --- the run record heals -------------------------------------------------------------------

TORN = _line("torn/pmqa-2562/2565.html", GOOD)
#: lines a full disk, a killed run or another program leave in the journal
FOREIGN = {
    "cut inside a Thai character": TORN[: TORN.index("พัฒนา".encode()) + 1],
    "cut after a Thai character": TORN[: TORN.index("ชุมชน".encode())],
    "not JSON": b"<<<<<<< HEAD",
    "a list of numbers": b"[1, 2]",
    "an object": b'{"status": "ok"}',
    "an entry that is text": _line("k/2565.html", "ok").rstrip(),
    "an entry without a status": _line("k/2565.html", {"points": 1}).rstrip(),
    "a key that is a number": _line(7, GOOD).rstrip(),  # type: ignore[arg-type]
    "three items": b'["a", {"status": "ok"}, 3]',
    "null": b"null",
    "bytes that are not text": b"\xff\xfe\x00\x01",
}


@pytest.mark.parametrize("case", sorted(FOREIGN))
def test_a_foreign_journal_line_is_set_aside_and_the_next_run_is_clean(tmp_path, case, caplog):
    journal = tmp_path / JOURNAL
    before, after = _line("a/pmqa-2562/2565.html", GOOD), _line("b/pmqa-2562/2565.html", GOOD)
    journal.write_bytes(before + FOREIGN[case] + b"\n" + after)
    with caplog.at_level("WARNING", logger="evalkit.runner"):
        manifest = Manifest(tmp_path)
    assert set(manifest.reports) == {"a/pmqa-2562/2565.html", "b/pmqa-2562/2565.html"}
    assert manifest.set_aside == 1
    assert "1 line(s) that are not records of a report set aside" in caplog.text
    assert (tmp_path / SET_ASIDE).read_bytes() == FOREIGN[case] + b"\n"
    manifest.save()
    again = Manifest(tmp_path)
    assert again.set_aside == 0 and set(again.reports) == set(manifest.reports)
    assert journal.read_bytes() == before + after


def test_a_manifest_json_of_the_wrong_shape_is_read_as_far_as_it_holds(tmp_path):
    document = {"reports": {"a/2565.html": GOOD, "b/2565.html": "ok", "c/2565.html": [1]}}
    (tmp_path / "manifest.json").write_text(json.dumps(document), encoding="utf-8")
    assert set(Manifest(tmp_path).reports) == {"a/2565.html"}
    (tmp_path / "manifest.json").write_text('{"reports": [1, 2]}', encoding="utf-8")
    assert Manifest(tmp_path).reports == {}


# --- devices and pipes are never read -------------------------------------------------------


def _evalkit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalkit", *args, "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a read of /dev/zero or a FIFO would never end
    )


@pytest.fixture
def special(tmp_path):
    """A FIFO, and links to a character device that never ends and one that is empty."""
    folder = tmp_path / "special"
    folder.mkdir()
    os.mkfifo(folder / "fifo.yaml")
    os.symlink("/dev/zero", folder / "zero.yaml")
    os.symlink("/dev/null", folder / "null.yaml")
    return folder


@pytest.mark.parametrize("name", ["fifo.yaml", "zero.yaml", "null.yaml"])
def test_a_params_path_that_is_a_device_or_a_pipe_is_refused_unread(tmp_path, special, name):
    done = _evalkit("run", str(special / name), "--out", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 1, done.stderr
    assert "found a device or a pipe, not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["fifo.yaml", "zero.yaml"])
def test_a_framework_path_that_is_a_device_or_a_pipe_is_refused_unread(tmp_path, name):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    if name == "fifo.yaml":
        os.mkfifo(folder / name)
    else:
        os.symlink("/dev/zero", folder / name)
    done = _evalkit("frameworks", "--frameworks-dir", str(folder))
    assert done.returncode == 1, done.stderr
    assert "a device or a pipe, not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


# --- nothing from outside the reports folder is shared ---------------------------------------


def _reports(tmp_path: Path) -> tuple[Path, Path]:
    reports, outside = tmp_path / "reports", tmp_path / "outside"
    (reports / "a" / "pmqa-2562").mkdir(parents=True)
    outside.mkdir()
    (reports / "index.html").write_text("<html>index</html>", encoding="utf-8")
    (reports / "a" / "pmqa-2562" / "2565.html").write_text("<html>a</html>", encoding="utf-8")
    (outside / "salaries.html").write_text("<html>secret</html>", encoding="utf-8")
    (outside / "b").mkdir()
    (outside / "b" / "2565.html").write_text("<html>other agency</html>", encoding="utf-8")
    os.symlink(outside / "salaries.html", reports / "a" / "pmqa-2562" / "2564.html")
    os.symlink(outside / "b", reports / "b")
    os.symlink(outside / "salaries.html", reports / "leak.pdf")
    return reports, outside


def test_bundle_and_pdf_never_follow_a_link_out_of_the_reports_folder(tmp_path):
    reports, _ = _reports(tmp_path)
    archive = bundle(reports)
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == [
            "evalkit-reports/a/pmqa-2562/2565.html",
            "evalkit-reports/index.html",
        ]
        assert all(b"secret" not in opened.read(n) for n in opened.namelist())
    with zipfile.ZipFile(bundle(reports, agency="a")) as opened:  # one agency's: no link either
        assert opened.namelist() == ["evalkit-a/a/pmqa-2562/2565.html"]
    assert report_pages(reports) == [reports / "a" / "pmqa-2562" / "2565.html"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_killed_bundle_leaves_temporaries_that_the_next_bundle_clears(tmp_path):
    reports = tmp_path / "reports"
    (reports / "a").mkdir(parents=True)
    (reports / "index.html").write_text("<html>index</html>", encoding="utf-8")
    for n in range(40):  # incompressible pages: a bundle that takes a moment
        (reports / "a" / f"{n}.html").write_bytes(os.urandom(2_000_000))
    run = subprocess.Popen(
        [sys.executable, "-m", "evalkit", "bundle", "--reports", str(reports)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(reports.glob(".*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)
    run.kill()
    run.wait()
    assert list(reports.glob(".evalkit-reports.zip.evalkit-*.tmp")), "killed while writing"
    archive = bundle(reports)
    assert not list(reports.glob(".*.tmp"))
    with zipfile.ZipFile(archive) as opened:
        assert len(opened.namelist()) == 41


# --- params files against their schema ------------------------------------------------------


def _params(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "data.csv").write_text("x\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(f"agency_id: a\nframework: pmqa-2562\ndata: [data.csv]\n{extra}", "utf-8")
    return path


@pytest.mark.parametrize(
    ("extra", "column", "found", "expected"),
    [
        ("parameters: {top_gaps: -3}\n", "parameters.top_gaps", "-3", "from 1 to 100"),
        ("parameters: {top_gaps: 0}\n", "parameters.top_gaps", "0", "from 1 to 100"),
        ("parameters: {top_gaps: 100000}\n", "parameters.top_gaps", "100000", "from 1 to 100"),
        ("parameters: {top_gaps: 2.5}\n", "parameters.top_gaps", "2.5", "from 1 to 100"),
        ("parameters: {top_gaps: true}\n", "parameters.top_gaps", "True", "from 1 to 100"),
        ("parameters: {consensus: avg}\n", "parameters.consensus", "consensus rule", "median"),
        ("colour: blue\n", "colour", "an unknown key 'colour'", "one of agency_id, framework"),
        ("years: [2565, x]\n", "years", "in the list", "a year or a list of years"),
        ("agency_id: A B\n", "agency_id", "'A B'", "lowercase letters"),
    ],
)
def test_a_params_value_out_of_its_range_is_refused(tmp_path, extra, column, found, expected):
    from evalkit import InvalidInputError
    from evalkit.runner.plan.params import load_params

    path = _params(tmp_path, extra)
    if extra.startswith("agency_id"):
        path.write_text(path.read_text().replace("agency_id: a\n", ""), encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        load_params(path)
    (problem,) = [p for p in info.value.problems if p.column == column]
    assert found in str(problem.found) and expected in str(problem.expected)


def test_a_negative_top_gaps_fails_the_run_with_status_1(tmp_path, capsys):
    from evalkit.cli.main import main

    path = _params(tmp_path, "parameters: {top_gaps: -3}\n")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "-q", "--lang", "en"]) == 1
    assert "key 'parameters.top_gaps': found -3" in capsys.readouterr().err


def test_the_params_schema_is_valid_and_speaks_thai_and_english():
    from jsonschema import Draft202012Validator

    from evalkit.frameworks.model import CONSENSUS_RULES
    from evalkit.runner.plan.paramschema import params_schema, runner_owned

    schema = params_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] and schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    for key, spec in schema["properties"].items():
        assert any("\u0e00" <= c <= "\u0e7f" for c in spec["title"]), key  # Thai
        assert "(" in spec["title"] and spec["description"] and spec["x-expected"], key
    parameters = schema["properties"]["parameters"]["properties"]
    assert tuple(parameters["consensus"]["enum"]) == tuple(CONSENSUS_RULES)  # the registry
    assert {"agency_id", "year", "data", "note"} <= set(runner_owned())


def test_a_cell_papermill_injected_before_is_replaced_not_left_to_win():
    import nbformat

    from evalkit.runner.engines.notebook import INJECTED_TAG, inject

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('msg = "Default"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('msg = "Old"', metadata={"tags": [INJECTED_TAG]}),
        nbformat.v4.new_code_cell("print(msg)"),
    ]
    injected = inject(notebook, {"msg": "New"})
    tagged = [c for c in injected.cells if INJECTED_TAG in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "New" in tagged[0].source and "Old" not in tagged[0].source
    assert [c.source for c in injected.cells][-1] == "print(msg)" and len(injected.cells) == 3
