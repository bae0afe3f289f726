"""The ``evalkit`` command.

Exit status: 0 on success; 1 when input is invalid (every problem is listed on stderr) or a
report failed; 2 for usage errors. Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from evalkit.core.errors import EvalkitError, FrameworkError, InvalidInputError
from evalkit.frameworks.registry import Registry

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _registry(args: argparse.Namespace) -> Registry:
    folders = [Path("frameworks")] if Path("frameworks").is_dir() else []
    return Registry([*folders, *(args.frameworks_dir or [])])


DEFAULT_LEDGER = "data/ledger.sqlite"


def _cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from evalkit.core.errors import Problem
    from evalkit.exports.scores import write_csv
    from evalkit.sheets.load import check_sheets

    sheets, problems = check_sheets(args.sheets, _registry(args), args.sheet, args.encoding)
    if args.out:
        columns = ["file", "sheet", "row", "column", "found", "expected", "hint"]
        table = pd.DataFrame(
            [p.as_dict() for p in problems], columns=list(Problem.__dataclass_fields__)
        )
        write_csv(table[columns], args.out)
    for problem in problems:
        print(problem, file=sys.stderr)
    rows = sum(len(f) for f in sheets.frames().values())
    if problems:
        print(
            f"{len(problems)} problem(s) in {len(args.sheets)} file(s); fix them and run "
            "again. Nothing was scored or stored.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    print(f"{len(args.sheets)} file(s), {rows} rows: no problems.")
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from evalkit.sheets.ledger import Ledger

    Path(args.ledger).parent.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(args.ledger)
    try:
        for r in ledger.ingest(args.sheets, _registry(args)):
            detail = (
                f"{r.rows} rows, {r.superseded} earlier rows superseded"
                if r.status == "ingested"
                else "already in the ledger; nothing changed"
            )
            print(f"{r.status:10} {r.source_file} ({r.sha256[:12]}): {detail}")
    finally:
        ledger.close()
    return EXIT_OK


def _cmd_history(args: argparse.Namespace) -> int:
    from evalkit.sheets.ledger import Ledger

    ledger = Ledger.open_existing(args.ledger)
    try:
        history = ledger.history(args.agency_id)
    finally:
        ledger.close()
    if history.empty:
        print(f"No rows for {args.agency_id} in {args.ledger}.")
        return EXIT_OK
    for row in history.itertuples(index=False):
        change = f"{row.before} -> {row.after}" if row.before else f"new: {row.after}"
        print(
            f"{row.ingested_at}  {row.year} {row.framework} {row.assessor or '-'} "
            f"{row.what}: {change}  ({row.source_file})"
        )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from evalkit.exports.scores import export
    from evalkit.sheets.load import load_sheets

    registry = _registry(args)
    sources = args.sources or [args.ledger]
    for path in export(load_sheets(sources, registry), registry, args.format, args.out):
        print(path)
    return EXIT_OK


def _cmd_bundle(args: argparse.Namespace) -> int:
    from evalkit.runner.bundle import bundle

    print(bundle(Path(args.reports), Path(args.out) if args.out else None))
    return EXIT_OK


def _cmd_poverty(args: argparse.Namespace) -> int:
    from evalkit.analysis.poverty import main_poverty

    return main_poverty(args.file, args.out)


def _cmd_score(args: argparse.Namespace) -> int:
    from evalkit.exports.scores import write_results
    from evalkit.scoring.engine import absent_categories, score
    from evalkit.scoring.rules import evaluate_rules
    from evalkit.sheets.load import load_sheets

    registry = _registry(args)
    sheets = load_sheets(args.sheets, registry, args.sheet, args.encoding)
    result = score(sheets, registry, rule=args.consensus)
    write_results(result, args.out)
    for row in absent_categories(result).itertuples():
        print(
            f"note: {row.agency_id} {row.year} {row.framework}: categories "
            f"{', '.join(row.absent)} absent; their rows are empty and labelled 'absent', "
            "and the total covers the others only.",
            file=sys.stderr,
        )
    rules = evaluate_rules(result, registry)
    if args.rules:
        write_results(rules, args.rules)
    totals = result[result["level"] == "total"]
    print(f"Scored {len(totals)} agency-years from {len(args.sheets)} sheet(s) into {args.out}")
    if len(rules):
        met = int(rules["met"].sum())
        print(
            f"Rules: {met} of {len(rules)} met"
            + (f"; details in {args.rules}" if args.rules else " (--rules FILE.csv for details)")
        )
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from evalkit.runner.run import RunOptions, run, summary_table

    params = args.params or sorted(Path("params").glob("*.yaml"))
    if not params:
        print("evalkit run: no params files given and none in ./params", file=sys.stderr)
        return EXIT_USAGE
    options = RunOptions(
        jobs=args.jobs,
        engine=args.engine,
        timeout=args.timeout or None,
        retry=args.retry,
        force=args.force,
        wait=args.wait,
        quiet=args.quiet,
        restart_every=args.restart_every,
        consensus=args.consensus,
    )
    portfolio = None if args.no_portfolio else Path(args.portfolio_notebook)
    results = run(params, Path(args.out), options, Path(args.notebook), portfolio)
    print(summary_table(results))
    for r in results:
        if r.status == "failed":
            print(f"failed: {r.job.key}: {r.error}", file=sys.stderr)
    print(f"Index: {(Path(args.out) / 'index.html').resolve()}")
    return EXIT_INVALID if any(r.status == "failed" for r in results) else EXIT_OK


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from evalkit.frameworks.schema import load_framework_file

    if args.action == "check":
        if not args.target:
            raise SystemExit("evalkit frameworks check: name a framework file")
        try:
            framework = load_framework_file(args.target)
        except FrameworkError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INVALID
        print(
            f"{args.target}: valid framework {framework.id!r} with "
            f"{len(framework.categories)} categories and {len(framework.items)} items."
        )
        return EXIT_OK
    registry = _registry(args)
    if args.action == "show":
        if not args.target:
            raise SystemExit("evalkit frameworks show: name a framework id")
        raw = dict(registry.get(args.target).raw)
        if args.format == "json":
            print(json.dumps(raw, ensure_ascii=False, indent=2))
        else:
            print(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), end="")
        return EXIT_OK
    for f in registry:
        methods = ", ".join(sorted(f.methods))
        print(f"{f.id:24} {f.edition:6} {f.max_points:>6g}  {methods:34} {f.name_th}")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from evalkit.exports.template import write_template

    if Path(args.out).suffix.lower() not in (".csv", ".xlsx"):
        raise SystemExit("evalkit template: --out must end in .xlsx or .csv")
    for path in write_template(_registry(args).get(args.framework), args.out):
        print(path)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit", description="Score Thai public-sector agencies and publish reports."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    frameworks_dir = argparse.ArgumentParser(add_help=False)
    frameworks_dir.add_argument(
        "--frameworks-dir",
        action="append",
        type=Path,
        metavar="DIR",
        help="a folder of extra framework files (./frameworks is read when present)",
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
        help="CSV encoding: utf-8, utf-16 or tis-620 (default: detected)",
    )

    p = sub.add_parser(
        "validate",
        parents=[frameworks_dir, reading],
        help="check sheets and list every problem, scoring nothing",
    )
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets")
    p.add_argument("--out", metavar="problems.csv", help="also write the problems as CSV")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "ingest",
        parents=[frameworks_dir],
        help="store validated sheets in the ledger, keeping history",
    )
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets")
    p.add_argument("--ledger", default=DEFAULT_LEDGER, help=f"(default: {DEFAULT_LEDGER})")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("bundle", help="one zip of the index and every report, to share")
    p.add_argument("--reports", default="reports", metavar="DIR", help="(default: reports)")
    p.add_argument("--out", metavar="FILE.zip", help="(default: DIR/evalkit-reports.zip)")
    p.set_defaults(func=_cmd_bundle)

    p = sub.add_parser("poverty", help="classify households A/B/C/F and count them by menu")
    p.add_argument("file", metavar="FILE", help="household records (CSV or XLSX)")
    p.add_argument("--out", metavar="FILE.csv", help="also write both tables as CSV")
    p.set_defaults(func=_cmd_poverty)

    p = sub.add_parser("history", help="what changed in an agency's scores, and when")
    p.add_argument("agency_id", metavar="AGENCY_ID")
    p.add_argument("--ledger", default=DEFAULT_LEDGER, help=f"(default: {DEFAULT_LEDGER})")
    p.set_defaults(func=_cmd_history)

    p = sub.add_parser(
        "export",
        parents=[frameworks_dir],
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
    p.add_argument("--ledger", default=DEFAULT_LEDGER, help=f"(default: {DEFAULT_LEDGER})")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "score",
        parents=[frameworks_dir, reading],
        help="score sheets into a CSV of item, category and total points",
    )
    p.add_argument(
        "sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets, or a ledger (.sqlite)"
    )
    p.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the results")
    p.add_argument("--rules", metavar="FILE.csv", help="also write award and target status")
    p.add_argument(
        "--consensus",
        choices=["median", "mean", "trimmed"],
        help="how assessors' values become one (default: the framework's rule)",
    )
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("run", help="render one HTML report per agency and year, and an index")
    p.add_argument(
        "params",
        nargs="*",
        type=Path,
        metavar="PARAMS",
        help="params YAML files (default: every file in params/)",
    )
    p.add_argument("--out", default="reports", metavar="DIR", help="output folder (reports)")
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="reports rendered at once (default: the number of cores)",
    )
    p.add_argument(
        "--engine",
        choices=["warm", "papermill"],
        default="warm",
        help="warm: a kept-warm kernel per worker (default); papermill: a fresh kernel per report",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help="longest a cell may run (default 300; 0 for no limit)",
    )
    p.add_argument("--retry", type=int, default=0, metavar="N", help="retry failed reports")
    p.add_argument("--force", action="store_true", help="render even unchanged reports")
    p.add_argument(
        "--wait",
        action="store_true",
        help="wait for another run on the same folder instead of refusing",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar, for unattended runs")
    p.add_argument(
        "--restart-every",
        type=int,
        default=50,
        metavar="K",
        help="restart a worker's kernel after K reports (default 50)",
    )
    p.add_argument(
        "--notebook",
        default="notebooks/agency_report.ipynb",
        help="the report notebook (default: notebooks/agency_report.ipynb)",
    )
    p.add_argument(
        "--portfolio-notebook",
        default="notebooks/portfolio.ipynb",
        help="one page per framework and year ranking every agency (default: "
        "notebooks/portfolio.ipynb, when it exists)",
    )
    p.add_argument("--no-portfolio", action="store_true", help="render no portfolio pages")
    p.add_argument(
        "--consensus",
        choices=["median", "mean", "trimmed"],
        help="how assessors' values become one (default: each framework's rule)",
    )
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "frameworks",
        parents=[frameworks_dir],
        help="list frameworks, show one, or check a framework file",
    )
    p.add_argument("action", nargs="?", choices=["list", "show", "check"], default="list")
    p.add_argument("target", nargs="?", metavar="ID|FILE")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml")
    p.set_defaults(func=_cmd_frameworks)

    p = sub.add_parser(
        "template", parents=[frameworks_dir], help="write a blank score sheet for a framework"
    )
    p.add_argument("framework", metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.csv")
    p.set_defaults(func=_cmd_template)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except InvalidInputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except EvalkitError as exc:
        print(f"evalkit: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
