"""What a person takes away from the explorer: the agency's page, its PDF, and the what-if as a
small workbook of "what we must raise".

The page is the one ``evalkit run`` published in the project's ``reports/`` when it is there;
otherwise it is made from the same sections the explorer shows, as one self-contained page
(Sarabun embedded, no script, no path). The PDF is the published one when it is current, else
the page printed by ``evalkit pdf`` (headless Chromium, A4) in a process of its own, within a
time limit. Files reach the browser as links that carry their bytes, so no file of the
project is served and no path shows.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import bilingual, msg, pmsg
from evalkit.core.page import page
from evalkit.exports.spreadsheet import Sheet, write_xlsx
from evalkit.report.agency import AgencyReport
from evalkit.report.charts import Chart
from evalkit.report.display import Html, section
from evalkit.report.explore.views import feedback_view, panel_view, scores_view
from evalkit.report.explore.whatif import Outcome, Scenario, WhatIf, item_choices

#: Seconds ``evalkit pdf`` may take to print one page (a browser's start included).
PDF_TIMEOUT = 120
#: A rule's verdict in the what-if workbook.
STATUS = {True: bilingual(msg("met")), False: bilingual(msg("not met"))}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def link(data: bytes, name: str, mime: str, label: str) -> Html:
    """A link that downloads ``data`` as ``name``."""
    encoded = base64.b64encode(data).decode("ascii")
    return section("explore", "download", name=name, mime=mime, encoded=encoded, label=label)


def published(folder: Path, report: AgencyReport, suffix: str) -> Path | None:
    """The page (``.html``) or PDF that ``evalkit run`` wrote for this agency and year."""
    path = folder / "reports" / report.agency_id / report.framework.id / f"{report.year}{suffix}"
    return path if path.is_file() else None


def _html(part: Any) -> str:
    if isinstance(part, Chart):
        encoded = base64.b64encode(part.png()).decode("ascii")
        return section("explore", "figure", alt=part.alt, encoded=encoded).body
    return str(part.body) if isinstance(part, Html) else ""


def agency_page(report: AgencyReport) -> str:
    """The agency's scores, panel and feedback as one self-contained page."""
    title = f"{report.agency_name} {report.framework.id} {report.year}"
    parts = [*scores_view(report), *panel_view(report), *feedback_view(report)]
    return page(title, "".join(_html(p) for p in parts))


def page_bytes(folder: Path | None, report: AgencyReport) -> bytes:
    """The agency's page: the published one, else one made now."""
    found = published(folder, report, ".html") if folder is not None else None
    return found.read_bytes() if found else agency_page(report).encode("utf-8")


def pdf_bytes(folder: Path | None, report: AgencyReport, timeout: float = PDF_TIMEOUT) -> bytes:
    """The agency's A4 PDF: the published one when it is newer than its page, else the page
    printed now by ``evalkit pdf``."""
    if folder is not None:
        html, pdf = published(folder, report, ".html"), published(folder, report, ".pdf")
        if html and pdf and pdf.stat().st_mtime >= html.stat().st_mtime:
            return pdf.read_bytes()
    with tempfile.TemporaryDirectory(prefix="evalkit-explore-") as tmp:
        target = Path(tmp) / report.agency_id / f"{report.year}.html"
        target.parent.mkdir()
        target.write_bytes(page_bytes(folder, report))
        return print_pdf(Path(tmp), target, timeout)


def print_pdf(folder: Path, target: Path, timeout: float) -> bytes:
    """``target`` (a page in ``folder``) printed by ``evalkit pdf``; EvalkitError when it
    cannot be (no browser, no playwright, past ``timeout`` seconds)."""
    command = [sys.executable, "-m", "evalkit", "pdf", str(folder)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=os.environ.copy()
        )
    except subprocess.TimeoutExpired:
        raise EvalkitError(
            msg("The PDF was not printed within {seconds} seconds.", seconds=f"{timeout:g}")
        ) from None
    pdf = target.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.is_file():
        lines = [x for x in (done.stderr or done.stdout).splitlines() if x.strip()]
        raise EvalkitError(lines[-1] if lines else "The PDF could not be printed.")
    return pdf.read_bytes()


