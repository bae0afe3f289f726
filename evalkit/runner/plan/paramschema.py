"""Params files checked against their published schema, ``evalkit/schemas/params.schema.json``
(JSON Schema 2020-12): one declaration for the check, an editor's completion and the docs.

Each error of the schema becomes a :class:`~evalkit.core.errors.Problem` in evalkit's own words
(file, key, what was found, what was expected: the key's ``x-expected``), Thai first when
shown, in the order a person reads the file: unknown keys, missing values, then each key in the
schema's order, then the notebook parameters.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from evalkit.core.declared import jsonschema
from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg
from evalkit.core.slug import SLUG_EXPECTED
from evalkit.frameworks.shape import kind as shape_kind

SCHEMA_FILE = "params.schema.json"
#: where problems of each kind come, as the file is read
_UNKNOWN, _MISSING, _SHAPE, _PARAMETER = range(4)


@cache
def params_schema() -> dict[str, Any]:
    """The params schema, as it ships in ``evalkit/schemas/``."""
    text = (resources.files("evalkit") / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


@cache
def _validator() -> Any:
    return jsonschema().Draft202012Validator(params_schema())


def known_keys() -> tuple[str, ...]:
    return tuple(params_schema()["properties"])


def runner_owned() -> tuple[str, ...]:
    """The names ``parameters:`` may not set: the run sets them from the file itself."""
    parameters = params_schema()["properties"]["parameters"]
    return tuple(parameters["propertyNames"]["not"]["enum"])


def file_problem(
    path: Path,
    column: str,
    found: str | Message,
    expected: str | Message,
    hint: str | Message = "",
) -> Problem:
    """A problem of a params file, at one of its keys (``column``) or the whole file."""
    return Problem(file=str(path), row=0, column=column, found=found, expected=expected, hint=hint)


def schema_problems(path: Path, raw: dict[Any, Any]) -> list[Problem]:
    """Every way ``raw`` (a params file's mapping) differs from the schema; empty values
    (``null``, ``""``, ``[]``) count as missing."""
    present = {k: v for k, v in raw.items() if v not in (None, "", [])}
    keys = known_keys()
    ranked = []
    for error in _validator().iter_errors(present):
        for rank, key, problem in _explain(path, error, present):
            order = keys.index(key) if key in keys else len(keys)
            ranked.append((rank, order, problem))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [problem for _, _, problem in ranked]


def _explain(path: Path, error: Any, raw: dict[Any, Any]) -> Iterator[tuple[int, str, Problem]]:
    where = list(error.absolute_path)
    if not where:
        yield from _top(path, error, raw)
    elif where[0] == "parameters":
        yield from _parameters(path, error, where[1:])
    else:
        key = str(where[0])
        yield _SHAPE, key, _shape(path, key, raw[key], error)


def _top(path: Path, error: Any, raw: dict[Any, Any]) -> Iterator[tuple[int, str, Problem]]:
    if error.validator == "additionalProperties":
        allowed = msg("one of {choices}", choices=", ".join(known_keys()))
        for key in raw:
            if key not in known_keys():
                yield (
                    _UNKNOWN,
                    str(key),
                    file_problem(
                        path, str(key), msg("an unknown key {key}", key=repr(key)), allowed
                    ),
                )
    elif error.validator == "required":
        for key in error.validator_value:
            if key not in raw:
                found, expected = msg("no value"), msg("a value for {key}", key=repr(key))
                yield _MISSING, key, file_problem(path, key, found, expected)


def _shape(path: Path, key: str, value: Any, error: Any) -> Problem:
    spec = params_schema()["properties"][key]
    if error.validator == "pattern" and key == "agency_id":
        return file_problem(path, key, repr(value), SLUG_EXPECTED)
    listed = isinstance(value, list)
    wrong = value if not listed else next((v for v in value if not _fits(v, spec)), value)
    found: str | Message = shape_kind(wrong)
    if listed and wrong is not value:
        found = msg("{kind} in the list", kind=found)
    return file_problem(path, key, found, msg(spec["x-expected"]))


def _fits(item: Any, spec: dict[str, Any]) -> bool:
    """Whether one item of a listed value has the type the key's list holds."""
    for option in spec.get("anyOf", []):
        if option.get("type") == "array":
            return bool(_validator().evolve(schema=option["items"]).is_valid(item))
    return True


def _parameters(path: Path, error: Any, where: list[Any]) -> Iterator[tuple[int, str, Problem]]:
    spec = params_schema()["properties"]["parameters"]
    if not where and error.validator == "type":
        found = shape_kind(error.instance)
        yield _PARAMETER, "", file_problem(path, "parameters", found, msg(spec["x-expected"]))
    elif not where and error.validator in ("propertyNames", "not"):  # a name the run sets
        yield _PARAMETER, "", _runner_owned(path, str(error.instance))
    elif where:
        name = str(where[0])
        declared = spec["properties"].get(name, {})
        yield _PARAMETER, "", _parameter(path, name, error.instance, declared)


def parameter_problems(source: Path, values: dict[Any, Any]) -> list[Problem]:
    """Every way notebook parameters given on the command line (``-p``, ``-f``) differ from
    what a params file's ``parameters:`` may hold."""
    schema = params_schema()["properties"]["parameters"]
    found = []
    for error in _validator().evolve(schema=schema).iter_errors(values):
        found += [p for _, _, p in _parameters(source, error, list(error.absolute_path))]
    return found


def _runner_owned(path: Path, key: str) -> Problem:
    owned = runner_owned()
    return file_problem(
        path,
        f"parameters.{key}",
        msg("{key} set under parameters", key=key),
        msg("notebook parameters other than {names}", names=", ".join(owned)),
        msg("The run sets {key} from the params file itself.", key=key)
        if key == "year"
        else msg(
            "The run sets {key} from the params file itself; write {key}: at the top of the file.",
            key=key,
        ),
    )


def _parameter(path: Path, name: str, value: Any, declared: dict[str, Any]) -> Problem:
    choices = declared.get("enum")
    if choices and value not in choices:
        close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
        return file_problem(
            path,
            f"parameters.{name}",
            msg("an unknown consensus rule {value}", value=repr(value))
            if name == "consensus"
            else msg("an unknown value {value}", value=repr(value)),
            msg("one of {choices}", choices=", ".join(str(c) for c in choices)),
            msg("Did you mean {first}?", first=repr(close[0])) if close else "",
        )
    said = declared.get("x-expected")
    expected = msg(said) if said else msg("a value of the notebook's parameter")
    return file_problem(path, f"parameters.{name}", repr(value), expected)
