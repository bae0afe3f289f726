from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import BAND_HEADER, SAMPLE

from evalkit import EvalkitError, Registry, load_sheets
from evalkit.analysis.agreement import (
    band_percent_rows,
    item_spread,
    krippendorff_alpha,
    krippendorff_alpha_interval,
    panel_agreement,
)
from evalkit.frameworks.model import band_index

N = np.nan
#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
#: observers (rows) x twelve units (columns), values 1-5, "." (missing) as NaN.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
).T  # units in rows, coders in columns
PMQA = Registry().get("pmqa-2562")
ROW = "demo,หน่วยงาน,2565,pmqa-2562,{assessor},{item},{percent}\n"


def sheet(write_sheet, scores: dict[str, dict[str, int]], name: str = "sheet.csv"):
    """A band sheet of agency demo, 2565: assessor -> item -> percent."""
    rows = [
        ROW.format(assessor=assessor, item=item, percent=percent)
        for assessor, items in scores.items()
        for item, percent in items.items()
    ]
    return write_sheet(BAND_HEADER + "".join(rows), name)


@pytest.mark.parametrize(
    ("metric", "published"),
    [("interval", 0.849), ("nominal", 0.743), ("ordinal", 0.815), ("ratio", 0.797)],
)
def test_krippendorff_2011_worked_example(metric, published):
    assert krippendorff_alpha(KRIPPENDORFF_2011, metric) == pytest.approx(published, abs=0.001)


def test_interval_alpha_of_the_worked_example_as_a_frame():
    frame = pd.DataFrame(KRIPPENDORFF_2011, columns=["A", "B", "C", "D"])
    assert krippendorff_alpha_interval(frame) == pytest.approx(0.849, abs=0.001)


def test_interval_alpha_by_hand():
    # Units (rows) x 2 coders: (1, 2), (3, 3), (5, 4). Each unit has m_u = 2 values, so every
    # pair counts 1 / (m_u - 1) = 1: o[1,2] = o[2,1] = 1, o[3,3] = 2, o[4,5] = o[5,4] = 1.
    # n_1 = n_2 = n_4 = n_5 = 1, n_3 = 2, n = 6.
    # Observed: sum o * (c - k)^2 = 1 + 1 + 1 + 1 = 4, D_o = 4 / 6.
    # Expected: sum over c < k of n_c n_k (c - k)^2 = (1,2) 1 + (1,3) 8 + (1,4) 9 + (1,5) 16
    #   + (2,3) 2 + (2,4) 4 + (2,5) 9 + (3,4) 2 + (3,5) 8 + (4,5) 1 = 60; both orders 120;
    #   D_e = 120 / (n (n - 1)) = 120 / 30 = 4.
    # alpha = 1 - D_o / D_e = 1 - (4 / 6) / 4 = 5 / 6.
    values = np.array([[1, 2], [3, 3], [5, 4]], dtype=float)
    assert krippendorff_alpha_interval(values) == pytest.approx(5 / 6)


def test_units_with_one_value_are_ignored():
    values = np.array([[1, 2], [3, 3], [5, 4], [9, N], [N, N]])
    assert krippendorff_alpha_interval(values) == pytest.approx(5 / 6)


def test_perfect_agreement_is_one_and_no_variation_is_undefined():
    assert krippendorff_alpha_interval(np.array([[10, 10, 10], [40, 40, N], [70, 70, 70]])) == 1.0
    assert math.isnan(krippendorff_alpha_interval(np.array([[50, 50], [50, 50]])))
    assert math.isnan(krippendorff_alpha_interval(np.array([[50, N], [N, 60]])))


def test_unknown_metric():
    with pytest.raises(ValueError, match="unknown metric 'cosine'"):
        krippendorff_alpha(KRIPPENDORFF_2011, "cosine")


@pytest.mark.parametrize(
    ("percent", "band"), [(0, 0), (5, 0), (7.5, 0), (10, 1), (25, 1), (45, 2), (90, 5), (100, 5)]
)
def test_band_index(percent, band):
    assert band_index(np.array([percent]), PMQA.bands)[0] == band


