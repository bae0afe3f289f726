"""``evalkit poverty``: classify households A/B/C/F and list those to follow up."""

from __future__ import annotations

import argparse

from evalkit.cli.paths import output_file


def _cmd_poverty(args: argparse.Namespace) -> int:
    from evalkit.analysis.poverty_output import main_poverty

    if args.out:
        output_file(args.out, "tables file", [args.file], (".csv",))
    if args.follow_up:
        given = [args.file, *([args.out] if args.out else [])]
        output_file(args.follow_up, "follow-up list", given, (".csv",))
    return main_poverty(args.file, args.out, args.follow_up)


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
