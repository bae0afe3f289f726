"""The ``evalkit`` command: one module per command group, each registering its own arguments
beside its handler (:mod:`evalkit.cli.sheets`, :mod:`evalkit.cli.run`, :mod:`evalkit.cli.pdf`,
:mod:`evalkit.cli.frameworks`, :mod:`evalkit.cli.poverty`, :mod:`evalkit.cli.feedback`,
:mod:`evalkit.cli.init`, :mod:`evalkit.cli.explore`); what every command shares
(``--version``, ``--lang``, ``--log-file``, examples) is in :mod:`evalkit.cli.conventions`.

Exit status: 0 on success; 1 when input is invalid (every problem is listed on stderr) or a
report failed; 2 for usage errors. Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from evalkit.cli import explore, feedback, frameworks, init, pdf, poverty, run, sheets
from evalkit.cli.common import EXIT_INVALID, EXIT_USAGE, parents
from evalkit.cli.conventions import add_conventions, apply, early_language, log, say
from evalkit.cli.parser import Parser
from evalkit.cli.paths import describe, existing_folder
from evalkit.core.errors import EvalkitError, InvalidInputError
from evalkit.core.i18n import set_language
from evalkit.core.text import printable_lines
from evalkit.core.version import __version__

COMMAND_GROUPS = (sheets, feedback, run, pdf, frameworks, poverty, init, explore)


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``evalkit``; its help speaks the current language, so choose that first."""
    parser = Parser(
        prog="evalkit",
        description="ประเมินหน่วยงานภาครัฐและเผยแพร่รายงาน "
        "(score Thai public-sector agencies and publish reports).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = parents()
    for group in COMMAND_GROUPS:
        group.register(sub, shared)
    add_conventions(parser, sub, __version__)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(early_language(argv))  # help and usage errors in the language asked for
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:  # --help, --version or a usage error (status 2): said by argparse
        set_language(None)
        raise
    try:
        apply(args)
        log.info("evalkit %s: %s", __version__, " ".join(argv))
        existing_folder(getattr(args, "project", None) or ".", "project folder")
        code: int = args.func(args)
    except InvalidInputError as exc:
        print(printable_lines(str(exc)), file=sys.stderr)
        log.warning("%s", exc)
        return EXIT_INVALID
    except EvalkitError as exc:
        say(str(exc), error=True, prefix="evalkit: ")
        return EXIT_INVALID
    except OSError as exc:  # a read-only folder, a full disk: what no check can foresee
        say(describe(exc), error=True, prefix="evalkit: ")
        return EXIT_INVALID
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    finally:
        set_language(None)
    return code


if __name__ == "__main__":
    sys.exit(main())
