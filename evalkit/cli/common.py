"""What every command shares: exit codes, the project folder, and common options."""

from __future__ import annotations

import argparse
from pathlib import Path

from evalkit.cli.paths import existing_folder
from evalkit.frameworks.registry import Registry, project_registry

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: The environment failed: a full disk, no kernel, no browser, an unreachable scheduler.
EXIT_ENVIRONMENT = 5
#: Where ``ingest``, ``history`` and ``export`` keep the ledger, inside the project folder.
DEFAULT_LEDGER = "data/ledger.sqlite"


def project(args: argparse.Namespace) -> Path:
    """The project folder of this command (``--project``, default the current folder)."""
    return Path(getattr(args, "project", None) or ".")


def in_project(args: argparse.Namespace, path: str | Path) -> Path:
    """A path as given when absolute or when it was given explicitly; otherwise inside the
    project folder."""
    path = Path(path)
    return path if path.is_absolute() else project(args) / path


def registry_of(args: argparse.Namespace) -> Registry:
    """Packaged frameworks, the project's ``frameworks/`` folder, then ``--frameworks-dir``."""
    folders = getattr(args, "frameworks_dir", None) or []
    for folder in folders:
        existing_folder(folder, "frameworks folder")
    return project_registry(project(args), folders)


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
