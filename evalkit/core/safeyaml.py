"""YAML for files people hand to evalkit (framework and params files), within bounds.

PyYAML shares the node of an anchor with every alias of it, so ten lines of aliases
("a billion laughs") describe a document with billions of nodes: harmless while parsed,
ruinous as soon as anything walks it. :func:`load_yaml` refuses a file that is too large, that
uses too many aliases, whose expanded document would hold too many nodes, or that nests too
deep, before anything walks it; each refusal is a :class:`YAMLLimitError` with one sentence.
"""

from __future__ import annotations

from typing import Any

import yaml

#: A framework file of every PMQA category with all its checks is about 60 kB.
MAX_BYTES = 2 * 2**20
MAX_ALIASES = 100
MAX_NODES = 200_000
MAX_DEPTH = 64


class YAMLLimitError(ValueError):
    """A YAML file past one of the limits of this module."""


class _Loader(yaml.SafeLoader):
    """The safe loader, counting aliases as it composes."""

    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise YAMLLimitError(
                    f"more than {MAX_ALIASES} aliases (*name); write the values out instead"
                )
        return super().compose_node(parent, index)


def _expanded_size(root: yaml.Node) -> int:
    """Nodes of the document once every alias is written out, counted without writing it."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise YAMLLimitError(f"values nested more than {MAX_DEPTH} levels deep")
        if id(node) in sizes:
            return sizes[id(node)]
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        sizes[id(node)] = total = min(total, MAX_NODES + 1)
        return total

    return size(root, 0)


def load_yaml(text: str) -> Any:
    """The document in ``text``, as :func:`yaml.safe_load` gives it, within the limits above.

    Raises :class:`YAMLLimitError` past a limit and :class:`yaml.YAMLError` for bad YAML."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YAMLLimitError(f"more than {MAX_BYTES // 2**20} MB of YAML")
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except RecursionError:
            raise YAMLLimitError(f"values nested more than {MAX_DEPTH} levels deep") from None
        if root is None:
            return None
        if _expanded_size(root) > MAX_NODES:
            raise YAMLLimitError(
                f"a document that expands to more than {MAX_NODES:,} values through its aliases"
            )
        return loader.construct_document(root)
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML syntax error in one line: what the parser expected, and where."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{problem}{where}"
