"""The ``evalkit`` argument parser: help and usage errors in the language of the command.

Help texts, descriptions and argparse's own words ("usage:", "options") are English msgids
of evalkit's catalogue, looked up whole when they are shown; a usage error ("argument
--jobs: expected a whole number, found 'x'") is translated as every other message of the
command is, the data in it put back as found (:func:`evalkit.core.i18n.translate`). Only
evalkit's parsers do this: argparse itself, and the parsers of other libraries in the same
process, are left as they are. Option names, metavars and examples are never translated.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from evalkit.core.i18n import _, translate

#: argparse's "argument --jobs: invalid choice: ..." (its message is translated in turn)
_ARGUMENT = re.compile(r"argument (?P<argument>.+?): (?P<problem>.+)", re.DOTALL)


def usage_error(message: str) -> str:
    """A usage error of argparse, already formatted in English, in the current language."""
    match = _ARGUMENT.fullmatch(message)
    if match is None:
        return translate(message)
    return _("argument {argument}: {problem}").format(
        argument=match["argument"], problem=translate(match["problem"])
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
