"""Turn executed notebooks into shareable pages, and list them in ``index.html``."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import nbformat

from .files import write_text_atomic
from .page import page
from .report import SUMMARY_KEY


def _exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def notebook_body(notebook: nbformat.NotebookNode) -> str:
    """The outputs and text of a notebook as an HTML fragment, with no code cells."""
    body, _ = _exporter().from_notebook_node(notebook)
    return str(body)


def notebook_summary(notebook: nbformat.NotebookNode) -> dict[str, Any] | None:
    """The summary a report displayed (agency, year, total), read from its output metadata."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            summary = output.get("metadata", {}).get(SUMMARY_KEY)
            if summary:
                return dict(summary)
    return None


def write_report(path: Path, title: str, body: str) -> None:
    write_text_atomic(path, page(title, body))


INDEX_SCRIPT = """
const table=document.querySelector('table'),rows=[...table.tBodies[0].rows];
document.querySelector('#filter').addEventListener('input',e=>{const q=e.target.value.toLowerCase();
rows.forEach(r=>{r.hidden=!r.textContent.toLowerCase().includes(q)})});
table.tHead.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
const dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
const key=r=>r.cells[i].dataset.sort??r.cells[i].textContent;
rows.sort((a,b)=>{const x=key(a),y=key(b),nx=parseFloat(x),ny=parseFloat(y);
return dir*(isNaN(nx)||isNaN(ny)?x.localeCompare(y,'th'):nx-ny)});
rows.forEach(r=>table.tBodies[0].appendChild(r))}));
"""


def write_index(
    out_dir: Path, entries: Sequence[dict[str, Any]], notes: Sequence[str] = ()
) -> Path:
    """``out_dir/index.html``: one row per report with agency, year, total, status and link."""
    rows = []
    for e in sorted(entries, key=lambda e: (e["agency_id"], -int(e["year"]))):
        total = e.get("points")
        total_cell = (
            f'<td data-sort="{total:.4f}">{total:,.2f} / {e["max_points"]:,.0f}</td>'
            if total is not None
            else '<td data-sort="-1">-</td>'
        )
        link = escape(e["href"], quote=True)
        rows.append(
            f'<tr><td><a href="{link}">{escape(e["agency_name"])}</a></td>'
            f"<td>{escape(e['agency_id'])}</td><td>{int(e['year'])}</td>"
            f"<td>{escape(e['framework'])}</td>{total_cell}<td>{escape(e['status'])}</td></tr>"
        )
    body = (
        "<h1>รายงานผลการประเมิน (evaluation reports)</h1>"
        + "".join(f'<p class="ek-note">{escape(note)}</p>' for note in notes)
        + '<p><label>ค้นหา (filter) <input id="filter" type="search"></label></p>'
        + "<table><thead><tr><th>หน่วยงาน (agency)</th><th>รหัส (id)</th><th>ปี พ.ศ. (year)</th>"
        "<th>เกณฑ์ (framework)</th><th>คะแนนรวม (total)</th><th>สถานะ (status)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    path = out_dir / "index.html"
    write_text_atomic(path, page("รายงานผลการประเมิน evalkit", body, script=INDEX_SCRIPT))
    return path
