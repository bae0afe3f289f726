"""``evalkit explore``: the explore notebook served by Voila on this machine, code hidden, over
a project folder's own data (the bundled sample when it names none).

The server listens on 127.0.0.1 only. A port already taken is said at once, Thai first (exit
5), and never replaced by another one behind the person's back. Voila runs in a process of its
own, with its output kept in a file, not a pipe (with ``-v``, on the command's standard
error); the command waits for it to answer (within a time limit), prints the address, opens
the browser unless ``--no-browser``, and stops it on Ctrl-C or when the command is ended.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path
from types import FrameType
from typing import IO

from evalkit.cli.common import EXIT_ENVIRONMENT, EXIT_OK, project
from evalkit.cli.conventions import debug
from evalkit.cli.paths import count, existing_folder, seconds
from evalkit.core.i18n import Message, msg

#: The port Voila is known by; ``--port 0`` takes any free one.
DEFAULT_PORT = 8866
#: The highest port number there is.
LAST_PORT = 65535
#: Seconds the server may take to answer its first request.
START_TIMEOUT = 120.0
#: Seconds the server has to end after it is asked to, before it is killed.
STOP_TIMEOUT = 15.0
#: Seconds a cell of the notebook may run in the server's kernel: past them the page says the
#: cell ran out of time, rather than a visitor waiting without end for an answer that never comes.
CELL_TIMEOUT = 600
NOTEBOOK = "explore.ipynb"
#: The client the server runs the notebook's cells with: one that never waits on one look at a
#: socket without end (a reply whose signal was taken left a page unfinished). Named, not
#: imported: the server imports it.
KERNEL_CLIENT = "evalkit.runner.engines.kernel_client.PatientKernelClient"
#: A Jupyter data folder that holds the page template the dashboard is served with: Voila's lab
#: page without what it links on a CDN (the dashboard works offline).
JUPYTER_DATA = Path(__file__).resolve().parent.parent / "report" / "explore" / "jupyter"
TEMPLATE = "evalkit"
#: The command's standard error, which the server's own messages go to under ``-v``.
STDERR = 2


def both(message: Message) -> str:
    """A message Thai first, then English, as the explorer's people read it."""
    thai, english = message.render("th"), message.render("en")
    return thai if thai == english else f"{thai}\n{english}"


def port_taken(port: int) -> bool:
    """True when something on this machine already listens on ``port`` (or holds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def voila_command(
    notebook: Path, port: int, token: str | None, cell_timeout: int = CELL_TIMEOUT
) -> list[str]:
    """Voila over ``notebook``: code hidden, no traceback to the page, this machine only, the
    port given or none, a kernel started and the notebook run before the first visit, its
    cells run by :data:`KERNEL_CLIENT`, and none waited on past ``cell_timeout`` seconds."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--Voila.open_browser=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=1",
        f"--VoilaExecutor.timeout={cell_timeout}",
        f"--AsyncKernelManager.client_class={KERNEL_CLIENT}",
        "--VoilaExecutor.cell_timeout_instruction="
        + both(msg("Reload the page, or start evalkit explore again.")),
        "--theme=light",
        f"--template={TEMPLATE}",
        f"--Voila.token={token or ''}",
    ]


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float) -> bool:
    """True once the server accepts connections on ``port``; False when it ends first or
    ``timeout`` passes. Nothing is requested: a request for the page would take the kernel
    that the server runs the notebook in, in advance, for the first visitor."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(2)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.25)
    return False


def stop(server: subprocess.Popen[bytes]) -> None:
    """End the server and every process it started (its kernels): asked first, as Ctrl-C
    asks (Voila then shuts its kernels down), killed after :data:`STOP_TIMEOUT` seconds."""
    import psutil

    try:
        family = psutil.Process(server.pid).children(recursive=True)
    except psutil.Error:
        family = []
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=STOP_TIMEOUT)
    _, alive = psutil.wait_procs(family, timeout=STOP_TIMEOUT)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(alive, timeout=STOP_TIMEOUT)


def _default_interrupt() -> None:
    """In the server's process: Ctrl-C stops it, even when this command was started with
    Ctrl-C ignored (in the background of a script)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _last_lines(log: IO[bytes], n: int = 5) -> str:
    log.flush()
    log.seek(0)
    lines = [x for x in log.read().decode("utf-8", "replace").splitlines() if x.strip()]
    return "\n".join(lines[-n:])


