"""The committee's stage of the bundled sample: what the committee agreed in its meeting for
the PMQA 2562 agencies of Trat in 2565 and for the province's status assessment of 2564, and
what changed at a site visit. Every value and reason is invented, like the sample's scores.

- PMQA 2562, 2565: one agreed percent per agency and item, the assessors' median; where the
  assessors are two bands apart or more, the committee says why it agreed what it agreed; at
  the site visit of ``trat-cdd`` item 6.1 rises one band, with its reason.
- Status 2564: one agreed verdict on each check the assessors split on (the majority's, with a
  reason), and one check found met at the site visit.

What the committee types and its reasons are data, in ``sample_data/consensus.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.exports.sample_data import sample_data
from evalkit.exports.sample_instruments import NOTICE
from evalkit.exports.spreadsheet import Sheet, write_csv
from evalkit.sheets.columns import thai_header
from evalkit.sheets.forms.common import WRITTEN_NO, WRITTEN_YES

_DATA = sample_data("consensus")
#: What the committee types in its rows: its name as assessor, and each stage of its rows.
COMMITTEE: str = _DATA["assessor"]
STAGE: dict[str, str] = _DATA["stages"]
#: Reasons in the committee's words (invented for the sample).
REASONS: dict[str, str] = _DATA["reasons"]
#: The item that changes at the site visit, and by how much (one band).
VISITED = ("trat-cdd", "6.1", 20)
#: The columns that lead every row of the committee's.
COLUMNS = ["agency_id", "agency_name", "year", "framework", "assessor", "stage", "item"]


def _median(values: pd.Series, step: float) -> float:
    return float(step * round(values.median() / step + 1e-9))


def pmqa_consensus(scores: pd.DataFrame, bands: tuple[tuple[float, float], ...]) -> pd.DataFrame:
    """The committee's rows for the last year of the PMQA sample's assessors' ``scores``."""
    last = scores[(scores["year"] == scores["year"].max()) & (scores["assessor"] != "self")]
    lows = [low for low, _ in bands]
    rows = []
    for (agency_id, agency_name, item), given in last.groupby(
        ["agency_id", "agency_name", "item"], sort=False
    ):
        percent = _median(given["percent"], 5)
        steps = [sum(low <= p for low in lows) for p in given["percent"]]
        reason = REASONS["apart"] if max(steps) - min(steps) >= 2 else ""
        lead = [agency_id, agency_name, int(given["year"].iloc[0]), "pmqa-2562", COMMITTEE]
        rows.append([*lead, STAGE["consensus"], item, int(percent), reason, ""])
        if (agency_id, item) == VISITED[:2]:
            visited = int(min(100.0, percent + VISITED[2]))
            said = REASONS["site_visit"], REASONS["site_visit_improvement"]
            rows.append([*lead, STAGE["site-visit"], item, visited, *said])
    return pd.DataFrame(rows, columns=[*COLUMNS, "percent", "reason", "improvement"])


def status_consensus(checks: pd.DataFrame) -> pd.DataFrame:
    """The committee's verdicts on the checks the status sample's assessors split on, and the
    first of those it had unmet, found met at the site visit."""
    panel = checks[checks["assessor"] != "self"]
    rows, visited = [], False
    for (agency_id, agency_name, year, item, level, check), given in panel.groupby(
        ["agency_id", "agency_name", "year", "item", "level", "check"], sort=False, observed=True
    ):
        if given["met"].nunique() < 2:
            continue
        met = bool(given["met"].sum() * 2 > len(given))
        lead = [agency_id, agency_name, int(year), "pmqa40-status", COMMITTEE]
        verdict = WRITTEN_YES if met else WRITTEN_NO
        rows.append([*lead, STAGE["consensus"], item, level, check, verdict, REASONS["split"]])
        if not met and not visited:
            rows.append(
                [*lead, STAGE["site-visit"], item, level, check, WRITTEN_YES, REASONS["found"]]
            )
            visited = True
    return pd.DataFrame(rows, columns=[*COLUMNS, "level", "check", "met", "reason"])


def write_consensus(table: pd.DataFrame, path: Path) -> Path:
    """One committee's file, Thai headers, the sample's notice first."""
    headers = {c: thai_header(c) for c in table.columns}
    return write_csv(Sheet(_DATA["sheet"], table, headers=headers, above=(NOTICE,)), path)
