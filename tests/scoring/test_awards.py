"""Award decisions as committees make them, on hand-computed cases: rules with conditions,
category awards for the categories applied for, overlays, types, tie-breaks and eligibility."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from helpers import GOLDEN

from evalkit import load_sheets
from evalkit.analysis.decisions import NO_AWARD, TIE, decide
from evalkit.cli.main import main
from evalkit.frameworks.registry import project_registry
from evalkit.scoring.engine import score
from evalkit.scoring.rules import UNCONFIRMED, evaluate_rules

# Three categories: 1 (item 1.1, 100 points), 2 (2.1, 100), 3 (3.1 and 3.2, 50 each): 300.
AWARD = """\
id: award-test
max_points: 300
scoring: {method: band-percent, aggregate: sum, step: 5}
types:
  - {key: t1, name: {th: ประเภทหนึ่ง}}
  - {key: t2, name: {th: ประเภทสอง}}
rules:
  - id: gold
    name: {th: ระดับดีเด่น}
    level: total
    min_points: 150
    confidence: high
    all_of:
      - {level: category, categories: ["1"], min_percent: 50}
      - {level: category, categories: ["3"], min_percent: 50}
      - {level: item, items: ["3.2"], min_percent: 50}
  - {id: silver, name: {th: ระดับดี}, level: total, min_points: 100, confidence: low}
  - {id: by-category, name: {th: รางวัลรายหมวด}, level: category, min_percent: 60, applied: true,
     confidence: high}
award:
  levels: [gold, silver]
  tie_break: [{category: "3"}, {category: "1"}]
categories:
  - {key: "1", items: [{key: "1.1", points: 100}]}
  - {key: "2", items: [{key: "2.1", points: 100}]}
  - {key: "3", items: [{key: "3.1", points: 50}, {key: "3.2", points: 50}]}
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("project")
    (folder / "frameworks").mkdir()
    (folder / "frameworks" / "award-test.yaml").write_text(AWARD, encoding="utf-8")
    return project_registry(folder)


def _scored(registry, units: dict[str, tuple[float, float, float, float]]) -> pd.DataFrame:
    """Units scored by one assessor: percents of items 1.1, 2.1, 3.1 and 3.2."""
    rows = [
        (unit, f"หน่วยงาน {unit}", 2566, "award-test", "ผู้ประเมิน 1", item, percent)
        for unit, percents in units.items()
        for item, percent in zip(("1.1", "2.1", "3.1", "3.2"), percents, strict=True)
    ]
    columns = ["agency_id", "agency_name", "year", "framework", "assessor", "item", "percent"]
    return score(pd.DataFrame(rows, columns=columns), registry)


def test_a_tqc_plus_shaped_rule_met_and_failed_on_each_condition(registry):
    result = _scored(
        registry,
        {
            "all": (60, 60, 60, 60),  # 60 + 60 + 30 + 30 = 180: every condition holds
            "cat1": (40, 80, 80, 80),  # category 1 at 40% < 50
            "cat3": (80, 80, 40, 50),  # category 3 = 20 + 25 = 45% < 50
            "item": (80, 80, 70, 40),  # category 3 = 55%, item 3.2 at 40% < 50
            "total": (50, 0, 50, 50),  # 50 + 0 + 25 + 25 = 100 < 150, conditions hold
        },
    )
    gold = evaluate_rules(result, registry).query("rule == 'gold'").set_index("agency_id")
    assert gold["met"].to_dict() == {
        "all": True,
        "cat1": False,
        "cat3": False,
        "item": False,
        "total": False,
    }
    assert gold.loc["cat1", "failed"] == "หมวด 1: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00)"
    assert gold.loc["cat3", "failed"] == "หมวด 3: ร้อยละ 45.00 ต่ำกว่า 50 (ขาดอีก 5.00)"
    assert gold.loc["item", "failed"] == "หัวข้อ 3.2: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00)"
    assert gold.loc["total", ["failed", "shortfall"]].tolist() == ["", 50.0]
    assert gold.loc["all", "rule_name"] == "ระดับดีเด่น"  # confirmed: no mark


def test_every_failed_condition_is_listed(registry):
    result = _scored(registry, {"both": (40, 80, 40, 40)})
    gold = evaluate_rules(result, registry).query("rule == 'gold'").iloc[0]
    assert gold["failed"].splitlines() == [
        "หมวด 1: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00)",
        "หมวด 3: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00)",
        "หัวข้อ 3.2: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00)",
    ]


def test_an_unconfirmed_threshold_says_so_beside_its_verdict(registry):
    rules = evaluate_rules(_scored(registry, {"a": (60, 60, 60, 60)}), registry)
    silver = rules.query("rule == 'silver'").iloc[0]
    assert silver["rule_name"] == f"ระดับดี · {UNCONFIRMED}"
    assert not silver["confirmed"]


