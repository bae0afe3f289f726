"""Small display objects for notebooks: escaped HTML tables and fragments, from the
templates in ``templates/report/`` (:func:`section`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from evalkit.core.i18n import bilingual
from evalkit.core.templates import fragment


@dataclass(frozen=True)
class Html:
    """An HTML fragment with optional metadata, displayed as such by Jupyter."""

    body: str
    metadata: dict[str, Any] | None = None

    def __html__(self) -> str:
        """The fragment as markup, for a template that shows it."""
        return self.body

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        return {"text/html": self.body}, dict(self.metadata or {})


#: The report's building blocks (tables, the heat table, notes, headings).
DISPLAY = "report/display.html.j2"


def note(text: str) -> Html:
    """A short paragraph (``templates/report/display.html.j2``); ``text`` is markup, already
    escaped where it came from data."""
    return Html(fragment(DISPLAY, "paragraph", text=Markup(text)))


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    maps: Mapping[str, Mapping[Any, Any] | Callable[[Any], Any]] | None = None,
) -> Html:
    """An escaped HTML table of ``columns`` (name -> header); empty columns are left out.
    ``maps`` shows a column's values in words: a dict (a value it does not name is shown as
    it is; an empty value is looked up as ``None``) or a function (a template macro
    included)."""
    if maps:
        frame = frame.assign(**{c: _mapped(frame[c], m) for c, m in maps.items()})
    columns = {k: v for k, v in columns.items() if frame[k].replace("", pd.NA).notna().any()}
    shown = frame[list(columns)].rename(columns=columns)
    html = shown.to_html(
        index=False,
        escape=True,
        classes="ek-table",
        border=0,
        float_format=lambda v: f"{v:,.2f}",
        na_rep="-",
    )
    return Html(fragment(DISPLAY, "table", html=Markup(html)))


def _mapped(values: pd.Series, mapping: Mapping[Any, Any] | Callable[[Any], Any]) -> pd.Series:
    if callable(mapping):
        return values.map(lambda v: _text(mapping(v)))
    return values.map(lambda v: mapping.get(None if _empty(v) else v, v))


def _empty(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _text(value: Any) -> Any:
    """A macro's output as the plain text pandas escapes in turn."""
    return value.unescape() if isinstance(value, Markup) else value


def heat_table(
    matrix: pd.DataFrame,
    caption: str,
    marked: Collection[str] = (),
    mark_note: str = "",
    scale: float = 100,
) -> Html:
    """Values (0 to ``scale``: percentages, or ratings) of rows by columns as a table shaded
    like a heat map. ``marked`` rows are flagged with * and explained by ``mark_note``."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    blues = colormaps["Blues"]

    def cell(value: float) -> dict[str, Any] | None:
        if pd.isna(value):  # not rated
            return None
        share = value / scale
        ink = "#ffffff" if share > 0.6 else "#1f2328"
        return {"shade": to_hex(blues(share)), "ink": ink, "value": value}

    rows = [
        {"label": str(key), "marked": str(key) in marked, "cells": [cell(v) for v in values]}
        for key, values in zip(matrix.index, matrix.to_numpy(dtype=float), strict=True)
    ]
    columns = [str(c) for c in matrix.columns]
    note = mark_note if marked else ""
    return Html(
        fragment(DISPLAY, "heat", caption=caption, columns=columns, rows=rows, mark_note=note)
    )


#: What the report's templates may call: tables, heat tables, and labels in both languages.
GLOBALS: dict[str, Callable[..., Any]] = {
    "table": table,
    "heat_table": heat_table,
    "bilingual": bilingual,
}


def section(name: str, macro: str, /, **kw: Any) -> Html:
    """The macro ``macro`` of ``templates/report/<name>.html.j2``: one section of a report."""
    return Html(fragment(f"report/{name}.html.j2", macro, globals=GLOBALS, **kw))
