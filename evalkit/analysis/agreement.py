"""Panel agreement on band-percent and rating items: how far apart the assessors are, and
Krippendorff's alpha.

A step is one band of a band-percent item and one level of a rating item: assessors two steps
apart or more on an item are flagged. Alpha is computed on percentages (a rating as the percent
the framework gives it, which keeps the interval metric's ratios of a linear scale).

Rows whose assessor is ``self`` (any case) are the agency's own self-assessment and never part
of the panel. Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
pairable values (units with two or more) fill a coincidence matrix ``o``; alpha is
``1 - (n - 1) * sum(o * delta) / sum(n_c * n_k * delta)`` for the metric's ``delta``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework, band_index
from evalkit.scoring.engine import is_panel
from evalkit.scoring.methods import KEYS

METRICS = ("nominal", "ordinal", "interval", "ratio")
SPREAD_COLUMNS = [
    *KEYS,
    "item",
    "assessors",
    "low",
    "high",
    "band_low",
    "band_high",
    "band_range",
    "flagged",
]
#: A panel whose assessors are this many bands apart on an item is flagged.
FLAG_BANDS = 2


def rating_index(ratings: pd.Series | np.ndarray, framework: Framework) -> np.ndarray:
    """Index (0-based) of each rating among the framework's rating levels (the nearest one)."""
    values = np.array([r.value for r in framework.ratings], dtype=float)
    given = np.asarray(ratings, dtype=float)
    return np.abs(given[:, None] - values).argmin(axis=1) if len(values) else given * 0


def stepped_methods(framework: Framework) -> tuple[str, ...]:
    """The scoring methods of the framework whose items move in steps: band-percent items when
    the framework has bands, rating items (one step per rating level)."""
    return tuple(
        m
        for m, ok in (("band-percent", bool(framework.bands)), ("rating", bool(framework.ratings)))
        if ok and m in framework.methods
    )


def require_bands(framework: Framework) -> None:
    """Raise unless the framework's items move in steps: percentage bands or rating levels."""
    if not stepped_methods(framework):
        raise EvalkitError(
            msg(
                "Framework {framework} defines no percentage bands or ratings, so spreads and "
                "one-step raises do not apply; add 'bands:' to its file (see docs/frameworks.md).",
                framework=repr(framework.id),
            )
        )


