"""The three forms of score sheet, and how each row of each is checked.

- band: one row per assessor per item, with ``percent`` (band-percent items) or ``rating``
  (rating items), and optional factor columns ``a, d, l, i`` / ``le, t, c, i``;
- checklist: one row per assessor per check, ``level, check, met``;
- indicators: one row per indicator, ``indicator, target, actual, direction`` (checked in
  :mod:`evalkit.sheets.indicators`).

Every form also takes the comments ``strength, improvement, evidence`` (line breaks inside a
cell are kept). Rows whose assessor is ``consensus`` (or ``ฉันทามติ``) hold the panel's agreed
comments for an item or check and no score: their value cells stay empty.

Checks are vectorised: each one is a boolean mask over the rows, turned into problems.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from evalkit.frameworks.model import METHOD_FORMS, SCALE_COLUMNS, Framework, band_index
from evalkit.frameworks.registry import Registry
from evalkit.sheets.assessors import CONSENSUS, named
from evalkit.sheets.numbers import arabic
from evalkit.sheets.rows import Rows

IDENTITY = ("agency_id", "agency_name", "year", "framework", "item")
FORMS: dict[str, tuple[str, ...]] = {
    "band": (*IDENTITY, "assessor"),
    "checklist": (*IDENTITY, "assessor", "level", "check", "met"),
    "indicators": (*IDENTITY, "indicator", "target", "actual", "direction"),
}
#: form -> the scoring methods whose values it holds
FORM_METHODS = {form: tuple(m for m, f in METHOD_FORMS.items() if f == form) for form in FORMS}
TEXT = ("strength", "improvement", "evidence")
#: Optional notes on a check or an indicator: the assessor's explanation of the verdict
#: (คำอธิบายผลการประเมิน) and the evidence seen (file names).
NOTES = ("explanation", "evidence")
#: Optional on an indicators sheet: a five-level scale of the actual value (floor = level 1,
#: goal = level 3, ceiling = level 5), and earlier years' results in columns named by year.
SCALE = SCALE_COLUMNS
RESULTS = "results"
#: Every comment column a check or an indicator may carry.
COMMENTS = tuple(dict.fromkeys((*TEXT, *NOTES)))
FACTORS = ("a", "d", "l", "i", "le", "t", "c")
#: Columns a consensus row leaves empty, per form.
CONSENSUS_EMPTY = {"band": ("percent", "rating", *FACTORS), "checklist": ("met",)}
SAFE_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?")
SLUG_EXPECTED = "an id of lowercase letters, digits, '-' or '_' (e.g. trat-cdd)"
BE_YEARS = range(2500, 2701)
CE_OFFSET = 543
YES = {"yes", "y", "1", "true", "met", "ใช่", "ผ่าน", "มี", "✓"}
NO = {"no", "n", "0", "false", "not met", "ไม่ใช่", "ไม่ผ่าน", "ไม่มี", ""}
LEVELS = {
    "basic": "basic",
    "advance": "advance",
    "advanced": "advance",
    "significance": "significance",
    "significant": "significance",
}


def is_safe_slug(value: str) -> bool:
    """True for ids usable as file names: lowercase letters, digits, '-' and '_', 1-64 long."""
    return SAFE_SLUG.fullmatch(value) is not None


def detect_form(columns: Sequence[str]) -> str:
    present = set(columns)
    if present & {"check", "met"}:
        return "checklist"
    if present & {"indicator", "target", "actual", "direction"}:
        return "indicators"
    return "band"


YES_NO_EXPECTED = "yes or no (also 1/0, ใช่/ไม่ใช่)"


def yes_no(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Answers read as booleans, and a mask of the cells that are neither yes nor no (empty
    included). The one reading of yes/no: English, Thai words and Thai digits (๑/๐) alike."""
    answer = arabic(series).str.casefold().str.strip()
    return answer.isin(YES), ~answer.isin(YES | NO) | (answer == "")


