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

from .errors import EvalkitError, FrameworkError, InvalidInputError
from .framework import Registry

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _registry(args: argparse.Namespace) -> Registry:
    folders = [Path("frameworks")] if Path("frameworks").is_dir() else []
    return Registry([*folders, *(args.frameworks_dir or [])])


def _cmd_score(args: argparse.Namespace) -> int:
    from .rules import evaluate_rules
    from .scoring import absent_categories, score, write_results
    from .sheets import load_sheets

    registry = _registry(args)
    result = score(load_sheets(args.sheets, registry), registry, rule=args.consensus)
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
    from .runner import run

    params = args.params or sorted(Path("params").glob("*.yaml"))
    if not params:
        print("evalkit run: no params files given and none in ./params", file=sys.stderr)
        return EXIT_USAGE
    results = run(params, Path(args.out), jobs=args.jobs, notebook=Path(args.notebook))
    failed = [r for r in results if r.status != "ok"]
    for r in failed:
        print(f"failed: {r.job.params.agency_id} {r.job.year}: {r.error}", file=sys.stderr)
    print(f"{len(results) - len(failed)} of {len(results)} reports rendered.")
    print(f"Index: {(Path(args.out) / 'index.html').resolve()}")
    return EXIT_INVALID if failed else EXIT_OK


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from .schema import load_framework_file

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
    from .template import write_template

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

    p = sub.add_parser(
        "score",
        parents=[frameworks_dir],
        help="score sheets into a CSV of item, category and total points",
    )
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the results")
    p.add_argument("--rules", metavar="FILE.csv", help="also write award and target status")
    p.add_argument(
        "--consensus",
        choices=["median", "mean"],
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
        "--notebook",
        default="notebooks/agency_report.ipynb",
        help="the report notebook (default: notebooks/agency_report.ipynb)",
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
