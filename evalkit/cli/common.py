"""What every command shares: exit codes, the project folder, and common options.

The exit status of ``evalkit``, one meaning each, so that a scheduler can act on it:

====  =====================  ==========================================================
code  constant               meaning
====  =====================  ==========================================================
0     ``EXIT_OK``            everything went well
1     ``EXIT_INVALID``       input refused: a sheet, params or framework file to fix
2     ``EXIT_USAGE``         the command line itself is wrong
3     ``EXIT_FAILED``        input was good but reports failed to render (a cell raised
                             or timed out, a worker died); ``--retry`` or a later run
4     ``EXIT_BUSY``          another run holds the output folder's lock: try again later
5     ``EXIT_ENVIRONMENT``   the machine: scheduler unreachable, disk full, no kernel,
                             no browser, a log file that cannot be written
====  =====================  ==========================================================

When a run has both refused input and failed reports, it exits 1: the input is fixed first.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.cli.paths import existing_folder
from evalkit.core.i18n import msg

if TYPE_CHECKING:
    from evalkit.frameworks.registry import Registry

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_BUSY = 4
EXIT_ENVIRONMENT = 5


class InProject(str):
    """A default path of an option, which lives inside the project folder."""


#: Where ``ingest``, ``history`` and ``export`` keep the ledger, inside the project folder.
DEFAULT_LEDGER = InProject("data/ledger.sqlite")


def project(args: argparse.Namespace) -> Path:
    """The project folder of this command (``--project``, default the current folder)."""
    return Path(getattr(args, "project", None) or ".")


def in_project(args: argparse.Namespace, path: str | Path) -> Path:
    """A path given on the command line as given (relative to the current folder, as every
    path there); an option's default (:class:`InProject`) inside the project folder."""
    if isinstance(path, InProject):
        return project(args) / path
    return Path(path)


def registry_of(args: argparse.Namespace, tolerant: bool = False) -> Registry:
    """Packaged frameworks, the project's ``frameworks/`` folder, then ``--frameworks-dir``
    (``tolerant``: a broken project file is left out and said, see :class:`Registry`)."""
    from evalkit.frameworks.registry import project_registry

    folders = getattr(args, "frameworks_dir", None) or []
    for folder in folders:
        existing_folder(folder, msg("frameworks folder"))
    return project_registry(project(args), folders, tolerant=tolerant)


def parents() -> dict[str, argparse.ArgumentParser]:
    """Option groups that several commands share, as argparse parent parsers."""
    base = argparse.ArgumentParser(add_help=False)
    base.add_argument(
        "--project",
        metavar="DIR",
        default=".",
        help="the project folder: params/, frameworks/, notebooks/, reports/ (default: .)",
    )
    frameworks_dir = argparse.ArgumentParser(add_help=False, parents=[base])
    frameworks_dir.add_argument(
        "--frameworks-dir",
        action="append",
        type=Path,
        metavar="DIR",
        help="a folder of extra framework files (the project's frameworks/ is read when present)",
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--sheet",
        metavar="NAME",
        help="read this worksheet only (default: every sheet with a header)",
    )
    reading.add_argument(
        "--encoding",
        metavar="NAME",
        help="CSV encoding: utf-8, utf-16 or tis-620 (default: detected for each file)",
    )
    reading.add_argument(
        "--decimal-comma",
        action="store_true",
        help="the sheets write 8,5 for eight and a half (default: a decimal point; 8,5 is refused)",
    )
    return {"base": base, "frameworks": frameworks_dir, "reading": reading}
