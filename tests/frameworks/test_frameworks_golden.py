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


def test_kpi_targets_on_the_status_scale_note_partial_totals():
    """A status total is a mean on the 500 scale: comparable with its targets even when
    categories are absent, so the targets are judged, with a note."""
    rules = _rules("pmqa40-status")  # categories 1, 2 and 7 only
    assert rules["applicable"].all()
    assert rules["shortfall"].to_dict() == {
        "target-300": 5.5556,
        "target-350": 55.5556,
        "target-400": 105.5556,
    }
    assert set(rules["note"]) == {
        "คะแนนรวมเฉลี่ยเฉพาะหมวดที่ประเมิน ไม่ได้ประเมินหมวด 3, 4, 5, 6 "
        "(the total is the mean of the categories assessed; categories 3, 4, 5, 6 absent)"
    }


def test_a_summed_total_of_a_category_award_sheet_is_not_judged(registry, tmp_path):
    """pmqa-2562 sums its categories: a category-2 sheet cannot be held to the 400 points of
    the overall award; the category award is judged for category 2."""
    sheet = GOLDEN / "pmqa-2562" / "sheet.csv"
    rows = [r for r in sheet.read_text(encoding="utf-8").splitlines() if ",2." in r]
    path = tmp_path / "category-2.csv"
    path.write_text("\n".join([sheet.read_text(encoding="utf-8").splitlines()[0], *rows]) + "\n")
    rules = evaluate_rules(score(load_sheets([path], registry), registry), registry)
    award = rules.set_index("rule").loc["award"]
    assert not award["applicable"] and pd.isna(award["met"]) and pd.isna(award["shortfall"])
    assert award["note"] == (
        "ไม่เกี่ยวข้อง: ไม่ได้ประเมินหมวด 1, 3, 4, 5, 6, 7 "
        "(not applicable: categories 1, 3, 4, 5, 6, 7 absent)"
    )
    categories = rules[rules["rule"] == "category-award"]
    assert categories["key"].tolist() == ["2"] and categories["applicable"].all()


def test_pmqa_award_rules_apply_to_their_years(registry):
    sheet = GOLDEN / "pmqa-2562" / "sheet.csv"
    rules = evaluate_rules(score(load_sheets([sheet], registry), registry), registry)
    award = rules[rules["rule"] == "award"].iloc[0]
    assert (award["points"], award["threshold"], award["met"]) == (474.5, 400, True)
    assert award["shortfall"] == 0
    categories = rules[rules["rule"] == "category-award"]
    assert categories["key"].tolist() == ["1", "2", "3", "4", "5", "6"]
    assert categories.set_index("key").loc["3", "shortfall"] == 16.5  # 50% of 110 = 55 - 38.5
