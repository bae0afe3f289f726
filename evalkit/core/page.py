"""Self-contained HTML pages: a small stylesheet and the Sarabun font embedded, no scripts
or requests to anywhere, so that a report opens offline exactly as it was rendered. Shared by
the runner (reports, the index) and the exports (feedback documents), hence its place here."""

from __future__ import annotations

import base64
import io
from functools import cache
from html import escape
from importlib import resources

#: Characters kept in the embedded font: Basic Latin, Latin-1, Thai, general punctuation.
FONT_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    *range(0x0E00, 0x0E80),
    *range(0x2000, 0x2070),
    0x20AC,
    0x2212,
    0x25CC,
]


def _subset(weight: str) -> str:
    import fontpkg_sarabun
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    font = subset.load_font(str(fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=FONT_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    font.close()
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@cache
def stylesheet() -> str:
    """The page CSS with Sarabun Regular and Bold embedded (subset to Thai and Latin)."""
    css = (resources.files("evalkit") / "templates" / "report.css").read_text(encoding="utf-8")
    return css.replace("{regular}", _subset("Regular")).replace("{bold}", _subset("Bold"))


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
