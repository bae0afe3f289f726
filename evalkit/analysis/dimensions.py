"""Deprivation dimensions: TPMAP's five (health, living conditions, education, income,
access to public services) and the basic-needs indicators under them, as data, one YAML file
per edition in ``analysis/dimensions/`` (the indicator set changes with each national plan).

A household file's ``still_failed`` names the indicators a household still fails (or the
dimensions themselves); :func:`with_dimensions` says which dimensions those are, and
:func:`dimension_table` counts the households still failing each. A name the edition does
not know is never dropped: it is counted under :data:`UNKNOWN` and named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml
from pythainlp.util import thai_digit_to_arabic_digit

from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import bilingual, msg
from evalkit.sheets.cells import name_key

#: The edition used unless another is named.
DEFAULT_EDITION = "tpmap-2561"
#: The group of names an edition does not know.
UNKNOWN = bilingual(msg("dimension not known"))


@dataclass(frozen=True)
class Dimension:
    id: str
    th: str
    en: str

    @property
    def label(self) -> str:
        return f"{self.th} ({self.en})"


@dataclass(frozen=True)
class Edition:
    """One edition's dimensions, and every name it knows -> the dimension it belongs to."""

    id: str
    name_th: str
    source: str
    confidence: str
    dimensions: tuple[Dimension, ...]
    names: dict[str, str]

    def dimension_of(self, name: str) -> Dimension | None:
        """The dimension an indicator (or a dimension) is named by, or None."""
        found = self.names.get(_key(name))
        return next((d for d in self.dimensions if d.id == found), None)


def _key(name: str) -> str:
    return name_key(thai_digit_to_arabic_digit(name))


def _edition(raw: dict[str, Any]) -> Edition:
    dimensions: list[Dimension] = []
    names: dict[str, str] = {}
    for d in raw["dimensions"]:
        dimensions.append(Dimension(d["id"], d["th"], d["en"]))
        own = [d["th"], d["en"], *d.get("names", ())]
        own += [n for i in d.get("indicators", ()) for n in (i["th"], *i.get("names", ()))]
        names |= {_key(n): d["id"] for n in own}
    return Edition(
        raw["id"], raw["name_th"], raw["source"], raw["confidence"], tuple(dimensions), names
    )


@cache
def editions() -> dict[str, Edition]:
    """Every packaged edition, by id."""
    folder = resources.files("evalkit.analysis") / "dimensions"
    found = [
        _edition(yaml.safe_load(f.read_text(encoding="utf-8")))
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".yaml")
    ]
    return {e.id: e for e in found}


def get_edition(edition_id: str = DEFAULT_EDITION) -> Edition:
    """An edition by id; EvalkitError listing the editions there are."""
    known = editions()
    if edition_id not in known:
        said = msg(
            "Unknown edition of dimensions {edition}; the editions are {known}.",
            edition=repr(edition_id),
            known=", ".join(known),
        )
        raise EvalkitError(str(said))
    return known[edition_id]


def _groups(names: Iterable[str], edition: Edition) -> list[str]:
    """The labels of the dimensions ``names`` belong to, in the edition's order, then
    :data:`UNKNOWN` when some name is not known."""
    found = {edition.dimension_of(n) for n in names}
    labels = [d.label for d in edition.dimensions if d in found]
    return labels + ([UNKNOWN] if None in found else [])


def with_dimensions(
    classified: pd.DataFrame, edition: Edition, named: Iterable[list[str]]
) -> pd.DataFrame:
    """The households with ``dimensions``: the dimensions of the indicators each still fails
    (``named``: the indicators of each household, in the frame's order), joined by commas."""
    groups = [", ".join(_groups(names, edition)) for names in named]
    return classified.assign(dimensions=groups)


def dimension_table(
    classified: pd.DataFrame, edition: Edition, named: Iterable[list[str]]
) -> pd.DataFrame:
    """Households and people still failing at least one indicator of each dimension; empty
    when no household names the indicators it still fails."""
    rows = []
    for members, names in zip(classified["members"], named, strict=True):
        rows += [(group, members) for group in _groups(names, edition)]
    if not rows:
        return pd.DataFrame(columns=["dimension", "households", "people"])
    frame = pd.DataFrame(rows, columns=["dimension", "members"])
    order = [d.label for d in edition.dimensions] + [UNKNOWN]
    counted = frame.groupby("dimension")["members"].agg(households="count", people="sum")
    counted = counted.reindex([o for o in order if o in counted.index])
    return counted.astype("int64").rename_axis("dimension").reset_index()
