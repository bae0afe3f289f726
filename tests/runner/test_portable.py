"""`evalkit run` starts where POSIX-only modules do not exist (Windows)."""

from __future__ import annotations

import ast
import subprocess
import sys

from helpers import ROOT

POSIX_ONLY = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "posix", "syslog"}

START = """
import sys, warnings
warnings.simplefilter("ignore")
for name in ("fcntl", "termios", "tty", "pty", "grp"):
    sys.modules[name] = None  # as on Windows: importing them fails
from evalkit.cli.main import main
import evalkit.runner.run, evalkit.runner.lock
import evalkit.runner.executors.workers, evalkit.runner.engines.lifeline
sys.exit(main(["run", "--help"]))
"""


def test_no_evalkit_module_imports_a_posix_only_module():
    found = []
    for path in (ROOT / "evalkit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in POSIX_ONLY]
    assert found == []


def test_evalkit_run_starts_without_posix_only_modules():
    done = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "--strict" in done.stdout and "--prune" in done.stdout
