"""The criteria as data: the model (frozen dataclasses), the YAML schema, and the registry.

The framework files (``*.yaml``) beside this module are package data.
"""

from evalkit.frameworks.model import Category, Check, Framework, Item, Rule
from evalkit.frameworks.registry import Registry, default_registry, project_registry
from evalkit.frameworks.schema import load_framework_file, parse_framework

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
