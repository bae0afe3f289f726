"""Properties that hold for any valid sheet: bounded scores, monotonic totals, and results
that do not depend on row order."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit import Registry, SheetSet, score

REGISTRY = Registry()
PMQA = REGISTRY.get("pmqa-2562")
STATUS = REGISTRY.get("pmqa40-status")
SETTINGS = settings(max_examples=30, deadline=None)


def _totals(sheets: SheetSet) -> pd.Series:
    result = score(sheets, REGISTRY)
    return result[result["level"] == "total"].set_index(["agency_id", "year"])["points"]


def _bounded(sheets: SheetSet) -> None:
    result = score(sheets, REGISTRY)
    scored = result.dropna(subset=["points"])
    assert (scored["points"] <= scored["max_points"] + 1e-9).all()
    assert (scored["points"] >= 0).all()


@st.composite
def band_sheets(draw):
    categories = draw(st.lists(st.sampled_from(PMQA.categories), min_size=1, unique=True))
    assessors = draw(st.integers(1, 4))
    agencies = draw(st.integers(1, 3))
    rows = [
        (f"a{a}", "หน่วยงาน", 2565, PMQA.id, f"p{p}", item.key, draw(st.integers(0, 20)) * 5.0)
        for a in range(agencies)
        for p in range(assessors)
        for category in categories
        for item in category.items
    ]
    columns = ["agency_id", "agency_name", "year", "framework", "assessor", "item", "percent"]
    return pd.DataFrame(rows, columns=columns)


@given(band_sheets(), st.data())
@SETTINGS
def test_band_scores_are_bounded_monotonic_and_order_free(rows, data):
    _bounded(SheetSet.of(bands=rows))
    before = _totals(SheetSet.of(bands=rows))
    index = data.draw(st.integers(0, len(rows) - 1))
    raised = rows.copy()
    raised.loc[index, "percent"] = min(100.0, raised.loc[index, "percent"] + 5)
    assert (_totals(SheetSet.of(bands=raised)) >= before - 1e-9).all()
    shuffled = rows.sample(frac=1, random_state=data.draw(st.integers(0, 999)))
    pd.testing.assert_frame_equal(
        score(SheetSet.of(bands=shuffled), REGISTRY), score(SheetSet.of(bands=rows), REGISTRY)
    )


@st.composite
def checklist_sheets(draw):
    category = draw(st.sampled_from(STATUS.categories[:6]))
    assessors = draw(st.integers(1, 3))
    rows = [
        (
            "s",
            "หน่วยงาน",
            2565,
            STATUS.id,
            f"p{p}",
            item.key,
            check.level,
            check.id,
            draw(st.booleans()),
        )
        for p in range(assessors)
        for item in category.items
        for check in item.checks
    ]
    columns = [
        "agency_id",
        "agency_name",
        "year",
        "framework",
        "assessor",
        "item",
        "level",
        "check",
        "met",
    ]
    return pd.DataFrame(rows, columns=columns)


@given(checklist_sheets(), st.data())
@SETTINGS
def test_checklist_scores_are_bounded_monotonic_and_order_free(rows, data):
    _bounded(SheetSet.of(checks=rows))
    before = _totals(SheetSet.of(checks=rows))
    index = data.draw(st.integers(0, len(rows) - 1))
    raised = rows.copy()
    raised.loc[index, "met"] = True
    assert (_totals(SheetSet.of(checks=raised)) >= before - 1e-9).all()
    shuffled = rows.sample(frac=1, random_state=data.draw(st.integers(0, 999)))
    pd.testing.assert_frame_equal(
        score(SheetSet.of(checks=shuffled), REGISTRY), score(SheetSet.of(checks=rows), REGISTRY)
    )


@st.composite
def indicator_sheets(draw):
    rows = [
        (
            "s",
            "หน่วยงาน",
            2565,
            STATUS.id,
            item.key,
            f"k{n}",
            draw(st.floats(1, 1000)),
            draw(st.floats(0, 2000)),
            draw(st.sampled_from(["higher", "lower"])),
        )
        for item in STATUS.categories[6].items
        for n in range(draw(st.integers(1, 3)))
    ]
    columns = [
        "agency_id",
        "agency_name",
        "year",
        "framework",
        "item",
        "indicator",
        "target",
        "actual",
        "direction",
    ]
    return pd.DataFrame(rows, columns=columns)


@given(indicator_sheets(), st.data())
@SETTINGS
def test_indicator_scores_are_bounded_and_better_results_never_score_lower(rows, data):
    _bounded(SheetSet.of(indicators=rows))
    before = _totals(SheetSet.of(indicators=rows))
    index = data.draw(st.integers(0, len(rows) - 1))
    better = rows.copy()
    step = data.draw(st.floats(0, 500))
    higher = better.loc[index, "direction"] == "higher"
    better.loc[index, "actual"] += step if higher else -min(step, better.loc[index, "actual"])
    assert (_totals(SheetSet.of(indicators=better)) >= before - 1e-9).all()