def panel_values(bands: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """The panel's band-percent and rating rows of one framework (no self-assessment, no
    consensus comments, no empty value): ``value`` as given (percent or rating), ``percent``
    (a rating as its percent) and ``step`` (the band or rating level, 0 = the lowest)."""
    methods = stepped_methods(framework)
    method = bands["item"].astype(object).map({i.key: i.method for i in framework.items})
    is_rating = (method == "rating").to_numpy()
    value = bands["percent"].where(~is_rating, bands["rating"])
    mask = (
        (bands["framework"] == framework.id)
        & method.isin(methods)
        & value.notna()
        & is_panel(bands["assessor"])
    )
    rows = bands.loc[mask, [*KEYS, "item", "assessor"]].assign(value=value[mask].astype(float))
    rows = rows.astype({"agency_id": str, "framework": str, "item": str, "assessor": str})
    rating = is_rating[mask.to_numpy()]
    percents = np.array([r.percent for r in framework.ratings], dtype=float)
    levels = rating_index(rows["value"], framework) if rating.any() else np.zeros(len(rows), int)
    rows["percent"] = np.where(rating, percents[levels] if len(percents) else 0, rows["value"])
    bands_at = band_index(rows["value"], framework.bands) if framework.bands else 0
    rows["step"] = np.where(rating, levels, bands_at)
    return rows


def band_percent_rows(bands: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """The panel's band-percent rows of one framework: no self-assessment, no empty percent."""
    keys = [i.key for i in framework.items if i.method == "band-percent"]
    mask = (
        (bands["framework"] == framework.id)
        & bands["item"].isin(keys)
        & bands["percent"].notna()
        & is_panel(bands["assessor"])
    )
    rows = bands.loc[mask, [*KEYS, "item", "assessor", "percent"]]
    return rows.astype({"agency_id": str, "framework": str, "item": str, "assessor": str})


def item_spread(bands: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Per agency, year, framework and item: the panel's count, lowest and highest value
    (percent, or rating for rating items), the steps they fall in (bands, or rating levels; 0 =
    the lowest), how many steps apart they are, and ``flagged`` where that is two steps or more.
    Items come in framework order."""
    require_bands(framework)
    rows = panel_values(bands, framework)
    table = (
        rows.groupby([*KEYS, "item"], sort=False)
        .agg(
            assessors=("value", "count"),
            low=("value", "min"),
            high=("value", "max"),
            band_low=("step", "min"),
            band_high=("step", "max"),
        )
        .reset_index()
    )
    table["band_range"] = table["band_high"] - table["band_low"]
    table["flagged"] = table["band_range"] >= FLAG_BANDS
    order = {item.key: n for n, item in enumerate(framework.items)}
    table["_order"] = table["item"].map(order)
    table = table.sort_values(["framework", "agency_id", "year", "_order"], kind="stable")
    return table[SPREAD_COLUMNS].reset_index(drop=True)


def coincidence_matrix(values: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values and the coincidence matrix of reliability data (units in rows,
    coders in columns, NaN = missing); units with fewer than two values are left out."""
    data = np.asarray(values, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"reliability data must be a 2-d table, not {data.ndim}-d")
    present = ~np.isnan(data)
    pairable = present.sum(axis=1) >= 2
    data, present = data[pairable], present[pairable]
    levels = np.unique(data[present])
    counts = np.zeros((len(data), len(levels)))
    units, coders = np.nonzero(present)
    np.add.at(counts, (units, np.searchsorted(levels, data[units, coders])), 1)
    weighted = counts / (counts.sum(axis=1, keepdims=True) - 1)
    matrix = counts.T @ weighted - np.diag(weighted.sum(axis=0))
    return levels, matrix


def _delta(levels: np.ndarray, marginals: np.ndarray, metric: str) -> np.ndarray:
    """Squared difference of every pair of values under ``metric``."""
    c, k = np.meshgrid(levels, levels, indexing="ij")
    if metric == "nominal":
        return np.asarray((c != k).astype(float))
    if metric == "interval":
        return np.asarray((c - k) ** 2)
    if metric == "ratio":
        total = c + k
        return np.asarray(np.divide((c - k) ** 2, total**2, out=np.zeros_like(c), where=total != 0))
    cumulative = np.cumsum(marginals)
    i, j = np.meshgrid(np.arange(len(levels)), np.arange(len(levels)), indexing="ij")
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    between = cumulative[hi] - cumulative[lo] + marginals[lo]
    return np.asarray((between - (marginals[lo] + marginals[hi]) / 2) ** 2)


def krippendorff_alpha(values: pd.DataFrame | np.ndarray, metric: str = "interval") -> float:
    """Krippendorff's alpha of reliability data: units in rows, coders in columns, NaN for a
    missing value; ``metric`` is nominal, ordinal, interval or ratio. NaN when fewer than two
    values are pairable or when the pairable values do not vary (alpha is then undefined)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    levels, matrix = coincidence_matrix(values)
    marginals = matrix.sum(axis=1)
    n = marginals.sum()
    delta = _delta(levels, marginals, metric)
    expected = float(marginals @ delta @ marginals)
    if n < 2 or expected <= 0:
        return float("nan")
    return float(1 - (n - 1) * (matrix * delta).sum() / expected)


def krippendorff_alpha_interval(values: pd.DataFrame | np.ndarray) -> float:
    """Krippendorff's alpha with the interval metric (see :func:`krippendorff_alpha`)."""
    return krippendorff_alpha(values, "interval")


def _interval_alpha_by(rows: pd.DataFrame, groups: list[str], unit: list[str]) -> pd.DataFrame:
    """Interval alpha per group, all groups at once. With ``delta = (c - k) ** 2`` the
    coincidence sums reduce to sums of squares: ``sum(o * delta) = sum_u 2 m_u SS_u / (m_u - 1)``
    and ``sum(n_c n_k delta) = 2 n SS``, so ``alpha = 1 - (n - 1) / n * W / SS`` with
    ``W = sum_u m_u SS_u / (m_u - 1)`` over pairable units and SS over their values."""
    keys = [*groups, *unit]
    percent = rows["percent"]
    m = percent.groupby([rows[k] for k in keys], sort=False).transform("count")
    rows = rows[m >= 2].assign(_m=m[m >= 2])
    by_unit = rows.groupby(keys, sort=False)["percent"]
    rows["_within"] = (rows["percent"] - by_unit.transform("mean")) ** 2 * rows["_m"]
    rows["_within"] /= rows["_m"] - 1
    by_group = rows.groupby(groups, sort=False)["percent"]
    rows["_total"] = (rows["percent"] - by_group.transform("mean")) ** 2
    table = rows.groupby(groups, sort=False).agg(
        n=("percent", "count"), within=("_within", "sum"), total=("_total", "sum")
    )
    ratio = table["within"] / table["total"].where(table["total"] > 1e-12)
    table["alpha"] = (1 - (table["n"] - 1) / table["n"] * ratio).round(6)
    return table[["alpha"]].reset_index()


def panel_agreement(
    bands: pd.DataFrame, framework: Framework, pooled: bool = False
) -> pd.DataFrame:
    """Interval alpha of the panel (units = items, coders = assessors, values = percent) per
    agency, year and framework, with the number of items rated, assessors and flagged items.

    ``pooled=True`` gives one figure per framework and year instead, every agency's items
    together as units. Alpha is NaN where it is undefined (no pair of values, or no variation).
    """
    spread = item_spread(bands, framework)
    rows = panel_values(bands, framework)
    groups = ["framework", "year"] if pooled else KEYS
    unit = ["agency_id", "item"] if pooled else ["item"]
    counts = spread.groupby(groups, sort=False).agg(
        items=("item", "count"), flagged=("flagged", "sum")
    )
    panel = rows.groupby(groups, sort=False).agg(
        assessors=("assessor", "nunique"), agencies=("agency_id", "nunique")
    )
    table = counts.join(panel).reset_index()
    table = table.merge(_interval_alpha_by(rows, groups, unit), on=groups, how="left")
    if not pooled:
        table = table.drop(columns="agencies")
    columns = [*groups, *(["agencies"] if pooled else []), "items", "assessors", "alpha"]
    return table[[*columns, "flagged"]].sort_values(groups, kind="stable").reset_index(drop=True)