def test_a_category_award_is_judged_for_the_applied_category_only(registry):
    result = _scored(registry, {"trat": (80, 70, 60, 60)})
    everything = evaluate_rules(result, registry).query("rule == 'by-category'")
    assert everything["judged"].tolist() == ["หมวด 1", "หมวด 2", "หมวด 3"]
    applied = evaluate_rules(result, registry, {"trat": ["2"]}).query("rule == 'by-category'")
    assert applied[["judged", "met"]].values.tolist() == [["หมวด 2", True]]


def test_types_are_ranked_apart_and_ties_broken_by_the_declared_order(registry):
    result = _scored(
        registry,
        {
            "x1": (80, 60, 60, 60),  # 80 + 60 + 30 + 30 = 200, category 3 = 60
            "x2": (60, 60, 80, 80),  # 60 + 60 + 40 + 40 = 200, category 3 = 80: first
            "x3": (80, 60, 60, 60),  # the same as x1 on every step: a tie left
            "y1": (50, 50, 50, 50),  # 150, alone in type t2
        },
    )
    entries = pd.DataFrame(
        {"agency_id": ["x1", "x2", "x3", "y1"], "type": ["t1", "t1", "t1", "t2"]}
    )
    rules = evaluate_rules(result, registry)
    framework = registry.get("award-test")
    decisions = decide(result, rules, framework, entries).set_index("agency_id")
    assert decisions["type"].to_dict() == {
        "x2": "ประเภทหนึ่ง",
        "x1": "ประเภทหนึ่ง",
        "x3": "ประเภทหนึ่ง",
        "y1": "ประเภทสอง",
    }
    assert decisions["rank"].to_dict() == {"x2": 1, "x1": 2, "x3": 2, "y1": 1}
    assert decisions["tie"].to_dict() == {"x2": "", "x1": TIE, "x3": TIE, "y1": ""}
    assert decisions.loc["x2", "tie_break"] == "หมวด 3"
    assert decisions.loc["x1", "tie_break"] == "หมวด 3, หมวด 1"
    assert decisions["level"].to_dict() == {
        "x2": "ระดับดีเด่น",
        "x1": "ระดับดีเด่น",
        "x3": "ระดับดีเด่น",
        "y1": "ระดับดีเด่น",
    }


def test_one_ordered_outcome_with_no_award_below_the_lowest_level(registry):
    result = _scored(registry, {"low": (20, 20, 20, 20), "mid": (40, 40, 40, 40)})
    decisions = decide(result, evaluate_rules(result, registry), registry.get("award-test"))
    decisions = decisions.set_index("agency_id")
    assert decisions.loc["low", "level"] == NO_AWARD  # 80 points
    assert decisions.loc["mid", "level"] == f"ระดับดี · {UNCONFIRMED}"  # 120 points
    assert decisions.loc["mid", "next_level"] == "ระดับดีเด่น"
    assert decisions.loc["mid", "path"] == (
        "คะแนนรวมขาดอีก 30.00; หมวด 1: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00); "
        "หมวด 3: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00); "
        "หัวข้อ 3.2: ร้อยละ 40.00 ต่ำกว่า 50 (ขาดอีก 10.00)"
    )


LERTRAT = sorted(GOLDEN.parent.parent.joinpath("data", "sample", "trat").glob("lertrat*.csv"))


def test_an_ineligible_lert_rat_work_is_listed_with_its_reason_and_not_ranked():
    sheets = load_sheets(LERTRAT)
    from evalkit import Registry

    registry = Registry()
    result = score(sheets, registry)
    entries = pd.DataFrame(
        {
            "agency_id": ["trat-province-participatory", "trat-local-participatory"],
            "type": ["open", "open"],
            "work": ["ผลงาน ก", "ผลงาน ข"],
            "start_date": ["2019-01-15", "1/12/2563"],  # the second: 120 days before closing
            "running": ["yes", "ใช่"],
            "effect": ["ผู้รับบริการพึงพอใจเพิ่มขึ้น", ""],
        }
    )
    framework = registry.get("lertrat-participatory")
    decisions = decide(
        result, evaluate_rules(result, registry), framework, entries, date(2021, 3, 31)
    ).set_index("agency_id")
    late = decisions.loc["trat-local-participatory"]
    assert not late["eligible"] and pd.isna(late["rank"]) and late["level"] == ""
    assert late["reason"] == (
        "ดำเนินการมาแล้วไม่น้อยกว่า 1 ปี ก่อนวันปิดรับสมัคร: ดำเนินการมา 120 วัน "
        "(ต้องไม่น้อยกว่า 365); มีผลลัพธ์หรือผลกระทบที่สำคัญ: ไม่ได้ระบุ (effect)"
    )
    # no score takes an ineligible work up a level: no path is offered, its reason is the path
    assert late["next_level"] == "" and late["path"] == ""
    assert late["agency_name"] == "ผลงาน ข"
    assert decisions.loc["trat-province-participatory", "rank"] == 1


