"""Self-contained HTML pages: a small stylesheet and the Sarabun font embedded, no scripts
or requests to anywhere, so that a report opens offline exactly as it was rendered. Shared by
the runner (reports, the index) and the exports (feedback documents), hence its place here.
The shell is ``templates/base.html.j2``; pages extend it (see :mod:`evalkit.core.templates`).
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

from markupsafe import Markup

from evalkit.core.fonts import sarabun_woff
from evalkit.core.templates import asset, render


@cache
def stylesheet() -> Markup:
    """The page CSS with Sarabun Regular and Bold embedded (subset to Thai and Latin; made
    once per machine, see :mod:`evalkit.core.fonts`)."""
    css = str(asset("report.css"))
    regular, bold = (base64.b64encode(sarabun_woff(w)).decode("ascii") for w in ("Regular", "Bold"))
    return Markup(css.replace("{regular}", regular).replace("{bold}", bold))


def template_css(name: str) -> Markup:
    """A stylesheet of ``evalkit/templates`` (e.g. ``feedback.css``), as text."""
    return asset(name)


def render_page(name: str, **context: Any) -> str:
    """The page template ``name`` (one that extends ``base.html.j2``) with ``context``."""
    return render(name, stylesheet=stylesheet, **context)


def page(title: str, body: str, lang: str = "th", script: str = "", style: str = "") -> str:
    """A complete HTML document; ``title`` is escaped, ``body`` is trusted HTML, ``style`` is
    CSS added after the page stylesheet."""
    return render_page(
        "base.html.j2",
        title=title,
        body=Markup(body),
        lang=lang,
        script=Markup(script),
        style=Markup(style),
    )
