"""Faults as real processes meet them: the run, a worker or a kernel killed with SIGKILL, a
full disk, a second run at once. After each, the next run recovers by itself."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from helpers import BAND_HEADER, ROOT

from evalkit import Registry
from evalkit.core.page import page

NOTEBOOK = ROOT / "notebooks" / "agency_report.ipynb"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]

# Writes the kernel's pid to `marker` and pauses, once: a run after the first goes straight on.
PAUSE_CELL = """\
import os as _os, time as _time
if marker and not _os.path.exists(marker):
    with open(marker + ".part", "w") as _f:
        _f.write(str(_os.getpid()))
    _os.replace(marker + ".part", marker)
    _time.sleep(pause)
"""


def _project(tmp_path: Path, pauses: dict[str, float]) -> tuple[list[Path], Path]:
    """A params file per agency (one year each), and a report notebook that pauses in the
    reports named in ``pauses`` after writing ``<agency>.started``."""
    items = Registry().get("pmqa-2562").items
    rows = [f"{a},สำนักงาน {a},2565,pmqa-2562,ผู้ประเมิน 1,{i.key},50\n" for a in pauses for i in items]
    (tmp_path / "data.csv").write_text(BAND_HEADER + "".join(rows), encoding="utf-8")
    params = []
    for agency, pause in pauses.items():
        path = tmp_path / f"{agency}.yaml"
        marker = tmp_path / f"{agency}.started" if pause else ""
        path.write_text(
            f"agency_id: {agency}\nframework: pmqa-2562\ndata: [data.csv]\n"
            f"parameters: {{pause: {float(pause)}, marker: '{marker}'}}\n",
            encoding="utf-8",
        )
        params.append(path)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells[0].source += '\npause = 0.0\nmarker = ""'
    notebook.cells.insert(1, nbformat.v4.new_code_cell(PAUSE_CELL))
    path = tmp_path / "pausing.ipynb"
    nbformat.write(notebook, path)
    return params, path


def _command(params: list[Path], out: Path, notebook: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "evalkit", "run", *map(str, params), "--out", str(out),
        "--notebook", str(notebook), "--jobs", "1", "--no-portfolio", "--quiet", *extra,
    ]  # fmt: skip


def _start(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        _command(*args, **kwargs), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _run(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(_command(*args), capture_output=True, text=True, timeout=timeout)


def _kernel_of(marker: Path, run: subprocess.Popen, timeout: float = 180) -> psutil.Process:
    """The kernel rendering the report that wrote ``marker``, once it is paused there."""
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the paused report never started"
        time.sleep(0.2)
    return psutil.Process(int(marker.read_text()))


def _worker_of(run: subprocess.Popen) -> psutil.Process:
    """The one worker of a run with ``--jobs 1``: a fork of the run, beside its template."""
    parent = psutil.Process(run.pid)
    (worker,) = [c for c in parent.children() if c.cmdline() == parent.cmdline()]
    return worker


def _statuses(out: Path) -> dict[str, str]:
    reports = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    return {key.split("/")[0]: entry["status"] for key, entry in reports.items()}


def _page(out: Path, agency: str) -> Path:
    return out / agency / "pmqa-2562" / "2565.html"


def test_a_killed_run_leaves_no_process_or_lock_and_the_next_run_recovers(tmp_path):
    params, notebook = _project(tmp_path, {"slow": 120, "quick": 0})
    out = tmp_path / "out"
    first = _start(params, out, notebook)
    kernel = _kernel_of(tmp_path / "slow.started", first)
    family = psutil.Process(first.pid).children(recursive=True)
    assert kernel in family and len(family) >= 2  # a worker and its kernel

    second = _run(params, out, notebook)  # at the same time: refused, naming the first
    assert second.returncode == 4  # busy: try later
    assert f"Another evalkit run (pid {first.pid}, started" in second.stderr

    os.kill(first.pid, signal.SIGKILL)  # left unreaped for now: a zombie, as under cron
    _, alive = psutil.wait_procs(family, timeout=20)
    assert alive == [], f"still running after the run was killed: {alive}"
    first.wait()

    again = _run(params, out, notebook, "--wait")
    assert again.returncode == 0, again.stderr
    assert _page(out, "slow").is_file() and _page(out, "quick").is_file()
    assert _statuses(out) == {"slow": "ok", "quick": "ok"}
    assert not list(out.rglob("*.tmp"))


def test_a_killed_kernel_and_a_killed_worker_fail_only_their_reports(tmp_path):
    params, notebook = _project(tmp_path, {"kernel": 120, "worker": 120, "calm": 0})
    out = tmp_path / "out"
    run = _start(params, out, notebook)
    _kernel_of(tmp_path / "kernel.started", run).kill()
    kernel = _kernel_of(tmp_path / "worker.started", run)
    worker = _worker_of(run)
    # each report is forked by its report process, itself forked by the run's template
    assert kernel.parent().parent().parent().pid == run.pid
    worker.kill()
    _, err = run.communicate(timeout=300)
    assert run.returncode == 3, err  # reports failed
    assert "Traceback" not in err
    assert _statuses(out) == {"kernel": "failed", "worker": "failed", "calm": "ok"}
    assert "DeadKernelError" in err and "WorkerDied" in err
    _, alive = psutil.wait_procs([kernel], timeout=10)
    assert alive == []  # the killed worker's kernel ended with it
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{a}/pmqa-2562/2565' in index for a in ("kernel", "worker", "calm"))

    again = _run(params, out, notebook)
    assert again.returncode == 0, again.stderr
    assert _statuses(out) == {"kernel": "ok", "worker": "ok", "calm": "ok"}
    assert all(_page(out, a).is_file() for a in ("kernel", "worker", "calm"))


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_fails_the_page_and_the_next_run_recovers(tmp_path, small_disk):
    params, notebook = _project(tmp_path, {"full": 0})
    out = small_disk / "out"
    out.mkdir()
    # room for the index and the manifest (the page's frame and a few KB), not for a report
    room = len(page("t", "").encode()) + 24_000
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - room))
    run = _run(params, out, notebook)
    assert run.returncode == 5 and "Traceback" not in run.stderr
    assert "No space left on device" in run.stderr
    assert _statuses(out) == {"full": "failed"}
    assert 'href="full/pmqa-2562/2565' in (out / "index.html").read_text(encoding="utf-8")
    assert not _page(out, "full").exists() and not list(out.rglob("*.tmp"))

    filler.unlink()
    again = _run(params, out, notebook)
    assert again.returncode == 0, again.stderr
    assert _page(out, "full").is_file() and _statuses(out) == {"full": "ok"}
