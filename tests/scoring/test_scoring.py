from __future__ import annotations

import pandas as pd
import pytest
from helpers import GOLDEN, read_golden

from evalkit import load_sheets, score
from evalkit.scoring.methods import round_to_step


def _compare(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    keys = [c for c in ("agency_id", "year", "level", "key") if c in expected]
    merged = expected.merge(
        result, on=keys, how="left", suffixes=("", "_got"), validate="one_to_one"
    )
    assert len(result) == len(expected), "result has rows the golden file does not"
    for column in ("percent", "points", "max_points"):
        got = merged[f"{column}_got"]
        assert got.notna().all(), f"missing rows for {merged.loc[got.isna(), keys]}"
        pd.testing.assert_series_equal(got, merged[column].astype(float), check_names=False)


def test_consensus_golden(registry):
    result = score(load_sheets([GOLDEN / "consensus" / "sheet.csv"], registry), registry)
    _compare(result, read_golden(GOLDEN / "consensus" / "expected.csv"))


def test_pmqa_2562_golden(registry):
    result = score(load_sheets([GOLDEN / "pmqa-2562" / "sheet.csv"], registry), registry)
    _compare(
        result,
        read_golden(GOLDEN / "pmqa-2562" / "expected.csv").assign(agency_id="golden", year=2565),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (52.5, 55),
        (57.5, 60),
        (2.5, 5),
        (0, 0),
        (97.5, 100),
        (52.49, 50),
        (17.5, 20),
    ],
)
def test_round_to_step_halves_up(raw, expected):
    assert round_to_step(pd.Series([raw]), 5)[0] == expected


def test_result_columns_and_order(registry):
    result = score(load_sheets([GOLDEN / "pmqa-2562" / "sheet.csv"], registry), registry)
    assert list(result.columns) == [
        "agency_id",
        "agency_name",
        "year",
        "framework",
        "level",
        "key",
        "percent",
        "points",
        "max_points",
        "label",
    ]
    assert list(result["level"].unique()) == ["item", "category", "total"]
    assert list(result.loc[result["level"] == "item", "key"])[:3] == ["1.1", "1.2", "2.1"]
    assert (result["label"] == "").all()


def test_mean_rule_rounds_to_step(registry):
    rows = load_sheets([GOLDEN / "consensus" / "sheet.csv"], registry)
    result = score(rows, registry, rule="mean")
    b1 = result[(result["agency_id"] == "mini") & (result["key"] == "B.1")].iloc[0]
    assert b1["percent"] == 65  # mean(100, 90, 0) = 63.33 -> nearest step of 5


def test_row_order_does_not_matter(registry):
    rows = load_sheets([GOLDEN / "consensus" / "sheet.csv"], registry)
    forward = score(rows, registry)
    backward = score(rows.bands.iloc[::-1].reset_index(drop=True), registry)
    pd.testing.assert_frame_equal(forward, backward)


def test_self_assessment_takes_no_part_in_the_score(registry):
    rows = load_sheets([GOLDEN / "consensus" / "sheet.csv"], registry).bands
    mini = rows[rows["agency_id"] == "mini"]
    own = mini.assign(assessor="Self", percent=100.0).drop_duplicates("item")
    with_self = score(pd.concat([mini, own], ignore_index=True), registry)
    pd.testing.assert_frame_equal(with_self, score(mini, registry))


def test_trimmed_mean_drops_the_highest_and_lowest(registry):
    rows = load_sheets([GOLDEN / "consensus" / "sheet.csv"], registry)
    result = score(rows, registry, rule="trimmed").set_index(["agency_id", "key"])
    assert result.loc[("mini", "B.1"), "percent"] == 90  # (100, 90, 0) -> 90
    assert result.loc[("four", "A.1"), "percent"] == 20  # (10, 15, 20, 25) -> 17.5 -> 20
    assert result.loc[("mini", "A.1"), "percent"] == 55  # two assessors: the mean, 52.5 -> 55
