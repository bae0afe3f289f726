from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import BAND_HEADER

from evalkit import EvalkitError, Registry, load_sheets, score
from evalkit.analysis.compare import (
    cheapest_path,
    indicator_results,
    portfolio,
    self_vs_panel,
    trends,
    what_if,
)
from evalkit.analysis.steps import raise_one_band

REGISTRY = Registry()
PMQA = REGISTRY.get("pmqa-2562")
ROW = "{agency},หน่วยงาน {agency},{year},pmqa-2562,{assessor},{item},{percent}\n"


def band_sheet(write_sheet, scores, name="sheet.csv", agency="demo", year=2565):
    """A band sheet: assessor -> item -> percent, for one agency and year."""
    rows = [
        ROW.format(agency=agency, year=year, assessor=assessor, item=item, percent=percent)
        for assessor, items in scores.items()
        for item, percent in items.items()
    ]
    return write_sheet(BAND_HEADER + "".join(rows), name)


def scored(write_sheet, items: dict[str, int], **where) -> pd.DataFrame:
    """Scores of one assessor's sheet (the consensus of one is the value itself)."""
    return score(load_sheets([band_sheet(write_sheet, {"A": items}, **where)]))


def test_self_vs_panel(write_sheet):
    panel = band_sheet(
        write_sheet,
        {
            "ผู้ประเมิน 1": {"1.1": 50, "1.2": 30, "2.1": 20, "2.2": 50},
            "ผู้ประเมิน 2": {"1.1": 55, "1.2": 30, "2.1": 45, "2.2": 60},
            "ผู้ประเมิน 3": {"1.1": 60, "1.2": 40, "2.1": 55, "2.2": 65},
        },
        "panel.csv",
    )
    earlier = band_sheet(write_sheet, {"X": {"1.1": 50, "1.2": 50}}, "2564.csv", year=2564)
    own = band_sheet(write_sheet, {"SELF": {"1.1": 55, "1.2": 25, "2.1": 70, "2.2": 65}}, "s.csv")
    # Panel medians: 1.1 55, 1.2 30, 2.1 45, 2.2 60; the 2564 sheet has no self rows.
    result = score(load_sheets([panel, earlier]))
    table = self_vs_panel(load_sheets([panel, earlier, own]), result)
    assert table[["year", "item", "self_percent", "panel_percent", "gap", "verdict"]].to_dict(
        "list"
    ) == {
        "year": [2565] * 4,
        "item": ["1.1", "1.2", "2.1", "2.2"],
        "self_percent": [55.0, 25.0, 70.0, 65.0],
        "panel_percent": [55.0, 30.0, 45.0, 60.0],
        "gap": [0.0, -5.0, 25.0, 5.0],
        "verdict": ["agrees", "under", "over", "over"],
    }


@pytest.mark.parametrize(
    ("percent", "raised"),
    [
        (0, 10),  # band 0-5 -> 10-25, same offset
        (5, 15),
        (7.5, 17.5),  # between bands: counts in the band below
        (10, 30),
        (25, 45),
        (45, 65),
        (60, 80),
        (70, 90),
        (80, 100),
        (85, 100),  # 90 + 15 capped at the band's top
        (90, 90),  # top band: no raise
        (100, 100),
    ],
)
def test_raise_one_band(percent, raised):
    assert raise_one_band(np.array([percent], dtype=float), PMQA.bands)[0] == raised


def test_what_if(write_sheet):
    result = scored(write_sheet, {"1.1": 95, "1.2": 5, "2.1": 45, "2.2": 85})
    table = what_if(result, PMQA, "demo", 2565)
    # 2.1 (40 points) 45 -> 65: 18 -> 26, +8; 1.2 (60) 5 -> 15: 3 -> 9, +6;
    # 2.2 (40) 85 -> 100: 34 -> 40, +6; 1.1 (60) 95 is in the top band: +0.
    assert table[["item", "percent", "new_percent", "points", "new_points", "gain"]].to_dict(
        "list"
    ) == {
        "item": ["2.1", "1.2", "2.2", "1.1"],
        "percent": [45.0, 5.0, 85.0, 95.0],
        "new_percent": [65.0, 15.0, 100.0, 95.0],
        "points": [18.0, 3.0, 34.0, 57.0],
        "new_points": [26.0, 9.0, 40.0, 57.0],
        "gain": [8.0, 6.0, 6.0, 0.0],
    }
    assert table["band"].tolist() == [2, 0, 4, 5]
    assert table["new_band"].tolist() == [3, 1, 5, 5]


def test_what_if_unknown_agency(write_sheet):
    result = scored(write_sheet, {"2.1": 45, "2.2": 85})
    with pytest.raises(EvalkitError, match="No scores for demo 2564 in framework pmqa-2562"):
        what_if(result, PMQA, "demo", 2564)


