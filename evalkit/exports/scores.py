"""Exports for Excel users: scores and the panel's consensus, as CSV or XLSX.

CSV is UTF-8 with a BOM so that Excel shows Thai; XLSX has Thai headers and a frozen header
row. Both carry the assessors' comments: one row per assessor and item (``assessors``) and
one per item with the comments merged (``feedback``: the panel's agreed text where there is
one, else each assessor's, named), which an assessor can edit and send on; in XLSX its text
cells wrap, and line breaks inside a comment are kept.

Every file is written by :mod:`evalkit.exports.spreadsheet`, so opening an export never runs
a formula that came from a sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.analysis.feedback import comments, evidence_items, item_comments
from evalkit.exports.spreadsheet import Sheet, write_csv, write_xlsx
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import is_consensus, panel_rows, score
from evalkit.sheets.columns import thai_header
from evalkit.sheets.forms import COMMENTS
from evalkit.sheets.sheetset import KEYS, SheetSet


def consensus_table(sheets: SheetSet, registry: Registry) -> pd.DataFrame:
    """Per agency, year and item: the panel's percent and points, and the assessors' spread."""
    result = score(sheets, registry)
    items = result[result["level"] == "item"].rename(columns={"key": "item"})
    bands = panel_rows(sheets).bands
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
        "assessors",
        "low",
        "high",
    ]
    return table[columns]


def assessor_table(sheets: SheetSet) -> pd.DataFrame:
    """One row per assessor and item (and check, for checklists): the value given and the
    comments, self-assessment and consensus rows included as they were written."""
    columns = [
        *KEYS[:1],
        "agency_name",
        *KEYS[1:],
        "assessor",
        "item",
        "check",
        "value",
        *COMMENTS,
    ]
    bands = sheets.bands.assign(
        value=sheets.bands["percent"].fillna(sheets.bands["rating"]), check=""
    )
    checks = sheets.checks.assign(
        value=sheets.checks["met"].map({True: "ผ่าน (met)", False: "ไม่ผ่าน (not met)"})
    )
    checks.loc[is_consensus(checks["assessor"]), "value"] = None
    parts = []
    for frame in (bands, checks):
        if len(frame):
            frame = frame.astype(object).reindex(columns=columns)
            frame[list(COMMENTS)] = frame[list(COMMENTS)].astype(object).fillna("")
            parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _merged(rows: pd.DataFrame, kind: str) -> str:
    if kind == "evidence":
        return "\n".join(evidence_items(rows.loc[rows["kind"] == kind, "text"]))
    lines = []
    for row in item_comments(rows, kind).itertuples(index=False):
        about = f"[{row.about}] " if row.about else ""
        who = "" if row.consensus or not row.assessor else f"{row.assessor}: "
        lines.append(f"{who}{about}{row.text}")
    return "\n".join(lines)


def feedback_table(sheets: SheetSet, registry: Registry) -> pd.DataFrame:
    """One row per agency, year and item: its name, the panel's score and label, and the
    comments merged (see the module docstring)."""
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
    columns = [*KEYS[:1], "agency_name", *KEYS[1:], "item", "item_name", "points", "max_points"]
    return table[[*columns, "label", *COMMENTS]]


#: Sheet titles of the XLSX export, by table.
TITLES = {
    "scores": "คะแนน (scores)",
    "consensus": "ฉันทามติ (consensus)",
    "assessors": "รายผู้ประเมิน (assessors)",
    "feedback": "ข้อเสนอแนะ (feedback)",
    "rules": "เกณฑ์รางวัลและเป้าหมาย (rules)",
}
#: Width of a column of comments, in characters.
COMMENT_WIDTH = 60


def _sheet(title: str, frame: pd.DataFrame) -> Sheet:
    """A table as a sheet: Thai headers (English in parentheses), comments wide and wrapped."""
    comments = [c for c in frame.columns if c in COMMENTS]
    return Sheet(
        title,
        frame,
        headers={c: thai_header(c) for c in frame.columns},
        widths=dict.fromkeys(comments, COMMENT_WIDTH),
        wrap=comments,
    )


def export(sheets: SheetSet, registry: Registry, fmt: str, out: str | Path) -> list[Path]:
    """Write scores and consensus; CSV into the folder ``out``, XLSX into the file ``out``."""
    tables = {
        "scores": score(sheets, registry),
        "consensus": consensus_table(sheets, registry),
        "assessors": assessor_table(sheets),
        "feedback": feedback_table(sheets, registry),
    }
    out = Path(out)
    if fmt == "xlsx":
        book = [_sheet(TITLES[name], frame) for name, frame in tables.items()]
        return [write_xlsx(book, out, "scores-export")]
    return [write_csv(Sheet(name, frame), out / f"{name}.csv") for name, frame in tables.items()]


def write_results(result: pd.DataFrame, path: str | Path, kind: str = "scores") -> Path:
    """Write a table of results (``kind`` scores or rules) as CSV, with the column names as
    headers, or as XLSX, with Thai headers, as the path's suffix says."""
    if Path(path).suffix.lower() == ".xlsx":
        return write_xlsx([_sheet(TITLES[kind], result)], path, kind)
    return write_csv(Sheet(kind, result), path)