def closest(word: str, choices: Sequence[str]) -> str:
    """A hint naming the likeliest intended value; for item keys, those of the same category."""
    prefix = word.split(".")[0] + "."
    siblings = [c for c in choices if c.startswith(prefix)] if "." in word else []
    if siblings:
        return "Did you mean " + " or ".join(repr(c) for c in siblings[:3]) + "?"
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"Did you mean {match[0]!r}?" if match else ""


def _wrong_form(item: str, methods: dict[str, str]) -> str:
    form = next(f for f, m in FORM_METHODS.items() if methods[item] in m)
    return f"Item {item} is scored by {methods[item]}; put it in a {form} sheet (see the README)."


def check_identity(rows: Rows, registry: Registry) -> pd.Series:
    """Check the columns every form has; return the mask of rows whose framework is known."""
    f = rows.frame
    rows.flag(~f["agency_id"].map(is_safe_slug).astype(bool), "agency_id", SLUG_EXPECTED)
    rows.flag(f["agency_name"] == "", "agency_name", "the agency's name")
    if "assessor" in f:
        rows.flag(f["assessor"] == "", "assessor", "the assessor's name or code")
    year = rows.number("year")
    year = year.where(~year.between(1900, 2399), year + CE_OFFSET)
    rows.flag(~year.isin(BE_YEARS), "year", "a year between 2500 and 2700 BE (or 1957-2157 CE)")
    f["year"] = year
    known = f["framework"].isin(registry.ids())
    rows.flag(
        ~known,
        "framework",
        "one of " + ", ".join(registry.ids()),
        partial(closest, choices=registry.ids()),
    )
    f["item"] = arabic(f["item"])
    for framework_id in f.loc[known, "framework"].unique():
        framework = registry.get(framework_id)
        ours = f["framework"] == framework_id
        items = [i.key for i in framework.items]
        rows.flag(
            ours & ~f["item"].isin(items),
            "item",
            f"an item of {framework_id}: " + ", ".join(items),
            partial(closest, choices=items),
        )
        methods = {i.key: i.method for i in framework.items}
        method = f["item"].map(methods)
        wrong = ours & method.notna() & ~method.isin(FORM_METHODS[rows.form])
        rows.flag(
            wrong,
            "item",
            f"an item scored from a {rows.form} sheet",
            partial(_wrong_form, methods=methods),
        )
    return known


def _band_percent(rows: Rows, framework: Framework, ours: pd.Series) -> None:
    f = rows.frame
    percent = rows.number("percent") if "percent" in f else pd.Series(np.nan, index=f.index)
    if "percent" not in rows.header and ours.any():
        rows.flag(
            ours & (f.index == f.index[ours][0]), "item", "a percent column for band-percent items"
        )
    step = framework.step
    off = (percent % step).abs() > 1e-9
    bad = ours & (percent.isna() | (percent < 0) | (percent > 100) | off)
    if "percent" in rows.header:
        rows.flag(bad, "percent", f"a number from 0 to 100 in steps of {step:g}")
    columns = [c for c in FACTORS if c in f]
    scores = pd.DataFrame({c: rows.number(c) for c in columns}, index=f.index)
    factor_set = f["item"].map({i.key: i.factors for i in framework.items})
    for name, factors in framework.factors.items():
        present = [c for c in factors if c in scores]
        if not present:
            continue
        mine = ours & (factor_set == name)
        values = scores[present]
        given = values.notna().any(axis=1) & mine
        for column in present:
            bad_factor = given & (values[column].isna() | ~values[column].between(0, 100))
            rows.flag(bad_factor, column, f"a factor score from 0 to 100 ({name.upper()})")
        weakest = values.min(axis=1)
        caps = weakest.map(lambda v: _band_cap(framework.bands, v))
        over = given & percent.notna() & caps.notna() & (percent > caps)
        for index in f.index[over]:
            factor = values.loc[index].idxmin()
            low, high = framework.bands[int(band_index([weakest[index]], framework.bands)[0])]
            rows.flag(
                f.index == index,
                "percent",
                f"at most {high:g}: the weakest factor {factor} = "
                f"{weakest[index]:g} caps the band at {low:g}-{high:g}",
                "Raise the weakest factor or lower the percent.",
            )
    for column in columns:
        f.loc[ours, column] = scores.loc[ours, column]
    f.loc[ours, "percent"] = percent[ours]


