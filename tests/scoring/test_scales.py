"""Category 7 as practised: five-level scales on the actual value, every spelling of the
direction, and earlier years' results."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit import Registry, SheetSet, score
from evalkit.frameworks.model import scale_values
from evalkit.frameworks.schema import parse_framework
from evalkit.scoring.methods import scale_points
from evalkit.sheets.forms.indicators import DIRECTIONS
from evalkit.sheets.load import load_sheets

HEADER = "agency_id,agency_name,year,framework,item,indicator,target,actual,direction"
ROW = "g,x,2565,pmqa40-status,7.{n},ตัวชี้วัด {n},{target},{actual},{direction}"


def _points(actual: float, floor: float, goal: float, ceiling: float) -> float:
    levels = dict(
        zip(
            ["floor", "level2", "goal", "level4", "ceiling"],
            scale_values(floor, goal, ceiling),
            strict=True,
        )
    )
    return float(scale_points(pd.DataFrame([{**levels, "actual": actual}]))[0])


@pytest.mark.parametrize(
    ("actual", "points"),
    [
        # the reference's RM1: floor 75, goal 85, ceiling 95, 20 points per unit
        (74.9, 0),  # below the floor
        (75, 100),  # floor
        (80, 200),  # half-way floor to goal: 100 + 5 x 20
        (82, 240),  # between: 100 + 7 x 20
        (85, 300),  # goal
        (90.5, 410),  # between: 300 + 5.5 x 20
        (95, 500),  # ceiling
        (120, 500),  # beyond
    ],
)
def test_a_rising_scale(actual, points):
    assert _points(actual, 75, 85, 95) == pytest.approx(points)


@pytest.mark.parametrize(
    ("actual", "points"),
    [
        # lower is better: floor 30 days, goal 20, ceiling 10; 10 points per day
        (31, 0),  # worse than the floor
        (30, 100),  # floor
        (24, 220),  # between: 100 + 6 x 20
        (20, 300),  # goal
        (13, 440),  # between: 300 + 7 x 20
        (10, 500),  # ceiling
        (2, 500),  # beyond
    ],
)
def test_a_falling_scale_is_lower_is_better(actual, points):
    assert _points(actual, 30, 20, 10) == pytest.approx(points)


def test_unequal_steps_are_linear_on_each_side_of_the_goal():
    # the reference's RM6 (ITA): floor 20, goal 60, ceiling 100: 5 points per unit both sides
    assert _points(40, 20, 60, 100) == pytest.approx(200)
    # floor 94, goal 96, ceiling 100: 100 per unit below the goal, 50 above it
    assert _points(95, 94, 96, 100) == pytest.approx(200)
    assert _points(98, 94, 96, 100) == pytest.approx(400)


def test_a_scale_on_the_sheet_scores_the_actual_value(write_sheet):
    sheet = write_sheet(
        HEADER
        + ",floor,goal,ceiling\n"
        + ROW.format(n=1, target=85, actual=90, direction="ยิ่งมากยิ่งดี")
        + ",75,,95\n"
        + ROW.format(n=2, target=20, actual=13, direction="ยิ่งน้อยยิ่งดี")
        + ",30,20,10\n"
        + ROW.format(n=3, target=100, actual=102, direction="higher")
        + ",,,\n"
        + "".join(
            ROW.format(n=n, target=1, actual=1, direction="มากดี") + ",,,\n" for n in (4, 5, 6)
        )
    )
    result = score(load_sheets([sheet])).set_index(["level", "key"])
    # 7.1 goal from the target: 300 + 5 x 20 = 400; 7.2 440; 7.3 by success 102 -> 400
    assert result.loc[("item", "7.1"), "points"] == pytest.approx(400)
    assert result.loc[("item", "7.2"), "points"] == pytest.approx(440)
    assert result.loc[("item", "7.3"), "points"] == pytest.approx(400)


def test_a_scale_against_its_direction_is_refused(write_sheet):
    from evalkit.core.errors import InvalidInputError

    sheet = write_sheet(
        HEADER
        + ",ระดับ 1,ระดับ 3,ระดับ 5\n"
        + ROW.format(n=1, target=85, actual=90, direction="lower")
        + ",75,85,95\n"
    )
    with pytest.raises(InvalidInputError, match="fall when lower is better"):
        load_sheets([sheet])


def test_a_scale_declared_in_the_framework_file(tmp_path):
    text = """
