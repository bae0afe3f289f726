"""Declaration files: a vocabulary kept as data (``<name>.yaml``) beside the code that reads
it, with the JSON Schema it is checked against (``<name>.schema.json``) beside it, loaded
once. A mistake in one (an unknown key, a missing one, a word that is not text) is refused
with the file, the place and the keys allowed there, never met later as a ``KeyError``.

The sheet vocabularies (``sheets/vocabulary.yaml``: columns, forms, the words cells are read
by) and the words around numbers (``core/words.yaml``: eras, the word before a range, a
framework's default word for a category) are declared this way.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from types import ModuleType
from typing import Any

#: What jsonschema loads at import, when installed, to check the ``iri`` format: a grammar
#: built at import (1.2-1.6 s). No schema of evalkit's has a format, and none is checked.
UNUSED_FORMAT_CHECKER = "rfc3987_syntax"


class DeclarationError(ValueError):
    """A declaration file that its schema refuses."""


@cache
def declaration(package: str, name: str) -> Any:
    """The declaration ``name`` of ``package`` (``evalkit.sheets``, ``vocabulary``), checked."""
    from evalkit.core.safeyaml import load_yaml  # PyYAML only once a declaration is read

    text = (resources.files(package) / f"{name}.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    check(data, schema(package, name), f"{package.replace('.', '/')}/{name}.yaml")
    return data


@cache
def schema(package: str, name: str) -> dict[str, Any]:
    """The JSON Schema of the declaration ``name`` of ``package``."""
    text = (resources.files(package) / f"{name}.schema.json").read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


def jsonschema() -> ModuleType:
    """The ``jsonschema`` package, imported only where a file is checked, and without the
    ``iri`` format's checker (:data:`UNUSED_FORMAT_CHECKER`). Another module of the process
    can still import that checker afterwards."""
    blocked = "jsonschema" not in sys.modules and UNUSED_FORMAT_CHECKER not in sys.modules
    if blocked:
        sys.modules[UNUSED_FORMAT_CHECKER] = None  # type: ignore[assignment]
    try:
        import jsonschema as package
    finally:
        if blocked and sys.modules.get(UNUSED_FORMAT_CHECKER, "") is None:
            del sys.modules[UNUSED_FORMAT_CHECKER]
    found: ModuleType = package
    return found


def check(data: Any, schema: Mapping[str, Any], where: str) -> None:
    """Refuse ``data`` unless ``schema`` accepts it, naming the first places it does not."""
    validator = jsonschema().Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    if errors:
        raise DeclarationError("\n".join(_said(error, where) for error in errors[:5]))


def one_of(words: Iterable[str]) -> str:
    """A regular expression of any of a declaration's ``words``, the longest first."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _said(error: Any, where: str) -> str:
    place = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path) or "."
    text = f"{where}: at {place.lstrip('.') or 'the top'}: {error.message}"
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        text += f"; the keys allowed there: {allowed}"
    return text