RAISE_COLUMNS = [
    bilingual(msg("item")),
    bilingual(pmsg("an item's", "name")),
    bilingual(msg("now")),
    bilingual(pmsg("what-if target", "what-if")),
    bilingual(msg("points now")),
    bilingual(msg("what-if points")),
]
CHECK_COLUMNS = [
    bilingual(msg("item")),
    bilingual(msg("level")),
    bilingual(msg("check")),
    bilingual(msg("text")),
]
RULE_COLUMNS = {
    "rule_name": bilingual(msg("rule")),
    "key": bilingual(msg("applies to")),
    "threshold": bilingual(msg("threshold")),
    "points": bilingual(msg("what-if points")),
    "status": bilingual(pmsg("what-if result", "what-if")),
    "shortfall": bilingual(msg("shortfall")),
}


def _raise_rows(whatif: WhatIf, scenario: Scenario, outcome: Outcome) -> pd.DataFrame:
    """Each item the what-if moves: from what to what, and its points before and after."""
    framework, now = whatif.framework, whatif.current_values()
    before = whatif.base.result.query("level == 'item'").set_index("key")["points"]
    after = outcome.result.query("level == 'item'").set_index("key")["points"]
    rows = []
    for key, value in scenario.values.items():
        labels = {v: label for label, v in item_choices(framework, key)}
        name = framework.item(key).name_th
        shown = (labels.get(now.get(key, -1.0), ""), labels.get(value, f"{value:g}"))
        rows.append((key, name, *shown, float(before[key]), float(after[key])))
    return pd.DataFrame(rows, columns=RAISE_COLUMNS)


def _check_rows(whatif: WhatIf, scenario: Scenario) -> pd.DataFrame:
    """Each check the what-if marks met, with its item, level and text."""
    checks = whatif.framework.check_table().set_index("check")
    rows = [
        (checks.loc[c, "item"], checks.loc[c, "level"], c, checks.loc[c, "text_th"])
        for c in sorted(scenario.checks)
    ]
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def whatif_tables(whatif: WhatIf, scenario: Scenario, outcome: Outcome) -> dict[str, pd.DataFrame]:
    """The what-if as tables: a summary, the items to raise, the checks to meet, the rules."""
    status = [("-" if pd.isna(m) else STATUS[bool(m)]) for m in outcome.rules["met"]]
    rules = outcome.rules.assign(status=status)[list(RULE_COLUMNS)].rename(columns=RULE_COLUMNS)
    summary = pd.DataFrame(
        {
            bilingual(msg("agency")): [whatif.agency_id],
            bilingual(msg("framework")): [whatif.framework.id],
            bilingual(msg("year")): [whatif.year],
            bilingual(msg("total now")): [whatif.base.total],
            bilingual(msg("what-if total")): [outcome.total],
        }
    )
    return {
        bilingual(pmsg("what-if sheet", "summary")): summary,
        bilingual(pmsg("what-if sheet", "to raise")): _raise_rows(whatif, scenario, outcome),
        bilingual(pmsg("what-if sheet", "checks")): _check_rows(whatif, scenario),
        bilingual(pmsg("what-if sheet", "rules")): rules,
    }


def write_whatif_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """The what-if workbook, through the package's spreadsheet writer; it says what it is
    (``evalkit-kind`` = ``what-if``, and no sheet of score input)."""
    write_xlsx([Sheet(title, frame) for title, frame in tables.items()], path, "what-if")


def whatif_bytes(whatif: WhatIf, scenario: Scenario, outcome: Outcome) -> bytes:
    with tempfile.TemporaryDirectory(prefix="evalkit-explore-") as tmp:
        path = Path(tmp) / "what-if.xlsx"
        write_whatif_xlsx(whatif_tables(whatif, scenario, outcome), path)
        return path.read_bytes()
