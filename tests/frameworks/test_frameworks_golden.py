"""Every packaged framework scored on a small sheet whose results were computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import GOLDEN, read_golden

from evalkit import Registry, evaluate_rules, load_sheets, score

FRAMEWORKS = sorted(f.id for f in Registry())


def _expected(framework_id: str) -> pd.DataFrame:
    expected = read_golden(GOLDEN / framework_id / "expected.csv")
    labels = expected.get("label", pd.Series("", index=expected.index))
    expected["label"] = labels.astype(object).where(labels.notna(), "")
    ratings = {f"@{r.value}": r.name_th for r in Registry().get(framework_id).ratings}
    expected["label"] = expected["label"].map(lambda v: ratings.get(v, v))
    return expected


@pytest.fixture(scope="module", params=FRAMEWORKS)
def scored(request) -> tuple[str, pd.DataFrame]:
    folder = GOLDEN / request.param
    sheets = sorted(p for p in folder.glob("*.csv") if p.name != "expected.csv")
    return request.param, score(load_sheets(sheets))


def test_every_packaged_framework_has_a_golden_case():
    assert set(FRAMEWORKS) <= {p.name for p in GOLDEN.iterdir()}


def test_golden_results(scored):
    framework_id, result = scored
    expected = _expected(framework_id)
    got = result[["level", "key", "percent", "points", "max_points", "label"]]
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True),
        expected.astype(got.dtypes.to_dict()),
        check_exact=False,
        atol=1e-4,
    )
    assert result["framework"].unique().tolist() == [framework_id]


def _rules(framework_id: str) -> pd.DataFrame:
    folder = GOLDEN / framework_id
    sheets = sorted(p for p in folder.glob("*.csv") if p.name != "expected.csv")
    return evaluate_rules(score(load_sheets(sheets))).set_index("rule")


def test_total_rules_know_their_shortfall():
    rules = _rules("lertrat-participatory")
    assert rules.loc["good", ["threshold", "met", "shortfall"]].tolist() == [70, False, 3.25]
    assert rules.loc["outstanding", "shortfall"] == 13.25


def test_category_rule_by_percent():
    rules = _rules("cdd-policy-2564")
    assert len(rules) == 1  # only the category that was scored is judged
    row = rules.loc["model-unit"]
    assert (row["key"], row["threshold"], row["met"], row["shortfall"]) == ("2", 32, False, 5)


def test_total_targets_do_not_apply_to_a_partial_sheet():
    rules = _rules("pmqa40-status")  # category 1 and 7 only
    assert list(rules.index) == ["target-300", "target-350", "target-400"]
    assert not rules["applicable"].any()
    assert rules["met"].isna().all() and rules["shortfall"].isna().all()
    assert set(rules["note"]) == {
        "ไม่เกี่ยวข้อง: ไม่ได้ประเมินหมวด 2, 3, 4, 5, 6 (not applicable: categories 2, 3, 4, 5, 6 absent)"
    }


def test_pmqa_award_rules_apply_to_their_years(registry):
    sheet = GOLDEN / "pmqa-2562" / "sheet.csv"
    rules = evaluate_rules(score(load_sheets([sheet], registry), registry), registry)
    award = rules[rules["rule"] == "award"].iloc[0]
    assert (award["points"], award["threshold"], award["met"]) == (474.5, 400, True)
    assert award["shortfall"] == 0
    categories = rules[rules["rule"] == "category-award"]
    assert categories["key"].tolist() == ["1", "2", "3", "4", "5", "6"]
    assert categories.set_index("key").loc["3", "shortfall"] == 16.5  # 50% of 110 = 55 - 38.5
