"""The published framework schema: one source for the checks, the editor and the docs."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from helpers import ROOT
from jsonschema import Draft202012Validator

from evalkit.cli.main import main
from evalkit.core.errors import FrameworkError
from evalkit.frameworks.award import ENTRIES
from evalkit.frameworks.docs import render
from evalkit.frameworks.registry import Registry
from evalkit.frameworks.schema import parse_framework
from evalkit.frameworks.shape import framework_schema, shipped_schema
from evalkit.frameworks.vocabulary import consensus_names, method_names

THAI = re.compile(r"[\u0e00-\u0e7f]")
BASE = """\
id: keys
max_points: 100
scoring: {method: band-percent, consensus: median}
ratings: [{value: 1, percent: 50}]
types: [{key: a}]
rules: [{id: r, level: total, min_points: 10}]
categories:
  - key: "1"
    items:
      - key: "1.1"
        points: 100
"""


def test_the_shipped_schema_is_a_valid_draft_2020_12_schema_with_an_id():
    schema = shipped_schema("framework")
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/framework.schema.json")


def test_every_description_is_thai_then_english():
    def descriptions(node):
        if isinstance(node, dict):
            if isinstance(node.get("description"), str):
                yield node["description"]
            for value in node.values():
                yield from descriptions(value)
        elif isinstance(node, list):
            for value in node:
                yield from descriptions(value)

    found = list(descriptions(shipped_schema("framework")))
    assert len(found) >= 30
    for text in found:
        thai, _, english = text.partition(" / ")
        assert THAI.search(thai) and english and not THAI.search(english[:1]), text


@pytest.mark.parametrize("framework_id", sorted(f.id for f in Registry()))
def test_every_packaged_file_is_valid_by_the_schema_alone(framework_id):
    """jsonschema itself, without evalkit's reading: the file and the schema agree."""
    path = ROOT / "evalkit" / "frameworks" / f"{framework_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(Draft202012Validator(shipped_schema("framework")).iter_errors(data)) == []


def test_the_shipped_enums_are_the_registered_names():
    defs = shipped_schema("framework")["$defs"]
    assert tuple(defs["method"]["enum"]) == method_names()
    assert tuple(defs["consensus"]["enum"]) == consensus_names()
    award = shipped_schema("framework")["properties"]["award"]["properties"]
    assert tuple(award["entry"]["enum"]) == tuple(ENTRIES)  # each kind with its words


PLACES = {
    "the file": ("id: keys\n", "id: keys\ncolour: red\n", "line 2, colour"),
    "scoring": ("consensus: median}", "consensus: median, colour: red}", "line 3, scoring.colour"),
    "a rating": ("percent: 50}", "percent: 50, colour: red}", "line 4, ratings[1].colour"),
    "a type": ("{key: a}", "{key: a, colour: red}", "line 5, types[a].colour"),
    "a rule": ("min_points: 10}", "min_points: 10, colour: red}", "line 6, rules[r].colour"),
    "a category": ('- key: "1"\n', '- key: "1"\n    colour: red\n', "line 9, categories[1].colour"),
    "an item": (
        "        points: 100\n",
        "        points: 100\n        colour: red\n",
        "line 12, categories[1].items[1.1].colour",
    ),
}


@pytest.mark.parametrize("place", list(PLACES))
def test_an_unknown_key_is_refused_at_every_level_with_the_keys_allowed_there(place):
    old, new, where = PLACES[place]
    assert old in BASE
    with pytest.raises(FrameworkError) as caught:
        parse_framework(BASE.replace(old, new, 1), "f.yaml")
    [problem] = [str(p) for p in caught.value.problems]
    assert problem.startswith(f"{where}: found the unknown key 'colour'; expected one of the keys ")
    assert "id" in problem or "key" in problem or "method" in problem


def test_the_base_of_those_cases_is_valid():
    assert parse_framework(BASE, "f.yaml").id == "keys"


def test_the_schema_command_prints_the_live_schema(capsys):
    assert main(["frameworks", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == framework_schema()


def test_an_unknown_schema_name_lists_the_known_ones(capsys):
    assert main(["frameworks", "schema", "nope", "--lang", "en"]) == 2
    assert "unknown schema 'nope'; known: framework" in capsys.readouterr().err


def test_the_docs_tables_are_written_from_the_schema_and_the_registries():
    text = (ROOT / "docs" / "frameworks.md").read_text(encoding="utf-8")
    assert "<!-- keys:begin -->" in text and "<!-- names:begin -->" in text
    assert render(text) == text, "run: python -m evalkit.frameworks.docs docs/frameworks.md"


def test_the_docs_methods_table_lists_the_registered_methods():
    text = (ROOT / "docs" / "frameworks.md").read_text(encoding="utf-8")
    section = text[text.index("## Methods") :].split("\n## ")[0]
    listed = re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE)
    assert tuple(listed) == method_names()
