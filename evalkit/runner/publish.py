"""Turn executed notebooks into shareable pages, and list them in ``index.html``."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import nbformat

from evalkit.core.contract import SECTION_HEADING, SUMMARY_KEY
from evalkit.core.dates import thai_datetime
from evalkit.core.files import write_text_atomic
from evalkit.core.i18n import bilingual
from evalkit.core.page import page
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


def contents(body: str) -> str:
    """A short table of contents of the report's sections (its level-2 headings)."""
    links = [
        f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in SECTION_HEADING.findall(body)
    ]
    if not links:
        return ""
    return f'<nav class="ek-toc"><strong>สารบัญ (contents)</strong><ol>{"".join(links)}</ol></nav>'


def _section_of(notebook: nbformat.NotebookNode, index: int) -> str:
    for cell in reversed(notebook.cells[: index + 1]):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
            return cell.source.strip().lstrip("#").strip()
    return "the start of the report"


def failure_note(executed: Executed) -> str:
    """Where and why a report stopped, for the top of its page."""
    where = ""
    if executed.notebook is not None and executed.failed_cell is not None:
        section = _section_of(executed.notebook, executed.failed_cell)
        where = (
            f" ที่เซลล์ที่ {executed.failed_cell + 1} (cell {executed.failed_cell + 1}, in “{section}”)"
        )
    return (
        f'<div class="ek-failed"><p><strong>รายงานนี้สร้างไม่สำเร็จ (this report failed)'
        f"</strong>{escape(where)}</p><pre>{escape(executed.error)}</pre></div>"
    )


def report_page(title: str, executed: Executed) -> str:
    """The complete page of one report: title, contents, outputs; a failure says so on top."""
    body = notebook_body(executed.notebook) if executed.notebook is not None else ""
    top = failure_note(executed) if executed.error else ""
    if executed.error and executed.notebook is None:
        top = f"<h1>{escape(title)}</h1>" + top
    first = body.find("<h2 id=")  # the contents go after the summary, before the sections
    if first >= 0:
        body = body[:first] + contents(body) + body[first:]
    return page(title, top + body)


def write_report(path: Path, title: str, executed: Executed) -> None:
    write_text_atomic(path, report_page(title, executed))


#: Rows of the index shown at once; the rows after the first page are written ``hidden``, so
#: that the browser lays out one page, not ten thousand rows (a page read without scripts
#: shows them all).
INDEX_PAGE = 100
#: The index's search, sort and pages, in the page itself: no server and no request. The
#: script shows one page (``size``, as :data:`INDEX_PAGE`) of the matching rows in the chosen
#: order.
INDEX_SCRIPT = """
const table=document.querySelector('table'),body=table.tBodies[0],rows=[...body.rows];
const filter=document.querySelector('#filter'),size=100,collator=new Intl.Collator('th');
const pager=document.createElement('p');pager.className='ek-pager';
pager.innerHTML='<button type="button" data-step="-1">ก่อนหน้า (previous)</button> '
+'<span aria-live="polite"></span> <button type="button" data-step="1">ถัดไป (next)</button>';
table.after(pager);
const status=pager.querySelector('span'),[prev,next]=pager.querySelectorAll('button');
let order=rows,shown=rows,page=0;const texts=new Map();
const text=r=>{let t=texts.get(r);
if(t===undefined){t=r.textContent.toLowerCase();texts.set(r,t)}return t};
const n=v=>v.toLocaleString('th-TH');
function draw(){const pages=Math.max(1,Math.ceil(shown.length/size));
page=Math.min(Math.max(page,0),pages-1);const from=page*size,to=Math.min(from+size,shown.length);
const part=shown.slice(from,to);part.forEach(r=>{r.hidden=false});body.replaceChildren(...part);
status.textContent=shown.length?`แสดง ${n(from+1)}-${n(to)} จาก ${n(shown.length)} รายการ `
+`(showing ${from+1}-${to} of ${shown.length})`:'ไม่พบรายการ (no match)';
prev.disabled=page===0;next.disabled=page>=pages-1;pager.hidden=rows.length<=size}
function find(){const q=filter.value.toLowerCase();
shown=q?order.filter(r=>text(r).includes(q)):order;page=0;draw()}
pager.addEventListener('click',e=>{const step=e.target.dataset.step;if(step){page+=+step;draw()}});
filter.addEventListener('input',find);
table.tHead.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
const dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
table.tHead.querySelectorAll('th').forEach(h=>h.removeAttribute('aria-sort'));
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
const keyed=rows.map(r=>{const k=r.cells[i].dataset.sort??r.cells[i].textContent;
return [k,parseFloat(k),r]});
keyed.sort((a,b)=>dir*(isNaN(a[1])||isNaN(b[1])?collator.compare(a[0],b[0]):a[1]-b[1]));
order=keyed.map(k=>k[2]);find()}));
draw();
"""
INDEX_HEADERS = (
    "หน่วยงาน (agency)",
    "รหัส (id)",
    "ปี พ.ศ. (year)",
    "เกณฑ์ (framework)",
    "คะแนนรวม (total)",
    "สถานะ (status)",
    "วันที่สร้าง (rendered)",
)