def _band_cap(bands: Sequence[tuple[float, float]], value: float) -> float:
    """The top of the band ``value`` falls in (see :func:`band_index`)."""
    if not bands or pd.isna(value):
        return np.nan
    return bands[int(band_index([value], bands)[0])][1]


def _rating(rows: Rows, framework: Framework, ours: pd.Series) -> None:
    f = rows.frame
    values = [r.value for r in framework.ratings]
    if "rating" not in rows.header:
        rows.flag(
            ours & (f.index == f.index[ours][0]),
            "item",
            "a rating column for rating items (ระดับคะแนน)",
        )
        return
    rating = rows.number("rating")
    rows.flag(
        ours & ~rating.isin(values),
        "rating",
        "one of the ratings " + ", ".join(str(v) for v in values),
    )
    f.loc[ours, "rating"] = rating[ours]


def check_consensus(rows: Rows) -> pd.Series:
    """Flag scores in consensus rows; return the mask of those rows, their value cells made
    empty (the caller sets them to NaN once every check has run)."""
    f = rows.frame
    agreed = pd.Series(named(f["assessor"], CONSENSUS), index=f.index)
    for column in CONSENSUS_EMPTY[rows.form]:
        if column in f:
            rows.flag(
                agreed & (f[column] != ""),
                column,
                "an empty cell: a consensus row holds the panel's agreed comments only",
                "The panel's score comes from the assessors' rows; leave it empty here.",
            )
            f.loc[agreed, column] = ""
    return agreed


def check_band(rows: Rows, registry: Registry, known: pd.Series) -> None:
    f = rows.frame
    for column in ("percent", "rating", *FACTORS):
        if column in f:
            f[column] = f[column].astype(object)
    agreed = check_consensus(rows)
    for framework_id in f.loc[known, "framework"].unique():
        framework = registry.get(framework_id)
        method = f["item"].map({i.key: i.method for i in framework.items})
        ours = known & ~agreed & (f["framework"] == framework_id)
        if (ours & (method == "band-percent")).any():
            _band_percent(rows, framework, ours & (method == "band-percent"))
        if (ours & (method == "rating")).any():
            _rating(rows, framework, ours & (method == "rating"))
    for column in CONSENSUS_EMPTY["band"]:
        if column in f:
            f.loc[agreed, column] = np.nan


def check_checklist(rows: Rows, registry: Registry, known: pd.Series) -> None:
    f = rows.frame
    level = f["level"].str.casefold().map(LEVELS)
    rows.flag(level.isna(), "level", "basic, advance or significance")
    agreed = check_consensus(rows)
    met, unreadable = yes_no(f["met"].fillna(""))
    rows.flag(~agreed & unreadable, "met", YES_NO_EXPECTED)
    f["met"] = met
    f["level"] = level
    for framework_id in f.loc[known, "framework"].unique():
        checks = registry.get(framework_id).check_table()
        ours = known & (f["framework"] == framework_id)
        pairs = pd.MultiIndex.from_frame(f[["item", "check"]])
        valid = pairs.isin(pd.MultiIndex.from_frame(checks[["item", "check"]]))
        rows.flag(
            ours & ~valid,
            "check",
            f"a check id of that item in {framework_id}",
            partial(closest, choices=list(checks["check"])),
        )
        expected_level = f["check"].map(dict(zip(checks["check"], checks["level"], strict=True)))
        rows.flag(
            ours & valid & level.notna() & (expected_level != level),
            "level",
            "the level the framework gives that check",
        )
