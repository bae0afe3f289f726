"""``evalkit poverty``: classify households A/B/C/F and list those to follow up."""

from __future__ import annotations

import argparse
from datetime import date

from evalkit.cli.common import EXIT_OK
from evalkit.cli.conventions import say
from evalkit.cli.paths import output_file
from evalkit.core.i18n import msg


def _cmd_poverty(args: argparse.Namespace) -> int:
    """Print the tables and the follow-up list; write the tables (long form) to ``--out``
    and the whole follow-up list to ``--follow-up`` when given. Problems of the household file
    are raised, every one, as InvalidInputError (exit 1)."""
    from evalkit.analysis.dimensions import get_edition
    from evalkit.analysis.households import load_households
    from evalkit.analysis.poverty import classify, data_date
    from evalkit.analysis.poverty_output import Poverty, report_text
    from evalkit.exports.poverty import write_follow_up, write_tables

    if args.out:
        output_file(args.out, msg("tables file"), [args.file], (".csv",))
    if args.follow_up:
        given = [args.file, *([args.out] if args.out else [])]
        output_file(args.follow_up, msg("follow-up list"), given, (".csv", ".xlsx"))
    edition = get_edition(args.edition)
    classified = classify(load_households(args.file))
    poverty = Poverty(classified, data_date(classified, args.as_of), edition)
    print(report_text(poverty))
    for path, write in ((args.out, write_tables), (args.follow_up, write_follow_up)):
        if path:
            say(str(write(poverty, path)))
    return EXIT_OK


def _date(text: str) -> date:
    """An argparse type: the date of the data, as Thai offices write it."""
    from evalkit.core.dates import read_date

    found = read_date(text)
    if found is None:
        raise argparse.ArgumentTypeError(
            msg("expected a date such as 2565-08-05, found {text}", text=repr(text))
        )
    return found


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
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
        metavar="FILE.xlsx|FILE.csv",
        help="also write every household at level C, F or B, with its menu and indicators "
        "(XLSX: one sheet per district, for printing)",
    )
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="the date of the data (default: the latest of the file's วันที่ข้อมูล column)",
    )
    p.add_argument(
        "--edition",
        default="tpmap-2561",
        metavar="ID",
        help="the edition of the deprivation dimensions the indicators belong to "
        "(default: tpmap-2561)",
    )
    p.set_defaults(func=_cmd_poverty)
