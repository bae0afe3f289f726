"""The ``evalkit`` command."""

import sys

from evalkit.core.declared import UNUSED_FORMAT_CHECKER

# jsonschema (loaded through nbformat) imports rfc3987_syntax at its own import, only to check
# the "iri" and "iri-reference" formats; that package builds its grammars there and then, about
# a second of every command's start-up. Neither nbformat's schema nor anything evalkit runs uses
# those two formats, so the command's process marks the package absent: jsonschema then skips
# the two checkers (it imports them under ``suppress(ImportError)``). Only the command does
# this for its whole life; elsewhere (a kernel, a report process, a script) evalkit's own
# checks import jsonschema without it and leave it importable (``core.declared.jsonschema``).
sys.modules.setdefault(UNUSED_FORMAT_CHECKER, None)  # type: ignore[arg-type]

from evalkit.cli.main import main  # noqa: E402

__all__ = ["main"]
