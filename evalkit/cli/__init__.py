"""The ``evalkit`` command."""

import sys

# jsonschema (loaded through nbformat) imports rfc3987_syntax at its own import, only to check
# the "iri" and "iri-reference" formats; that package builds its grammars there and then, about
# a second of every command's start-up. Neither nbformat's schema nor anything evalkit runs uses
# those two formats, so the command's process marks the package absent: jsonschema then skips
# the two checkers (it imports them under ``suppress(ImportError)``). Only the command does
# this; ``import evalkit`` in a kernel or a script leaves the package as it is.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from evalkit.cli.main import main  # noqa: E402

__all__ = ["main"]
