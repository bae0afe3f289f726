"""Self-contained HTML pages: a small stylesheet and the Sarabun font embedded, no scripts
or requests to anywhere, so that a report opens offline exactly as it was rendered. Shared by
the runner (reports, the index) and the exports (feedback documents), hence its place here."""

from __future__ import annotations

import base64
from functools import cache
from html import escape
from importlib import resources

from evalkit.core.fonts import sarabun_woff


@cache
def stylesheet() -> str:
    """The page CSS with Sarabun Regular and Bold embedded (subset to Thai and Latin; made
    once per machine, see :mod:`evalkit.core.fonts`)."""
    css = (resources.files("evalkit") / "templates" / "report.css").read_text(encoding="utf-8")
    regular, bold = (base64.b64encode(sarabun_woff(w)).decode("ascii") for w in ("Regular", "Bold"))
    return css.replace("{regular}", regular).replace("{bold}", bold)


def template_css(name: str) -> str:
    """A stylesheet of ``evalkit/templates`` (e.g. ``feedback.css``), as text."""
    return (resources.files("evalkit") / "templates" / name).read_text(encoding="utf-8")


def page(title: str, body: str, lang: str = "th", script: str = "", style: str = "") -> str:
    """A complete HTML document; ``title`` is escaped, ``body`` is trusted HTML, ``style`` is
    CSS added after the page stylesheet."""
    tail = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{stylesheet()}{style}</style></head>"
        f"<body>{body}{tail}</body></html>\n"
    )
