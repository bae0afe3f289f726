"""nbconvert's HTML export, less the work a report page does not need.

:class:`nbconvert.HTMLExporter` renders the notebook with its template, then parses the whole
page again with BeautifulSoup to add two attributes, and validates the notebook after each of
its preprocessors. A report's page is most of a worker's time outside the cells, so
:class:`PageExporter` validates once and adds the same attributes while the text is still a
string: the ``alt`` text of an image that has none, and ``tabindex`` on every output, so that
a wide table can be scrolled from the keyboard. It also writes what the parse used to
normalise: Thai and other non-ASCII text of markdown cells as characters rather than numeric
references, and the headings' anchor links as ``<a ...></a>``, the markup
:data:`evalkit.core.contract.SECTION_HEADING` reads.
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

NO_ALT = "No description has been provided for this image"
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
_OUTPUT = re.compile(r'(<div class="[^"]*\bjp-OutputArea-output\b[^"]*")')
_NUMERIC = re.compile(r"&#(\d{3,7});")
_SELF_CLOSED_LINK = re.compile(r"<a ([^>]*?) ?/>")


def _character(match: re.Match[str]) -> str:
    code = int(match.group(1))
    return chr(code) if 128 <= code <= 0x10FFFF else match.group(0)


class PageExporter(HTMLExporter):
    """The ``basic`` template without input cells or prompts, as a fragment for a page."""

    def __init__(self, **kw: Any):
        super().__init__(
            template_name="basic",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            anchor_link_text="",
            optimistic_validation=True,
            **kw,
        )

    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        resources = self._init_resources(resources)
        self.register_filter(
            "highlight_code", self.filters.get("highlight_code", Highlight2HTML(parent=self))
        )
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            ),
        )
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        html = _IMAGE_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', html)
        html = _SELF_CLOSED_LINK.sub(r"<a \1></a>", _NUMERIC.sub(_character, html))
        return _OUTPUT.sub(r'\1 tabindex="0"', html), resources
