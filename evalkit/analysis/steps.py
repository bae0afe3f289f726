"""Steps of an item: one band of a band-percent item, one level of a rating item.

"One band up" moves an item's consensus percent to the same offset within the next band,
capped at that band's top: ``new = min(low[b + 1] + (percent - low[b]), high[b + 1])``. With
the bands of pmqa-2562 that is 0 -> 10, 5 -> 15, 25 -> 45, 45 -> 65, 70 -> 90 and 85 -> 100;
an item in the top band cannot be raised. A rating item's step is one rating level: it moves
to the percent the framework gives the next level; the top level cannot be raised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework, band_index


def level_text(framework: Framework, method: str, percent: float, factors: str = "") -> str:
    """The step an item's percent stands on, as a person reads it: ``ระดับ 3 ดำเนินการได้
    ครบถ้วน`` for a rating item (the framework's level name), ``ช่วง 45-65`` for a band, with
    the band's name for the item's factor set where the framework gives one (``ช่วง 50-65:
    มีระบบ ถ่ายทอด เรียนรู้``)."""
    if pd.isna(percent):
        return ""
    if method == "rating" and framework.ratings:
        rating = framework.ratings[rating_position(np.array([percent]), framework)[0]]
        return msg("level {value} {name}", value=rating.value, name=rating.name_th).render("th")
    if method == "band-percent" and framework.bands:
        band = int(band_index(np.array([percent]), framework.bands)[0])
        low, high = framework.bands[band]
        names = framework.band_names.get(factors, ())
        said = msg("band {low}-{high}", low=f"{low:g}", high=f"{high:g}").render("th")
        return said + (f": {names[band]}" if names else "")
    return ""


def rating_position(percent: np.ndarray, framework: Framework) -> np.ndarray:
    """Index (0-based) of the rating level whose percent is nearest each percent."""
    percents = np.array([r.percent for r in framework.ratings], dtype=float)
    return np.asarray(np.abs(np.asarray(percent, dtype=float)[:, None] - percents).argmin(axis=1))


def raise_one_band(percent: np.ndarray, bands: tuple[tuple[float, float], ...]) -> np.ndarray:
    """Each percent moved one band up by the module's rule; the top band stays where it is."""
    lows = np.array([low for low, _ in bands], dtype=float)
    highs = np.array([high for _, high in bands], dtype=float)
    band = band_index(percent, bands)
    up = np.minimum(band + 1, len(bands) - 1)
    raised = np.minimum(lows[up] + (percent - lows[band]), highs[up])
    return np.where(band == len(bands) - 1, percent, raised)


def steps_of(items: pd.DataFrame, percent: np.ndarray, framework: Framework) -> np.ndarray:
    """The band (band-percent items) or rating level (rating items) of each percent."""
    rated = (items["method"] == "rating").to_numpy()
    bands = band_index(percent, framework.bands) if framework.bands else np.zeros(len(percent))
    levels = rating_position(percent, framework) if framework.ratings else np.zeros(len(percent))
    return np.where(rated, levels, bands).astype(int)


def ladders(items: pd.DataFrame, framework: Framework) -> np.ndarray:
    """Percent of every item after 0, 1, ... raises (items x raises + 1): one band up for
    band-percent items, one rating level up for rating items; the top stays where it is."""
    width = max(len(framework.bands), len(framework.ratings), 1)
    percent = items["percent"].to_numpy(dtype=float)
    steps = [percent]
    for _ in range(width - 1):
        steps.append(raise_one_band(steps[-1], framework.bands) if framework.bands else steps[-1])
    chains = np.column_stack(steps)
    rated = (items["method"] == "rating").to_numpy()
    if rated.any():
        percents = np.array([r.percent for r in framework.ratings], dtype=float)
        start = rating_position(percent[rated], framework)
        up = np.minimum(start[:, None] + np.arange(width), len(percents) - 1)
        chains[rated] = percents[up]
    return chains
