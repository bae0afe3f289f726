"""What every command does alike: ``--version``, ``--lang``, ``--log-file``, ``-q``/``-v``,
``--debug``, help with examples in Thai and English, and output that goes to the console and to
the log at once.

``-v`` also prints on stderr what the library logs as it works (each PDF written, each
window of reports), ``-vv`` its details too; ``--debug`` shows them and, when a command fails,
the traceback behind its message (for a bug report; never needed to fix input).

``--quiet`` prints nothing at all when everything went well (so cron mails nothing): every
line a command says for a person goes to the log only; problems still reach stderr. A log
file that cannot be opened or written (a full disk, a read-only place, a file grown to the
largest size the system allows) stops being written, never raises from the middle of a
command, and makes the command end with one sentence saying why and exit status 5
(:func:`log_failure`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any

from evalkit.cli.parser import Parser, TranslatedRawDescriptionHelpFormatter
from evalkit.cli.paths import PathError, describe
from evalkit.core.errors import UnavailableError
from evalkit.core.i18n import LANGUAGES, Message, bilingual, msg, set_language, translate
from evalkit.core.text import printable_lines

log = logging.getLogger("evalkit")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: command -> (example command line, what it does: Thai in the catalogue)
EXAMPLES: dict[str, tuple[tuple[str, Message], ...]] = {
    "validate": (
        ("evalkit validate sheets/*.xlsx", msg("check every sheet")),
        (
            "evalkit validate sheet.csv --lang th --json",
            msg("the problems in Thai, as JSON"),
        ),
    ),
    "score": (
        (
            "evalkit score sheet.xlsx --out scores.csv --rules rules.csv",
            msg("score, and write award and target status"),
        ),
    ),
    "ingest": (("evalkit ingest sheets/*.xlsx", msg("store in the ledger")),),
    "history": (("evalkit history trat-cdd", msg("what changed, and when")),),
    "export": (("evalkit export --out scores.xlsx", msg("export to Excel")),),
    "feedback": (
        (
            "evalkit feedback sheets/*.xlsx --agency trat-cdd",
            msg("the feedback document of one agency, for A4 (evalkit pdf reports for PDFs)"),
        ),
    ),
    "run": (
        ("evalkit run", msg("render the reports of params/")),
        (
            "evalkit run --pdf --quiet --log-file run.log",
            msg("a scheduled run, with PDFs and a log"),
        ),
        ("evalkit run --json", msg("the summary as JSON")),
    ),
    "pdf": (("evalkit pdf reports", msg("an A4 PDF beside each page")),),
    "bundle": (("evalkit bundle --reports reports", msg("one zip of every report")),),
    "frameworks": (
        ("evalkit frameworks", msg("list the frameworks")),
        ("evalkit frameworks show pmqa-2562", msg("show one framework")),
    ),
    "template": (
        (
            "evalkit template pmqa-2562 --out blank.xlsx",
            msg("a blank score sheet"),
        ),
    ),
    "init": (
        (
            "evalkit init myproject",
            msg("a starter project folder"),
        ),
    ),
    "explore": (
        (
            "evalkit explore --project my-province",
            msg("open the dashboard to explore and simulate in the browser"),
        ),
        (
            "evalkit explore --port 8900 --no-browser",
            msg("another port, no browser"),
        ),
    ),
    "poverty": (
        (
            "evalkit poverty households.xlsx --out levels.csv",
            msg("classify households A/B/C/F"),
        ),
    ),
}


def epilog(command: str) -> str | None:
    examples = EXAMPLES.get(command)
    if not examples:
        return None
    lines = [bilingual(msg("examples")) + ":"]
    for line, said in examples:
        lines += [f"  {line}", f"      {bilingual(said)}"]
    return "\n".join(lines)


def _options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default,
        help="language of messages: th or en (default: EVALKIT_LANG, else the locale)",
    )
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="FILE",
        default=default,
        help="also append what happens, with times, to FILE (for scheduled runs)",
    )
    if "--quiet" not in parser._option_string_actions:  # a command may have its own
        parser.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            default=default,
            help="print nothing when all went well (problems still go to stderr)",
        )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default,
        help="also print what evalkit does as it works, on stderr (-vv: its details too)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default,
        help="print the details, and the traceback behind a failure (for a bug report)",
    )


def add_conventions(
    parser: argparse.ArgumentParser,
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    version: str,
) -> None:
    """``--version`` on the command; ``--lang``, ``--log-file`` and examples on every one."""
    parser.add_argument("--version", action="version", version=f"evalkit {version}")
    _options(parser, None)
    for name, command in sub.choices.items():
        _options(command, argparse.SUPPRESS)  # so a subcommand never resets the main value
        if isinstance(command, Parser):
            command.epilog_from = partial(epilog, name)
        command.formatter_class = TranslatedRawDescriptionHelpFormatter


def early_language(argv: Sequence[str]) -> str | None:
    """The ``--lang`` of a command line, read before it is parsed (for its own errors)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


