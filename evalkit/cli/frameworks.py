"""Commands on frameworks: ``frameworks`` (list, show, check, schema)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.cli.common import EXIT_INVALID, EXIT_OK, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import output_file
from evalkit.core.errors import FrameworkError
from evalkit.core.files import write_text_atomic
from evalkit.core.i18n import msg

if TYPE_CHECKING:
    from evalkit.frameworks.model import Framework
    from evalkit.frameworks.registry import Registry


def _check(args: argparse.Namespace) -> int:
    if not args.target:
        raise SystemExit("evalkit frameworks check: name a framework file")
    from evalkit.frameworks.registry import packaged_ids
    from evalkit.frameworks.schema import load_framework_file

    try:
        framework = load_framework_file(args.target, registry_of(args, tolerant=True).get_known)
    except FrameworkError as exc:
        say(str(exc), error=True)
        return EXIT_INVALID
    say(
        str(
            msg(
                "{file}: valid framework {id} with {categories} categories and {items} items.",
                file=args.target,
                id=repr(framework.id),
                categories=len(framework.categories),
                items=len(framework.items),
            )
        )
    )
    if framework.id in packaged_ids():
        say(
            str(
                msg(
                    "In a project's frameworks/ it overrides the packaged framework {id}.",
                    id=repr(framework.id),
                )
            )
        )
    return EXIT_OK


def _said(registry: Registry) -> None:
    """The project files a tolerant registry left out, and the packaged frameworks overridden."""
    for broken in registry.broken:
        say(
            str(msg("skipped (not a valid framework file): {error}", error=str(broken))), error=True
        )
    for framework_id, packaged in sorted(registry.overrides.items()):
        say(
            str(
                msg(
                    "{file} overrides the packaged framework {id} ({packaged}).",
                    file=registry.get(framework_id).origin,
                    id=repr(framework_id),
                    packaged=packaged,
                )
            ),
            error=True,
        )


def show_text(framework: Framework, form: str) -> str:
    """A framework as its file holds it: YAML (a valid framework file as it is) or JSON."""
    import yaml

    raw = dict(framework.raw)
    if form == "json":
        return json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
    head = f"# evalkit frameworks show {framework.id}: {Path(framework.origin).name}\n"
    if framework.extends:
        head += f"# extends {framework.extends}; merged. Each rule was set by:\n"
        head += "".join(f"#   {r.id}: {Path(r.origin).name}\n" for r in framework.rules)
    return head + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)


def _show(args: argparse.Namespace) -> int:
    if not args.target:
        raise SystemExit("evalkit frameworks show: name a framework id")
    registry = registry_of(args, tolerant=True)
    _said(registry)
    text = show_text(registry.get(args.target), args.format)
    if args.out:
        output_file(args.out, msg("framework file"))
        write_text_atomic(args.out, text)
        say(str(args.out))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from evalkit.frameworks.shape import schema_names, schema_text

    name = args.target or "framework"
    known = schema_names()
    if name not in known:
        raise SystemExit(
            str(
                msg(
                    "evalkit frameworks schema: unknown schema {name}; known: {known}",
                    name=repr(name),
                    known=", ".join(known),
                )
            )
        )
    sys.stdout.write(schema_text(name))
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    registry = registry_of(args, tolerant=True)
    _said(registry)
    for f in registry:
        methods = ", ".join(sorted(f.methods))
        say(f"{f.id:24} {f.edition:6} {f.max_points:>6g}  {methods:34} {f.name_th}")
    return EXIT_INVALID if registry.broken else EXIT_OK


def _cmd_frameworks(args: argparse.Namespace) -> int:
    actions = {"check": _check, "show": _show, "schema": _schema, "list": _list}
    return actions[args.action](args)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add the framework commands to the ``evalkit`` parser."""
    p = sub.add_parser(
        "frameworks",
        parents=[shared["frameworks"]],
        help="list frameworks, show or check one, or print the schema",
    )
    p.add_argument("action", nargs="?", choices=["list", "show", "check", "schema"], default="list")
    p.add_argument("target", nargs="?", metavar="ID|FILE|NAME")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="show: write the framework file here (atomically) instead of printing it",
    )
    p.set_defaults(func=_cmd_frameworks)
