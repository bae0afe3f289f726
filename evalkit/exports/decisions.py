"""The decision list for the committee's minutes, as CSV, HTML (A4, Thai, Buddhist-era date)
or XLSX (a workbook that says it is a decision list, not score input)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from evalkit.analysis.decisions import DECISION_COLUMNS, THAI_HEADERS
from evalkit.core.dates import thai_date
from evalkit.core.files import write_text_atomic
from evalkit.core.page import render_page
from evalkit.exports.spreadsheet import Sheet, write_csv, write_xlsx
from evalkit.frameworks.model import Framework
from evalkit.scoring.rules import UNCONFIRMED

#: The ``evalkit-kind`` of the workbook.
KIND = "decision-list"
SHEET = "ผลการตัดสิน"


def shown(decisions: pd.DataFrame) -> pd.DataFrame:
    """The list with Thai headers and Thai words for yes/no."""
    table = decisions[DECISION_COLUMNS].copy()
    table["eligible"] = table["eligible"].map({True: "มีคุณสมบัติ", False: "ไม่มีคุณสมบัติ"})
    table["rank"] = table["rank"].astype(object).where(table["rank"].notna(), "")
    table["total"] = table["total"].map(lambda v: f"{v:.2f}")
    return table.rename(columns=THAI_HEADERS)


def decision_page(decisions: pd.DataFrame, framework: Framework, year: int, today: date) -> str:
    table = shown(decisions)
    groups = [
        (kind, [list(map(str, row)) for row in rows.itertuples(index=False)])
        for kind, rows in table.groupby(THAI_HEADERS["type"], sort=True)
    ]
    return render_page(
        "decisions.html.j2",
        title=f"บัญชีผลการตัดสินรางวัล {framework.name_th or framework.id}",
        year=year,
        framework_name=framework.name_th or framework.id,
        extends=framework.extends,
        dated=thai_date(today),
        unconfirmed=UNCONFIRMED if (decisions["confidence"] != "").any() else "",
        groups=groups,
        headers=list(table.columns),
    )


def write_decisions(
    decisions: pd.DataFrame, framework: Framework, year: int, path: str | Path, today: date
) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        sheet = Sheet(SHEET, shown(decisions), paper=True, landscape=True)
        if suffix == ".csv":
            write_csv(sheet, path)
        else:
            write_xlsx([sheet], path, KIND)
    else:
        write_text_atomic(path, decision_page(decisions, framework, year, today))
    return path
