"""Parse framework YAML into :class:`~evalkit.frameworks.model.Framework`, listing every problem.

A file is read within the YAML budgets of :mod:`evalkit.core.safeyaml`, checked against the
published schema (:mod:`evalkit.frameworks.shape`), then for what its values mean
(:mod:`evalkit.frameworks.sections`). Nothing here raises on the first problem: a file is read
to the end and every problem is reported at once, each with its line and key path. The layout
is documented in ``docs/frameworks.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from evalkit.core.errors import FrameworkError
from evalkit.core.files import read_text_file
from evalkit.core.i18n import Message, msg
from evalkit.core.safeyaml import YAMLLimitError, load_yaml, node_lines, yaml_problem
from evalkit.frameworks.award_section import read_award
from evalkit.frameworks.items import read_categories
from evalkit.frameworks.model import Framework, default_category_word
from evalkit.frameworks.overlay import overlay_data, rule_ids
from evalkit.frameworks.place import Place, kind
from evalkit.frameworks.rules import read_rules
from evalkit.frameworks.sections import AGGREGATES, Parser, method_needs
from evalkit.frameworks.shape import shape_problems
from evalkit.frameworks.vocabulary import consensus_names, method_names


def _place(source: str | Mapping[str, Any], origin: str) -> tuple[Place, list[tuple[int, Message]]]:
    """The framework file as a mapping of a sound shape with the line of each value, and the
    problems of its shape that leave it sound; or FrameworkError with every problem of its YAML
    or its shape."""
    try:
        data = load_yaml(source) if isinstance(source, str) else source
    except YAMLLimitError as exc:
        raise FrameworkError(origin, [exc.message]) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(
            origin, [msg("not valid YAML: {error}", error=yaml_problem(exc))]
        ) from None
    place = Place(data, node_lines(source) if isinstance(source, str) else {})
    if not isinstance(data, Mapping):
        raise FrameworkError(
            origin,
            [
                place.problem(
                    (), kind(data), msg("a mapping with id, max_points, scoring, categories")
                )
            ],
        )
    wrong_shape, sound = shape_problems(place)
    if not sound:
        raise FrameworkError(origin, list(dict.fromkeys(problem for _, problem in wrong_shape)))
    return place, wrong_shape


def _scoring(p: Parser) -> dict[str, Any]:
    """The ``scoring`` section and ``max_points``, checked, with their defaults."""
    scoring = p.data["scoring"] or {}
    where = ("scoring",)
    return {
        "max_points": p.number(p.data["max_points"], ("max_points",), positive=True) or 1.0,
        "method": p.choice(
            scoring.get("method", "band-percent"), method_names(), (*where, "method")
        ),
        "aggregate": p.choice(scoring.get("aggregate", "sum"), AGGREGATES, (*where, "aggregate")),
        "consensus": p.choice(
            scoring.get("consensus", "median"), consensus_names(), (*where, "consensus")
        ),
        "step": p.number(scoring.get("step", 5), (*where, "step"), positive=True) or 5.0,
    }


#: Finds a framework by id, or None: what an overlay (``extends:``) is read against.
BaseOf = Callable[[str], "Framework | None"]


class MissingBaseError(FrameworkError):
    """An overlay whose base framework is not (yet) known."""


def _overlay(place: Place, origin: str, base_of: BaseOf | None) -> Framework:
    base_id = str(place.data["extends"])
    base = base_of(base_id) if base_of else None
    if base is None:
        expected = msg("the id of a framework evalkit knows (packaged, or in the project)")
        raise MissingBaseError(origin, [place.problem(("extends",), repr(base_id), expected)])
    framework = parse_framework(overlay_data(base.raw, place.data), origin)
    own = rule_ids(place.data)
    inherited = {r.id: r.origin or base.origin for r in base.rules}
    rules = tuple(
        replace(r, origin=origin if r.id in own else inherited.get(r.id, base.origin))
        for r in framework.rules
    )
    return replace(framework, extends=base.id, rules=rules)


def parse_framework(
    source: str | Mapping[str, Any], origin: str, base_of: BaseOf | None = None
) -> Framework:
    """Build a Framework from YAML text or parsed data, or raise FrameworkError with all
    the problems found. An overlay (``extends:``) is read against ``base_of(id)``."""
    place, wrong_shape = _place(source, origin)
    if "extends" in place.data:
        if wrong_shape:
            raise FrameworkError(origin, [problem for _, problem in wrong_shape])
        return _overlay(place, origin, base_of)
    data = place.data
    p = Parser(place, wrong_shape, origin)
    how = _scoring(p)
    categories = read_categories(p, how["method"], how["aggregate"], how["max_points"])
    rules = read_rules(p, categories)
    framework = Framework(
        id=str(data["id"]),
        edition=str(data.get("edition", "")),
        name_th=p.names(data.get("name"), ())[0],
        name_en=p.names(data.get("name"), ())[1],
        source=str(data.get("source", "")).strip(),
        confidence={str(k): str(v) for k, v in (data.get("confidence") or {}).items()},
        **how,
        categories=categories,
        bands=(bands := p.bands()),
        band_names=p.band_names(len(bands)),
        category_word=str(data.get("category_word") or default_category_word()),
        factors={str(k): tuple(str(f) for f in v) for k, v in (data.get("factors") or {}).items()},
        ratings=p.ratings(),
        checklist_points={
            str(k): float(v) for k, v in (data.get("checklist_points") or {}).items()
        },
        success_points=p.success_points(how["max_points"]),
        rules=rules,
        award=read_award(p, rules, categories),
        extends=str(data.get("extends", "")),
        types=tuple((str(t["key"]), *p.names(t.get("name"), ())) for t in data.get("types") or []),
        origin=origin,
        raw=dict(data),
    )
    method_needs(p, framework)
    if p.problems:
        raise FrameworkError(origin, p.problems)
    return framework


def load_framework_file(path: str | Path, base_of: BaseOf | None = None) -> Framework:
    path = Path(path)
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise ValueError("a device or a pipe, not a regular file")
        text = read_text_file(path)
    except ValueError as exc:
        raise FrameworkError(
            str(path),
            [msg("found {error}; expected a framework YAML file in UTF-8", error=str(exc))],
        ) from None
    return parse_framework(text, str(path), base_of)
