"""What the ledger's stored rows say: typed records of each form, and their history."""

from __future__ import annotations

import json

import pandas as pd

from evalkit.sheets.forms import FORMS, get_form
from evalkit.sheets.sheetset import columns_of


def form_records(rows: pd.DataFrame, form: str) -> pd.DataFrame:
    """The stored rows of one form, with their columns (and any factor columns) as stored."""
    mine = rows[rows["form"] == form]
    parsed = {i: stored_record(d) for i, d in zip(mine.index, mine["data"], strict=True)}
    readable = pd.Series([parsed[i] is not None for i in mine.index], index=mine.index, dtype=bool)
    mine = mine.loc[readable]  # torn rows: set aside when the ledger is read
    records = pd.DataFrame([parsed[i] for i in mine.index], index=mine.index)
    base = list(columns_of(get_form(form)))
    extra = [c for c in records.columns if c not in base] if get_form(form).factors else []
    records = records.reindex(columns=[*base, *extra])
    records["source_file"] = mine["source_file"]
    return records


def stored_record(data: object) -> dict[str, object] | None:
    """A stored row's data, or None when it is torn or not a record."""
    try:
        record = json.loads(str(data))
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


HISTORY_COLUMNS = [
    "ingested_at",
    "source_file",
    "year",
    "framework",
    "assessor",
    "stage",
    "what",
    "before",
    "after",
]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def changes(rows: pd.DataFrame) -> pd.DataFrame:
    """Consecutive values of each scored thing, kept where they differ (or first appear):
    each assessor's and each stage's of the committee apart (``rows``: the ledger's stored
    rows, with the stage that owns each)."""
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
        records["stage"] = rows.loc[records.index, "stage"]  # the stage that owns the row
        keys = ["year", "framework", "assessor", "stage", "what"]
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
