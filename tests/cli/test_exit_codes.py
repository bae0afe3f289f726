"""The exit status of ``evalkit``, one meaning each, so that a scheduler can tell "busy, try
later" from "fix the data" from "fix the machine": each code met for real."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SAMPLE

from evalkit.cli import common
from evalkit.cli.main import main

CODES = {
    "EXIT_OK": 0,
    "EXIT_INVALID": 1,
    "EXIT_USAGE": 2,
    "EXIT_FAILED": 3,
    "EXIT_BUSY": 4,
    "EXIT_ENVIRONMENT": 5,
}

# Takes the output folder's lock, says so, and holds it until killed.
HOLDER = """
import sys, time
from pathlib import Path
from evalkit.runner.lock import folder_lock
with folder_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(600)
"""


def _evalkit(*args: str, limit: int | None = None, **env: str) -> subprocess.CompletedProcess:
    """The command in a process of its own; ``limit`` caps the size of any file it writes."""

    def cap() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "evalkit", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        preexec_fn=cap,
        timeout=600,
    )


def _project(tmp_path: Path) -> Path:
    """A project of two of the sample's params files and the sheets they name."""
    folder = tmp_path / "project"
    (folder / "params").mkdir(parents=True)
    for name in ("cdd-khao-saming.yaml", "cdd-khlong-yai.yaml"):
        shutil.copy(ROOT / "params" / name, folder / "params" / name)
    shutil.copytree(SAMPLE, folder / "data" / "sample" / "trat")
    return folder


def test_the_codes_are_distinct_and_documented():
    assert {name: getattr(common, name) for name in CODES} == CODES
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, code in CODES.items():
        assert f"| {code} | `{name}`" in readme, name
    for scheduler in ("cron", "systemd", "Task Scheduler"):
        assert scheduler in readme


def test_a_held_lock_exits_4_with_and_without_waiting(tmp_path):
    project = _project(tmp_path)
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        refused = _evalkit("run", "--project", str(project), "--out", str(out), "--quiet")
        assert refused.returncode == 4, refused.stderr
        assert f"Another evalkit run (pid {holder.pid}" in refused.stderr
        waited = _evalkit(
            "run", "--project", str(project), "--out", str(out), "--wait", "--wait-timeout", "1"
        )
        assert waited.returncode == 4, waited.stderr
        assert "after 1 s of waiting" in waited.stderr
        for done in (refused, waited):
            assert "Traceback" not in done.stderr and done.stdout == ""
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_log_file_on_a_full_disk_exits_5_in_one_sentence():
    done = _evalkit("frameworks", "--log-file", "/dev/full", "--lang", "en")
    assert done.returncode == 5
    assert done.stderr == (
        "evalkit: The log file /dev/full cannot be written: The disk is full (writing "
        "/dev/full); free some space and run again.\n"
    )
    assert "pmqa-2562" in done.stdout  # the command itself did its work


def test_a_log_file_past_the_size_limit_exits_5(tmp_path):
    log = tmp_path / "run.log"
    log.write_bytes(b"x" * 4000)
    done = _evalkit("frameworks", "--quiet", "--log-file", str(log), limit=4096, EVALKIT_LANG="th")
    assert done.returncode == 5
    assert "Traceback" not in done.stderr and "Logging error" not in done.stderr
    assert f"เขียนไฟล์บันทึกการทำงาน {log} ไม่ได้" in done.stderr
    assert "มีขนาดถึงขีดสูงสุดที่ระบบนี้อนุญาตแล้ว" in done.stderr


def test_a_log_file_where_nothing_can_be_written_exits_5(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = _evalkit("frameworks", "--log-file", str(blocker / "run.log"), "--lang", "en")
    assert done.returncode == 5
    assert done.stderr.startswith(f"evalkit: The log file {blocker / 'run.log'} cannot be")
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_no_browser_exits_5(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2565.html").write_text("<html><body>page</body></html>", "utf-8")
    done = _evalkit("pdf", str(tmp_path), "--lang", "en", EVALKIT_CHROMIUM="/no/such/browser")
    assert done.returncode == 5, done.stderr
    assert "No PDF engine" in done.stderr and "Traceback" not in done.stderr


def test_no_kernel_exits_5(tmp_path):
    """A Python where Jupyter's kernel machinery cannot be imported: the warm engine cannot
    run, and the run says so before planning anything."""
    project = _project(tmp_path)
    script = (
        "import sys; sys.modules['jupyter_client.kernelspec'] = None\n"
        "from evalkit.cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "run", "--project", str(project), "--engine", "warm"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "EVALKIT_LANG": "en"},
    )
    assert done.returncode == 5, done.stderr
    assert "No Jupyter kernel evalkit can be used on this machine" in done.stderr
    assert "--engine shell" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_an_unreachable_scheduler_exits_5(tmp_path):
    pytest.importorskip("distributed")
    project = _project(tmp_path)
    args = ["run", "--project", str(project), "--executor", "dask", "--lang", "en"]
    done = _evalkit(*args, "--scheduler", "tcp://127.0.0.1:9")  # the discard port: no answer
    assert done.returncode == 5, done.stderr
    assert "No Dask scheduler answers at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr


def test_refused_input_exits_1(tmp_path, capsys):
    params = tmp_path / "bad.yaml"
    params.write_text("agency_id: x\nframework: pmqa-2562\ndata: [missing.csv]\n", "utf-8")
    assert main(["run", str(params), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    assert "missing.csv" in capsys.readouterr().err


@pytest.mark.slow
def test_quiet_prints_nothing_when_all_went_well(tmp_path):
    project = _project(tmp_path)
    done = _evalkit("run", "--project", str(project), "--quiet", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")
    assert (project / "reports" / "index.html").is_file()
    again = _evalkit("run", "--project", str(project), "-q", "--log-file", str(tmp_path / "l"))
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert "unchanged and skipped" in (tmp_path / "l").read_text(encoding="utf-8")
