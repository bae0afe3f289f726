"""A package's surface loaded on first use: each public name imports its module when it is
first asked for, so that importing the package (or any module inside it) costs nothing more.

A package declares its names once, with the module each lives in::

    __getattr__ = lazy_surface(__name__, {"Plan": "planning", "make_plan": "planning"})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_surface(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``: a name of ``names`` is read from its module
    (relative to ``package``) on first use; any other name is an AttributeError."""

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{names[name]}"), name)

    return __getattr__
