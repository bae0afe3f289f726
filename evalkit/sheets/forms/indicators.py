"""The indicators form: each row an indicator's target, actual value and good direction,
optionally a five-level scale of the actual value (floor, level2, goal, level4, ceiling) and
earlier years' results in columns named by year (``2563``, ``ปี 2563``, ``ผล พ.ศ. ๒๕๖๓``)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from pythainlp.util import thai_digit_to_arabic_digit

from evalkit.core.dates import era_marker
from evalkit.core.declared import one_of
from evalkit.frameworks.model import SCALE_COLUMNS, Framework, Item
from evalkit.frameworks.registry import Registry
from evalkit.sheets.columns import vocabulary
from evalkit.sheets.forms.base import declare_form, form_record
from evalkit.sheets.forms.common import BE_YEARS, CE_OFFSET
from evalkit.sheets.rows import Rows

#: Optional: a five-level scale of the actual value (floor = level 1, goal = level 3,
#: ceiling = level 5).
SCALE = SCALE_COLUMNS
#: Earlier years' results, from columns named by year, as ``2563:80;2564:85``.
RESULTS = "results"
_WORDS = vocabulary()["words"]
#: How sheets say an indicator's good direction (case and spaces aside) -> higher or lower.
DIRECTIONS = {word: way for way, words in _WORDS["directions"].items() for word in words}
DIRECTION_EXPECTED = "higher or lower (สูง/ต่ำ, ยิ่งมากยิ่งดี/ยิ่งน้อยยิ่งดี, ค่ามากดี/ค่าน้อยดี)"
#: The header evalkit gives a year of earlier results when it writes one (read back below).
RESULT_HEADER: str = _WORDS["results"]["header"]


_ERA = era_marker("buddhist", between=r"\.?", after=r"\.?")  # spaces are taken out first
_YEAR_HEADER = re.compile(
    rf"(?:{one_of(_WORDS['results']['words'])})?(?:{one_of(_WORDS['results']['year'])})?"
    rf"(?:{_ERA})?([0-9]{{4}})"
)


def year_column(name: str) -> str | None:
    """``y2563`` for a header naming a year of results (``2563``, ``ปี 2563``, ``ผล พ.ศ. ๒๕๖๓``,
    or a common-era year), else None."""
    key = re.sub(r"[\s\u00a0]+", "", re.sub(r"\(.*\)", "", name))
    match = _YEAR_HEADER.fullmatch(thai_digit_to_arabic_digit(key))
    if not match:
        return None
    year = int(match[1])
    year += CE_OFFSET if 1900 <= year < 2400 else 0
    return f"y{year}" if year in BE_YEARS else None


def direction_of(series: pd.Series) -> pd.Series:
    """``higher`` or ``lower`` from any accepted spelling (spaces ignored); NaN otherwise."""
    return series.str.casefold().str.replace(r"[\s\u00a0]+", "", regex=True).map(DIRECTIONS)


def _scales(rows: Rows, direction: pd.Series, target: pd.Series) -> None:
    """Five-level scales given on the sheet: numbers, goal defaulting to the target, levels
    that rise (higher is better) or fall (lower is better) as the direction says."""
    f = rows.frame
    given = [c for c in SCALE if c in f]
    if not given:
        return
    values = pd.DataFrame({c: rows.number(c) for c in given}, index=f.index)
    for column in given:
        rows.flag(f[column].ne("") & values[column].isna(), column, "a number or an empty cell")
    values = values.reindex(columns=list(SCALE))
    values["goal"] = values["goal"].fillna(
        target.where(values[["floor", "ceiling"]].notna().all(axis=1))
    )
    values["level2"] = values["level2"].fillna((values["floor"] + values["goal"]) / 2)
    values["level4"] = values["level4"].fillna((values["goal"] + values["ceiling"]) / 2)
    used = values[["floor", "ceiling"]].notna().any(axis=1)
    column = next(c for c in ("floor", "ceiling", "goal") if c in f)
    rows.flag(
        used & values[["floor", "goal", "ceiling"]].isna().any(axis=1),
        column,
        "floor, goal (or target) and ceiling together",
    )
    steps = values.diff(axis=1).iloc[:, 1:]
    rising, falling = (steps > 0).all(axis=1), (steps < 0).all(axis=1)
    wrong = (
        used
        & values.notna().all(axis=1)
        & ~((rising & (direction == "higher")) | (falling & (direction == "lower")))
    )
    rows.flag(
        wrong,
        column,
        "level values that rise from floor to ceiling when higher is better, "
        "and fall when lower is better",
    )
    for name in SCALE:
        f[name] = values[name].where(used)


def _results(rows: Rows) -> None:
    """Earlier years' results, from columns named by year, as ``2563:80;2564:85``."""
    f = rows.frame
    years = sorted(c for c in f if re.fullmatch(r"y\d{4}", c))
    values = {c: rows.number(c) for c in years}
    for column in years:
        rows.flag(f[column].ne("") & values[column].isna(), column, "a number or an empty cell")
    f[RESULTS] = [
        ";".join(f"{c[1:]}:{values[c][i]:g}" for c in years if pd.notna(values[c][i]))
        for i in f.index
    ]


def check_indicators(rows: Rows, registry: Registry, known: pd.Series) -> None:
    f = rows.frame
    rows.flag(f["indicator"] == "", "indicator", "the indicator's name")
    target, actual = rows.number("target"), rows.number("actual")
    has_scale = pd.Series(False, index=f.index)
    for column in ("floor", "ceiling"):
        if column in f:
            has_scale |= f[column].ne("")
    rows.flag(
        (target.isna() & ~has_scale) | (target <= 0),
        "target",
        "a number above 0 (may be empty when a scale gives the goal)",
    )
    rows.flag(actual.isna(), "actual", "a number")
    direction = direction_of(f["direction"])
    rows.flag(direction.isna(), "direction", DIRECTION_EXPECTED)
    if "assessor" not in f:
        f["assessor"] = ""
    _scales(rows, direction, target)
    _results(rows)
    if "goal" in f:
        target = target.fillna(f["goal"].astype(float))
    f["target"], f["actual"], f["direction"] = target, actual, direction
    for framework_id in f.loc[known, "framework"].unique():
        scales = registry.get(framework_id).items
        declared = {(i.key, s.indicator): s.direction for i in scales for s in i.scales}
        expected = pd.Series(list(zip(f["item"], f["indicator"], strict=True)), index=f.index)
        expected = expected.map(declared)
        rows.flag(
            known
            & (f["framework"] == framework_id)
            & expected.notna()
            & direction.notna()
            & (expected != direction),
            "direction",
            f"the direction of the indicator's scale in {framework_id}",
        )


def indicators_layout(
    framework: Framework, items: list[Item], factors: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    """An indicators template: one row per item scored by indicators, for its first
    indicator (more are added as rows)."""
    rows = [
        {"framework": framework.id, "item": i.key, "item_name": i.name_th}
        for i in items
        if i.method in INDICATORS.methods
    ]
    columns = ["agency_id", "agency_name", "year", "framework", "item", "item_name"]
    columns += ["indicator", "target", "actual", "direction", "floor", "goal", "ceiling"]
    return [*columns, "explanation", "evidence"], rows


INDICATORS = declare_form(
    form_record("indicators"),
    check=check_indicators,
    layout=indicators_layout,
    pattern=year_column,
)
