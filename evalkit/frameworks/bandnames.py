"""A percent with its band's name, as the drop-down of a template offers it, and read back.

The percent drop-down of an ADLI or LeTCI item lists every step with its band and the band's
name from the framework file (``band_names``): ``55 (50-65%: มีระบบ ถ่ายทอด เรียนรู้)``. A cell
reads back as follows:

- a number (``55``, ``55%``) is that percent, as before;
- a step with its band, ``55 (50-65%: …)``, is the step (``55``); the band must be one of the
  framework's, hold the step, and its name (when written) be that band's name;
- a band alone, ``50-65%: มีระบบ ถ่ายทอด เรียนรู้`` (or ``50-65%``, ``ช่วง 50-65``), is the
  band's lowest percent (``50``): the band is reached, and nothing said places the item
  higher in it. The band must be one of the framework's, its name (when written) that band's.

Anything else that is not a number is left to the percent's own check (refused).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from pythainlp.util import thai_digit_to_arabic_digit

from evalkit.core.declared import declaration
from evalkit.frameworks.model import Framework, band_index

_NUMBER = r"\d+(?:\.\d+)?"
#: The word that may stand before a range (``core/words.yaml``).
_RANGE = re.escape(declaration("evalkit.core", "words")["range"])
#: A band: ``50-65%``, ``50% - 65%``, ``ช่วง 50-65``, then its name after a colon.
_BAND = (
    rf"(?:{_RANGE}\s*)?(?P<low>{_NUMBER})\s*%?\s*[-–]\s*(?P<high>{_NUMBER})\s*%?"
    r"(?:\s*:\s*(?P<name>.*?))?"
)
_STEP_BAND = re.compile(rf"\s*(?P<step>{_NUMBER})\s*%?\s*\(\s*{_BAND}\s*\)\s*")
_BAND_ALONE = re.compile(rf"\s*{_BAND}\s*")


def band_label(framework: Framework, factors: str, band: int) -> str:
    """``50-65%: มีระบบ ถ่ายทอด เรียนรู้``: a band of the framework with its name for the
    factor set ``factors`` (the range alone where the framework names none)."""
    low, high = framework.bands[band]
    names = framework.band_names.get(factors, ())
    return f"{low:g}-{high:g}%" + (f": {names[band]}" if names else "")


def percent_choices(framework: Framework, factors: str) -> list[str]:
    """The percent drop-down of an item of the factor set ``factors``: every step, with its
    band and the band's name where the framework names the bands of that set."""
    steps = [framework.step * n for n in range(int(100 // framework.step) + 1)]
    if not framework.bands or not framework.band_names.get(factors):
        return [f"{s:g}" for s in steps]
    bands = band_index(np.array(steps, dtype=float), framework.bands)
    return [
        f"{s:g} ({band_label(framework, factors, int(b))})"
        for s, b in zip(steps, bands, strict=True)
    ]


def read_choices(cells: pd.Series, framework: Framework) -> tuple[pd.Series, pd.Series]:
    """Each cell written as a drop-down choice or a band (see the module), as its percent
    (NaN for a cell that is neither), and True where such a cell contradicts the
    framework's bands (a band it does not have, a step outside its band, another band's
    name)."""
    read = {u: _read(str(u), framework) for u in cells.astype(str).unique()}
    text = cells.astype(str)
    percent = text.map(lambda u: read[u][0]).astype(float)
    wrong = text.map(lambda u: read[u][1]).astype(bool)
    return percent, wrong


def _read(text: str, framework: Framework) -> tuple[float, bool]:
    if not framework.bands:
        return np.nan, False
    plain = thai_digit_to_arabic_digit(text)
    match = _STEP_BAND.fullmatch(plain) or _BAND_ALONE.fullmatch(plain)
    if match is None:
        return np.nan, False
    band = (float(match["low"]), float(match["high"]))
    if band not in [(float(low), float(high)) for low, high in framework.bands]:
        return np.nan, True
    position = [tuple(map(float, b)) for b in framework.bands].index(band)
    if match["name"] and not _named(match["name"], framework, position):
        return np.nan, True
    given = match.groupdict().get("step")
    if given is None:
        return band[0], False
    step = float(given)
    inside = int(band_index(np.array([step]), framework.bands)[0]) == position
    return (step, False) if inside else (np.nan, True)


def _named(name: str, framework: Framework, band: int) -> bool:
    """Whether ``name`` is a name the framework gives the band (of any factor set)."""
    wanted = " ".join(name.split())
    names: Sequence[tuple[str, ...]] = list(framework.band_names.values())
    return any(" ".join(n[band].split()) == wanted for n in names)
