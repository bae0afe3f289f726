"""The shape of a framework file, checked against the published JSON Schema.

``evalkit/schemas/framework.schema.json`` (draft 2020-12) is the one declaration of which keys
a framework file may hold, where, and of what type; an editor checks a file against it as it is
typed (``evalkit frameworks schema``), and this module checks it here. Each schema error becomes
one problem in the file's words: its line and key path, what was found and what was expected
(``line 41, categories[2].items[2.1].points: found a list; expected a number``); an unknown key
is named with the keys allowed in its place. Only a file of the right shape goes on to
:mod:`evalkit.frameworks.sections`, which checks what the values mean (bands in order, points
that add up), which no schema can say.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from evalkit.core.declared import jsonschema
from evalkit.core.i18n import Message, msg
from evalkit.frameworks.place import Path, Place
from evalkit.frameworks.place import kind as kind_of
from evalkit.frameworks.vocabulary import consensus_names, method_names

#: The folder of the package that holds the published schemas.
SCHEMAS = "schemas"

_EXPECTED = {
    "string": msg("text"),
    "number": msg("a number"),
    "integer": msg("a whole number"),
    "array": msg("a list"),
    "object": msg("a mapping"),
    "boolean": msg("boolean"),
}


def kind(value: Any) -> str:
    """A value as a problem names it, in English (for messages built as English text)."""
    found = kind_of(value)
    return found if isinstance(found, str) else found.render("en")


def schema_names() -> list[str]:
    """The schemas evalkit ships, by name (``framework`` for ``framework.schema.json``)."""
    folder = resources.files("evalkit") / SCHEMAS
    suffix = ".schema.json"
    return sorted(e.name[: -len(suffix)] for e in folder.iterdir() if e.name.endswith(suffix))


def schema_text(name: str) -> str:
    """A shipped schema as it is published; the framework schema with its lists of methods and
    consensus rules read from their registries (a rule registered by a plugin is among them)."""
    if name == "framework":
        return json.dumps(framework_schema(), ensure_ascii=False, indent=2) + "\n"
    return (resources.files("evalkit") / SCHEMAS / f"{name}.schema.json").read_text("utf-8")


def shipped_schema(name: str) -> dict[str, Any]:
    """A schema file as it ships in the package."""
    text = (resources.files("evalkit") / SCHEMAS / f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def framework_schema() -> dict[str, Any]:
    """The framework schema, its enums of names from the vocabularies."""
    schema = shipped_schema("framework")
    schema["$defs"]["method"]["enum"] = list(method_names())
    schema["$defs"]["consensus"]["enum"] = list(consensus_names())
    return schema


def _finite(checker: Any, value: Any) -> bool:
    """A number as a framework file may hold one: finite and of at most 15 digits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) < 10**15 if isinstance(value, int) else math.isfinite(value)


def _validator() -> Any:
    return _validator_for(method_names(), consensus_names())


@cache
def _validator_for(methods: tuple[str, ...], rules: tuple[str, ...]) -> Any:
    """A validator of the framework schema (its enums are ``methods`` and ``rules``), whose
    numbers are finite and of at most 15 digits."""
    package = jsonschema()
    checker = package.Draft202012Validator.TYPE_CHECKER.redefine("number", _finite)
    kind_ = package.validators.extend(package.Draft202012Validator, type_checker=checker)
    return kind_(framework_schema())


def _types(schema: Mapping[str, Any], value: Any) -> Message:
    wanted = schema.get("type", "")
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    if "number" in names and isinstance(value, int | float) and not isinstance(value, bool):
        return msg("a finite number")  # .inf, .nan or too many digits
    if set(names) == {"string", "number"}:
        return msg("text")
    return _EXPECTED.get(names[0], msg("a value")) if names else msg("a value")


def _expected(error: Any) -> Message:
    """What the schema wanted where ``error`` happened, in words."""
    schema, rule = error.schema, error.validator
    if rule == "enum":
        return msg("one of {known}", known=", ".join(map(str, schema["enum"])))
    if rule in ("pattern", "maxLength", "minLength") and "pattern" in schema:
        return msg(
            "lowercase letters, digits, '-', '.', '_', starting with a letter or digit, "
            "at most {limit} characters",
            limit=schema.get("maxLength", 64),
        )
    if rule == "maxLength":
        return msg("at most {limit} characters", limit=schema["maxLength"])
    if rule in ("minimum", "exclusiveMinimum", "maximum"):
        bound = schema[rule]
        if rule == "minimum":
            return msg("a number of at least {bound}", bound=bound)
        if rule == "exclusiveMinimum":
            return msg("a number above {bound}", bound=bound)
        return msg("a number of at most {bound}", bound=bound)
    if rule == "minItems":
        return (
            msg("at least one entry")
            if schema["minItems"] == 1
            else msg("at least {count} entries", count=schema["minItems"])
        )
    if rule in ("items", "prefixItems"):
        return msg("[low, high]")
    if rule == "anyOf":
        return msg("text, or a mapping of th and en")
    return _types(schema, error.instance)


def _unknown_keys(place: Place, error: Any) -> Iterator[tuple[Path, Message]]:
    allowed = ", ".join(error.schema.get("properties", {})) or "-"
    for key in error.instance:
        if key not in error.schema.get("properties", {}):
            path = (*error.absolute_path, key)
            found = msg("the unknown key {key}", key=repr(key))
            yield (
                path,
                place.problem(path, found, msg("one of the keys {allowed}", allowed=allowed)),
            )


def _problems(place: Place, error: Any) -> Iterator[tuple[Path, Message]]:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        yield from _unknown_keys(place, error)
    elif error.validator == "required":
        for key in [k for k in error.validator_value if k not in error.instance]:
            found, wanted = msg("no key {key}", key=repr(key)), msg("the key {key}", key=repr(key))
            yield path, place.problem(path, found, wanted)
    elif error.validator == "minItems" and error.instance == []:
        yield path, place.problem(path, msg("an empty list"), _expected(error))
    else:
        yield path, place.problem(path, kind_of(error.instance), _expected(error))


#: Schema errors after which the file's structure is still sound enough to read on: a value
#: outside a list of names or not a safe slug; the meaning of the rest is checked as well.
SOUND = ("enum", "pattern", "maxLength")


def shape_problems(place: Place) -> tuple[list[tuple[int, Message]], bool]:
    """Every place where the file does not have the shape of the schema, with its line, in the
    order of the file's lines; and whether the file can be read on for what it means."""
    errors = list(_validator().iter_errors(place.data))
    found = [pair for error in errors for pair in _problems(place, error)]
    lines = [(place.line(path), problem) for path, problem in found]
    lines.sort(key=lambda pair: pair[0])
    return lines, all(error.validator in SOUND for error in errors)
