"""Small display objects for notebooks: escaped HTML tables and fragments."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Html:
    """An HTML fragment with optional metadata, displayed as such by Jupyter."""

    body: str
    metadata: dict[str, Any] | None = None

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        return {"text/html": self.body}, dict(self.metadata or {})


def note(text: str) -> Html:
    """A short paragraph; ``text`` must already be escaped."""
    return Html(f'<p class="ek-note">{text}</p>')


def table(frame: pd.DataFrame, columns: dict[str, str]) -> Html:
    """An escaped HTML table of ``columns`` (name -> header); empty columns are left out."""
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
    # pandas writes a line break inside a cell as the two characters \n: keep it a break
    return Html(html.replace("\\n", "<br>"))


def heat_table(
    matrix: pd.DataFrame,
    caption: str,
    marked: Collection[str] = (),
    mark_note: str = "",
    scale: float = 100,
) -> Html:
    """Values (0 to ``scale``: percentages, or ratings) of rows by columns as a table shaded
    like a heat map: the numbers stay text that can be searched, copied and read aloud.
    ``marked`` rows are flagged with * and explained by ``mark_note``. Names from sheets are
    escaped."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    blues = colormaps["Blues"]

    def cell(value: float) -> str:
        if pd.isna(value):  # not rated
            return "<td>-</td>"
        share = value / scale
        shade, ink = to_hex(blues(share)), "#ffffff" if share > 0.6 else "#1f2328"
        return f'<td style="background-color:{shade};color:{ink}">{value:.0f}</td>'

    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in matrix.columns)
    rows = []
    for key, values in zip(matrix.index, matrix.to_numpy(dtype=float), strict=True):
        flag = str(key) in marked
        label = escape(f"{key} *" if flag else str(key))
        row_class = ' class="ek-marked"' if flag else ""
        cells = "".join(cell(v) for v in values)
        rows.append(f'<tr{row_class}><th scope="row">{label}</th>{cells}</tr>')
    note_text = f'<p class="ek-note ek-marked">* {escape(mark_note)}</p>' if marked else ""
    return Html(
        f'<table class="ek-heat"><caption>{escape(caption)}</caption><thead><tr><th></th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note_text}"
    )
