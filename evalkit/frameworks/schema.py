"""Parse framework YAML into :class:`~evalkit.frameworks.model.Framework`, listing every problem.

The layout is documented in ``docs/frameworks.md``. Nothing here raises on the first
problem: a file is read to the end and every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from evalkit.core.errors import FrameworkError
from evalkit.core.files import read_text_file
from evalkit.core.safeyaml import YAMLLimitError, load_yaml, yaml_problem
from evalkit.frameworks.items import read_categories
from evalkit.frameworks.model import CONSENSUS_RULES, METHODS, Framework
from evalkit.frameworks.sections import AGGREGATES, SLUG, Parser, method_needs, read_rules
from evalkit.frameworks.shape import kind, shape_problems


def _mapping(source: str | Mapping[str, Any], origin: str) -> Mapping[str, Any]:
    """The framework file as a mapping of the right shape, or FrameworkError with every
    problem of its YAML or its shape."""
    try:
        data = load_yaml(source) if isinstance(source, str) else source
    except YAMLLimitError as exc:
        raise FrameworkError(origin, [f"YAML past evalkit's limits: {exc}"]) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(origin, [f"not valid YAML: {yaml_problem(exc)}"]) from None
    if not isinstance(data, Mapping):
        raise FrameworkError(
            origin, [f"expected a mapping with id, max_points, scoring, ..., found {kind(data)}"]
        )
    wrong_shape = shape_problems(data)
    if wrong_shape:
        raise FrameworkError(origin, wrong_shape)
    return data


def _scoring(p: Parser, data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``scoring`` section and ``max_points``, checked, with their defaults."""
    scoring = data["scoring"] or {}
    max_points = p.number(data["max_points"], "max_points", positive=True) or 1.0
    return {
        "max_points": max_points,
        "method": p.choice(scoring.get("method", "band-percent"), METHODS, "scoring.method"),
        "aggregate": p.choice(scoring.get("aggregate", "sum"), AGGREGATES, "scoring.aggregate"),
        "consensus": p.choice(
            scoring.get("consensus", "median"), CONSENSUS_RULES, "scoring.consensus"
        ),
        "step": p.number(scoring.get("step", 5), "scoring.step", positive=True) or 5.0,
    }


def parse_framework(source: str | Mapping[str, Any], origin: str) -> Framework:
    """Build a Framework from YAML text or parsed data, or raise FrameworkError with all
    the problems found."""
    data = _mapping(source, origin)
    p = Parser(data)
    framework_id = str(data["id"])
    if not SLUG.fullmatch(framework_id):
        p.problem(f"id {framework_id!r}: expected lowercase letters, digits, '-', '.', '_'")
    how = _scoring(p, data)
    factor_sets = {str(k): tuple(str(f) for f in v) for k, v in (data.get("factors") or {}).items()}
    categories = read_categories(p, how["method"], how["aggregate"], how["max_points"], factor_sets)
    checklist_points = {
        str(k): p.number(v, f"checklist_points.{k}", positive=True) or 0.0
        for k, v in (data.get("checklist_points") or {}).items()
    }
    name_th, name_en = p.names(data.get("name"), "framework")
    framework = Framework(
        id=framework_id,
        edition=str(data.get("edition", "")),
        name_th=name_th,
        name_en=name_en,
        source=str(data.get("source", "")).strip(),
        confidence={str(k): str(v) for k, v in (data.get("confidence") or {}).items()},
        **how,
        categories=categories,
        bands=p.bands(),
        factors=factor_sets,
        ratings=p.ratings(),
        checklist_points=checklist_points,
        success_points=p.success_points(how["max_points"]),
        rules=read_rules(p, categories, how["max_points"]),
        types=tuple(
            (str(t.get("key", "")), *p.names(t.get("name"), "type"))
            for t in data.get("types") or []
        ),
        origin=origin,
        raw=dict(data),
    )
    method_needs(p, framework)
    if p.problems:
        raise FrameworkError(origin, sorted(set(p.problems), key=p.problems.index))
    return framework


def load_framework_file(path: str | Path) -> Framework:
    path = Path(path)
    try:
        text = read_text_file(path)
    except ValueError as exc:
        raise FrameworkError(
            str(path), [f"found {exc}; expected a framework YAML file in UTF-8"]
        ) from None
    return parse_framework(text, str(path))
