"""Commands on frameworks: ``frameworks`` (list, show, check)."""

from __future__ import annotations

import argparse
import json

import yaml

from evalkit.cli.common import EXIT_INVALID, EXIT_OK, registry_of
from evalkit.cli.conventions import say
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
