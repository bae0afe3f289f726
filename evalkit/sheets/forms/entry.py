"""What a sheet may say about an award's entry: its award ``type`` (``ประเภท``) and, for an
award given to a work rather than an agency, the ``work`` (``ชื่อผลงาน``). Both are optional
columns of every form, declared here once.

A type is a key the framework declares under ``types:`` (or its Thai name, read as the key);
another value is refused with the valid types. A work is refused in a framework whose entries
are agencies. One agency in one year has one type and one work across every file
(:func:`evalkit.sheets.consistency.one_per_agency`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pandas as pd

from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.sheets.columns import Column
from evalkit.sheets.forms.base import register_column
from evalkit.sheets.forms.common import closest
from evalkit.sheets.rows import Rows


def _type_keys(framework: Framework) -> list[str]:
    return [key for key, _, _ in framework.types]


# who fills them fills nothing of a score: a row with only these is a blank row
TYPE = register_column(
    Column("type", "ประเภท", ("award_type", "ประเภทรางวัล"), "category", filled=False,
           choices=_type_keys)
)  # fmt: skip
WORK = register_column(Column("work", "ชื่อผลงาน", ("work_name",), "category", filled=False))
#: The entry columns, as the other modules name them.
ENTRY_COLUMNS = (TYPE.name, WORK.name)


def _types(rows: Rows, framework: Framework, ours: pd.Series) -> None:
    f = rows.frame
    keys = _type_keys(framework)
    by_thai = {name_th: key for key, name_th, _ in framework.types if name_th}
    f.loc[ours, "type"] = f.loc[ours, "type"].map(lambda v: by_thai.get(v, v))
    given = ours & (f["type"] != "")
    if not keys:
        expected = msg("an empty cell: {framework} declares no award types", framework=framework.id)
        rows.flag(given, "type", expected)
        return
    expected = msg("one of the award types of {framework}: {types}", framework=framework.id,
                   types=", ".join(keys))  # fmt: skip
    rows.flag(given & ~f["type"].isin(keys), "type", expected, partial(closest, choices=keys))


def check_entry(rows: Rows, registry: Registry, known: pd.Series) -> None:
    """Check the entry columns a sheet has, against each row's framework."""
    f = rows.frame
    for framework_id in f.loc[known, "framework"].unique():
        framework = registry.get(framework_id)
        ours = known & (f["framework"] == framework_id)
        if "type" in f:
            _types(rows, framework, ours)
        if "work" in f and framework.award.entry != "work":
            expected = msg("an empty cell: the entries of {framework} are agencies, not works",
                           framework=framework.id)  # fmt: skip
            rows.flag(ours & (f["work"] != ""), "work", expected)


def entries_of(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One row per agency, year and framework whose rows give a type or a work: ``agency_id,
    year, framework, type, work`` (the first value given; the checks keep them one)."""
    keys = ["agency_id", "year", "framework"]
    parts = [
        f[[*keys, *ENTRY_COLUMNS]].astype({c: object for c in ENTRY_COLUMNS})
        for f in frames
        if len(f)
    ]
    if not parts:
        return pd.DataFrame(columns=[*keys, *ENTRY_COLUMNS])
    rows = pd.concat(parts, ignore_index=True).astype({"agency_id": str})
    rows = rows.fillna("")
    given = rows[(rows["type"] != "") | (rows["work"] != "")]
    first = given.groupby(keys, sort=True, observed=True)[list(ENTRY_COLUMNS)]
    return first.agg(lambda s: next((v for v in s if v), "")).reset_index()
