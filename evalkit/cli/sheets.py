"""Commands on score sheets: ``validate``, ``score``, ``ingest``, ``history``, ``export``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.cli.common import (
    DEFAULT_LEDGER,
    EXIT_INVALID,
    EXIT_OK,
    in_project,
    registry_of,
)
from evalkit.cli.conventions import emit_json, say
from evalkit.cli.paths import PathError, output_file, output_folder
from evalkit.core.dates import thai_datetime
from evalkit.core.i18n import Message, msg, translate
from evalkit.frameworks.vocabulary import consensus_names

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from evalkit.core.errors import Problem
    from evalkit.sheets.skipped import Skipped


def _cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from evalkit.core.errors import Problem
    from evalkit.exports.spreadsheet import Sheet, write_csv
    from evalkit.scoring.precedence import unexplained
    from evalkit.sheets.load import check_sheets

    if args.out:
        output_file(args.out, msg("problems file"), args.sheets, (".csv",))
    sheets, problems = check_sheets(
        args.sheets, registry_of(args), args.sheet, args.encoding, args.decimal_comma
    )
    if args.out:
        columns = ["file", "sheet", "row", "column", "found", "expected", "hint"]
        table = pd.DataFrame(
            [p.as_dict() for p in problems], columns=list(Problem.__dataclass_fields__)
        )
        write_csv(Sheet("problems", table[columns]), args.out)
    rows = sum(len(f) for f in sheets.frames().values())
    flagged = unexplained(sheets)
    if args.json:
        from evalkit.sheets.skipped import as_dicts

        emit_json(
            {
                "files": len(args.sheets),
                "rows": rows,
                "valid": not problems,
                "problems": [p.as_dict() | {"message": str(p)} for p in problems],
                "skipped": as_dicts(sheets.skipped),
                "flagged": [p.as_dict() | {"message": str(p)} for p in flagged],
            }
        )
        return EXIT_INVALID if problems else EXIT_OK
    say_skipped(sheets.skipped, args)
    say_flagged(flagged)
    for problem in problems:
        say(str(problem), error=True)
    if problems:
        say(
            msg(
                "{count} problem(s) in {files} file(s); fix them and run again. Nothing was "
                "scored or stored.",
                count=len(problems),
                files=len(args.sheets),
            ),
            error=True,
        )
        return EXIT_INVALID
    say(msg("{files} file(s), {rows} rows: no problems.", files=len(args.sheets), rows=rows))
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from evalkit.analysis.check_path import paths_for_rules
    from evalkit.exports.scores import write_results
    from evalkit.scoring.engine import absent_categories, score, self_assessment
    from evalkit.scoring.rules import evaluate_rules
    from evalkit.sheets.load import load_sheets

    output_file(args.out, msg("results file"), args.sheets, (".csv", ".xlsx"))
    if args.rules:
        output_file(args.rules, msg("rules file"), [*args.sheets, args.out], (".csv", ".xlsx"))
    registry = registry_of(args)
    sheets = load_sheets(args.sheets, registry, args.sheet, args.encoding, args.decimal_comma)
    say_skipped(sheets.skipped, args)
    result = score(sheets, registry, rule=args.consensus)
    write_results(result, args.out)
    own = self_assessment(sheets, registry, rule=args.consensus)
    if len(own):
        own_path = Path(args.out).with_stem(Path(args.out).stem + "-self")
        output_file(own_path, msg("self-assessment file"), args.sheets, (".csv", ".xlsx"))
        write_results(own, own_path)
        count = int((own["level"] == "total").sum())
        text = msg(
            "The agency's self-assessment of {count} agency-years, apart from the panel's "
            "scores: {path}",
            count=count,
            path=own_path,
        )
        say(text)
    for row in absent_categories(result).itertuples():
        say(
            msg(
                "note: {agency} {year} {framework}: categories {categories} absent; their rows "
                "are empty and labelled 'absent', and the total covers the others only.",
                agency=row.agency_id,
                year=row.year,
                framework=row.framework,
                categories=", ".join(row.absent),
            ),
            error=True,
        )
    rules = evaluate_rules(result, registry)
    if args.rules:
        paths = paths_for_rules(result, sheets, registry, rules)
        write_results(_with_paths(rules, paths), args.rules, "rules")
        for rule, path in paths:
            _print_path(rule, path)
    totals = result[result["level"] == "total"]
    say(
        msg(
            "Scored {count} agency-years from {sheets} sheet(s) into {out}",
            count=len(totals),
            sheets=len(args.sheets),
            out=args.out,
        )
    )
    if len(rules):
        say(_rules_met(rules, args.rules))
    return EXIT_OK


def _rules_met(rules: pd.DataFrame, out: str | None) -> Message:
    """How many rules were met, how many did not apply, and where the details are."""
    met = int(rules["met"].sum())
    count = int(rules["applicable"].sum())
    skipped = len(rules) - count
    if skipped and out:
        return msg(
            "Rules: {met} of {count} met ({skipped} not applicable: categories absent); "
            "details in {out}",
            met=met,
            count=count,
            skipped=skipped,
            out=out,
        )
    if skipped:
        return msg(
            "Rules: {met} of {count} met ({skipped} not applicable: categories absent) "
            "(--rules FILE.csv for details)",
            met=met,
            count=count,
            skipped=skipped,
        )
    if out:
        return msg("Rules: {met} of {count} met; details in {out}", met=met, count=count, out=out)
    return msg("Rules: {met} of {count} met (--rules FILE.csv for details)", met=met, count=count)


def _with_paths(rules: pd.DataFrame, paths: list[tuple[pd.Series, pd.DataFrame]]) -> pd.DataFrame:
    """The rules table with ``path``: the checks to meet, for each unmet checklist rule."""
    shown = {
        (r["agency_id"], r["year"], r["framework"], r["rule"], r["key"]): "; ".join(p["check"])
        if p.attrs.get("reachable")
        else "unreachable"
        for r, p in paths
    }
    keys = ["agency_id", "year", "framework", "rule", "key"]
    return rules.assign(
        path=[shown.get(tuple(row), "") for row in rules[keys].itertuples(index=False)]
    )


def _print_path(rule: pd.Series, path: pd.DataFrame) -> None:
    where = "total" if rule["key"] == "total" else f"category {rule['key']}"
    head = (
        f"{rule['agency_id']} {rule['year']} {rule['framework']}: {rule['rule']} "
        f"({where} {rule['points']:.2f} -> {rule['threshold']:.2f})"
    )
    if not path.attrs.get("reachable"):
        ceiling = f"{path.attrs['ceiling']:g}"
        say(
            msg(
                "{head}: not reachable by checks (at most {ceiling} points)",
                head=head,
                ceiling=ceiling,
            )
        )
        return
    count = len(path)
    say(msg("{head}: fewest checks to meet = {count}", head=head, count=count))
    for row in path.itertuples(index=False):
        print(f"  {row.step}. {row.check} ({row.level}) +{row.gain:.2f} -> {row.total:.2f}")


def _cmd_ingest(args: argparse.Namespace) -> int:
    ledger_path = in_project(args, args.ledger)
    from evalkit.sheets.ledger import Ledger

    if any(_same_file(ledger_path, s) for s in args.sheets):
        raise PathError(
            msg("The ledger {file} is also given as a sheet; name sheets only.", file=ledger_path)
        )
    if not ledger_path.exists():
        output_file(ledger_path, msg("ledger"))
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(ledger_path)
    try:
        results = ledger.ingest(args.sheets, registry_of(args))
        say_skipped([s for r in results for s in r.skipped], args)
        for r in results:
            detail = (
                msg(
                    "{rows} rows, {superseded} earlier rows superseded",
                    rows=r.rows,
                    superseded=r.superseded,
                )
                if r.status == "ingested"
                else msg("already in the ledger; nothing changed")
            )
            status = f"{translate(r.status):10}"
            say(
                msg(
                    "{status} {file} ({digest}): {detail}",
                    status=status,
                    file=r.source_file,
                    digest=r.sha256[:12],
                    detail=detail,
                )
            )
    finally:
        ledger.close()
    return EXIT_OK


def _cmd_history(args: argparse.Namespace) -> int:
    ledger_path = in_project(args, args.ledger)
    from evalkit.sheets.ledger import Ledger
    from evalkit.sheets.stages import AGREED

    ledger = Ledger.open_existing(ledger_path)
    try:
        history = ledger.history(args.agency_id)
    finally:
        ledger.close()
    if history.empty:
        say(msg("No rows for {agency} in {ledger}.", agency=args.agency_id, ledger=ledger_path))
        return EXIT_OK
    for row in history.itertuples(index=False):
        change = (
            f"{row.before} -> {row.after}" if row.before else msg("new: {value}", value=row.after)
        )
        who = row.stage if row.stage in AGREED else row.assessor or "-"
        when = thai_datetime(row.ingested_at)
        say(
            msg(
                "{when}  {year} {framework} {who} {what}: {change}  ({file})",
                when=when,
                year=row.year,
                framework=row.framework,
                who=who,
                what=row.what,
                change=change,
                file=row.source_file,
            )
        )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    ledger_path = in_project(args, args.ledger)
    from evalkit.exports.scores import export
    from evalkit.sheets.load import load_sheets

    registry = registry_of(args)
    sources = args.sources or [ledger_path]
    if args.format == "xlsx":
        output_file(args.out, msg("export file"), sources, (".xlsx",))
    else:
        output_folder(args.out, msg("export folder"), sources)
    for path in export(load_sheets(sources, registry), registry, args.format, args.out):
        say(str(path))
    return EXIT_OK


def say_skipped(skipped: Sequence[Skipped], args: argparse.Namespace) -> None:
    """One line per reason for what reading left aside (evalkit's own sheets too with
    ``--verbose``)."""
    from evalkit.sheets.skipped import skipped_lines

    for line in skipped_lines(skipped, verbose=bool(getattr(args, "verbose", False))):
        say(line, error=True)  # on stderr: the command's output stays what it was


def say_flagged(flagged: Sequence[Problem]) -> None:
    """Agreed values outside the assessors' range that give no reason: flagged on stderr, not
    refused."""
    if flagged:
        say(msg("Flagged, not refused: agreed values that give no reason"), error=True)
    for problem in flagged:
        say(f"  {problem}", error=True)


def _same_file(a: Path, b: str | Path) -> bool:
    return a.resolve() == Path(b).resolve()


CONSENSUS_HELP = "how assessors' values become one (default: the framework's rule)"


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add the sheet commands to the ``evalkit`` parser."""
    on_sheets = [shared["frameworks"], shared["reading"]]
    p = sub.add_parser(
        "validate", parents=on_sheets, help="check sheets and list every problem, scoring nothing"
    )
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets")
    p.add_argument("--out", metavar="problems.csv", help="also write the problems as CSV")
    p.add_argument(
        "--json", action="store_true", help="print the result as JSON (problems and counts)"
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "score",
        parents=on_sheets,
        help="score sheets into a CSV of item, category and total points",
    )
    p.add_argument(
        "sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets, or a ledger (.sqlite)"
    )
    p.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the results")
    p.add_argument(
        "--rules",
        metavar="FILE.csv",
        help="also write award and target status, and print the fewest checks to each unmet "
        "target of a checklist framework",
    )
    p.add_argument("--consensus", choices=consensus_names(), help=CONSENSUS_HELP)
    p.set_defaults(func=_cmd_score)
    _register_ledger(sub, shared)


def _register_ledger(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    ledger = argparse.ArgumentParser(add_help=False)
    ledger.add_argument(
        "--ledger", default=DEFAULT_LEDGER, help=f"(default: PROJECT/{DEFAULT_LEDGER})"
    )
    p = sub.add_parser(
        "ingest",
        parents=[shared["frameworks"], ledger],
        help="store validated sheets in the ledger, keeping history",
    )
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser(
        "history",
        parents=[shared["base"], ledger],
        help="what changed in an agency's scores, and when",
    )
    p.add_argument("agency_id", metavar="AGENCY_ID")
    p.set_defaults(func=_cmd_history)

    p = sub.add_parser(
        "export",
        parents=[shared["frameworks"], ledger],
        help="scores and consensus as CSV (a folder) or XLSX (a file)",
    )
    p.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help=f"sheets or a ledger (default: the ledger, {DEFAULT_LEDGER})",
    )
    p.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
    p.add_argument("--out", required=True, metavar="FOLDER|FILE.xlsx")
    p.set_defaults(func=_cmd_export)
