"""``evalkit decide``: the award decision list of a framework and year, for the minutes."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.cli.common import EXIT_INVALID, EXIT_OK, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import existing_file, output_file
from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import msg

if TYPE_CHECKING:
    import pandas as pd

SUFFIXES = (".xlsx", ".html", ".csv")


def _entries(path: Path | None, types: list[str]) -> pd.DataFrame | None:
    """The entries file, or InvalidInputError naming each row and column that is wrong."""
    import pandas as pd

    if path is None:
        return None
    existing_file(path, "entries file")
    entries = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    problems = []
    if "agency_id" not in entries:
        found = msg("the columns {columns}", columns=", ".join(entries.columns) or "-")
        problems.append(
            Problem(
                file=str(path),
                row=1,
                column="agency_id",
                found=found,
                expected=msg("a column agency_id"),
            )
        )
    for n, value in enumerate(entries.get("type", []), start=2):
        if types and value not in types:
            problems.append(
                Problem(
                    file=str(path),
                    row=n,
                    column="type",
                    found=repr(value),
                    expected=msg("one of {known}", known=", ".join(types)),
                )
            )
    if problems:
        raise InvalidInputError(problems)
    return entries


def _applied(entries: pd.DataFrame | None) -> dict[str, list[str]] | None:
    if entries is None or "applied" not in entries:
        return None
    return {
        str(a): [k.strip() for k in str(v).replace(";", ",").split(",") if k.strip()]
        for a, v in zip(entries["agency_id"], entries["applied"], strict=True)
        if str(v).strip()
    }


def _cmd_decide(args: argparse.Namespace) -> int:
    from evalkit.analysis.decisions import decide
    from evalkit.exports.decisions import write_decisions
    from evalkit.scoring.engine import score
    from evalkit.scoring.rules import evaluate_rules
    from evalkit.sheets.load import load_sheets

    if Path(args.out).suffix.lower() not in SUFFIXES:
        raise SystemExit("evalkit decide: --out must end in .xlsx, .html or .csv")
    output_file(args.out, "decision list")
    registry = registry_of(args)
    framework = registry.get(args.framework)
    entries = _entries(args.entries, [key for key, _, _ in framework.types])
    sheets = load_sheets(args.sheets, registry, args.sheet, args.encoding, args.decimal_comma)
    result = score(sheets.where(framework=framework.id, year=args.year), registry)
    if result.empty:
        say(
            f"no scores for {framework.id} {args.year} in the sheets given.",
            error=True,
            prefix="evalkit: ",
        )
        return EXIT_INVALID
    rules = evaluate_rules(result, registry, _applied(entries))
    closing = date.fromisoformat(args.closing) if args.closing else None
    decisions = decide(result, rules, framework, entries, closing)
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
        help="the entries: agency_id, type, applied categories, work, eligibility columns",
    )
    p.add_argument("--closing", metavar="YYYY-MM-DD", help="the closing date of applications")
    p.set_defaults(func=_cmd_decide)
