"""The tables of ``docs/frameworks.md``, derived from their one source: the keys from the
published schema, the scoring methods and consensus rules from their registries.

``python -m evalkit.frameworks.docs docs/frameworks.md`` rewrites each table between its
``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` markers; a test fails when the file differs
from what this module writes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from evalkit.frameworks.model import CONSENSUS_RULES, METHOD_FORMS
from evalkit.frameworks.shape import framework_schema

#: Where each table of the framework file's keys starts, by its path in the schema.
SECTIONS = {
    "the file": "",
    "scoring": "scoring",
    "categories[]": "#/$defs/category",
    "items[]": "#/$defs/item",
    "rules[]": "#/$defs/rule",
    "all_of[], any_of[]": "#/$defs/condition",
    "award": "award",
    "award.eligibility[]": "#/$defs/screen",
}


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node and len(node) <= 2:
        ref = str(node["$ref"]).removeprefix("#/$defs/")
        node = {**schema["$defs"][ref], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _kind(schema: Mapping[str, Any], node: Mapping[str, Any]) -> str:
    node = _resolve(schema, node)
    if "enum" in node:
        return " \\| ".join(f"`{v}`" for v in node["enum"])
    if "anyOf" in node:
        return "text or {th, en}"
    wanted = node.get("type", "")
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    words = {"string": "text", "number": "number", "integer": "whole number"}
    words |= {"array": "list", "object": "mapping"}
    return (
        "text" if set(names) == {"string", "number"} else words.get(names[0], "") if names else ""
    )


def _rows(schema: Mapping[str, Any], start: str) -> Iterator[str]:
    if start.startswith("#/$defs/"):
        node = schema["$defs"][start.removeprefix("#/$defs/")]
    else:
        node = schema["properties"][start] if start else schema
    required = set(node.get("required", ()))
    for key, value in node["properties"].items():
        description = _resolve(schema, value).get("description", "")
        text = str(description).replace("|", "\\|")
        need = "yes" if key in required else ""
        yield f"| `{key}` | {_kind(schema, value)} | {need} | {text} |"


def keys_table() -> str:
    """Every key a framework file may hold, where, its kind and its description."""
    schema = framework_schema()
    lines = []
    for title, start in SECTIONS.items():
        lines += [f"**{title}**", "", "| key | kind | required | meaning |", "|---|---|---|---|"]
        lines += [*_rows(schema, start), ""]
    return "\n".join(lines).rstrip("\n")


def names_table() -> str:
    """The scoring methods, with their sheet forms, and the consensus rules."""
    lines = ["| name | what | sheet form |", "|---|---|---|"]
    lines += [f"| `{m}` | scoring method | {form} |" for m, form in METHOD_FORMS.items()]
    lines += [f"| `{c}` | consensus rule | |" for c in CONSENSUS_RULES]
    return "\n".join(lines)


TABLES: dict[str, Callable[[], str]] = {"keys": keys_table, "names": names_table}


def _escaped(table: str) -> str:
    """A table as the replacement of :func:`re.sub` takes it literally."""
    return table.replace("\\", "\\\\")


def render(text: str) -> str:
    """``text`` with every marked table written anew."""
    for name, build in TABLES.items():
        pattern = re.compile(
            rf"(<!-- {name}:begin -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.DOTALL
        )
        text = pattern.sub(rf"\g<1>{_escaped(build())}\n\g<2>", text)
    return text


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    target = Path(sys.argv[1])
    target.write_text(render(target.read_text(encoding="utf-8")), encoding="utf-8")