def test_cheapest_path_beats_greedy(write_sheet):
    # 2.1 (40 points) at 0 and 2.2 (40) at 85: total 34, threshold 46, 12 points short.
    # Raises of 2.1 gain 4 (0 -> 10), then 8 (10 -> 30), 8, 8, 8; 2.2 gains 6 (85 -> 100).
    # Greedy takes 2.2 (+6), then 2.1 (+4) = 44, then 2.1 again (+8) = 52: three raises.
    # Two raises of 2.1 make 4 + 8 = 12 exactly: the fewest.
    result = scored(write_sheet, {"2.1": 0, "2.2": 85})
    path = cheapest_path(result, PMQA, "demo", 2565, 46)
    assert path.to_dict("list") == {
        "step": [1, 2],
        "item": ["2.1", "2.1"],
        "from_percent": [0.0, 10.0],
        "to_percent": [10.0, 30.0],
        "gain": [4.0, 8.0],
        "total": [38.0, 46.0],
    }
    assert path.attrs == {"start_total": 34.0, "threshold": 46, "note": "2 raises"}


def test_cheapest_path_prefers_more_points_among_fewest_raises(write_sheet):
    # One raise is enough for 40 (+6 needed): 2.1 +4 is not, 2.2 +6 is; 2.1 twice would be 2.
    result = scored(write_sheet, {"2.1": 0, "2.2": 85})
    path = cheapest_path(result, PMQA, "demo", 2565, 40)
    assert path[["item", "gain", "total"]].values.tolist() == [["2.2", 6.0, 40.0]]


def test_cheapest_path_already_met_and_unreachable(write_sheet):
    result = scored(write_sheet, {"2.1": 0, "2.2": 85})
    met = cheapest_path(result, PMQA, "demo", 2565, 30)
    assert met.empty
    assert met.attrs["note"] == "already met: 34 >= 30"
    # At most 2.1 0 -> 10 -> 30 -> 50 -> 70 -> 90 (offset 0 in every band: 36 points) and
    # 2.2 85 -> 100 (40): 76, in six raises.
    assert cheapest_path(result, PMQA, "demo", 2565, 76)["total"].tolist()[-1] == 76
    assert len(cheapest_path(result, PMQA, "demo", 2565, 76)) == 6
    with pytest.raises(EvalkitError, match=r"cannot reach 76\.5 points: .* would be 76\."):
        cheapest_path(result, PMQA, "demo", 2565, 76.5)


def test_trends(write_sheet):
    first = {"1.1": 50, "1.2": 50, "2.1": 50, "2.2": 50}
    paths = [
        band_sheet(write_sheet, {"A": first}, "a.csv", year=2563),
        band_sheet(write_sheet, {"A": {"1.1": 60, "1.2": 50}}, "b.csv", year=2564),
        band_sheet(write_sheet, {"A": {"1.1": 40, "1.2": 50, "2.1": 55, "2.2": 50}}, "c.csv"),
    ]
    table = trends(score(load_sheets(paths))).set_index(["key", "year"])
    # Category 1: 60, 66, 54 -> changes 6, -12; slope over x = -1, 0, 1: (0 + 0 - 6) / 2 = -3.
    # Category 2 is absent in 2564: 40 (2563), 42 (2565) -> change 2, slope 1 per year.
    # Total: 100, 66, 96 -> changes -34, 30; slope (-12 2/3 + 8 2/3) / 2 = -2.
    assert table.loc["1", "points"].tolist() == [60.0, 66.0, 54.0]
    assert table.loc["1", "change"].tolist()[1:] == [6.0, -12.0]
    assert table.loc["1", "slope"].tolist() == [-3.0] * 3
    assert table.loc["2", "change"].tolist()[1:] == [2.0]
    assert table.loc["2", "slope"].tolist() == [1.0, 1.0]
    assert table.loc["total", "change"].tolist()[1:] == [-34.0, 30.0]
    assert table.loc["total", "slope"].tolist() == [-2.0] * 3
    assert table.index[table["drop"]].tolist() == [("1", 2565), ("total", 2564)]
    assert math.isnan(table.loc[("1", 2563), "change"])


