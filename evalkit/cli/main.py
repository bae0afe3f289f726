"""The ``evalkit`` command: one module per command group, each registering its own arguments
beside its handler (:mod:`evalkit.cli.sheets`, :mod:`evalkit.cli.run`,
:mod:`evalkit.cli.frameworks`, :mod:`evalkit.cli.poverty`, :mod:`evalkit.cli.feedback`).

Exit status: 0 on success; 1 when input is invalid (every problem is listed on stderr) or a
report failed; 2 for usage errors. Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from evalkit.cli import feedback, frameworks, init, poverty, run, sheets
from evalkit.cli.common import EXIT_INVALID, EXIT_USAGE, parents
from evalkit.core.errors import EvalkitError, InvalidInputError

COMMAND_GROUPS = (sheets, feedback, run, frameworks, poverty, init)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit", description="Score Thai public-sector agencies and publish reports."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = parents()
    for group in COMMAND_GROUPS:
        group.register(sub, shared)
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