def _index_row(e: dict[str, Any]) -> str:
    total = e.get("points")
    total_cell = (
        f'<td data-sort="{total:.4f}">{total:,.2f} / {e["max_points"]:,.0f}</td>'
        if total is not None
        else '<td data-sort="-1">-</td>'
    )
    return (
        f'<tr class="ek-{escape(e["status"])}"><td><a href="{escape(e["href"], quote=True)}">'
        f"{escape(e['agency_name'])}</a></td><td>{escape(e['agency_id'])}</td>"
        f"<td>{int(e['year']) or '-'}</td><td>{escape(e['framework'])}</td>{total_cell}"
        f"<td>{escape(bilingual(e['status']))}{_previous(e)}</td>"
        f'<td data-sort="{escape(e.get("rendered_at") or "", quote=True)}">'
        f"{escape(thai_datetime(e.get('rendered_at')))}</td></tr>"
    )


def _previous(entry: dict[str, Any]) -> str:
    if not entry.get("previous"):
        return ""
    href = escape(entry["previous"], quote=True)
    return f' (<a href="{href}">ฉบับก่อนหน้า previous</a>)'


def write_index(
    out_dir: Path, entries: Sequence[dict[str, Any]], notes: Sequence[str] = ()
) -> Path:
    """``out_dir/index.html``: every report with agency, year, total, status, date and link,
    sortable by any column and filterable, with no server and no request anywhere."""
    agencies = [e for e in entries if e.get("kind", "agency") == "agency"]
    rows = [
        _index_row(e)
        for e in sorted(agencies, key=lambda e: (e["framework"], e["agency_id"], -e["year"]))
    ]
    rows[INDEX_PAGE:] = [r.replace("<tr ", "<tr hidden ", 1) for r in rows[INDEX_PAGE:]]
    headers = "".join(f'<th scope="col">{h}</th>' for h in INDEX_HEADERS)
    portfolios = sorted(
        (e for e in entries if e.get("kind") == "portfolio"),
        key=lambda e: (e["framework"], -e["year"]),
    )
    overview = "".join(
        f'<li><a href="{escape(e["href"], quote=True)}">{escape(e["framework"])} '
        f"พ.ศ. {int(e['year'])}</a> {escape(e['agency_name'])} · "
        f"{escape(bilingual(e['status']))}</li>"
        for e in portfolios
    )
    body = (
        "<h1>รายงานผลการประเมิน (evaluation reports)</h1>"
        + "".join(f'<p class="ek-note">{escape(note)}</p>' for note in notes)
        + (f"<h2>ภาพรวมและอันดับ (portfolios)</h2><ul>{overview}</ul>" if overview else "")
        + "<h2>รายงานรายหน่วยงาน (agency reports)</h2>"
        + '<p><label>ค้นหา (filter) <input id="filter" type="search"></label></p>'
        + "<noscript><style>tbody tr[hidden]{display:table-row}</style></noscript>"
        + f"<table><thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    path = out_dir / "index.html"
    write_text_atomic(path, page("รายงานผลการประเมิน evalkit", body, script=INDEX_SCRIPT))
    return path
