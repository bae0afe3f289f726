"""Validated rows of every sheet form, as typed frames: :class:`SheetSet`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from evalkit.sheets.columns import column
from evalkit.sheets.forms import FORMS, Form, get_form
from evalkit.sheets.skipped import Skipped

KEYS = ["agency_id", "year", "framework"]
SOURCE = ("source_file", "source_sheet", "source_row")


def columns_of(form: Form) -> tuple[str, ...]:
    """The columns of a form's validated frame (factor columns aside), sources last."""
    return (*form.columns, *SOURCE)


def value_keys(form: Form) -> tuple[list[str], list[str]]:
    """The columns that identify one value of a form, and those that must agree when the same
    value is given twice (the value and its comments). A value of each stage is one value
    (:mod:`evalkit.sheets.stages`)."""
    stage = ["stage"] if "stage" in form.columns else []
    return [*KEYS, *form.key, *stage], list(form.compared)


class SheetSet:
    """Validated rows of every form: one frame per form, named as the form's ``attribute``
    (``bands``, ``checks``, ``indicators``), each typed as its form declares."""

    __slots__ = ("_frames", "skipped")

    def __init__(self, frames: Mapping[str, pd.DataFrame], skipped: Sequence[Skipped] = ()):
        unknown = [name for name in frames if name not in FORMS]
        if unknown:
            get_form(unknown[0])  # the miss lists the forms there are
        self._frames = {
            name: frames[name] if name in frames else _empty(form) for name, form in FORMS.items()
        }
        #: what reading left aside, and why (:mod:`evalkit.sheets.skipped`)
        self.skipped: tuple[Skipped, ...] = tuple(skipped)

    def with_skipped(self, skipped: Sequence[Skipped]) -> SheetSet:
        """The same rows, with ``skipped`` as what reading left aside."""
        return SheetSet(self._frames, skipped)

    @property
    def bands(self) -> pd.DataFrame:
        return self._frames["band"]

    @property
    def checks(self) -> pd.DataFrame:
        return self._frames["checklist"]

    @property
    def indicators(self) -> pd.DataFrame:
        return self._frames["indicators"]

    def frame(self, form: str) -> pd.DataFrame:
        """The rows of one form, by the form's name."""
        get_form(form)
        return self._frames[form]

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every form's rows, by form name, in the order of the forms."""
        return dict(self._frames)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(f)}" for name, f in self._frames.items())
        return f"SheetSet({sizes})"

    def agencies(self) -> pd.DataFrame:
        """One row per agency, year and framework: ``agency_id, year, framework, agency_name``."""
        filled = [f for f in self._frames.values() if len(f)] or list(self._frames.values())
        parts = [f[[*KEYS, "agency_name"]] for f in filled]
        return pd.concat(parts, ignore_index=True).drop_duplicates(KEYS).reset_index(drop=True)

    def where(self, **equals: object) -> SheetSet:
        """Rows whose columns equal the given values, e.g. ``where(agency_id="trat-cdd")``."""

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            mask = pd.Series(True, index=frame.index)
            for name, value in equals.items():
                mask &= frame[name] == value
            return frame[mask]

        return SheetSet({name: keep(f) for name, f in self._frames.items()}, self.skipped)

    @classmethod
    def of(
        cls,
        bands: pd.DataFrame | None = None,
        checks: pd.DataFrame | None = None,
        indicators: pd.DataFrame | None = None,
        **more: pd.DataFrame | None,
    ) -> SheetSet:
        """A SheetSet from whichever frames are given (by the forms' attributes, or names),
        each typed as its form declares; the others are empty."""
        given = {"bands": bands, "checks": checks, "indicators": indicators, **more}
        by_name = {f.attribute: f.name for f in FORMS.values()}
        frames = {}
        for key, frame in given.items():
            name = by_name.get(key, key)
            if frame is not None:
                frames[name] = _typed(frame, get_form(name))
        return cls(frames)


#: The empty typed frame of each form, made once (a copy is handed out each time).
_EMPTY: dict[str, tuple[Form, pd.DataFrame]] = {}


def _empty(form: Form) -> pd.DataFrame:
    """A form's frame with no rows, typed as the form declares."""
    made = _EMPTY.get(form.name)
    if made is None or made[0] is not form:
        made = _EMPTY[form.name] = (form, _typed(pd.DataFrame(), form))
    return made[1].copy()


def _typed(frame: pd.DataFrame, form: Form) -> pd.DataFrame:
    base = columns_of(form)
    extra = [c for c in frame.columns if c not in base] if form.factors else []
    frame = frame.reindex(columns=[*base, *extra])
    types: dict[str, str] = {"source_row": "Int64"}
    for name in (*form.columns, *extra):
        dtype = "float64" if name in extra else column(name).dtype
        if dtype == "category" and name in form.optional:
            frame[name] = frame[name].astype(object).fillna("")
        if dtype == "str":
            text = frame[name].astype(object)
            frame[name] = (text.where(text.notna(), "") if text.hasnans else text).astype(str)
        else:
            types[name] = dtype
    for name in ("source_file", "source_sheet"):
        text = frame[name].astype(object)
        frame[name] = (text.where(text.notna(), "") if text.hasnans else text).astype(str)
    return frame.astype(types).reset_index(drop=True)
