"""``evalkit explore`` before any server starts: a port already taken is said at once, Thai
first, with exit status 5, and nothing is started."""

from __future__ import annotations

import socket

import psutil
import pytest
from helpers import free_port

from evalkit.cli.explore import EXIT_ENVIRONMENT, port_taken, voila_command
from evalkit.cli.main import main


def test_a_port_in_use_is_said_thai_first_with_exit_5(tmp_path, capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        before = {p.pid for p in psutil.Process().children(recursive=True)}
        code = main(["explore", "--project", str(tmp_path), "--port", str(port), "--no-browser"])
        after = {p.pid for p in psutil.Process().children(recursive=True)}
    assert code == EXIT_ENVIRONMENT == 5
    thai, english = capsys.readouterr().err.strip().splitlines()
    assert thai.startswith(f"พอร์ต {port} มีโปรแกรมอื่นใช้อยู่แล้ว")
    assert english.startswith(f"Port {port} is already in use") and "--port " in english
    assert after == before  # no server, no kernel


def test_a_free_port_is_free_and_the_server_is_for_this_machine_only(tmp_path):
    port = free_port()
    assert not port_taken(port)
    command = voila_command(tmp_path / "explore.ipynb", port, None)
    assert "--Voila.ip=127.0.0.1" in command and "--Voila.port_retries=0" in command
    assert "--VoilaConfiguration.strip_sources=True" in command  # code hidden
    assert "--VoilaConfiguration.show_tracebacks=False" in command


def test_a_missing_project_folder_is_refused(tmp_path, capsys):
    assert main(["explore", "--project", str(tmp_path / "nowhere"), "--no-browser"]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_a_port_past_the_last_is_a_usage_error_thai_first(tmp_path, capsys):
    for lang, said in (("th", "ต้องไม่เกิน 65535 แต่พบ 80000"), ("en", "expected 65535 or less")):
        with pytest.raises(SystemExit) as stopped:
            main(["--lang", lang, "explore", "--project", str(tmp_path), "--port", "80000"])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert "--port" in err and said in err and "Traceback" not in err


def test_a_cell_that_never_ends_is_cut_off_and_the_page_still_comes(tmp_path):
    """No visitor waits without end: a cell still running after the cell time limit ends the
    page with Voila's note that it ran out of time and what to do, Thai first."""
    import os
    import subprocess
    import urllib.request

    import nbformat

    from evalkit.cli.explore import JUPYTER_DATA, stop, wait_until_up

    notebook = tmp_path / "explore.ipynb"
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(300)")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernel}), notebook)
    port = free_port()
    env = os.environ | {"JUPYTER_PATH": str(JUPYTER_DATA)}
    with (tmp_path / "voila.log").open("wb") as log:
        server = subprocess.Popen(
            voila_command(notebook, port, None, cell_timeout=3),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    try:
        assert wait_until_up(port, server, 120), (tmp_path / "voila.log").read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120) as answer:
            page = answer.read().decode("utf-8")
    finally:
        stop(server)
    assert "Cell execution timed out" in page and "</html>" in page
    assert "โหลดหน้านี้ใหม่ หรือเริ่ม evalkit explore อีกครั้ง" in page  # what to do, Thai first
