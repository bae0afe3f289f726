"""The shape of a framework file: every field's type, checked before what it means.

A framework file is checked in two passes. This one walks the parsed YAML against
:data:`FRAMEWORK` and lists every field whose type is wrong (a string or a list where a
mapping belongs, text where a number belongs, ``.inf`` or ``.nan`` anywhere a number goes),
with its path: ``categories[2].items[2.1].points: expected a number, found a list``. Only a
file of the right shape goes on to :mod:`evalkit.frameworks.schema`, which checks what the
values mean (known methods, bands in order, points adding up).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

#: Checks one value at a path, adding problems to the list.
Shape = Callable[[Any, str, list[str]], None]


def kind(value: Any) -> str:
    """A value as a problem names it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float) and math.isnan(value):
        return ".nan"
    if isinstance(value, float) and math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def text(value: Any, where: str, out: list[str]) -> None:
    if isinstance(value, Mapping | list) or value is None:
        out.append(f"{where}: expected text, found {kind(value)}")


def number(value: Any, where: str, out: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        out.append(f"{where}: expected a number, found {kind(value)}")
    elif not math.isfinite(value):
        out.append(f"{where}: expected a finite number, found {kind(value)}")


def whole(value: Any, where: str, out: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        out.append(f"{where}: expected a whole number, found {kind(value)}")


def name(value: Any, where: str, out: list[str]) -> None:
    """A name: text, or a mapping of ``th`` and ``en`` texts."""
    if isinstance(value, Mapping):
        for lang in ("th", "en"):
            if lang in value:
                text(value[lang], f"{where}.{lang}", out)
    else:
        text(value, where, out)


def listof(item: Shape) -> Shape:
    def check(value: Any, where: str, out: list[str]) -> None:
        if not isinstance(value, list):
            out.append(f"{where}: expected a list, found {kind(value)}")
            return
        for n, element in enumerate(value, start=1):
            label = element.get("key", element.get("id")) if isinstance(element, Mapping) else None
            tag = label if isinstance(label, str | int | float) and label != "" else n
            item(element, f"{where}[{tag}]", out)

    return check


def mapof(value_shape: Shape) -> Shape:
    def check(value: Any, where: str, out: list[str]) -> None:
        if not isinstance(value, Mapping):
            out.append(f"{where}: expected a mapping, found {kind(value)}")
            return
        for key, element in value.items():
            value_shape(element, f"{where}.{key}", out)

    return check


def fields(shapes: Mapping[str, Shape], required: tuple[str, ...] = ()) -> Shape:
    """A mapping whose named fields have the given shapes (other fields are not checked)."""

    def check(value: Any, where: str, out: list[str]) -> None:
        if not isinstance(value, Mapping):
            out.append(f"{where or 'the file'}: expected a mapping, found {kind(value)}")
            return
        for key in required:
            if key not in value:
                out.append(f"{where}: missing key {key!r}" if where else f"missing key {key!r}")
        for key, shape in shapes.items():
            if key in value and value[key] is not None:
                shape(value[key], f"{where}.{key}" if where else key, out)

    return check


_CHECK = fields({"id": text, "th": text})
_SCALE = fields(
    {"indicator": text, **{k: number for k in ("floor", "level2", "goal", "level4", "ceiling")}}
)
_ITEM = fields(
    {
        "key": text,
        "name": name,
        "method": text,
        "points": number,
        "checks": mapof(listof(_CHECK)),
        "levels": mapof(text),
        "scales": listof(_SCALE),
    }
)
_CATEGORY = fields(
    {"key": text, "name": name, "factors": text, "method": text, "items": listof(_ITEM)}
)
_RULE = fields(
    {
        "id": text,
        "name": name,
        "level": text,
        "min_points": number,
        "min_percent": number,
        "categories": listof(text),
        "years": listof(whole),
        "confidence": text,
        "note": text,
    }
)
_SUCCESS = fields({k: number for k in ("below", "upto", "above", "points", "linear_to")})

FRAMEWORK = fields(
    {
        "id": text,
        "edition": text,
        "name": name,
        "source": text,
        "confidence": mapof(text),
        "max_points": number,
        "scoring": fields({"method": text, "aggregate": text, "consensus": text, "step": number}),
        "categories": listof(_CATEGORY),
        "bands": listof(listof(number)),
        "factors": mapof(listof(text)),
        "ratings": listof(fields({"value": whole, "percent": number, "name": name})),
        "checklist_points": mapof(number),
        "success_points": listof(_SUCCESS),
        "rules": listof(_RULE),
        "types": listof(fields({"key": text, "name": name})),
    },
    required=("id", "max_points", "scoring", "categories"),
)


def shape_problems(data: Any) -> list[str]:
    """Every field of a parsed framework file whose type is wrong; empty when none is."""
    out: list[str] = []
    FRAMEWORK(data, "", out)
    return out
