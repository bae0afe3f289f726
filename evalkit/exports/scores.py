"""Exports for Excel users: scores and the panel's consensus, as CSV or XLSX.

CSV is UTF-8 with a BOM so that Excel shows Thai; XLSX has Thai headers and a frozen header
row. Both carry the assessors' comments: one row per item with the comments merged
(``feedback``: the committee's agreed text where there is one, else each assessor's, named and
marked as a draft), which the committee edits and which reads back as its rows, and every
assessor's own rows by form (:mod:`evalkit.exports.assessors`), which read back as score
sheets; in XLSX text cells of comments wrap, and line breaks inside a comment are kept.

Every file is written by :mod:`evalkit.exports.spreadsheet`, so opening an export never runs
a formula that came from a sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.analysis.feedback import comments, evidence_items, item_comments
from evalkit.core.i18n import bilingual, pmsg
from evalkit.exports.assessors import form_tables
from evalkit.exports.spreadsheet import Sheet, write_csv, write_xlsx
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import score
from evalkit.scoring.precedence import basis_label, independent_rows, item_basis
from evalkit.sheets.assessors import CONSENSUS
from evalkit.sheets.columns import thai_header
from evalkit.sheets.forms import COMMENTS
from evalkit.sheets.sheetset import KEYS, SheetSet
from evalkit.sheets.stages import DRAFT


def consensus_table(sheets: SheetSet, registry: Registry) -> pd.DataFrame:
    """Per agency, year and item: the panel's percent and points, which value that is
    (``basis``: the committee's agreed score, after the site visit, or the assessors' median),
    and the assessors' spread."""
    result = score(sheets, registry)
    items = result[result["level"] == "item"].rename(columns={"key": "item"})
    basis = item_basis(sheets, registry)
    basis["basis"] = basis["basis"].map(basis_label)
    items = items.merge(basis.astype({"item": object}), on=[*KEYS, "item"], how="left")
    bands = independent_rows(sheets.bands)
    value = bands["percent"].fillna(bands["rating"])
    spread = (
        bands.assign(value=value)
        .astype({"item": object, "agency_id": object, "framework": object})
        .groupby([*KEYS, "item"], observed=True)["value"]
        .agg(assessors="count", low="min", high="max")
        .reset_index()
    )
    table = items.merge(spread, on=[*KEYS, "item"], how="left")
    columns = [
        *KEYS[:1],
        "agency_name",
        *KEYS[1:],
        "item",
        "percent",
        "points",
        "max_points",
        "label",
        "basis",
        "assessors",
        "low",
        "high",
    ]
    return table[columns]


def _merged(rows: pd.DataFrame, kind: str) -> str:
    """The committee's text of one kind on one item; where it has none, the assessors' text,
    each line named, marked as a draft (:data:`~evalkit.sheets.stages.DRAFT`): read back, a
    draft left alone is not the committee's."""
    mine = rows[rows["kind"] == kind]
    agreed = mine[mine["consensus"]]
    shown = agreed if len(agreed) else mine
    if kind == "evidence":
        lines = evidence_items(shown["text"])
    else:
        lines = []
        for row in item_comments(shown, kind).itertuples(index=False):
            about = f"[{row.about}] " if row.about else ""
            who = "" if row.consensus or not row.assessor else f"{row.assessor}: "
            lines.append(f"{who}{about}{row.text}")
    text = "\n".join(lines)
    return f"{DRAFT} {text}" if text and not len(agreed) else text


def feedback_table(sheets: SheetSet, registry: Registry) -> pd.DataFrame:
    """One row per agency, year and item: its name, the panel's score, label and what that
    value is, and the comments merged (see the module docstring). It reads back as the
    committee's rows (assessor ``ฉันทามติ``, agreed comments alone)."""
    table = consensus_table(sheets, registry)
    names = {
        (f, i.key): i.name_th for f in table["framework"].unique() for i in registry.get(f).items
    }
    table["item_name"] = [names[k] for k in zip(table["framework"], table["item"], strict=True)]
    said = comments(sheets).astype({"agency_id": str, "framework": str, "item": str})
    groups = dict(list(said.groupby([*KEYS, "item"], sort=False)))
    empty = said.iloc[:0]
    for kind in COMMENTS:
        table[kind] = [
            _merged(groups.get(tuple(k), empty), kind)
            for k in table[[*KEYS, "item"]].astype(object).itertuples(index=False)
        ]
    table["assessor"] = CONSENSUS[1]
    table = table.rename(columns=PANEL_COLUMNS)
    columns = [*KEYS[:1], "agency_name", *KEYS[1:], "assessor", "item", "item_name"]
    return table[[*columns, *PANEL_COLUMNS.values(), "basis", *COMMENTS]]


#: The panel's score in the feedback sheet, under names a sheet never reads as input.
PANEL_COLUMNS = {"points": "panel_points", "max_points": "panel_max_points", "label": "panel_label"}


#: Sheet titles of the XLSX export, by table: the tables evalkit computed, then the rows of
#: every assessor by form (:mod:`evalkit.exports.assessors`), which read back as input.
TITLES = {
    "scores": bilingual(pmsg("export sheet", "scores")),
    "consensus": bilingual(pmsg("export sheet", "panel")),
    "feedback": bilingual(pmsg("export sheet", "feedback")),
    "rules": bilingual(pmsg("export sheet", "rules")),
    "assessors": bilingual(pmsg("export sheet", "assessors")),
    "ratings": bilingual(pmsg("export sheet", "ratings")),
    "checks": bilingual(pmsg("export sheet", "checks")),
    "indicators": bilingual(pmsg("export sheet", "indicators")),
}
#: Width of a column of comments, in characters.
COMMENT_WIDTH = 60


def _sheet(title: str, frame: pd.DataFrame, input: bool = False) -> Sheet:
    """A table as a sheet: Thai headers (English in parentheses), comments wide and wrapped."""
    comments = [c for c in frame.columns if c in COMMENTS]
    return Sheet(
        title,
        frame,
        headers={c: thai_header(c) for c in frame.columns},
        input=input,
        widths=dict.fromkeys(comments, COMMENT_WIDTH),
        wrap=comments,
    )


def export(sheets: SheetSet, registry: Registry, fmt: str, out: str | Path) -> list[Path]:
    """Write the scores, the consensus and the merged comments, then every assessor's rows by
    form (which read back as sheets); CSV into the folder ``out``, XLSX into the file
    ``out``."""
    computed = {
        "scores": score(sheets, registry),
        "consensus": consensus_table(sheets, registry),
        "feedback": feedback_table(sheets, registry),
    }
    rows = form_tables(sheets, committee_text=False)
    out = Path(out)
    if fmt == "xlsx":
        book = [
            _sheet(TITLES[name], frame, input=name == "feedback")
            for name, frame in computed.items()
        ]
        book += [_sheet(TITLES[name], frame, input=True) for name, frame in rows.items()]
        return [write_xlsx(book, out, "scores-export")]
    files = computed | rows
    return [write_csv(Sheet(name, frame), out / f"{name}.csv") for name, frame in files.items()]


def write_results(result: pd.DataFrame, path: str | Path, kind: str = "scores") -> Path:
    """Write a table of results (``kind`` scores or rules) as CSV, with the column names as
    headers, or as XLSX, with Thai headers, as the path's suffix says."""
    if Path(path).suffix.lower() == ".xlsx":
        return write_xlsx([_sheet(TITLES[kind], result)], path, kind)
    return write_csv(Sheet(kind, result), path)
