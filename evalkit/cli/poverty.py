"""``evalkit poverty``: classify households A/B/C/F and list those to follow up."""

from __future__ import annotations

import argparse

from evalkit.cli.common import EXIT_OK
from evalkit.cli.paths import output_file


def _cmd_poverty(args: argparse.Namespace) -> int:
    """Print the tables and the follow-up list; write the tables (long form) to ``--out`` and
    the whole follow-up list to ``--follow-up`` when given. Problems of the household file
    are raised, every one, as InvalidInputError (exit 1)."""
    from evalkit.analysis.households import load_households
    from evalkit.analysis.poverty import classify
    from evalkit.analysis.poverty_output import report_text
    from evalkit.exports.poverty import write_follow_up, write_tables

    if args.out:
        output_file(args.out, "tables file", [args.file], (".csv",))
    if args.follow_up:
        given = [args.file, *([args.out] if args.out else [])]
        output_file(args.follow_up, "follow-up list", given, (".csv",))
    classified = classify(load_households(args.file))
    print(report_text(classified))
    if args.out:
        write_tables(classified, args.out)
    if args.follow_up:
        write_follow_up(classified, args.follow_up)
    return EXIT_OK


def register(sub: argparse._SubParsersAction, shared: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``poverty`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "poverty",
        help="classify households A/B/C/F, count them by level and menu, list those to follow up",
    )
    p.add_argument("file", metavar="FILE", help="household records (CSV or XLSX)")
    p.add_argument(
        "--out", metavar="FILE.csv", help="also write the tables (with shares in percent) as CSV"
    )
    p.add_argument(
        "--follow-up",
        metavar="FILE.csv",
        help="also write every household at level C, F or B, with its menu and indicators",
    )
    p.set_defaults(func=_cmd_poverty)
