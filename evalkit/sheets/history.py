"""What the ledger's stored rows say: typed records of each form, and their history."""

from __future__ import annotations

import json

import pandas as pd

from evalkit.sheets.forms import FORMS, get_form
from evalkit.sheets.sheetset import columns_of


def form_records(rows: pd.DataFrame, form: str) -> pd.DataFrame:
    """The stored rows of one form, with their columns (and any factor columns) as stored."""
    mine = rows[rows["form"] == form]
    records = pd.DataFrame([json.loads(d) for d in mine["data"]], index=mine.index)
    base = list(columns_of(get_form(form)))
    extra = [c for c in records.columns if c not in base] if get_form(form).factors else []
    records = records.reindex(columns=[*base, *extra])
    records["source_file"] = mine["source_file"]
    return records


HISTORY_COLUMNS = [
    "ingested_at",
    "source_file",
    "year",
    "framework",
    "assessor",
    "what",
    "before",
    "after",
]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def changes(rows: pd.DataFrame) -> pd.DataFrame:
    """Consecutive values of each scored thing, kept where they differ (or first appear)."""
    out = []
    for form in FORMS.values():
        what, values = form.what, list(form.values)
        records = form_records(rows, form.name)
        if records.empty:
            continue
        text = records[values].astype(object).map(_text)
        records = records.assign(
            ingested_at=rows["ingested_at"],
            what=records[what],
            value=text.agg(lambda r: " / ".join(v for v in r if v), axis=1),
        )
        records["assessor"] = records.get("assessor", pd.Series("", index=records.index))
        keys = ["year", "framework", "assessor", "what"]
        records["before"] = records.groupby(keys)["value"].shift()
        changed = records[records["before"] != records["value"]]
        out.append(changed.rename(columns={"value": "after"}))
    if not out:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    history = pd.concat(out, ignore_index=True)[HISTORY_COLUMNS]
    history["before"] = history["before"].fillna("")
    return history.sort_values(["ingested_at", "year", "what"], kind="stable").reset_index(
        drop=True
    )
