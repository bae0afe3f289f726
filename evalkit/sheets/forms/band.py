"""The band form: one row per assessor and item, with ``percent`` (band-percent items) or
``rating`` (rating items), and the factor columns the item's framework declares
(``factors: {adli: [a, d, l, i]}``): the weakest factor's band caps the percent. A factor
cell the item's framework does not declare is refused, never dropped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit.core.i18n import msg
from evalkit.frameworks.bandnames import percent_choices, read_choices
from evalkit.frameworks.model import Framework, Item, band_index
from evalkit.frameworks.registry import Registry
from evalkit.sheets.forms.base import declare_form, factor_letters, form_record
from evalkit.sheets.forms.common import check_consensus
from evalkit.sheets.rows import Rows

LEAD = ("agency_id", "agency_name", "year", "framework")
TEXT = ("strength", "improvement", "evidence")


def _chosen(rows: Rows, framework: Framework, ours: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The percent of each row, typed or chosen from the template's drop-down
    (:mod:`evalkit.frameworks.bandnames`), and the rows whose choice contradicts the
    framework's bands (refused here)."""
    f = rows.frame
    if "percent" not in f:
        return pd.Series(np.nan, index=f.index), pd.Series(False, index=f.index)
    percent = rows.number("percent")
    chosen, wrong = read_choices(f["percent"], framework)
    choices = percent_choices(framework, next(iter(framework.band_names), ""))
    rows.flag(
        ours & wrong,
        "percent",
        msg(
            "a percent from the drop-down list (such as {example}), a band of {framework} "
            "({bands}) or a number from 0 to 100 in steps of {step}",
            example=choices[len(choices) // 2],
            framework=framework.id,
            bands=", ".join(f"{low:g}-{high:g}%" for low, high in framework.bands),
            step=f"{framework.step:g}",
        ),
        msg("The percent, its band and the band's name must agree with the framework's bands."),
    )
    return percent.where(chosen.isna(), chosen), wrong


def _band_percent(rows: Rows, framework: Framework, ours: pd.Series, factors: list[str]) -> None:
    f = rows.frame
    percent, wrong = _chosen(rows, framework, ours)
    if "percent" not in rows.header and ours.any():
        rows.flag(
            ours & (f.index == f.index[ours][0]),
            "item",
            msg("a percent column for band-percent items"),
        )
    step = framework.step
    off = (percent % step).abs() > 1e-9
    bad = ours & ~wrong & (percent.isna() | (percent < 0) | (percent > 100) | off)
    if "percent" in rows.header:
        expected = msg("a number from 0 to 100 in steps of {step}", step=f"{step:g}")
        rows.flag(bad, "percent", expected)
    scores = pd.DataFrame({c: rows.number(c) for c in factors}, index=f.index)
    factor_set = f["item"].map({i.key: i.factors for i in framework.items})
    for name, letters in framework.factors.items():
        present = [c for c in letters if c in scores]
        if present:
            mine = ours & (factor_set == name)
            _capped(rows, framework, name, mine, scores[present], percent)
    for column in factors:
        f.loc[ours, column] = scores.loc[ours, column]
    f.loc[ours, "percent"] = percent[ours]


def _capped(
    rows: Rows,
    framework: Framework,
    name: str,
    mine: pd.Series,
    values: pd.DataFrame,
    percent: pd.Series,
) -> None:
    """Factor scores of the factor set ``name`` from 0 to 100, the weakest capping the
    percent."""
    f = rows.frame
    given = values.notna().any(axis=1) & mine
    for column in values:
        bad_factor = given & (values[column].isna() | ~values[column].between(0, 100))
        expected = msg("a factor score from 0 to 100 ({factors})", factors=name.upper())
        rows.flag(bad_factor, column, expected)
    weakest = values.min(axis=1)
    caps = weakest.map(lambda v: _band_cap(framework.bands, v))
    over = given & percent.notna() & caps.notna() & (percent > caps)
    for index in f.index[over]:
        factor = values.loc[index].idxmin()
        low, high = framework.bands[int(band_index([weakest[index]], framework.bands)[0])]
        rows.flag(
            f.index == index,
            "percent",
            msg(
                "at most {high}: the weakest factor {factor} = {value} caps the band at "
                "{low}-{top}",
                high=f"{high:g}",
                factor=factor,
                value=f"{weakest[index]:g}",
                low=f"{low:g}",
                top=f"{high:g}",
            ),
            msg("Raise the weakest factor or lower the percent."),
        )


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
            msg("a rating column for rating items (ระดับคะแนน)"),
        )
        return
    rating = rows.number("rating")
    rows.flag(
        ours & ~rating.isin(values),
        "rating",
        msg("one of the ratings {ratings}", ratings=", ".join(str(v) for v in values)),
    )
    f.loc[ours, "rating"] = rating[ours]


def _undeclared(rows: Rows, framework: Framework, ours: pd.Series, factors: list[str]) -> None:
    """Refuse a factor cell that the item's framework does not declare for it."""
    f = rows.frame
    declared = {i.key: framework.factors.get(i.factors, ()) for i in framework.items}
    for column in factors:
        for letters in set(declared.values()):
            items = [k for k, v in declared.items() if v == letters]
            if column in letters:
                continue
            mine = ours & f["item"].isin(items) & (f[column] != "")
            expected = msg(
                "an empty cell: {framework} declares no factor {factor} for this item "
                "(its factors: {factors})",
                framework=framework.id,
                factor=column,
                factors=", ".join(letters) if letters else msg("none"),
            )
            rows.flag(mine, column, expected, msg("Factor columns come from the framework file."))


def check_band(rows: Rows, registry: Registry, known: pd.Series) -> None:
    f = rows.frame
    factors = [c for c in factor_letters(registry) if c in f]
    values = [c for c in (*BAND.values, *factors) if c in f]
    for column in values:
        f[column] = f[column].astype(object)
    agreed = check_consensus(rows, values)
    for framework_id in f.loc[known, "framework"].unique():
        framework = registry.get(framework_id)
        method = f["item"].map({i.key: i.method for i in framework.items})
        ours = known & ~agreed & (f["framework"] == framework_id)
        _undeclared(rows, framework, ours, factors)
        if (ours & (method == "band-percent")).any():
            _band_percent(rows, framework, ours & (method == "band-percent"), factors)
        if (ours & (method == "rating")).any():
            _rating(rows, framework, ours & (method == "rating"))
    for column in values if agreed.any() else ():
        f.loc[agreed, column] = np.nan


def band_layout(
    framework: Framework, items: list[Item], factors: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    """A band template: one row per item; ``percent`` (and ``rating`` when some items are
    rated), or ``rating`` alone; with ``factors``, the factor columns of its items."""
    items = [i for i in items if i.method in BAND.methods]
    value = "rating" if all(i.method == "rating" for i in items) else "percent"
    columns = [*LEAD, "assessor", "item", "item_name", value]
    if value == "percent" and any(i.method == "rating" for i in items):
        columns.append("rating")
    if factors:
        sets = [framework.factors.get(i.factors, ()) for i in items if i.method == "band-percent"]
        columns += list(dict.fromkeys(c for names in sets for c in names))
    columns += list(TEXT)
    rows = [{"framework": framework.id, "item": i.key, "item_name": i.name_th} for i in items]
    return columns, rows


BAND = declare_form(form_record("band"), check=check_band, layout=band_layout)
