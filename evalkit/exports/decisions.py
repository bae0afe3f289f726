"""The decision list for the committee's minutes, as CSV, HTML (A4, Thai, Buddhist-era date)
or XLSX (a workbook that says it is a decision list, not score input)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from evalkit.analysis.decisions import DECISION_COLUMNS, THAI_HEADERS
from evalkit.core.dates import thai_date
from evalkit.core.files import atomic_path, write_text_atomic
from evalkit.core.page import render_page
from evalkit.exports.scores import neutralize, write_csv
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


def _write_xlsx(decisions: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    table = neutralize(shown(decisions))
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in row])
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    book.custom_doc_props.append(StringProperty(name="evalkit-kind", value=KIND))
    book.custom_doc_props.append(StringProperty(name="evalkit-input-sheets", value=json.dumps([])))
    with atomic_path(path) as tmp:
        book.save(tmp)


def write_decisions(
    decisions: pd.DataFrame, framework: Framework, year: int, path: str | Path, today: date
) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(shown(decisions), path)
    elif suffix == ".xlsx":
        _write_xlsx(decisions, path)
    else:
        write_text_atomic(path, decision_page(decisions, framework, year, today))
    return path
