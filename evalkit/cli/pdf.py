"""``evalkit pdf``: an A4 PDF beside each report page (``evalkit run --pdf`` does the same at
the end of a run)."""

from __future__ import annotations

import argparse
from pathlib import Path

from evalkit.cli.common import EXIT_OK, InProject, in_project
from evalkit.cli.conventions import log, say
from evalkit.cli.paths import existing_folder
from evalkit.core.i18n import msg


def write_pdfs(
    reports: Path, force: bool = False, quiet: bool = False, thai_digits: bool = False
) -> list[str]:
    """Write the PDFs of ``reports`` and, unless ``quiet``, say how many; the paths written."""
    from evalkit.runner.publish import refresh_index
    from evalkit.runner.publish import write_pdfs as write

    result = write(reports, force=force, thai_digits=thai_digits)
    if result.written:
        refresh_index(reports)  # the index links each page's PDF
    message = msg(
        "{count} PDF file(s) written, {current} already current.",
        count=len(result.written),
        current=len(result.current),
    )
    if quiet:
        log.info("%s", message.render("en"))
    else:
        say(message)
    return [str(p) for p in result.written]


def _cmd_pdf(args: argparse.Namespace) -> int:
    reports = in_project(args, args.reports)
    if reports.exists():  # a missing folder gets the runner's hint: render the pages first
        existing_folder(reports, msg("reports folder"))
    write_pdfs(reports, args.force, thai_digits=args.thai_digits)
    return EXIT_OK


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``pdf`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "pdf",
        parents=[shared["base"]],
        help="write an A4 PDF beside each report page (headless Chromium)",
    )
    p.add_argument(
        "reports",
        nargs="?",
        default=InProject("reports"),
        metavar="REPORTS_DIR",
        help="the folder evalkit run wrote (default: PROJECT/reports)",
    )
    p.add_argument("--force", action="store_true", help="write every PDF again, even current ones")
    add_thai_digits(p)
    p.set_defaults(func=_cmd_pdf)


def add_thai_digits(p: argparse.ArgumentParser) -> None:
    """``--thai-digits``, for the commands that write what is printed."""
    p.add_argument(
        "--thai-digits",
        action="store_true",
        help="numbers and dates in Thai numerals (๐-๙) in what is printed",
    )