id: scaled
max_points: 500
scoring: {method: indicator-success, aggregate: mean}
success_points: [{below: 100, linear_to: 300}, {above: 99, points: 500}]
categories:
  - key: "7"
    name: {th: ผลลัพธ์}
    items:
      - key: "7.1"
        scales:
          - {indicator: RM1, floor: 75, goal: 85, ceiling: 95}
          - {indicator: รอคอย, floor: 30, goal: 20, ceiling: 10}
"""
    framework = parse_framework(text, "scaled.yaml")
    assert framework.item("7.1").scales[1].direction == "lower"
    rows = pd.DataFrame(
        [
            ("g", "x", 2565, "scaled", "7.1", "RM1", 85.0, 90.0, "higher"),
            ("g", "x", 2565, "scaled", "7.1", "รอคอย", 20.0, 24.0, "lower"),
        ],
        columns=[
            "agency_id",
            "agency_name",
            "year",
            "framework",
            "item",
            "indicator",
            "target",
            "actual",
            "direction",
        ],
    )
    (tmp_path / "scaled.yaml").write_text(text, encoding="utf-8")
    registry = Registry([tmp_path])
    result = score(SheetSet.of(indicators=rows), registry)
    # mean(400, 220) = 310
    assert result.set_index("level").loc["item", "points"] == pytest.approx(310)


def test_a_framework_scale_that_does_not_rise_or_fall_is_refused():
    from evalkit.core.errors import FrameworkError

    text = """
id: flat
max_points: 500
scoring: {method: indicator-success, aggregate: mean}
success_points: [{above: 0, points: 500}]
categories:
  - key: "7"
    items:
      - key: "7.1"
        scales: [{indicator: A, floor: 75, goal: 70, ceiling: 95}]
"""
    with pytest.raises(FrameworkError, match="rise from floor to ceiling"):
        parse_framework(text, "flat.yaml")


@pytest.mark.parametrize(
    ("spelling", "direction"),
    [
        ("ยิ่งมากยิ่งดี", "higher"),
        ("ยิ่งน้อยยิ่งดี", "lower"),
        ("มากดี", "higher"),
        ("น้อยดี", "lower"),
        ("ค่ามากดี", "higher"),
        ("ค่าน้อยดี", "lower"),
        ("ยิ่งมาก ยิ่งดี", "higher"),
        ("Higher", "higher"),
        ("lower", "lower"),
        ("สูง", "higher"),
        ("ต่ำ", "lower"),
    ],
)
def test_every_direction_spelling(write_sheet, spelling, direction):
    # target 100, actual 90: higher is better gives success 90 -> 270, lower 110 -> 500
    sheet = write_sheet(
        HEADER
        + "\n"
        + "".join(
            ROW.format(n=n, target=100, actual=90, direction=spelling) + "\n" for n in range(1, 7)
        )
    )
    result = score(load_sheets([sheet])).set_index(["level", "key"])
    assert result.loc[("item", "7.1"), "points"] == pytest.approx(
        270 if direction == "higher" else 500
    )
    assert set(DIRECTIONS.values()) == {"higher", "lower"}


def test_earlier_years_in_year_columns(write_sheet):
    from evalkit.analysis.checks import indicator_series

    sheet = write_sheet(
        HEADER
        + ",ผล 2563,ปี ๒๕๖๔,2022 (result)\n"
        + "".join(
            ROW.format(n=n, target=100, actual=100, direction="higher") + ",80,90,95\n"
            for n in range(1, 7)
        )
    )
    sheets = load_sheets([sheet])
    assert sheets.indicators["results"].iloc[0] == "2563:80;2564:90;2565:95"
    series = indicator_series(sheets, Registry().get("pmqa40-status"), "g")
    first = series[series["item"] == "7.1"]
    # the sheet's own year (2565) wins over the 2022 CE = 2565 BE column
    assert first[["year", "value"]].values.tolist() == [[2563, 80], [2564, 90], [2565, 100]]
