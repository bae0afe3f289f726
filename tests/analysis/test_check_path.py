"""The fewest-checks path: exact against a brute-force search, and by hand on the golden
status sheet."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from helpers import GOLDEN
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit import Registry, score
from evalkit.analysis.check_path import ItemChecks, check_path, fewest_checks, plan_key, rule_paths
from evalkit.analysis.checks import blockers, check_verdicts, item_verdicts, unmet_checks
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.load import load_sheets

REGISTRY = Registry()
STATUS = REGISTRY.get("pmqa40-status")


def _points(met: tuple[int, ...], totals: tuple[int, ...]) -> float:
    """The gated rule written out plainly: 300 / 100 / 100, each level only when the levels
    below are complete."""
    points = 300 * met[0] / totals[0]
    if met[0] == totals[0]:
        points += 100 * met[1] / totals[1]
        if met[1] == totals[1]:
            points += 100 * met[2] / totals[2]
    return points


def _brute_force(items: list[ItemChecks], need: float) -> tuple[float, ...] | None:
    """Every combination of how many more checks to meet per item and level."""
    options = [
        list(itertools.product(*(range(t - m + 1) for t, m in zip(i.totals, i.met, strict=True))))
        for i in items
    ]
    best = None
    for plan in itertools.product(*options):
        gain = sum(
            (
                _points(tuple(m + k for m, k in zip(i.met, p, strict=True)), i.totals)
                - _points(i.met, i.totals)
            )
            * i.weight
            for i, p in zip(items, plan, strict=True)
        )
        if gain >= need - 1e-9:
            key = plan_key(plan, gain)
            best = key if best is None or key < best else best
    return best


@st.composite
def small_cases(draw):
    items = []
    for n in range(draw(st.integers(1, 3))):
        totals = tuple(draw(st.integers(1, 3)) for _ in range(3))
        met = tuple(draw(st.integers(0, t)) for t in totals)
        weight = draw(st.sampled_from([1.0, 0.25, 1 / 12]))
        items.append(ItemChecks(f"i{n}", totals, met, weight))  # type: ignore[arg-type]
    need = draw(st.floats(0.01, 550.0))
    return items, need


@given(small_cases())
@settings(max_examples=200, deadline=None)
def test_fewest_checks_agrees_with_brute_force(case):
    items, need = case
    expected = _brute_force(items, need)
    found = fewest_checks(items, STATUS, need)
    if expected is None:
        assert found is None
        return
    assert found is not None
    plan, gained = found
    assert gained >= need - 1e-9
    key = plan_key(plan, gained)
    assert key[:3] == expected[:3]
    assert key[3] == pytest.approx(expected[3], abs=1e-6)


def test_greedy_is_not_minimal_but_the_search_is():
    # p: 2 Basic checks unmet, its Advance and Significance already met: the first Basic check
    # adds 150, the second 150 + the 200 held back = 350. q: nothing met, 1/1/1 checks: its
    # Basic check adds 300, then 100 and 100. Needing 500, largest-gain-first takes q's Basic
    # (300), then a p Basic (150), then the other (350): three checks. Two p checks do it.
    p = ItemChecks("p", (2, 1, 1), (0, 1, 1), 1.0)
    q = ItemChecks("q", (1, 1, 1), (0, 0, 0), 1.0)
    plan, gained = fewest_checks([p, q], STATUS, 500)  # type: ignore[misc]
    assert plan == [(2, 0, 0), (0, 0, 0)] and gained == pytest.approx(500)
    assert _brute_force([p, q], 500) == plan_key(plan, gained)


@pytest.fixture(scope="module")
def golden():
    folder = GOLDEN / "pmqa40-status"
    sheets = load_sheets([folder / "checklist.csv", folder / "indicators.csv"], REGISTRY)
    result = score(sheets, REGISTRY)
    return sheets, result, check_verdicts(sheets, STATUS, "g40", 2565)


def test_unmet_checks_and_the_blocking_basic_check(golden):
    _, _, verdicts = golden
    items = item_verdicts(verdicts, STATUS).set_index("item")
    assert items.loc["2.4", "points"] == 0 and items.loc["2.4", "label"] == "Below Basic"
    unmet = unmet_checks(verdicts, STATUS)
    assert unmet["check"].tolist() == [
        "1.1-a1", "1.2-b3", "1.3-a2", "1.4-s2", "2.1-b4", "2.1-s1", "2.3-s2", "2.3-s3", "2.4-b1"
    ]  # fmt: skip
    gate = unmet.set_index("check")
    # 2.4: all 3 Advance and 3 Significance checks met, held back by its one Basic check
    assert gate.loc["2.4-b1", "gates"] == "advance, significance"
    assert gate.loc["2.4-b1", "held_back"] == 200
    assert gate.loc["1.1-a1", ["gates", "held_back"]].tolist() == ["significance", 100]
    assert blockers(unmet)["check"].tolist() == ["1.2-b3", "2.1-b4", "2.4-b1"]


def test_paths_to_the_status_targets_by_hand(golden):
    # Weights: categories 1, 2 and 7 are present, 4 items each in 1 and 2, so one item point
    # is 1/12 of a total point. Start 294.4444.
    # 300 (need 5.56 = 66.7 item points): one check is enough; of the Basic ones 2.4-b1 adds
    #   most (0 -> 500: +41.67).
    # 350 (need 666.7 item points): no single check (at most 500); two Basic checks:
    #   2.4-b1 (500) + 1.2-b3 (200 -> 500: 300) = 800, more than 2.4-b1 + 2.1-b4 (675).
    # 400 (need 1266.7): all three Basic checks give 975; four checks at most 1175 (+1.1-a1,
    #   200); five: + 1.3-a2 (50 + the held-back s1 100 = 150) = 1325 with 3 Basic and 2
    #   Advance, preferred to + 2.1-s1 (1275, a Significance check).
    _, result, verdicts = golden
    rules = evaluate_rules(result, REGISTRY)
    paths = {r["rule"]: p for r, p in rule_paths(result, verdicts, STATUS, rules)}
    assert paths["target-300"]["check"].tolist() == ["2.4-b1"]
    assert paths["target-300"]["gain"].tolist() == [41.6667]
    assert paths["target-350"]["check"].tolist() == ["1.2-b3", "2.4-b1"]
    assert paths["target-350"]["total"].iloc[-1] == pytest.approx(361.1111, abs=1e-3)
    assert paths["target-400"]["check"].tolist() == [
        "1.2-b3", "2.1-b4", "2.4-b1", "1.1-a1", "1.3-a2"
    ]  # fmt: skip
    assert paths["target-400"]["total"].iloc[-1] == pytest.approx(404.8611, abs=1e-3)


def test_an_unreachable_target_says_so():
    item = ItemChecks("x", (1, 1, 1), (0, 0, 0), 0.5)
    unmet = pd.DataFrame(columns=["item", "level", "check", "text_th"])
    path = check_path([item], unmet, STATUS, 100.0, 400.0)
    assert path.empty and path.attrs["reachable"] is False and path.attrs["ceiling"] == 350
