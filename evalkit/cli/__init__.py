"""The ``evalkit`` command."""

from evalkit.cli.main import main

__all__ = ["main"]
