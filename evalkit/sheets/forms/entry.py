"""What a sheet may say about an award's entry: its award ``type`` (``ประเภท``), for an
award given to a work rather than an agency the ``work`` (``ชื่อผลงาน``), and the columns the
framework's eligibility screens read (the day the work started, whether it still runs, its
stated effect, the closing date of applications). All are optional columns of every form,
declared once in ``sheets/vocabulary.yaml`` (``every_form: true``) and checked here; an
entries file's cells are checked by the same :func:`check_columns`.

A type is a key the framework declares under ``types:`` (or its Thai name, read as the key);
another value is refused with the valid types. A work is refused in a framework whose entries
are agencies, and an eligibility cell in a framework that screens no entry on it. A date is
read in the Buddhist or the common era and kept as ``YYYY-MM-DD``; a yes/no as ``ใช่`` or
``ไม่ใช่``. One agency in one year has one value of each across every file
(:func:`evalkit.sheets.consistency.one_per_agency`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pandas as pd

from evalkit.core.dates import read_date
from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.sheets import columns as _columns
from evalkit.sheets.forms.common import WRITTEN_NO, WRITTEN_YES, closest, yes_no
from evalkit.sheets.rows import Rows


def _type_keys(framework: Framework) -> list[str]:
    return [key for key, _, _ in framework.types]


# declared in sheets/vocabulary.yaml as columns of every form; who fills them fills nothing of
# a score: a row with only these is a blank row
TYPE, WORK, START = (_columns.column(c) for c in ("type", "work", "start_date"))
RUNNING, EFFECT, CLOSING = (_columns.column(c) for c in ("running", "effect", "closing_date"))
#: The eligibility columns, and how each is read: a date, yes/no, or any text.
ELIGIBILITY_COLUMNS = (START.name, RUNNING.name, EFFECT.name, CLOSING.name)
DATES = (START.name, CLOSING.name)
YES_NO = (RUNNING.name,)
#: The entry columns, as the other modules name them.
ENTRY_COLUMNS = (TYPE.name, WORK.name, *ELIGIBILITY_COLUMNS)
#: How an application form says that a work still runs, or no longer does.
_STILL = {
    word: written
    for answer, written in (("yes", WRITTEN_YES), ("no", WRITTEN_NO))
    for word in _columns.vocabulary()["words"]["still_running"][answer]
}


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


def screened(framework: Framework) -> set[str]:
    """The columns the framework's eligibility screens read (the closing date too, for a
    screen counted back from it)."""
    screens = framework.award.eligibility
    closing = any(s.days_before_closing is not None for s in screens)
    return {s.column for s in screens if s.column} | ({CLOSING.name} if closing else set())


def template_columns(framework: Framework) -> tuple[str, ...]:
    """The entry columns a template of ``framework`` carries: ``type`` where it declares award
    types, ``work`` where its entries are works, the eligibility columns its screens read."""
    read = screened(framework)
    return (
        *((TYPE.name,) if framework.types else ()),
        *((WORK.name,) if framework.award.entry == "work" else ()),
        *(c for c in ELIGIBILITY_COLUMNS if c in read),
    )


def _dates(rows: Rows, column: str, given: pd.Series) -> None:
    f = rows.frame
    days = f.loc[given, column].map(lambda text: read_date(str(text)))
    expected = msg("a date such as 15/1/2562, 15 ม.ค. 2562 or 2019-01-15 (Buddhist or "
                   "common era)")  # fmt: skip
    rows.flag(given & days.isna().reindex(f.index, fill_value=False), column, expected)
    read = days.dropna()
    f.loc[read.index, column] = [day.isoformat() for day in read]


def _yes_no(rows: Rows, column: str, given: pd.Series) -> None:
    f = rows.frame
    spelled = f.loc[given, column].map(lambda text: _STILL.get(str(text).strip(), text))
    yes, unreadable = yes_no(spelled.astype(str))
    expected = msg("yes or no (ใช่/ไม่ใช่, ดำเนินการอยู่/ยุติแล้ว)")
    rows.flag(given & unreadable.reindex(f.index, fill_value=False), column, expected)
    read = yes[~unreadable]
    f.loc[read.index, column] = read.map({True: WRITTEN_YES, False: WRITTEN_NO})


def check_columns(rows: Rows, framework: Framework, ours: pd.Series) -> None:
    """Check the entry columns of the rows ``ours`` against ``framework``: a type it declares,
    a work where its entries are works, an eligibility cell only where a screen reads it,
    read as that column reads (a date, yes/no)."""
    f = rows.frame
    if "type" in f:
        _types(rows, framework, ours)
    if "work" in f and framework.award.entry != "work":
        expected = msg("an empty cell: the entries of {framework} are agencies, not works",
                       framework=framework.id)  # fmt: skip
        rows.flag(ours & (f["work"] != ""), "work", expected)
    read = screened(framework)
    for column in (c for c in ELIGIBILITY_COLUMNS if c in f):
        given = ours & (f[column].astype(str).str.strip() != "")
        if column not in read:
            expected = msg("an empty cell: {framework} screens no entry on {column}",
                           framework=framework.id, column=column)  # fmt: skip
            rows.flag(given, column, expected)
        elif column in DATES:
            _dates(rows, column, given)
        elif column in YES_NO:
            _yes_no(rows, column, given)


def check_entry(rows: Rows, registry: Registry, known: pd.Series) -> None:
    """Check the entry columns a sheet has, against each row's framework."""
    f = rows.frame
    for framework_id in f.loc[known, "framework"].unique():
        check_columns(rows, registry.get(framework_id), known & (f["framework"] == framework_id))


def entries_of(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One row per agency, year and framework whose rows give an entry column: ``agency_id,
    year, framework`` and :data:`ENTRY_COLUMNS` (the first value given; the checks keep them
    one)."""
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
    given = rows[(rows[list(ENTRY_COLUMNS)] != "").any(axis=1)]
    first = given.groupby(keys, sort=True, observed=True)[list(ENTRY_COLUMNS)]
    return first.agg(lambda s: next((v for v in s if v), "")).reset_index()