def test_an_overlay_changes_one_threshold_and_says_which_file_set_each_rule(tmp_path, capsys):
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "trat-pmqa.yaml").write_text(
        "id: trat-pmqa\nextends: pmqa-2562\nrules:\n  - {id: award, min_points: 350}\n",
        encoding="utf-8",
    )
    registry = project_registry(tmp_path)
    overlay, base = registry.get("trat-pmqa"), registry.get("pmqa-2562")
    rules = {r.id: r for r in overlay.rules}
    assert rules["award"].min_points == 350 and rules["award"].origin.endswith("trat-pmqa.yaml")
    assert rules["award"].name_th == {r.id: r for r in base.rules}["award"].name_th
    assert rules["category-award"].origin == "evalkit/frameworks/pmqa-2562.yaml"
    assert overlay.extends == "pmqa-2562" and overlay.categories == base.categories
    assert main(["frameworks", "show", "trat-pmqa", "--project", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "#   award: trat-pmqa.yaml\n#   category-award: pmqa-2562.yaml\n" in shown


def test_an_overlay_of_an_unknown_framework_is_refused_by_name(tmp_path, capsys):
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "x.yaml").write_text("id: x\nextends: nope\n", encoding="utf-8")
    assert main(["frameworks", "--project", str(tmp_path), "--lang", "en"]) == 1
    assert (
        "line 2, extends: found 'nope'; expected the id of a framework" in capsys.readouterr().err
    )


def test_an_unknown_key_in_a_condition_is_refused_with_the_keys_allowed(registry):
    from evalkit.core.errors import FrameworkError
    from evalkit.frameworks.schema import parse_framework

    text = AWARD.replace('items: ["3.2"], min_percent: 50}', 'items: ["3.2"], min_pct: 50}')
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, "f.yaml")
    assert any(
        "rules[gold].all_of[3].min_pct: found the unknown key 'min_pct'" in str(p)
        for p in caught.value.problems
    )


def test_the_status_total_and_categories_carry_no_level():
    sheets = sorted((GOLDEN / "pmqa40-status").glob("*.csv"))
    result = score(load_sheets([p for p in sheets if p.name != "expected.csv"]))
    levels = result[result["level"] != "item"]
    assert set(levels["label"]) <= {"", "absent"}
    checklist = result[(result["level"] == "item") & ~result["key"].str.startswith("7")]
    assert checklist["label"].str.len().gt(0).all()  # items carry levels


def test_the_sheets_alone_screen_the_lert_rat_works():
    """The sample's sheets carry each work's start, whether it runs, its effect and the
    closing date: one work eligible, one not, with its exact reasons, and no entries file."""
    from evalkit import Registry
    from evalkit.sheets.entries import sheet_entries

    registry = Registry()
    sheets = load_sheets(LERTRAT)
    framework = registry.get("lertrat-participatory")
    entries = sheet_entries(sheets, framework, 2564)
    result = score(sheets, registry)
    decisions = decide(result, evaluate_rules(result, registry), framework, entries, None, sheets)
    by_id = decisions.set_index("agency_id")
    eligible = by_id.loc["trat-province-participatory"]
    assert eligible["eligible"] and eligible["reason"] == "" and eligible["rank"] == 1
    late = by_id.loc["trat-local-participatory"]
    assert not late["eligible"] and pd.isna(late["rank"])
    assert late["reason"] == (
        "ดำเนินการมาแล้วไม่น้อยกว่า 1 ปี ก่อนวันปิดรับสมัคร: ดำเนินการมา 120 วัน "
        "(ต้องไม่น้อยกว่า 365); มีผลลัพธ์หรือผลกระทบที่สำคัญ: ไม่ได้ระบุ (effect)"
    )


def test_a_work_with_no_closing_date_says_so():
    from evalkit import Registry

    registry = Registry()
    result = score(load_sheets(LERTRAT), registry)
    entries = pd.DataFrame(
        {"agency_id": ["trat-province-participatory"], "start_date": ["2019-01-15"],
         "running": ["ใช่"], "effect": ["มี"]}
    )  # fmt: skip
    framework = registry.get("lertrat-participatory")
    decisions = decide(result, evaluate_rules(result, registry), framework, entries)
    first = decisions.set_index("agency_id").loc["trat-province-participatory"]
    assert first["reason"] == (
        "ดำเนินการมาแล้วไม่น้อยกว่า 1 ปี ก่อนวันปิดรับสมัคร: ไม่มีวันปิดรับสมัคร (closing_date หรือ --closing)"
    )
