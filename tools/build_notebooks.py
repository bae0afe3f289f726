"""Write the committed notebooks from this description, so that they stay thin, output-free
and reviewable: ``python tools/build_notebooks.py``."""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

ROOT = Path(__file__).resolve().parents[1]
KERNEL = {"name": "evalkit", "display_name": "Python (evalkit)", "language": "python"}


def notebook(
    cells: list[tuple[str, str]], tags: dict[int, list[str]] | None = None
) -> nbf.NotebookNode:
    nb = nbf.v4.new_notebook()
    for n, (kind, source) in enumerate(cells):
        cell = nbf.v4.new_markdown_cell(source) if kind == "md" else nbf.v4.new_code_cell(source)
        cell["id"] = f"cell-{n}"
        cell.metadata["tags"] = (tags or {}).get(n, [])
        if not cell.metadata["tags"]:
            del cell.metadata["tags"]
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    return nb


AGENCY = [
    (
        "code",
        """# Parameters: `evalkit run` replaces these with the values of a params/*.yaml file.
agency_id = "trat-cdd"
year = 2565
framework = "pmqa-2562"
data = ["../data/sample/trat/*"]
frameworks_dir = None
note = ""
top_gaps = 5
poverty = None
consensus = None""",
    ),
    (
        "code",
        """from evalkit.report.agency import AgencyReport

report = AgencyReport.load(data, agency_id, year, framework, frameworks_dir, consensus)
report.summary(note)""",
    ),
    ("md", "## คะแนนรายหมวด (Category scores)"),
    ("code", "report.category_table()"),
    ("code", "report.radar_chart()"),
    ("md", "## เกณฑ์รางวัลและเป้าหมาย (Award and target rules)"),
    ("code", "report.rules_table()"),
    ("md", "## คะแนนรายหัวข้อ (Item scores)"),
    ("code", "report.item_chart()"),
    ("md", "## คณะผู้ประเมิน (The assessors)"),
    ("code", "report.assessor_heatmap()"),
    ("code", "report.agreement_note()"),
    ("md", "## ประเมินตนเองเทียบกับคณะผู้ประเมิน (Self-assessment and panel)"),
    ("code", "report.self_assessment_table()"),
    ("md", "## ถ้ายกระดับหัวข้อ (What if)"),
    ("code", "report.what_if_table(top_gaps)"),
    ("md", "## หัวข้อที่ห่างจากคะแนนเต็มมากที่สุด (Largest gaps to full marks)"),
    ("code", "report.gap_table(top_gaps)"),
    ("md", "## แนวโน้ม (Trends)"),
    ("code", "report.trend_chart()"),
    ("code", "report.category_trend_chart()"),
    ("code", "report.trend_table()"),
    ("code", "report.indicator_section()"),
    ("code", "report.poverty_section(poverty)"),
]

PORTFOLIO = [
    (
        "code",
        """# Parameters: `evalkit run` renders one portfolio per framework and year.
framework = "pmqa-2562"
year = 2565
data = ["../data/sample/trat/*"]
frameworks_dir = None
note = ""
consensus = None""",
    ),
    (
        "code",
        """from evalkit.report.portfolio import PortfolioReport

portfolio = PortfolioReport.load(data, framework, year, frameworks_dir, consensus)
portfolio.summary(note)""",
    ),
    ("md", "## อันดับหน่วยงาน (Ranking)"),
    ("code", "portfolio.ranking_table()"),
    ("md", "## การกระจายของคะแนนรวม (Distribution of totals)"),
    ("code", "portfolio.distribution_chart()"),
    ("md", "## ร้อยละรายหมวดของแต่ละหน่วยงาน (Categories by agency)"),
    ("code", "portfolio.category_heatmap()"),
]

EXPLORE = [
    (
        "code",
        """# Parameters: where the drop-downs start (and what a run without a person shows).
data = ["../data/sample/trat/*"]
framework = "pmqa-2562"
year = 2565
agency_id = "trat-cdd"
frameworks_dir = None""",
    ),
    (
        "md",
        "# สำรวจผลการประเมิน (Explore the scores)\n\nเลือกเกณฑ์ ปี และหน่วยงาน "
        "(choose a framework, year and agency); the view below follows.",
    ),
    (
        "code",
        """from evalkit.report.explore import Explorer

explorer = Explorer(data, framework, year, agency_id, frameworks_dir)
explorer.show()""",
    ),
]

if __name__ == "__main__":
    for name, cells in (("agency_report", AGENCY), ("portfolio", PORTFOLIO), ("explore", EXPLORE)):
        nbf.write(notebook(cells, {0: ["parameters"]}), ROOT / "notebooks" / f"{name}.ipynb")
