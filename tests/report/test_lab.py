"""`make lab` starts JupyterLab on the project, and the evalkit kernel is one it offers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from helpers import ROOT

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_jupyterlab_serves_the_project_with_the_evalkit_kernel(tmp_path):
    from evalkit.runner.run import ensure_kernel

    ensure_kernel()
    port, token = _free_port(), "evalkit-test"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--notebook-dir={ROOT}",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        specs = None
        for _ in range(120):  # at most 60 s for the server to come up
            try:
                with urllib.request.urlopen(
                    f"{base}/api/kernelspecs?token={token}", timeout=2
                ) as reply:
                    specs = json.load(reply)
                break
            except OSError:
                time.sleep(0.5)
        assert specs is not None, "JupyterLab did not answer"
        assert "evalkit" in specs["kernelspecs"]
        with urllib.request.urlopen(
            f"{base}/api/contents/notebooks?token={token}", timeout=5
        ) as reply:
            names = {item["name"] for item in json.load(reply)["content"]}
        assert {"agency_report.ipynb", "portfolio.ipynb", "explore.ipynb"} <= names
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=5) as reply:
            assert reply.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
