"""The golden pages: every page and fragment evalkit writes, built from the bundled sample
and a few hand-made cases, so that a change of markup shows as a diff.

``python tests/golden_pages.py`` writes them again into ``tests/golden/pages/``;
read the diff before committing it. :func:`normalise` blanks only what is meant to vary
from machine to machine: the embedded font (a subset made by the installed fontTools) and
chart images (drawn by the installed matplotlib and FreeType).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import nbformat
from helpers import FEEDBACK, GOLDEN, ROOT, SAMPLE

from evalkit.core.errors import Problem
from evalkit.core.i18n import msg
from evalkit.exports.feedback import Feedback, feedback_page
from evalkit.report.agency import AgencyReport
from evalkit.report.display import Html
from evalkit.report.portfolio import PortfolioReport
from evalkit.report.sources import scored
from evalkit.runner.engines.execution import Executed
from evalkit.runner.plan.refused import refused_page
from evalkit.runner.publish.pages import report_page, write_index

PAGES = GOLDEN / "pages"
POVERTY = ROOT / "data" / "sample" / "poverty" / "poverty_2565_households.csv"
TODAY = date(2023, 3, 14)
#: The sections of an agency report, in the order of the agency notebook.
SECTIONS = (
    "status_summary",
    "appendix_heading",
    "executive_summary",
    "category_table",
    "radar_chart",
    "rules_table",
    "unmet_checks_section",
    "check_path_section",
    "item_chart",
    "assessor_heatmap",
    "agreement_note",
    "factor_table",
    "self_assessment_table",
    "checks_self_vs_panel",
    "what_if_table",
    "gap_table",
    "feedback_section",
    "trend_chart",
    "category_trend_chart",
    "trend_table",
    "indicator_section",
    "indicator_points_section",
    "indicator_trend_chart",
)
#: Sample agencies that between them show every kind of section: PMQA bands with factors,
#: comments, self-assessment and four years; PMQA 4.0 checklists and indicators; ratings;
#: CDD policy with a poverty file; the clean-office checklist with its own assessment; the
#: women's fund.
AGENCIES = (
    ("trat-cdd", "pmqa-2562", 2565),
    ("trat-health", "pmqa-2562", 2562),
    ("trat-province", "pmqa40-status", 2564),
    ("trat-local-participatory", "lertrat-participatory", 2564),
    ("cdd-bo-rai", "cdd-policy-2565", 2565),
    ("cdd-muang-trat", "cdd-clean", 2564),
    ("wdf-ko-kut", "women-fund", 2564),
)

_FONT = re.compile(r"(data:font/woff2?;base64,)[A-Za-z0-9+/=]+")
_IMAGE = re.compile(r"(data:image/png;base64,)[A-Za-z0-9+/=]+")


def normalise(html: str) -> str:
    """``html`` with the embedded font and chart images blanked (see the module's text)."""
    return _IMAGE.sub(r"\1PNG", _FONT.sub(r"\1FONT", html))


def _shown(value: object) -> str:
    if isinstance(value, Html):
        return value.body
    return f"<!-- chart: {getattr(value, 'alt', value)} -->"


def agency_sections(agency_id: str, framework: str, year: int) -> str:
    """Every section of one agency's report, each after a comment naming it."""
    data = [str(SAMPLE / f"{framework}_*")]
    report = AgencyReport.load(data, agency_id, year, framework)
    parts = [f"<!-- summary -->\n{report.summary('ข้อมูลตัวอย่าง <sample> & notes').body}"]
    for name in SECTIONS:
        parts.append(f"<!-- {name} -->\n{_shown(getattr(report, name)())}")
    poverty = report.poverty_section(POVERTY if framework.startswith("cdd-policy") else None)
    parts.append(f"<!-- poverty_section -->\n{poverty.body}")
    return "\n".join(parts) + "\n"


def portfolio_sections() -> str:
    report = PortfolioReport.load([str(SAMPLE / "pmqa-2562_*")], "pmqa-2562", 2565)
    parts = [
        f"<!-- summary -->\n{report.summary('ข้อมูลตัวอย่าง').body}",
        f"<!-- ranking_table -->\n{report.ranking_table().body}",
        f"<!-- distribution_chart -->\n{_shown(report.distribution_chart())}",
        f"<!-- category_heatmap -->\n{report.category_heatmap().body}",
        f"<!-- decision_list -->\n{report.decision_list(TODAY).body}",
    ]
    return "\n".join(parts) + "\n"


def feedback_document(agency_id: str, framework: str, year: int) -> str:
    data = [str(SAMPLE / f"{framework}_*")]
    found = scored(data)
    feedback = Feedback.of(found.sheets, found.result, found.registry, agency_id, year, framework)
    return feedback_page(feedback, TODAY)


def golden_feedback_document() -> str:
    """The hand-checked feedback sheet: comments with line breaks, quotes and markup."""
    found = scored([FEEDBACK], [GOLDEN / "frameworks"])
    unit = found.result[found.result["level"] == "total"].iloc[0]
    feedback = Feedback.of(
        found.sheets,
        found.result,
        found.registry,
        str(unit["agency_id"]),
        int(unit["year"]),
        str(unit["framework"]),
    )
    return feedback_page(feedback, TODAY)


def _entries() -> list[dict]:
    base = {"kind": "agency", "year": 2565, "framework": "pmqa-2562", "max_points": 500}
    return [
        base
        | {
            "agency_id": "trat-cdd",
            "agency_name": "สำนักงานพัฒนาชุมชนจังหวัดตราด",
            "status": "ok",
            "href": "trat-cdd/pmqa-2562/2565.html",
            "points": 312.5,
            "rendered_at": "2022-11-21T17:03:00+07:00",
        },
        base
        | {
            "agency_id": "trat-land",
            "agency_name": "สำนักงานที่ดิน <\"ตราด\"> & 'สาขา'",
            "status": "failed",
            "href": "trat-land/pmqa-2562/2565.html",
            "points": None,
            "rendered_at": "2022-11-21T17:04:00+07:00",
            "previous": "trat-land/pmqa-2562/2565.previous.html",
        },
        base
        | {
            "agency_id": "trat-nre",
            "agency_name": "trat-nre",
            "status": "invalid",
            "href": "trat-nre/pmqa-2562/2564.html",
            "year": 2564,
            "points": None,
            "rendered_at": "",
        },
        {
            "kind": "portfolio",
            "agency_id": "",
            "agency_name": "12 หน่วยงาน",
            "framework": "pmqa-2562",
            "year": 2565,
            "status": "ok",
            "href": "portfolio/pmqa-2562/2565.html",
        },
    ]


def index_page(tmp: Path) -> str:
    notes = ["2 รายงานไม่สำเร็จ <ดูรายละเอียด> (2 reports failed)"]
    return write_index(tmp, _entries(), notes).read_text(encoding="utf-8")


def refused() -> str:
    problems = [
        Problem(
            file="params/trat-land.yaml",
            row=0,
            column="framework",
            found=msg("unknown framework {id}", id="pmqa-<2599>"),
            expected="one of cdd-clean, pmqa-2562",
        ),
        Problem(
            file="data/trat-land.xlsx",
            sheet="คะแนน",
            row=12,
            column="percent",
            found="'120' & more",
            expected="a number from 0 to 100",
            hint="type the percent without the % sign",
        ),
    ]
    return refused_page("สำนักงานที่ดินจังหวัดตราด พ.ศ. 2565", problems)


def _failed_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1", id="a1"),
        nbformat.v4.new_markdown_cell("## คะแนนรายหมวด (Category scores)", id="b2"),
        nbformat.v4.new_code_cell("raise ValueError('<bad>')", id="c3", execution_count=2),
    ]
    notebook.cells[0].execution_count = 1
    notebook.cells[2].outputs = [
        nbformat.v4.new_output(
            "error", ename="ValueError", evalue="<bad>", traceback=["ValueError: <bad>"]
        )
    ]
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": '<div class="ek-summary"><h1>สำนักงาน</h1></div>'},
        )
    ]
    return notebook


