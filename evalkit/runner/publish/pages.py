"""Turn executed notebooks into shareable pages, and list them in ``index.html``."""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat
from markupsafe import Markup

from evalkit.core.contract import (
    FEEDBACK_FOLDER,
    SECTION_HEADING,
    SUMMARY_KEY,
    THAI_DIGITS_KEY,
    feedback_file,
)
from evalkit.core.files import write_text_atomic
from evalkit.core.numerals import thai_digits_html
from evalkit.core.page import render_page
from evalkit.core.templates import fragment
from evalkit.runner.engines import Executed

_THREAD = threading.local()


def _exporter() -> Any:
    """This thread's exporter: an exporter keeps state while it works, and a Dask worker of
    the run's own cluster is a thread beside the others."""
    from evalkit.runner.publish.htmlexport import (
        PageExporter,
    )  # nbconvert, only where pages are made

    exporter = getattr(_THREAD, "exporter", None)
    if exporter is None:
        exporter = _THREAD.exporter = PageExporter()
    return exporter


def warm_pages() -> None:
    """Import nbconvert and compile its page templates in this thread, once: a process that
    starts workers by forking it (the local pool) does this before, and each worker finds
    both done instead of paying them at its first page."""
    markdown = nbformat.v4.new_markdown_cell("## A")
    shown = nbformat.v4.new_output("display_data", data={"text/plain": "A"})
    notebook_body(
        nbformat.v4.new_notebook(cells=[markdown, nbformat.v4.new_code_cell(outputs=[shown])])
    )


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


#: the id of the anchor before a failed report's error output, which its banner links to
FAILED_OUTPUT = "ek-failed-output"


def _marked(notebook: nbformat.NotebookNode, index: int) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with an anchor before the error output of cell ``index`` (at
    the end of its outputs when it has none, as when it ran out of time)."""
    marked = copy.deepcopy(notebook)
    outputs = marked.cells[index].setdefault("outputs", [])
    errors = [n for n, o in enumerate(outputs) if o.get("output_type") == "error"]
    anchor = nbformat.v4.new_output(
        "display_data",
        data={"text/html": str(fragment("report/failed.html.j2", "anchor", id=FAILED_OUTPUT))},
    )
    outputs.insert(errors[0] if errors else len(outputs), anchor)
    return marked


def report_page(title: str, executed: Executed) -> str:
    """The complete page of one report: title, contents, outputs; a failure says where and
    why on top. The contents list the report's sections (its level-2 headings) and go after
    the summary, before the first section."""
    notebook, cell, section = executed.notebook, None, None
    if executed.error and notebook is not None and executed.failed_cell is not None:
        notebook = _marked(notebook, executed.failed_cell)
        cell = notebook.cells[executed.failed_cell].get("execution_count")
        section = _section_of(notebook, executed.failed_cell)
    body = notebook_body(notebook) if notebook is not None else ""
    first = SECTION_HEADING.search(body)
    split = first.start() if first else len(body)
    links = [(Markup(a), Markup(t)) for a, t in SECTION_HEADING.findall(body)] if first else []
    page = render_page(
        "report.html.j2",
        title=title,
        error=executed.error,
        outputs=executed.notebook is not None,
        cell=cell,
        section=section,
        anchor=FAILED_OUTPUT,
        before=Markup(body[:split]),
        links=links,
        after=Markup(body[split:]),
    )
    wanted = notebook_summary(executed.notebook).get(THAI_DIGITS_KEY)
    return thai_digits_html(page) if wanted else page


def write_report(path: Path, title: str, executed: Executed) -> None:
    write_text_atomic(path, report_page(title, executed))


#: Rows of the index shown at once; the rows after the first page are written ``hidden``, so
#: that the browser lays out one page, not ten thousand rows (a page read without scripts
#: shows them all). The index's script (``templates/index.js``: search, sort and pages, in the
#: page itself, no server and no request) shows the same number at a time.
INDEX_PAGE = 100


def shared_files(out_dir: Path, entry: Mapping[str, Any]) -> dict[str, str | None]:
    """The PDF of a report's page (``evalkit pdf``) and its feedback document (``evalkit
    feedback`` into the folder's ``feedback/``), as links from the index, where they exist."""
    pdf = PurePosixPath(str(entry["href"])).with_suffix(".pdf").as_posix()
    feedback = f"{FEEDBACK_FOLDER}/" + feedback_file(
        str(entry["agency_id"]), str(entry["framework"]), int(entry["year"] or 0)
    )
    return {
        "pdf": pdf if (out_dir / pdf).is_file() else None,
        "feedback": feedback if (out_dir / feedback).is_file() else None,
    }


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
        agencies=[e | shared_files(out_dir, e) for e in agencies],
        page_size=INDEX_PAGE,
    )
    path = out_dir / "index.html"
    write_text_atomic(path, html)
    return path
