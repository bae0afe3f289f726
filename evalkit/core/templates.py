"""Pages and fragments from the Jinja2 templates in ``evalkit/templates`` (``*.j2``), one
environment for the runner (report pages, the index, refused pages), the exports (feedback
documents) and the report sections inside the kernel.

- **Autoescaping is on.** Every value a template shows is escaped unless it is already
  markup (:class:`markupsafe.Markup`, or an object with ``__html__``). Values are escaped as
  :func:`html.escape` does (``&quot;``, ``&#x27;``), so pages read the same as they always
  have; templates show values with ``{{ value }}`` and never join or concatenate text from
  data with ``|join``, ``~`` or ``|replace`` (those escape differently).
- **Markup is written compactly.** A newline and the indentation after it are dropped from
  a template's own text, so a template can be laid out on lines and the page still has no
  whitespace between its tags. Text that must keep a space across a line break says so with
  ``{{ " " }}``, and a newline that belongs in the page with ``{{ "\\n" }}``.
- **Undefined names fail**: a misspelt variable is an error, not an empty string.

:func:`render` renders a whole template; :func:`fragment` calls one macro of a template (a
report section, a feedback item): the page-sized templates extend ``base.html.j2``, the
fragments are macros grouped by the module that uses them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

_LAYOUT = re.compile(r"\n[ \t]*")


class Compact(Extension):
    """Drops each newline of a ``.j2`` template and the indentation that follows it."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _LAYOUT.sub("", source) if name and name.endswith(".j2") else source


def _escaped(value: Any) -> Any:
    """What ``{{ value }}`` shows: markup as it is, anything else escaped like
    :func:`html.escape`."""
    return value if hasattr(value, "__html__") else Markup(html.escape(str(value)))


def asset(name: str) -> Markup:
    """A file of ``evalkit/templates`` (a script, a stylesheet) as it is, for a page."""
    return Markup((resources.files("evalkit") / "templates" / name).read_text(encoding="utf-8"))


def _format(value: Any, spec: str) -> str:
    """``{{ points|fmt(",.2f") }}``: Python's format mini-language."""
    return format(value, spec)


@cache
def environment() -> Environment:
    """The one environment (made on first use)."""
    from evalkit.core.dates import thai_datetime
    from evalkit.core.i18n import bilingual

    env = Environment(
        loader=PackageLoader("evalkit", "templates"),
        autoescape=True,
        finalize=_escaped,
        undefined=StrictUndefined,
        extensions=[Compact],
        keep_trailing_newline=True,
    )
    env.globals["asset"] = asset
    env.filters.update(fmt=_format, bilingual=bilingual, thai_datetime=thai_datetime)
    return env


def render(name: str, **context: Any) -> str:
    """The template ``name`` rendered with ``context``."""
    return environment().get_template(name).render(**context)


def fragment(
    name: str, macro: str, globals: Mapping[str, Callable[..., Any]] | None = None, **kw: Any
) -> Markup:
    """The macro ``macro`` of the template ``name`` called with ``kw``; ``globals`` are names
    the template's macros may call (the same ones at every call)."""
    template = environment().get_template(name, globals=dict(globals or {}))
    return Markup(getattr(template.module, macro)(**kw))
