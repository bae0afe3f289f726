"""``evalkit feedback``: the feedback document of each agency and year, ready to send;
``evalkit consensus``: the workbook the committee agrees its scores in."""

from __future__ import annotations

import argparse
from pathlib import Path

from evalkit.cli.common import EXIT_INVALID, EXIT_OK, InProject, in_project, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import output_file, output_folder
from evalkit.cli.pdf import add_thai_digits
from evalkit.core.i18n import msg
from evalkit.frameworks.vocabulary import consensus_names


def _cmd_feedback(args: argparse.Namespace) -> int:
    from evalkit.cli.sheets import say_skipped
    from evalkit.exports.cover import load_cover
    from evalkit.exports.feedback import write_feedback
    from evalkit.scoring.engine import score
    from evalkit.sheets.load import load_sheets
    from evalkit.sheets.skipped import own_rows

    out = output_folder(in_project(args, args.out), msg("feedback folder"), args.sheets)
    cover = load_cover(Path(args.cover)) if args.cover else None
    registry = registry_of(args)
    sheets = load_sheets(args.sheets, registry, args.sheet, args.encoding, args.decimal_comma)
    say_skipped([*sheets.skipped, *own_rows(sheets)], args)
    chosen = {
        k: v
        for k, v in (("agency_id", args.agency), ("year", args.year), ("framework", args.framework))
        if v is not None
    }
    sheets = sheets.where(**chosen)
    result = score(sheets, registry, rule=args.consensus)
    if result.empty:
        wanted = ", ".join(f"{k} {v}" for k, v in chosen.items())
        say(
            msg("no scores for {wanted} in the sheets given.", wanted=wanted),
            error=True,
            prefix="evalkit: ",
        )
        return EXIT_INVALID
    for path in write_feedback(
        sheets,
        result,
        registry,
        out,
        cover=cover,
        thai_digits=args.thai_digits,
        with_assessors=args.with_assessors,
    ):
        say(str(path))
    return EXIT_OK


def _cmd_consensus(args: argparse.Namespace) -> int:
    from evalkit.cli.sheets import say_skipped
    from evalkit.exports.meeting import write_meeting
    from evalkit.sheets.load import load_sheets

    out = output_file(
        in_project(args, args.out), msg("consensus workbook"), args.sheets, (".xlsx",)
    )
    registry = registry_of(args)
    sheets = load_sheets(args.sheets, registry, args.sheet, args.encoding, args.decimal_comma)
    say_skipped(sheets.skipped, args)
    say(str(write_meeting(sheets, registry, out, args.agency, args.year, args.framework)))
    return EXIT_OK


def _choose(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets, or a ledger (.sqlite)"
    )
    p.add_argument("--agency", metavar="AGENCY_ID", help="this agency only")
    p.add_argument("--year", type=int, metavar="YEAR", help="this year only (Buddhist era)")
    p.add_argument("--framework", metavar="ID", help="this framework only")


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``feedback`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "feedback",
        parents=[shared["frameworks"], shared["reading"]],
        help="write the feedback document (รายงานป้อนกลับ) of each agency and year, for A4",
    )
    _choose(p)
    p.add_argument(
        "--out",
        default=InProject("reports/feedback"),
        metavar="DIR",
        help="where to write AGENCY/FRAMEWORK-YEAR-feedback.html (default: reports/feedback)",
    )
    p.add_argument(
        "--with-assessors",
        action="store_true",
        help="name each assessor beside their own comments (the committee's file; the document "
        "sent to an agency names no assessor)",
    )
    p.add_argument(
        "--consensus",
        choices=consensus_names(),
        help="how assessors' values become one (default: the framework's rule)",
    )
    p.add_argument(
        "--cover",
        metavar="FILE.yaml",
        help="put a dated cover note first: number, date, subject, to (ที่ วันที่ เรื่อง เรียน)",
    )
    add_thai_digits(p)
    p.set_defaults(func=_cmd_feedback)
    m = sub.add_parser(
        "consensus",
        parents=[shared["frameworks"], shared["reading"]],
        help="write the consensus meeting workbook: a sheet per agency and year, the agenda "
        "first, the assessors side by side, empty columns for the agreed values",
    )
    _choose(m)
    m.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    m.set_defaults(func=_cmd_consensus)
