"""Panel agreement on band-percent items: how far apart the assessors are, and Krippendorff's
alpha.

Rows whose assessor is ``self`` (any case) are the agency's own self-assessment and never part
of the panel. Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
pairable values (units with two or more) fill a coincidence matrix ``o``; alpha is
``1 - (n - 1) * sum(o * delta) / sum(n_c * n_k * delta)`` for the metric's ``delta``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.core.errors import EvalkitError
from evalkit.frameworks.model import Framework, band_index
from evalkit.scoring.engine import is_self
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


def require_bands(framework: Framework) -> None:
    """Raise unless the framework defines percentage bands."""
    if not framework.bands:
        raise EvalkitError(
            f"Framework {framework.id!r} defines no percentage bands, so band spreads and "
            "one-band raises do not apply; add 'bands:' to its file (see docs/frameworks.md)."
        )


def band_percent_rows(bands: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """The panel's band-percent rows of one framework: no self-assessment, no empty percent."""
    keys = [i.key for i in framework.items if i.method == "band-percent"]
    mask = (
        (bands["framework"] == framework.id)
        & bands["item"].isin(keys)
        & bands["percent"].notna()
        & ~is_self(bands["assessor"])
    )
    rows = bands.loc[mask, [*KEYS, "item", "assessor", "percent"]]
    return rows.astype({"agency_id": str, "framework": str, "item": str, "assessor": str})


def item_spread(bands: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Per agency, year, framework and item: the panel's count, lowest and highest percent, the
    bands they fall in (0 = the lowest band), how many bands apart they are, and ``flagged``
    where that is two bands or more. Items come in framework order."""
    require_bands(framework)
    rows = band_percent_rows(bands, framework)
    table = (
        rows.groupby([*KEYS, "item"], sort=False)["percent"]
        .agg(assessors="count", low="min", high="max")
        .reset_index()
    )
    table["band_low"] = band_index(table["low"], framework.bands)
    table["band_high"] = band_index(table["high"], framework.bands)
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
        return (c != k).astype(float)
    if metric == "interval":
        return (c - k) ** 2
    if metric == "ratio":
        total = c + k
        return np.divide((c - k) ** 2, total**2, out=np.zeros_like(c), where=total != 0)
    cumulative = np.cumsum(marginals)
    i, j = np.meshgrid(np.arange(len(levels)), np.arange(len(levels)), indexing="ij")
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    between = cumulative[hi] - cumulative[lo] + marginals[lo]
    return (between - (marginals[lo] + marginals[hi]) / 2) ** 2


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
    rows = band_percent_rows(bands, framework)
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