def failed_pages() -> dict[str, str]:
    error = "ValueError: <bad> & 'quoted'"
    return {
        "failed-with-notebook": report_page(
            "สำนักงานที่ดินจังหวัดตราด พ.ศ. 2565", Executed(_failed_notebook(), error, 2)
        ),
        "failed-without-notebook": report_page(
            "สำนักงานที่ดิน <ตราด> พ.ศ. 2565", Executed(None, "the kernel died: 'Killed'")
        ),
    }


def builders(tmp: Path) -> dict[str, Callable[[], str]]:
    """Every golden page by its file name (without ``.html``)."""
    found: dict[str, Callable[[], str]] = {
        "index": lambda: index_page(tmp),
        "refused": refused,
        "feedback-golden": golden_feedback_document,
        "portfolio-sections": portfolio_sections,
    }
    for name in ("failed-with-notebook", "failed-without-notebook"):
        found[name] = lambda name=name: failed_pages()[name]
    for agency_id, framework, year in AGENCIES:
        found[f"sections-{agency_id}-{framework}-{year}"] = (
            lambda a=agency_id, f=framework, y=year: agency_sections(a, f, y)
        )
    seen: set[str] = set()
    for agency_id, framework, year in AGENCIES:
        if framework not in seen:
            seen.add(framework)
            found[f"feedback-{framework}"] = lambda a=agency_id, f=framework, y=year: (
                feedback_document(a, f, y)
            )
    return found


#: Full pages rendered by ``evalkit run`` from the sample's params files, by golden name.
RENDERED = {
    "page-trat-cdd-pmqa-2562-2565": ("params/trat-cdd.yaml", "trat-cdd/pmqa-2562/2565.html"),
    "page-trat-province-pmqa40-status-2564": (
        "params/trat-province.yaml",
        "trat-province/pmqa40-status/2564.html",
    ),
}


def rendered_pages(out: Path) -> dict[str, str]:
    """The pages of :data:`RENDERED`, rendered by the real command through a kernel."""
    params = [ROOT / p for p, _ in RENDERED.values()]
    command = [sys.executable, "-m", "evalkit", "run", *map(str, params)]
    command += ["--out", str(out), "--no-portfolio", "--jobs", "1", "--quiet", "--force"]
    subprocess.run(command, cwd=ROOT, check=True, timeout=600, capture_output=True)
    return {name: (out / page).read_text(encoding="utf-8") for name, (_, page) in RENDERED.items()}


def write(name: str, html: str) -> None:
    (PAGES / f"{name}.html").write_text(normalise(html), encoding="utf-8")
    print(name)


def main() -> None:
    import tempfile

    PAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in builders(Path(tmp)).items():
            write(name, build())
        for name, html in rendered_pages(Path(tmp) / "reports").items():
            write(name, html)


if __name__ == "__main__":
    main()
