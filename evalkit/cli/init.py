"""``evalkit init DIR``: a starter project folder (a params example, a blank template and a
README in Thai and English). Files that exist are left as they are.

The blank template goes to ``templates/``, which no command reads: a copy of it is filled in
and saved in ``data/``, where the params example looks for sheets. A blank template in
``data/`` would be read as a sheet with nothing filled in."""

from __future__ import annotations

import argparse
from importlib import resources

from evalkit.cli.common import EXIT_OK, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import output_folder
from evalkit.core.files import write_text_atomic
from evalkit.core.i18n import msg

#: The starter files, with ``{placeholders}`` filled in: in Thai and English, as people read them.
STARTER = resources.files("evalkit") / "templates" / "starter"


def _starter(file: str, **values: str) -> str:
    return (STARTER / file).read_text(encoding="utf-8").format(**values)


def _cmd_init(args: argparse.Namespace) -> int:
    folder = output_folder(args.folder, msg("project folder"))
    framework = registry_of(args).get(args.framework)
    template = f"template-{framework.id}.xlsx"
    files = {
        folder / "README.md": _starter(
            "README.md", name=folder.resolve().name, template=template, framework=framework.id
        ),
        folder / "params" / "example.yaml": _starter("example.yaml", framework=framework.id),
    }
    for path, text in files.items():
        if path.exists():
            say(msg("kept {path} (it exists)", path=path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        say(msg("written {path}", path=path))
    (folder / "data").mkdir(parents=True, exist_ok=True)  # where the filled sheets go
    sheet = folder / "templates" / template
    if sheet.exists():
        say(msg("kept {path} (it exists)", path=sheet))
    else:
        sheet.parent.mkdir(parents=True, exist_ok=True)
        from evalkit.exports.template import write_template

        for path in write_template(framework, sheet):
            say(msg("written {path}", path=path))
    said = msg(
        "Next: copy {sheet} into {data}, fill it in, then `evalkit run --project {folder}`.",
        sheet=sheet,
        data=folder / "data",
        folder=folder,
    )
    say(said)
    return EXIT_OK


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``init`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "init",
        parents=[shared["frameworks"]],
        help="write a starter project: a params example, a blank template, a README",
    )
    p.add_argument("folder", metavar="DIR", help="the project folder (created when missing)")
    p.add_argument("--framework", default="pmqa-2562", metavar="ID", help="(default: pmqa-2562)")
    p.set_defaults(func=_cmd_init)
