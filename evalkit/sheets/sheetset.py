"""Validated rows of every sheet form, as typed frames: :class:`SheetSet`."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from evalkit.sheets.forms import COMMENTS, FACTORS, FORMS, RESULTS, SCALE, TEXT

KEYS = ["agency_id", "year", "framework"]
SOURCE = ("source_file", "source_sheet", "source_row")
COLUMNS = {
    "band": (*FORMS["band"], "percent", "rating", *FACTORS, *TEXT, *SOURCE),
    "checklist": (*FORMS["checklist"], *COMMENTS, *SOURCE),
    "indicators": (*FORMS["indicators"], "assessor", *SCALE, RESULTS, *COMMENTS, *SOURCE),
}
#: Columns that identify one value in each form; the same key twice must agree (comments too).
VALUE_KEYS = {
    "band": ([*KEYS, "assessor", "item"], ["percent", "rating", *TEXT]),
    "checklist": ([*KEYS, "assessor", "item", "check"], ["met", *COMMENTS]),
    "indicators": (
        [*KEYS, "assessor", "item", "indicator"],
        ["target", "actual", "direction", *COMMENTS],
    ),
}


@dataclass(frozen=True)
class SheetSet:
    """Validated rows of every form: ``bands``, ``checks`` and ``indicators``."""

    bands: pd.DataFrame
    checks: pd.DataFrame
    indicators: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"band": self.bands, "checklist": self.checks, "indicators": self.indicators}

    def agencies(self) -> pd.DataFrame:
        """One row per agency, year and framework: ``agency_id, year, framework, agency_name``."""
        parts = [f[[*KEYS, "agency_name"]] for f in self.frames().values()]
        return pd.concat(parts, ignore_index=True).drop_duplicates(KEYS).reset_index(drop=True)

    def where(self, **equals: object) -> SheetSet:
        """Rows whose columns equal the given values, e.g. ``where(agency_id="trat-cdd")``."""

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            mask = pd.Series(True, index=frame.index)
            for column, value in equals.items():
                mask &= frame[column] == value
            return frame[mask]

        return SheetSet(*(keep(getattr(self, f.name)) for f in fields(self)))

    @classmethod
    def of(
        cls,
        bands: pd.DataFrame | None = None,
        checks: pd.DataFrame | None = None,
        indicators: pd.DataFrame | None = None,
    ) -> SheetSet:
        """A SheetSet from whichever frames are given; the others are empty."""
        given = {"band": bands, "checklist": checks, "indicators": indicators}
        return cls(
            *(_typed(f if f is not None else pd.DataFrame(), form) for form, f in given.items())
        )


#: Columns of repeated labels, kept as categoricals: compact, and fast to group on.
CATEGORICAL = (
    "agency_id",
    "agency_name",
    "framework",
    "assessor",
    "item",
    "level",
    "check",
    "indicator",
    "direction",
)


def _typed(frame: pd.DataFrame, form: str) -> pd.DataFrame:
    frame = frame.reindex(columns=list(COLUMNS[form]))
    types: dict[str, str] = {"year": "int64", "source_row": "Int64"}
    types |= {c: "category" for c in CATEGORICAL if c in frame}
    numeric = {"band": ["percent", "rating", *FACTORS], "indicators": ["target", "actual", *SCALE]}
    types |= {c: "float64" for c in numeric.get(form, [])}
    if form == "checklist":
        types["met"] = "bool"
    if form == "indicators":
        frame["assessor"] = frame["assessor"].astype(object).fillna("")
    for column in ("source_file", "source_sheet", *COMMENTS, RESULTS):
        if column in frame:
            text = frame[column].astype(object)
            frame[column] = text.where(text.notna(), "").astype(str)
    return frame.astype(types).reset_index(drop=True)
