"""The criteria as data: the model (frozen dataclasses), the YAML schema, and the registry.

The framework files (``*.yaml``) beside this module are package data.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evalkit.frameworks.model import Category, Check, Framework, Item, Rule
    from evalkit.frameworks.registry import Registry, default_registry, project_registry
    from evalkit.frameworks.schema import load_framework_file, parse_framework

#: Each name loads its module on first use, so that the names of the vocabulary
#: (:mod:`evalkit.frameworks.vocabulary`) are read without pandas.
_LAZY = {
    "Category": "evalkit.frameworks.model",
    "Check": "evalkit.frameworks.model",
    "Framework": "evalkit.frameworks.model",
    "Item": "evalkit.frameworks.model",
    "Rule": "evalkit.frameworks.model",
    "Registry": "evalkit.frameworks.registry",
    "default_registry": "evalkit.frameworks.registry",
    "project_registry": "evalkit.frameworks.registry",
    "load_framework_file": "evalkit.frameworks.schema",
    "parse_framework": "evalkit.frameworks.schema",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_LAZY[name]), name)


__all__ = [
    "Category",
    "Check",
    "Framework",
    "Item",
    "Registry",
    "Rule",
    "default_registry",
    "load_framework_file",
    "parse_framework",
    "project_registry",
]
