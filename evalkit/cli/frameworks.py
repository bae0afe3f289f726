"""Commands on frameworks: ``frameworks`` (list, show, check) and ``template``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from evalkit.cli.common import EXIT_INVALID, EXIT_OK, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import output_file
from evalkit.core.errors import FrameworkError
from evalkit.frameworks.schema import load_framework_file


def _cmd_frameworks(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.target:
            raise SystemExit("evalkit frameworks check: name a framework file")
        try:
            framework = load_framework_file(args.target)
        except FrameworkError as exc:
            say(str(exc), error=True)
            return EXIT_INVALID
        say(
            f"{args.target}: valid framework {framework.id!r} with "
            f"{len(framework.categories)} categories and {len(framework.items)} items."
        )
        return EXIT_OK
    registry = registry_of(args)
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
        say(f"{f.id:24} {f.edition:6} {f.max_points:>6g}  {methods:34} {f.name_th}")
    return EXIT_OK


#: The id ``evalkit template`` takes for the household file of ``evalkit poverty``.
HOUSEHOLDS = "poverty"


def _cmd_template(args: argparse.Namespace) -> int:
    from evalkit.exports.template import write_household_template, write_template

    if Path(args.out).suffix.lower() not in (".csv", ".xlsx"):
        raise SystemExit("evalkit template: --out must end in .xlsx or .csv")
    output_file(args.out, "template")
    if args.framework == HOUSEHOLDS:
        if args.categories or args.factors:
            raise SystemExit(
                "evalkit template poverty: --categories and --factors are for frameworks"
            )
        written = write_household_template(args.out)
    else:
        categories = [c.strip() for c in (args.categories or "").split(",") if c.strip()]
        framework = registry_of(args).get(args.framework)
        written = write_template(framework, args.out, categories, args.factors)
    for path in written:
        say(str(path))
    return EXIT_OK


def register(sub: argparse._SubParsersAction, shared: dict[str, argparse.ArgumentParser]) -> None:
    """Add the framework commands to the ``evalkit`` parser."""
    p = sub.add_parser(
        "frameworks",
        parents=[shared["frameworks"]],
        help="list frameworks, show one, or check a framework file",
    )
    p.add_argument("action", nargs="?", choices=["list", "show", "check"], default="list")
    p.add_argument("target", nargs="?", metavar="ID|FILE")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml")
    p.set_defaults(func=_cmd_frameworks)

    p = sub.add_parser(
        "template",
        parents=[shared["frameworks"]],
        help="write a blank score sheet for a framework (or, with ID poverty, a household file)",
    )
    p.add_argument("framework", metavar="ID", help="a framework id, or poverty")
    p.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.csv")
    p.add_argument(
        "--categories",
        metavar="KEYS",
        help="only these categories, comma-separated (a category award: --categories 2)",
    )
    p.add_argument(
        "--factors",
        action="store_true",
        help="add the factor columns (ADLI a, d, l, i; LeTCI le, t, c, i) to band sheets",
    )
    p.set_defaults(func=_cmd_template)
