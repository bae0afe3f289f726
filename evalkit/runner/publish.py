"""Turn executed notebooks into shareable pages, and list them in ``index.html``."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat
from markupsafe import Markup

from evalkit.core.contract import SECTION_HEADING, SUMMARY_KEY
from evalkit.core.files import write_text_atomic
from evalkit.core.page import render_page
from evalkit.runner.execution import Executed

_THREAD = threading.local()


def _exporter() -> Any:
    """This thread's exporter: an exporter keeps state while it works, and a Dask worker of
    the run's own cluster is a thread beside the others."""
    from evalkit.runner.htmlexport import PageExporter  # nbconvert, only where pages are made

    exporter = getattr(_THREAD, "exporter", None)
    if exporter is None:
        exporter = _THREAD.exporter = PageExporter()
    return exporter


def notebook_body(notebook: nbformat.NotebookNode) -> str:
    """The outputs and text of a notebook as an HTML fragment, with no code cells."""
    body, _ = _exporter().from_notebook_node(notebook)
    return str(body)


def notebook_summary(notebook: nbformat.NotebookNode | None) -> dict[str, Any]:
    """The summary a report displayed (agency, year, total), read from its output metadata."""
    for cell in notebook.cells if notebook is not None else []:
        for output in cell.get("outputs", []):
            summary = output.get("metadata", {}).get(SUMMARY_KEY)
            if summary:
                return dict(summary)
    return {}


def _section_of(notebook: nbformat.NotebookNode, index: int) -> str | None:
    for cell in reversed(notebook.cells[: index + 1]):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
            return str(cell.source.strip().lstrip("#").strip())
    return None


def report_page(title: str, executed: Executed) -> str:
    """The complete page of one report: title, contents, outputs; a failure says where and
    why on top. The contents list the report's sections (its level-2 headings) and go after
    the summary, before the first section."""
    body = notebook_body(executed.notebook) if executed.notebook is not None else ""
    first = SECTION_HEADING.search(body)
    split = first.start() if first else len(body)
    links = [(Markup(a), Markup(t)) for a, t in SECTION_HEADING.findall(body)] if first else []
    cell = section = None
    if executed.error and executed.notebook is not None and executed.failed_cell is not None:
        cell = executed.failed_cell + 1
        section = _section_of(executed.notebook, executed.failed_cell)
    return render_page(
        "report.html.j2",
        title=title,
        error=executed.error,
        outputs=executed.notebook is not None,
        cell=cell,
        section=section,
        before=Markup(body[:split]),
        links=links,
        after=Markup(body[split:]),
    )


def write_report(path: Path, title: str, executed: Executed) -> None:
    write_text_atomic(path, report_page(title, executed))


#: Rows of the index shown at once; the rows after the first page are written ``hidden``, so
#: that the browser lays out one page, not ten thousand rows (a page read without scripts
#: shows them all). The index's script (``templates/index.js``: search, sort and pages, in the
#: page itself, no server and no request) shows the same number at a time.
INDEX_PAGE = 100


def write_index(
    out_dir: Path, entries: Sequence[dict[str, Any]], notes: Sequence[str] = ()
) -> Path:
    """``out_dir/index.html``: every report with agency, year, total, status, date and link,
    sortable by any column and filterable, with no server and no request anywhere."""
    agencies = sorted(
        (e for e in entries if e.get("kind", "agency") == "agency"),
        key=lambda e: (e["framework"], e["agency_id"], -e["year"]),
    )
    portfolios = sorted(
        (e for e in entries if e.get("kind") == "portfolio"),
        key=lambda e: (e["framework"], -e["year"]),
    )
    html = render_page(
        "index.html.j2",
        notes=notes,
        portfolios=portfolios,
        agencies=agencies,
        page_size=INDEX_PAGE,
    )
    path = out_dir / "index.html"
    write_text_atomic(path, html)
    return path