def _environment() -> int | None:
    """EXIT_ENVIRONMENT with the reason said when Voila cannot run here; None when it can."""
    import importlib.util

    if importlib.util.find_spec("voila") is None:
        print(
            both(
                msg(
                    "Voila is not installed: run `make explore`, or `pip install "
                    "'evalkit[explore]'`, then try again."
                )
            ),
            file=sys.stderr,
        )
        return EXIT_ENVIRONMENT
    return None


def _cmd_explore(args: argparse.Namespace) -> int:
    from evalkit.runner.engines import find_notebook
    from evalkit.runner.run import ensure_kernel

    folder = existing_folder(project(args), msg("project folder")).resolve()
    port = args.port or free_port()
    if port_taken(port):
        print(
            both(
                msg(
                    "Port {port} is already in use by another program (perhaps another evalkit "
                    "explore). Stop it, or choose another port: evalkit explore --port {other}",
                    port=port,
                    other=free_port(),
                )
            ),
            file=sys.stderr,
        )
        return EXIT_ENVIRONMENT
    missing = _environment()
    if missing is not None:
        return missing
    ensure_kernel()
    notebook = find_notebook(NOTEBOOK, folder)
    env = os.environ | {"EVALKIT_PROJECT": str(folder), "EVALKIT_LANG": "th"}
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(JUPYTER_DATA), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    )
    return serve(voila_command(notebook, port, args.token), port, args, env)


def serve(command: list[str], port: int, args: argparse.Namespace, env: dict[str, str]) -> int:
    """Run the server until Ctrl-C (or SIGTERM), saying where it is; it never outlives us."""
    url = f"http://127.0.0.1:{port}/" + (f"?token={args.token}" if args.token else "")
    verbose = bool(getattr(args, "verbose", None)) or debug()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command,
            stdout=STDERR if verbose else log,  # -v: the server's own messages, as they come
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=_default_interrupt,  # before any thread of ours has started
        )

        def end(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, end)
        try:
            if not wait_until_up(port, server, args.start_timeout):
                reason = msg("its messages are above") if verbose else _last_lines(log)
                print(
                    both(msg("The dashboard did not start: {reason}", reason=reason)),
                    file=sys.stderr,
                )
                return EXIT_ENVIRONMENT
            print(
                both(msg("The dashboard is open at {url} (Ctrl-C stops it).", url=url)), flush=True
            )
            if not args.no_browser:
                webbrowser.open(url)
            server.wait()
            return EXIT_OK
        except KeyboardInterrupt:
            return EXIT_OK
        finally:
            stop(server)
            signal.signal(signal.SIGTERM, previous)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``explore`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "explore",
        parents=[shared["base"]],
        help="explore and simulate scores in the browser",
    )
    p.add_argument(
        "--port",
        type=count(0, LAST_PORT),
        default=DEFAULT_PORT,
        metavar="N",
        help="the port on 127.0.0.1 (default: 8866; 0: any free port)",
    )
    p.add_argument("--no-browser", action="store_true", help="print the address only")
    p.add_argument(
        "--token",
        metavar="TEXT",
        help="ask for this token in the address (default: none; the server is on 127.0.0.1)",
    )
    p.add_argument(
        "--start-timeout",
        type=seconds,
        default=START_TIMEOUT,
        metavar="SECONDS",
        help="how long the server may take to start (default: 120)",
    )
    p.set_defaults(func=_cmd_explore)