#: whether the command runs with ``--quiet``: what it says for a person goes to the log only
_quiet = False
#: whether the command runs with ``--debug``: a failure shows its traceback
_debug = False


def quiet() -> bool:
    """Whether this command prints only its problems (``--quiet``)."""
    return _quiet


def debug() -> bool:
    """Whether this command shows the traceback behind a failure (``--debug``)."""
    return _debug


def apply(args: argparse.Namespace) -> None:
    """Set the language, the quietness, the detail and the log file the parsed command asks
    for."""
    global _quiet, _debug
    set_language(getattr(args, "lang", None))
    _quiet = bool(getattr(args, "quiet", False))
    _debug = bool(getattr(args, "debug", False))
    verbosity = 2 if _debug else int(getattr(args, "verbose", None) or 0)
    setup_logging(getattr(args, "log_file", None), verbosity)


class _Working(logging.Filter):
    """What the library logs as it works: not what a command has already said to the person."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name != log.name


class LogFile(logging.FileHandler):
    """A log file that, when it cannot be written, stops and remembers why instead of
    printing a traceback for every record (as :class:`logging.FileHandler` does)."""

    def __init__(self, path: Path):
        self.path = path
        self.failure: OSError | None = None
        super().__init__(path, encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        if self.failure is None:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        self.failure = error
        stream, self.stream = self.stream, None
        with suppress(OSError, ValueError):  # what is left in its buffer cannot be written
            if stream is not None:
                stream.close()

    def close(self) -> None:
        with suppress(OSError):  # already remembered, or nothing more to say
            super().close()


def _open_log(log_file: Path) -> LogFile:
    if log_file.is_dir():
        raise PathError(msg("The log file {file} is a folder; name a file.", file=log_file))
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        return LogFile(log_file)
    except OSError as exc:
        raise UnavailableError(_log_problem(log_file, exc)) from None


def _log_problem(log_file: Path, exc: OSError) -> Message:
    return msg(
        "The log file {file} cannot be written: {reason}",
        file=str(log_file),
        reason=describe(exc, log_file),
    )


def log_failure() -> Message | None:
    """Why the log file stopped being written during this command; None when it was not."""
    for handler in log.handlers:
        if isinstance(handler, LogFile) and handler.failure is not None:
            return _log_problem(handler.path, handler.failure)
    return None


def setup_logging(log_file: Path | None, verbosity: int = 0) -> None:
    """evalkit's loggers write to ``log_file`` (appending, ISO times) when one is given, and
    so do Python's warnings; with ``verbosity`` 1, what the library logs goes to stderr too
    (2: its debug records as well)."""
    warnings_log = logging.getLogger("py.warnings")
    for logger in (log, warnings_log):
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        logger.addHandler(logging.NullHandler())
    log.propagate = False
    captured = log_file is not None or _quiet  # else Python's warnings print as usual
    logging.captureWarnings(captured)
    warnings_log.propagate = not captured
    log.setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
    if verbosity:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        console.addFilter(_Working())
        log.addHandler(console)
    if log_file is None:
        return
    handler = _open_log(log_file)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.INFO)
    log.addHandler(handler)
    warnings_log.addHandler(handler)


def say(
    message: str | Message, *, error: bool = False, prefix: str = "", always: bool = False
) -> None:
    """Print ``message`` in the current language for a person (on stderr for an ``error``;
    with ``--quiet``, only errors and what is said ``always``), with the control characters
    of text from sheets removed, and log it in English."""
    if error or always or not _quiet:
        shown = printable_lines(prefix + translate(message))  # no escape sequence from a sheet
        print(shown, file=sys.stderr if error else sys.stdout)
    english = message.render("en") if isinstance(message, Message) else message
    log.log(logging.WARNING if error else logging.INFO, "%s%s", prefix, english)


def emit_json(document: Any) -> None:
    """A machine-readable result on stdout: one JSON document, UTF-8, nothing else."""
    print(json.dumps(document, ensure_ascii=False, indent=1, default=str))
