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
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any


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


def check(data: Any, schema: Mapping[str, Any], where: str) -> None:
    """Refuse ``data`` unless ``schema`` accepts it, naming the first places it does not."""
    from jsonschema import Draft202012Validator  # only where a declaration is read

    errors = sorted(
        Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.path))
    )
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
