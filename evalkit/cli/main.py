"""The ``evalkit`` command: one module per command group, each registering its own arguments
beside its handler (:mod:`evalkit.cli.sheets`, :mod:`evalkit.cli.run`, :mod:`evalkit.cli.pdf`,
:mod:`evalkit.cli.frameworks`, :mod:`evalkit.cli.template`, :mod:`evalkit.cli.poverty`,
:mod:`evalkit.cli.feedback`, :mod:`evalkit.cli.init`, :mod:`evalkit.cli.explore`); what
every command shares (``--version``, ``--lang``, ``--log-file``, examples) is in
:mod:`evalkit.cli.conventions`.

Exit status (:mod:`evalkit.cli.common` has the table): 0 on success; 1 when input is refused
(every problem is listed on stderr); 2 for usage errors; 3 when reports failed to render; 4
when another run holds the output folder; 5 when the machine lacks what the command needs (a
scheduler, disk space, a kernel, a browser, a writable log file). Bad input never shows a
traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from collections.abc import Sequence

from evalkit.cli import (
    decide,
    explore,
    feedback,
    frameworks,
    init,
    pdf,
    poverty,
    run,
    sheets,
    template,
)
from evalkit.cli.common import (
    EXIT_BUSY,
    EXIT_ENVIRONMENT,
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    parents,
)
from evalkit.cli.config import apply_settings
from evalkit.cli.conventions import (
    add_conventions,
    apply,
    debug,
    early_language,
    log,
    log_failure,
    say,
)
from evalkit.cli.parser import Parser
from evalkit.cli.paths import describe, existing_folder
from evalkit.core.errors import (
    ENVIRONMENT_ERRNOS,
    BusyError,
    EvalkitError,
    InvalidInputError,
    UnavailableError,
)
from evalkit.core.i18n import Message, msg, set_language
from evalkit.core.text import printable_lines
from evalkit.core.version import __version__

COMMAND_GROUPS = (
    sheets,
    feedback,
    decide,
    run,
    pdf,
    frameworks,
    template,
    poverty,
    init,
    explore,
)


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``evalkit``; its help speaks the current language, so choose that first."""
    parser = Parser(
        prog="evalkit",
        description="Score Thai public-sector agencies and publish reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = parents()
    for group in COMMAND_GROUPS:
        group.register(sub, shared)
    add_conventions(parser, sub, __version__)  # type: ignore[arg-type]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if hasattr(signal, "SIGXFSZ"):  # a file past the size limit: an error to report, not a kill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    set_language(early_language(argv))  # help and usage errors in the language asked for
    parser = build_parser()
    try:
        apply_settings(parser, argv)  # the project's evalkit.toml: defaults before parsing
    except InvalidInputError as exc:
        print(printable_lines(str(exc)), file=sys.stderr)
        set_language(None)
        return EXIT_INVALID
    try:
        args = parser.parse_args(argv)
    except SystemExit:  # --help, --version or a usage error (status 2): said by argparse
        set_language(None)
        raise
    try:
        code = _command(args, argv)
        failure = log_failure()
        if failure is not None:  # the log could not be written: say so, once
            say(failure, error=True, prefix="evalkit: ")
            code = EXIT_ENVIRONMENT if code in (EXIT_OK, EXIT_FAILED) else code
        return code
    finally:
        set_language(None)


def _command(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Run the parsed command; every error it can meet becomes a sentence and an exit status."""
    try:
        apply(args)
        log.info("evalkit %s: %s", __version__, " ".join(argv))
        existing_folder(getattr(args, "project", None) or ".", msg("project folder"))
        code: int = args.func(args)
    except (EvalkitError, OSError, SystemExit) as exc:
        if debug():  # the traceback first, for a bug report; the sentence last, as always
            traceback.print_exc(file=sys.stderr)
        return _failure(exc)
    return code


def _failure(exc: EvalkitError | OSError | SystemExit) -> int:
    """Say why the command stopped, in one sentence or a list of problems; its exit status."""
    if isinstance(exc, InvalidInputError):
        print(printable_lines(str(exc)), file=sys.stderr)
        log.warning("%s", exc)
        return EXIT_INVALID
    if isinstance(exc, SystemExit):
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, OSError):  # a read-only folder, a full disk: what no check can foresee
        say(describe(exc), error=True, prefix="evalkit: ")
        return EXIT_ENVIRONMENT if exc.errno in ENVIRONMENT_ERRNOS else EXIT_INVALID
    said = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], Message) else str(exc)
    say(said, error=True, prefix="evalkit: ")  # a Message: shown translated, logged in English
    if isinstance(exc, BusyError):
        return EXIT_BUSY
    return EXIT_ENVIRONMENT if isinstance(exc, UnavailableError) else EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
