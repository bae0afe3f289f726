"""The ``evalkit`` argument parser: help and usage errors in the language of the command.

Help texts, descriptions and argparse's own words ("usage:", "options") are English msgids
of evalkit's catalogue, looked up whole when they are shown. A usage error ("argument
--jobs: expected a whole number, found 'x'") arrives formatted by argparse: evalkit's own
type checks raise messages already in the command's language, and argparse's few problems
that carry data are read back by their declared shapes (:data:`_ARGPARSE`), the data put
back as found. Only evalkit's parsers do this: argparse itself, and the parsers of other
libraries in the same process, are left as they are. Option names, metavars and examples
are never translated.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from evalkit.core.i18n import Message, _, msg

#: argparse's "argument --jobs: invalid choice: ..." (its message is translated in turn)
_ARGUMENT = re.compile(r"argument (?P<argument>.+?): (?P<problem>.+)", re.DOTALL)
#: argparse's own usage errors that carry data. argparse formats them in English before
#: evalkit sees them, so they are the one English that is read back as a pattern: each
#: placeholder stands for what argparse put there, shown as it was.
_ARGPARSE = (
    msg("unrecognized arguments: {arguments}"),
    msg("the following arguments are required: {arguments}"),
    msg("invalid choice: {value} (choose from {choices})"),
    msg("invalid {kind} value: {value}"),
    msg("ambiguous option: {option} could match {matches}"),
    msg("ignored explicit argument {value}"),
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(said: Message) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(said.text)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)),
        re.DOTALL,
    )


_PATTERNS = tuple((said, _pattern(said)) for said in _ARGPARSE)


def _problem(text: str) -> str:
    """One of argparse's problems in the current language: a whole msgid, one of
    :data:`_ARGPARSE` with argparse's data put back, or (a message evalkit's own type checks
    raised, already in the current language) as it is."""
    for said, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return str(msg(said.text, **match.groupdict()))
    return _(text)


def usage_error(message: str) -> str:
    """A usage error of argparse, already formatted in English, in the current language."""
    match = _ARGUMENT.fullmatch(message)
    if match is None:
        return _problem(message)
    return str(
        msg(
            "argument {argument}: {problem}",
            argument=match["argument"],
            problem=_problem(match["problem"]),
        )
    )


def columns(text: str) -> int:
    """How many columns ``text`` takes on a terminal (Thai marks above or below take none)."""
    return sum(unicodedata.category(char) != "Mn" for char in text)


class TranslatedHelpFormatter(argparse.HelpFormatter):
    """Help with its headings, help texts, description and usage prefix translated."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        prefix = _("usage: ") if prefix is None else prefix
        super().add_usage(usage, actions, groups, prefix)

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        """argparse indents the usage lines by the prefix's length in characters; Thai vowel
        and tone marks take no column, so lay it out with spaces as wide, then put it back."""
        if not prefix:
            return super()._format_usage(usage, actions, groups, prefix)
        blank = " " * columns(prefix)
        return prefix + super()._format_usage(usage, actions, groups, blank)[len(blank) :]

    def start_section(self, heading: str | None) -> None:
        super().start_section(_(heading) if heading else heading)

    def add_text(self, text: str | None) -> None:
        super().add_text(_(text) if text else text)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        return _(text) if text else text


class TranslatedRawDescriptionHelpFormatter(
    TranslatedHelpFormatter, argparse.RawDescriptionHelpFormatter
):
    """The same, with descriptions and epilogs (the bilingual examples) kept as written,
    line breaks included."""


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` that speaks the command's language; its
    subcommands are of the same class. A usage error still exits with status 2."""

    #: what makes the text that ends the help (the examples): called when the help is shown,
    #: so that a command that shows none reads no catalogue
    epilog_from: Callable[[], str | None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", TranslatedHelpFormatter)
        super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        if self.epilog_from is not None:
            self.epilog = self.epilog_from()
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            2,
            _("{prog}: error: {message}").format(prog=self.prog, message=usage_error(message))
            + "\n",
        )
