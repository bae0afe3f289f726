"""Small display objects for notebooks: escaped HTML tables and fragments."""

from __future__ import annotations

from dataclasses import dataclass
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
    return Html(
        shown.to_html(
            index=False,
            escape=True,
            classes="ek-table",
            border=0,
            float_format=lambda v: f"{v:,.2f}",
            na_rep="-",
        )
    )