def test_portfolio_ranks_and_rules(write_sheet):
    # every category present (a partial sheet's total rules do not apply), 1-6 at 0
    others = {i.key: 0 for i in PMQA.items if i.category != "7"}
    category_7 = {"7.1": 100, "7.2": 100, "7.3": 100, "7.4": 100, "7.5": 100, "7.6": 100}
    half = others | dict.fromkeys(category_7, 50)
    category_7 = others | category_7
    paths = [
        band_sheet(write_sheet, {"A": category_7}, "a.csv", agency="alpha"),
        band_sheet(write_sheet, {"A": category_7}, "b.csv", agency="beta"),
        band_sheet(write_sheet, {"A": half}, "c.csv", agency="gamma"),
        band_sheet(write_sheet, {"A": half}, "d.csv", agency="gamma", year=2570),
    ]
    result = score(load_sheets(paths))
    table = portfolio(result, REGISTRY, "pmqa-2562", 2565)
    # Category 7 is worth 400: alpha and beta 400 (tie, both rank 1), gamma 200; the award
    # needs 400 points. The category award is a category rule: no column.
    assert table[["rank", "agency_id", "points", "award"]].values.tolist() == [
        [1, "alpha", 400.0, True],
        [1, "beta", 400.0, True],
        [3, "gamma", 200.0, False],
    ]
    assert "category-award" not in table
    later = portfolio(result, REGISTRY, "pmqa-2562", 2570)  # the award lists years to 2569
    assert later["award"].isna().all()


def test_indicator_results(write_sheet):
    header = "agency_id,agency_name,year,framework,item,indicator,target,actual,direction\n"
    actual = {("a", 2564): 80, ("a", 2565): 90, ("b", 2564): 100, ("b", 2565): 90}
    rows = [
        f"{agency},หน่วยงาน {agency},{year},pmqa40-status,7.{n},ตัวชี้วัด {n},"
        + (f"100,{value},higher\n" if n == 1 else "10,9,lower\n")
        for (agency, year), value in actual.items()
        for n in range(1, 7)
    ]
    table = indicator_results(load_sheets([write_sheet(header + "".join(rows))]))
    first = table[table["indicator"] == "ตัวชี้วัด 1"].set_index(["agency_id", "year"])
    # success = actual / target x 100; 2564: b 100 (rank 1), a 80 (rank 2), median 90;
    # 2565: both 90 (rank 1 each), median 90; changes a +10, b -10.
    assert first.loc[("a", 2564), ["success", "rank", "agencies", "median"]].tolist() == [
        80.0,
        2,
        2,
        90.0,
    ]
    assert first["rank"].tolist() == [2, 1, 1, 1]
    assert first.loc[[("a", 2565), ("b", 2565)], "change"].tolist() == [10.0, -10.0]
    lower = table[table["indicator"] == "ตัวชี้วัด 2"]
    assert lower["success"].tolist() == [110.0] * 4  # 200 - 9 / 10 x 100
    assert lower["change"].isna().tolist() == [True, False, True, False]
    assert lower["change"].dropna().tolist() == [0.0, 0.0]


MEAN_FRAMEWORK = """\
id: mean-mini
edition: "test"
name: {th: เกณฑ์ทดสอบค่าเฉลี่ย, en: Mean test framework}
source: tests only
confidence: {points: exact}
max_points: 100
scoring: {method: band-percent, aggregate: mean, consensus: median, step: 5}
bands: [[0, 5], [10, 25], [30, 45], [50, 65], [70, 85], [90, 100]]
categories:
  - key: A
    name: {th: หมวดเอ, en: A}
    items:
      - {key: A.1, name: {th: หัวข้อ เอ.1, en: A one}}
      - {key: A.2, name: {th: หัวข้อ เอ.2, en: A two}}
  - key: B
    name: {th: หมวดบี, en: B}
    items:
      - {key: B.1, name: {th: หัวข้อ บี.1, en: B one}}
"""


def test_what_if_gain_under_mean_aggregate_matches_rescoring(tmp_path, write_sheet):
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "mean-mini.yaml").write_text(MEAN_FRAMEWORK, encoding="utf-8")
    registry = Registry([tmp_path / "frameworks"])
    row = "demo,หน่วยงาน,2565,mean-mini,A,{},{}\n"

    def total_of(a1: int) -> tuple[pd.DataFrame, float]:
        text = BAND_HEADER + row.format("A.1", a1) + row.format("A.2", 30) + row.format("B.1", 70)
        result = score(load_sheets([write_sheet(text, f"{a1}.csv")], registry), registry)
        return result, float(result.loc[result["level"] == "total", "points"].iloc[0])

    # Categories: A = mean(50, 30) = 40, B = 70; total = mean(40, 70) = 55. One band up adds
    # 20 to an item: a quarter of that to the total for A's items, a half for B.1.
    result, before = total_of(50)
    table = what_if(result, registry.get("mean-mini"), "demo", 2565)
    assert table[["item", "gain"]].values.tolist() == [["B.1", 10.0], ["A.1", 5.0], ["A.2", 5.0]]
    _, after = total_of(70)
    assert after - before == 5.0
