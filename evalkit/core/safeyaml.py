"""YAML for files people hand to evalkit (framework and params files), within a budget.

A YAML file is read in three passes, each bounded before the next one starts:

1. its size (:data:`MAX_BYTES`);
2. its events, streamed from libyaml's parser and counted as they arrive: values
   (:data:`MAX_NODES`), nesting depth (:data:`MAX_DEPTH`) and aliases (:data:`MAX_ALIASES`), so a
   file of a million tiny values or ten thousand open brackets is refused after the first values
   past the budget, having built nothing;
3. the document, composed, then checked for what aliases expand to (PyYAML shares the node of an
   anchor with every alias of it, so ten lines of aliases, "a billion laughs", describe billions
   of values) and constructed with two more refusals: a key repeated in one mapping (named with
   both lines; YAML would keep the last value in silence) and an integer longer than
   :data:`MAX_DIGITS` digits (no count or score needs more, and a longer one cannot become a
   float).

Each refusal is a :class:`YAMLLimitError` carrying a :class:`~evalkit.core.i18n.Message` that
says what was found and what was expected, and the line it was found on.
"""

from __future__ import annotations

from typing import Any

import yaml

from evalkit.core.i18n import Message, msg

#: A framework file of every PMQA category with all its checks is about 60 kB.
MAX_BYTES = 2 * 2**20
#: Values (scalars, lists, mappings) in one document, aliases written out; the largest packaged
#: framework file holds about 2,000.
MAX_NODES = 50_000
MAX_ALIASES = 100
MAX_DEPTH = 32
#: Digits of an integer (a sign and ``_`` separators aside).
MAX_DIGITS = 15

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YAMLLimitError(ValueError):
    """A YAML file that evalkit refuses to read: past a budget of this module, a key given twice
    in one mapping, or an integer too long. ``found`` and ``expected`` say why, ``message``
    says it with where (the line, when one is concerned: ``line`` is 1-based, 0 for the whole
    file)."""

    def __init__(self, found: Message, expected: Message, line: int = 0):
        self.found, self.expected, self.line = found, expected, line
        problem = msg("found {found}; expected {expected}", found=found, expected=expected)
        self.message = (
            msg("line {line}: {problem}", line=line, problem=problem) if line else problem
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


def _line(event_or_node: Any) -> int:
    mark = getattr(event_or_node, "start_mark", None)
    return mark.line + 1 if mark is not None else 0


def _nested(line: int) -> YAMLLimitError:
    return YAMLLimitError(
        msg("values nested more than {limit} levels deep", limit=MAX_DEPTH),
        msg("a flatter file"),
        line,
    )


def _too_many(line: int) -> YAMLLimitError:
    return YAMLLimitError(
        msg(
            "more than {limit} values (lists, mappings and texts counted one each)",
            limit=f"{MAX_NODES:,}",
        ),
        msg("a smaller file"),
        line,
    )


def _check_events(text: str) -> None:
    """Count the document's values, depth and aliases as the parser streams them."""
    values = aliases = depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _nested(_line(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YAMLLimitError(
                    msg("more than {limit} aliases (*name)", limit=MAX_ALIASES),
                    msg("the values written out"),
                    _line(event),
                )
        elif isinstance(event, yaml.NodeEvent):
            values += 1
            if values > MAX_NODES:
                raise _too_many(_line(event))


def _expanded_size(root: yaml.Node) -> int:
    """Values of the document once every alias is written out, counted without writing it."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise _nested(_line(node))
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


def _twice(key: Any, first: int, second: int) -> YAMLLimitError:
    return YAMLLimitError(
        msg(
            "the key {key} twice, on lines {first} and {second}",
            key=repr(key),
            first=first,
            second=second,
        ),
        msg("each key once in a mapping"),
        second,
    )


class _Constructor(_Loader):  # type: ignore[misc,valid-type]
    """The safe constructor, refusing a repeated key and an overlong integer."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        raise _twice(key, seen[key], _line(key_node))
                    seen[key] = _line(key_node)
                except TypeError:  # an unhashable key: PyYAML's own error follows
                    continue
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: Any) -> Any:
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > MAX_DIGITS:
            raise YAMLLimitError(
                msg("an integer of {digits} digits", digits=digits),
                msg("at most {limit} digits", limit=MAX_DIGITS),
                _line(node),
            )
        return super().construct_yaml_int(node)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


def load_yaml(text: str) -> Any:
    """The document in ``text``, as :func:`yaml.safe_load` gives it, within the budgets above.

    Raises :class:`YAMLLimitError` past a budget and :class:`yaml.YAMLError` for bad YAML."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YAMLLimitError(
            msg("more than {limit} MB of YAML", limit=MAX_BYTES // 2**20),
            msg("a file of a few hundred kB at most"),
        )
    _check_events(text)
    loader = _Constructor(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if _expanded_size(root) > MAX_NODES:
            raise YAMLLimitError(
                msg(
                    "aliases (*name) that expand the document to more than {limit} values",
                    limit=f"{MAX_NODES:,}",
                ),
                msg("the values written out"),
            )
        return loader.construct_document(root)
    finally:
        loader.dispose()


def node_lines(text: str) -> dict[tuple[Any, ...], int]:
    """The line (1-based) of every value of a document that :func:`load_yaml` accepted, by its
    path of keys and list positions: ``("categories", 2, "items", 0, "points") -> 41``. Empty
    for a document that is not there."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines.setdefault(path, _line(node))
        if isinstance(node, yaml.SequenceNode):
            for n, child in enumerate(node.value):
                walk(child, (*path, n))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[(*path, key.value)] = _line(key)
                    walk(value, (*path, key.value))

    if root is not None:
        walk(root, ())
    return lines


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML syntax error in one line: what the parser expected, and where."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{problem}{where}"