def test_item_spread_leaves_out_self_assessment(write_sheet):
    path = sheet(
        write_sheet,
        {
            "ผู้ประเมิน 1": {"2.1": 20, "2.2": 50},
            "ผู้ประเมิน 2": {"2.1": 45, "2.2": 60},
            "ผู้ประเมิน 3": {"2.1": 55, "2.2": 65},
            "Self": {"2.1": 100, "2.2": 0},
        },
    )
    spread = item_spread(load_sheets([path]).bands, PMQA)
    expected = pd.DataFrame(
        {
            "item": ["2.1", "2.2"],
            "assessors": [3, 3],
            "low": [20.0, 50.0],
            "high": [55.0, 65.0],
            "band_low": [1, 3],  # 20 in 10-25, 50 in 50-65
            "band_high": [3, 3],  # 55 and 65 in 50-65
            "band_range": [2, 0],
            "flagged": [True, False],
        }
    )
    got = spread.drop(columns=["agency_id", "year", "framework"])
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert spread[["agency_id", "year", "framework"]].drop_duplicates().values.tolist() == [
        ["demo", 2565, "pmqa-2562"]
    ]


def test_panel_agreement_by_hand(write_sheet):
    path = sheet(
        write_sheet,
        {
            "ผู้ประเมิน 1": {"2.1": 20, "2.2": 50},
            "ผู้ประเมิน 2": {"2.1": 45, "2.2": 60},
            "ผู้ประเมิน 3": {"2.1": 55, "2.2": 65},
            "self": {"2.1": 90, "2.2": 90},
        },
    )
    # Units 2.1 (20, 45, 55; mean 40; SS 400 + 25 + 225 = 650) and 2.2 (50, 60, 65; mean
    # 58 1/3; SS 116 2/3). W = sum m SS / (m - 1) = 3/2 (650 + 116 2/3) = 1150.
    # All six values: sum 295, sum of squares 15775, SS = 15775 - 295^2 / 6 = 1270 5/6.
    # alpha = 1 - (n - 1) / n * W / SS = 1 - 5/6 * 1150 / (7625/6) = 1 - 46/61 = 15/61.
    table = panel_agreement(load_sheets([path]).bands, PMQA)
    assert table.drop(columns="alpha").values.tolist() == [["demo", 2565, "pmqa-2562", 2, 3, 1]]
    assert list(table.columns) == [
        "agency_id",
        "year",
        "framework",
        "items",
        "assessors",
        "alpha",
        "flagged",
    ]
    assert table["alpha"].iloc[0] == pytest.approx(15 / 61, abs=1e-6)


@pytest.fixture(scope="module")
def sample_bands() -> pd.DataFrame:
    return load_sheets(sorted(SAMPLE.glob("*"))).bands


def test_grouped_alpha_equals_the_coincidence_matrix_on_the_sample(sample_bands):
    table = panel_agreement(sample_bands, PMQA).set_index(["agency_id", "year"])
    rows = band_percent_rows(sample_bands, PMQA)
    assert len(table) == 36  # 9 agencies x 4 years
    for (agency_id, year), unit in rows.groupby(["agency_id", "year"]):
        matrix = unit.pivot(index="item", columns="assessor", values="percent")
        expected = krippendorff_alpha_interval(matrix)
        assert table.loc[(agency_id, year), "alpha"] == pytest.approx(expected, abs=1e-6)


def test_pooled_alpha_takes_every_agency_item_as_a_unit(sample_bands):
    pooled = panel_agreement(sample_bands, PMQA, pooled=True)
    assert pooled["year"].tolist() == [2562, 2563, 2564, 2565]
    assert pooled["agencies"].tolist() == [9] * 4
    assert pooled["items"].tolist() == [162] * 4  # 9 agencies x 18 items
    rows = band_percent_rows(sample_bands, PMQA)
    first = rows[rows["year"] == 2562]
    matrix = first.pivot(index=["agency_id", "item"], columns="assessor", values="percent")
    assert pooled["alpha"].iloc[0] == pytest.approx(krippendorff_alpha_interval(matrix), abs=1e-6)


def test_framework_without_bands():
    framework = Registry().get("lertrat-participatory")
    empty = pd.DataFrame(columns=["agency_id", "year", "framework", "assessor", "item", "percent"])
    with pytest.raises(EvalkitError, match="defines no percentage bands"):
        item_spread(empty, framework)
