"""``evalkit decide``: the award decision list of a framework and year, for the minutes."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.cli.common import EXIT_INVALID, EXIT_OK, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import existing_file, output_file
from evalkit.core.i18n import msg

if TYPE_CHECKING:
    import pandas as pd

    from evalkit.frameworks.model import Framework
    from evalkit.sheets.sheetset import SheetSet

SUFFIXES = (".xlsx", ".html", ".csv")


def _entries(
    args: argparse.Namespace, framework: Framework, sheets: SheetSet
) -> pd.DataFrame | None:
    """The entries the score sheets give, with the entries file's when one is given (a value
    the two give differently is refused); which was used is said."""
    from evalkit.cli.sheets import say_skipped
    from evalkit.sheets.entries import entries_for, sheet_entries
    from evalkit.sheets.skipped import Skipped

    if args.entries is not None:
        existing_file(args.entries, msg("entries file"))
        skipped: list[Skipped] = []
        entries = entries_for(sheets, framework, args.year, args.entries, skipped)
        say_skipped(skipped, args)
        say(msg("entries from the entries file {file} and the score sheets",
                file=str(args.entries)))  # fmt: skip
        return entries
    found = sheet_entries(sheets, framework, args.year)
    if len(found) and (found["type"] != "").any():
        say(msg("award types from the score sheets ({count} entries)", count=len(found)))
    elif framework.types:
        say(msg("no award types in the sheets and no entries file: every entry is ranked "
                "together"))  # fmt: skip
    return found if len(found) else None


def _other_closing(entries: pd.DataFrame | None, closing: date | None) -> str:
    """The closing dates the entries give other than ``--closing`` (none when it is not
    given), comma-separated."""
    if closing is None or entries is None or "closing_date" not in entries:
        return ""
    given = {d for d in entries["closing_date"] if d} - {closing.isoformat()}
    return ", ".join(sorted(given))


def _day(text: str) -> date:
    """A date written YYYY-MM-DD (common era), or a usage error that says so."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        wrong = msg("{text!r} is not a date written YYYY-MM-DD (e.g. 2021-03-31)", text=text)
        raise argparse.ArgumentTypeError(str(wrong)) from None


def _cmd_decide(args: argparse.Namespace) -> int:
    from evalkit.analysis.decisions import applied_of, decide
    from evalkit.exports.decisions import write_decisions
    from evalkit.scoring.engine import score
    from evalkit.scoring.rules import evaluate_rules
    from evalkit.sheets.load import load_sheets

    output_file(args.out, msg("decision list"), args.sheets, SUFFIXES)
    registry = registry_of(args)
    framework = registry.get(args.framework)
    sheets = load_sheets(args.sheets, registry, args.sheet, args.encoding, args.decimal_comma)
    result = score(sheets.where(framework=framework.id, year=args.year), registry)
    if result.empty:
        wanted = f"{framework.id} {args.year}"
        say(msg("no scores for {wanted} in the sheets given.", wanted=wanted), error=True,
            prefix="evalkit: ")  # fmt: skip
        return EXIT_INVALID
    entries = _entries(args, framework, sheets)
    if other := _other_closing(entries, args.closing):
        say(msg("--closing {closing} and the closing date the entries give ({dates}) differ: "
                "give one", closing=args.closing.isoformat(), dates=other), error=True,
            prefix="evalkit: ")  # fmt: skip
        return EXIT_INVALID
    rules = evaluate_rules(result, registry, applied_of(entries))
    decisions = decide(result, rules, framework, entries, args.closing, sheets)
    say(str(write_decisions(decisions, framework, args.year, args.out, date.today())))
    return EXIT_OK


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``decide`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "decide",
        parents=[shared["frameworks"], shared["reading"]],
        help="write the award decision list of a framework and year, for the minutes",
    )
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets")
    p.add_argument("--framework", required=True, metavar="ID", help="the award's framework")
    p.add_argument(
        "--year", required=True, type=int, metavar="YEAR", help="the year (Buddhist era)"
    )
    p.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.html|FILE.csv")
    p.add_argument(
        "--entries",
        type=Path,
        metavar="FILE.csv",
        help="the entries: agency_id, type, applied categories, work, eligibility columns "
        "(beside the same columns of the sheets; a value they give differently is refused)",
    )
    p.add_argument(
        "--closing",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the closing date of applications (when the entries give no closing_date)",
    )
    p.set_defaults(func=_cmd_decide)
