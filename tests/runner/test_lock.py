"""The output folder's lock dies with the run that holds it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from evalkit import EvalkitError
from evalkit.runner.lock import folder_lock

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

# Takes the lock, forks a child that keeps the open lock file for `linger` seconds (as a
# worker of a run does), says so, and waits to be killed.
HOLDER = """
import os, sys, time
from pathlib import Path
from evalkit.runner.lock import folder_lock
with folder_lock(Path(sys.argv[1]), wait=False):
    if os.fork() == 0:
        time.sleep(float(sys.argv[2]))
        os._exit(0)
    print("held", flush=True)
    time.sleep(600)
"""


def _hold(out, linger: float) -> subprocess.Popen:
    run = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out), str(linger)], stdout=subprocess.PIPE, text=True
    )
    assert run.stdout is not None and run.stdout.readline() == "held\n"
    return run


def test_a_live_holder_is_named_and_a_killed_one_leaves_no_lock(tmp_path):
    out = tmp_path / "out"
    run = _hold(out, 0)
    refused = rf"Another evalkit run \(pid {run.pid}, started "
    with pytest.raises(EvalkitError, match=refused), folder_lock(out, wait=False):
        pass
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    time.sleep(0.2)
    with folder_lock(out, wait=False):  # taken at once: the lock died with its holder
        assert (out / ".evalkit-run.holder").read_text().startswith(f'{{"pid": {os.getpid()}')


def test_a_child_left_by_a_killed_run_never_makes_the_next_run_refuse(tmp_path):
    out = tmp_path / "out"
    run = _hold(out, 5)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    start = time.monotonic()
    with folder_lock(out, wait=False):  # the child lives on for a few seconds
        waited = time.monotonic() - start
    assert waited < 15
