"""The decision list for the committee's minutes, as CSV, HTML (A4, Thai, Buddhist-era date)
or XLSX (a workbook that says it is a decision list, not score input)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.analysis.decisions import DECISION_COLUMNS, THAI_HEADERS
from evalkit.core.dates import thai_date
from evalkit.core.files import write_text_atomic
from evalkit.core.i18n import msg
from evalkit.core.page import render_page
from evalkit.exports.spreadsheet import Sheet, write_csv, write_xlsx
from evalkit.frameworks.model import Framework
from evalkit.scoring.rules import UNCONFIRMED

#: The ``evalkit-kind`` of the workbook.
KIND = "decision-list"
SHEET = THAI_HEADERS["level"]


#: The columns of the page's tables (the type heads each table; the confidence is a note).
LISTED = [c for c in DECISION_COLUMNS if c not in ("type", "confidence")]


def _values(decisions: pd.DataFrame) -> pd.DataFrame:
    """The list's values as shown: Thai words for yes/no, no rank for the ineligible, totals
    with two decimals."""
    table = decisions[DECISION_COLUMNS].copy()
    eligible = {True: msg("eligible").render("th"), False: msg("not eligible").render("th")}
    table["eligible"] = table["eligible"].map(eligible)
    table["rank"] = table["rank"].astype(object).where(table["rank"].notna(), "")
    table["total"] = table["total"].map(lambda v: f"{v:.2f}")
    return table


def shown(decisions: pd.DataFrame) -> pd.DataFrame:
    """The list with Thai headers and Thai words for yes/no."""
    return _values(decisions).rename(columns=THAI_HEADERS)


def decision_context(decisions: pd.DataFrame, framework: Framework, today: date) -> dict[str, Any]:
    """What the template's ``decision_list`` macro takes: one group per award type (its key,
    its name, its rows), the headers, the columns, the Buddhist-era date and the mark of
    unconfirmed thresholds."""
    names = {key: name_th or key for key, name_th, _ in framework.types}
    keys = {name: key for key, name in names.items()}
    table = _values(decisions)
    groups = [
        {"key": keys.get(str(kind), str(kind)), "type": kind, "rows": rows.to_dict("records")}
        for kind, rows in table.groupby("type", sort=True)
    ]
    return {
        "groups": groups,
        "headers": THAI_HEADERS,
        "columns": LISTED,
        "dated": thai_date(today),
        "unconfirmed": UNCONFIRMED if (decisions["confidence"] != "").any() else "",
    }


def decision_page(decisions: pd.DataFrame, framework: Framework, year: int, today: date) -> str:
    name = framework.name_th or framework.id
    return render_page(
        "decisions.html.j2",
        title=msg("award decisions: {framework}", framework=name).render("th"),
        year=year,
        framework_name=name,
        extends=framework.extends,
        **decision_context(decisions, framework, today),
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
