"""Scoring methods and consensus rules: each name declared once, bound to its implementation,
and a new one added by one registration."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.cli.main import main
from evalkit.core.i18n import set_language
from evalkit.frameworks import vocabulary
from evalkit.frameworks.model import CONSENSUS_RULES, METHOD_FORMS
from evalkit.frameworks.registry import Registry, project_registry
from evalkit.frameworks.shape import framework_schema
from evalkit.scoring import methods
from evalkit.scoring.engine import score
from evalkit.sheets.load import load_sheets

TOY = """\
id: toy
max_points: 100
scoring: {{method: {method}, consensus: {consensus}, step: 5}}
categories:
  - key: "1"
    items:
      - {{key: "1.1", points: 100}}
"""
SHEET = """\
agency_id,agency_name,year,framework,assessor,item,percent
a1,หน่วยงานทดสอบ,2565,toy,ผู้ประเมิน 1,1.1,40
a1,หน่วยงานทดสอบ,2565,toy,ผู้ประเมิน 2,1.1,50
a1,หน่วยงานทดสอบ,2565,toy,ผู้ประเมิน 3,1.1,90
"""


def test_every_declared_method_has_its_implementation_and_no_other():
    assert set(vocabulary.method_names()) == set(methods.SCORERS)
    assert methods.get_scorer_names() == sorted(vocabulary.method_names())
    assert dict(METHOD_FORMS) == {t.name: t.form for t in vocabulary.METHODS}


def test_every_declared_consensus_rule_has_its_implementation_and_no_other():
    assert set(vocabulary.consensus_names()) == set(methods.CONSENSUS)
    assert tuple(CONSENSUS_RULES) == vocabulary.consensus_names()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Unknown consensus rule 'medain'; did you mean 'median'? Valid names: "),
        ("th", "ไม่รู้จักวิธีรวมค่าของผู้ประเมิน 'medain' หมายถึง 'median' หรือไม่ ชื่อที่ใช้ได้คือ "),
    ],
)
def test_a_miss_lists_the_valid_names_in_the_language_of_the_command(lang, expected):
    set_language(lang)
    try:
        with pytest.raises(KeyError) as caught:
            methods.get_consensus("medain")
        assert str(caught.value).rstrip(".") == expected + "median, mean, trimmed"
    finally:
        set_language(None)


@pytest.fixture
def toys(monkeypatch):
    """Registries as they are, restored after the test adds to them."""
    for table in (vocabulary.METHODS, vocabulary.CONSENSUS):
        monkeypatch.setattr(table, "_terms", dict(table._terms))
    monkeypatch.setattr(methods, "SCORERS", dict(methods.SCORERS))
    monkeypatch.setattr(methods, "CONSENSUS", dict(methods.CONSENSUS))


def _toy_project(tmp_path, method: str, consensus: str):
    (tmp_path / "frameworks").mkdir()
    text = TOY.format(method=method, consensus=consensus)
    (tmp_path / "frameworks" / "toy.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "toy.csv").write_text(SHEET, encoding="utf-8")
    return tmp_path


def test_a_toy_method_is_one_registration(toys, tmp_path):
    @methods.scoring_method("half-percent", "band")
    def half_percent(rows: pd.DataFrame, framework, rule=None) -> pd.DataFrame:
        table = methods.band_percent(rows, framework, rule)
        return table.assign(percent=table["percent"] / 2, points=table["points"] / 2)

    assert "half-percent" in framework_schema()["$defs"]["method"]["enum"]
    project = _toy_project(tmp_path, "half-percent", "median")
    registry = project_registry(project)
    rows = pd.read_csv(project / "toy.csv", dtype={"item": str})  # rows as validated
    result = score(rows, registry)
    total = result.set_index("level").loc["total"]
    assert total["points"] == 25.0  # the median 50, halved


def test_a_toy_consensus_rule_is_one_registration(toys, tmp_path, capsys):
    @methods.consensus_rule("highest")
    def highest(table: pd.DataFrame) -> pd.Series:
        return table["max"]

    project = _toy_project(tmp_path, "band-percent", "highest")
    registry = project_registry(project)
    result = score(load_sheets([project / "toy.csv"], registry), registry)
    assert result.set_index("level").loc["total", "points"] == 90.0
    out = project / "scores.csv"
    argv = ["score", str(project / "toy.csv"), "--project", str(project), "--out", str(out)]
    assert main([*argv, "--consensus", "highest"]) == 0  # the command's choices follow


def test_without_the_registration_the_name_is_refused_with_the_valid_ones(tmp_path, capsys):
    project = _toy_project(tmp_path, "band-percent", "highest")
    assert main(["frameworks", "--project", str(project), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "scoring.consensus: found 'highest'; expected one of median, mean, trimmed" in err
    assert "highest" not in Registry()
