"""The cheapest path to the next award level in the decision list is the what-if's own exact
search: one-step raises for bands and ratings, the fewest checks for a gated checklist."""

from __future__ import annotations

import pytest
from helpers import SAMPLE

from evalkit.analysis.check_path import paths_for_rules
from evalkit.analysis.compare import cheapest_path
from evalkit.analysis.decisions import award_levels, decide
from evalkit.analysis.next_level import path_to
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import score
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.load import load_sheets


def _sample(framework: str, year: int):
    registry = Registry()
    sheets = load_sheets(sorted(SAMPLE.glob(f"{framework}_{year}_*.csv")), registry)
    result = score(sheets, registry)
    return registry, sheets, result, evaluate_rules(result, registry)


def test_a_rated_entry_gets_the_raises_of_the_what_if_search():
    registry, sheets, result, rules = _sample("women-fund", 2564)
    framework = registry.get("women-fund")
    decisions = decide(result, rules, framework, sheets=sheets).set_index("agency_id")
    below = decisions.loc["wdf-muang-trat"]  # 57.50: below the lowest level (60)
    raises = cheapest_path(result, framework, "wdf-muang-trat", 2564, 60.0)
    assert len(raises) >= 1
    steps = [f"{r.item} {r.from_percent:g}→{r.to_percent:g}%" for r in raises.itertuples()]
    assert below["path"] == (f"คะแนนรวมขาดอีก 2.50; ยกคะแนนขึ้น {len(steps)} ขั้น: {', '.join(steps)}")
    assert decisions.loc["wdf-ko-kut", "path"] == ""  # at the top level: nothing above


def test_a_checklist_entry_gets_the_fewest_checks_of_the_what_if_search():
    registry, sheets, result, rules = _sample("pmqa40-status", 2564)
    framework = registry.get("pmqa40-status")
    assert award_levels(framework) == ("target-400", "target-350", "target-300")
    decision = decide(result, rules, framework, sheets=sheets).iloc[0]
    assert decision["level"].startswith("เป้าหมายคะแนนสถานะไม่น้อยกว่า 300 คะแนน")
    assert decision["next_level"].startswith("เป้าหมายคะแนนสถานะไม่น้อยกว่า 350 คะแนน")
    paths = paths_for_rules(result, sheets, registry, rules)
    checks = next(p for rule, p in paths if rule["rule"] == "target-350")["check"].tolist()
    assert checks and decision["path"].endswith(
        f"ผ่านข้อตรวจเพิ่มอีก {len(checks)} ข้อ: {', '.join(checks)}"
    )


def test_without_the_sheets_a_checklist_path_says_only_the_shortfall():
    registry, _, result, rules = _sample("pmqa40-status", 2564)
    decision = decide(result, rules, registry.get("pmqa40-status")).iloc[0]
    total = result.loc[result["level"] == "total", "points"].iloc[0]
    assert decision["path"] == f"คะแนนรวมขาดอีก {350 - total:,.2f}"  # to the next target, 350


@pytest.mark.parametrize("threshold", [1000.0])
def test_a_level_out_of_reach_is_said(threshold):
    registry, sheets, result, _ = _sample("pmqa40-status", 2564)
    path = path_to(result, registry.get("pmqa40-status"), threshold, sheets)
    assert path is not None and "not reachable even with every check met" in path.render("en")
    registry, sheets, result, _ = _sample("women-fund", 2564)
    unit = result[result["agency_id"] == "wdf-muang-trat"]
    path = path_to(unit, registry.get("women-fund"), threshold, sheets)
    assert path is not None and "not reachable" in path.render("en")


def test_a_framework_without_levels_gives_no_level_rather_than_no_award():
    registry, sheets, result, rules = _sample("cdd-clean", 2564)
    framework = registry.get("cdd-clean")
    assert award_levels(framework) == ()
    decisions = decide(result, rules, framework, sheets=sheets)
    assert decisions["level"].tolist() == ["", ""]
    assert decisions["next_level"].tolist() == ["", ""] and decisions["path"].tolist() == ["", ""]
