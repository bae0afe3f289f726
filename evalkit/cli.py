"""The ``evalkit`` command.

Exit status: 0 on success; 1 when input is invalid (every problem is listed on stderr) or a
report failed; 2 for usage errors. Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import EvalkitError, InvalidInputError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _cmd_score(args: argparse.Namespace) -> int:
    from .scoring import score, write_results
    from .sheets import load_sheets

    result = score(load_sheets(args.sheets))
    write_results(result, args.out)
    totals = result[result["level"] == "total"]
    print(f"Scored {len(totals)} agency-years from {len(args.sheets)} sheet(s) into {args.out}")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit", description="Score Thai public-sector agencies and publish reports."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("score", help="score sheets into a CSV of item, category and total points")
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="CSV or XLSX score sheets")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the results")
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
    return code


if __name__ == "__main__":
    sys.exit(main())
