"""The rows every assessor gave, as sheets of their own form, so that an export reads back as
input: one table per form (band, checklist, indicators) with the columns a sheet of that
form is read by, self-assessment and consensus rows as they were written.

Nothing of where a row came from is kept (the source file, sheet and row), so an export
names no file of anyone's. A check's verdict is written ``ใช่``/``ไม่ใช่`` (empty in a
consensus row, which holds no verdict), earlier years' results of an indicator in columns
named ``ผล 2563``, ``ผล 2564``, and a column that holds nothing in any row is left out.
"""

from __future__ import annotations

import pandas as pd

from evalkit.scoring.engine import is_consensus
from evalkit.sheets.forms import COMMENTS
from evalkit.sheets.forms.common import WRITTEN_NO, WRITTEN_YES
from evalkit.sheets.forms.indicators import RESULT_HEADER
from evalkit.sheets.sheetset import SOURCE, SheetSet

#: A check's verdict as written back.
VERDICTS = {True: WRITTEN_YES, False: WRITTEN_NO}
#: The column of an indicator's earlier results (``2563:80;2564:85``), and the header each
#: year gets when it is written back.
RESULTS = "results"


def _holds_anything(values: pd.Series) -> bool:
    return bool((values.notna() & (values.astype(str) != "")).any())


def _result_years(frame: pd.DataFrame) -> pd.DataFrame:
    """``results`` spread into one column per year."""
    pairs = (
        frame[RESULTS]
        .fillna("")
        .map(lambda cell: dict(part.split(":", 1) for part in str(cell).split(";") if ":" in part))
    )
    years = sorted({year for found in pairs for year in found})
    spread = {
        RESULT_HEADER.format(year=year): [
            float(found[year]) if year in found else None for found in pairs
        ]
        for year in years
    }
    return frame.drop(columns=RESULTS).assign(**spread)


#: The tables of :func:`form_tables`, by the form whose rows they hold.
TABLES = {"assessors": "band", "ratings": "band", "checks": "checklist", "indicators": "indicators"}


def _by_scale(bands: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Band rows of the frameworks scored in percent, and of those scored by rating."""
    rated = bands.groupby("framework", observed=True)["rating"].transform(
        lambda values: values.notna().any()
    )
    return {"assessors": bands[~rated.astype(bool)], "ratings": bands[rated.astype(bool)]}


def _as_written(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.drop(columns=[c for c in SOURCE if c in frame]).astype(object)
    frame = frame.where(frame.notna(), None)
    if "met" in frame:
        verdict = frame["met"].map(VERDICTS)
        frame["met"] = verdict.where(~_comments_only(frame), None)
    if RESULTS in frame:
        frame = _result_years(frame)
    return frame[[c for c in frame.columns if _holds_anything(frame[c])]]


def _comments_only(frame: pd.DataFrame) -> pd.Series:
    """The committee's rows of agreed comments alone (no value of any stage)."""
    if "assessor" not in frame:
        return pd.Series(False, index=frame.index)
    stage = frame["stage"].fillna("") if "stage" in frame else pd.Series("", index=frame.index)
    return pd.Series(is_consensus(frame["assessor"].fillna("")), index=frame.index) & (stage == "")


def without_committee_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows without the committee's text: its rows of comments alone left out, its agreed
    values without their comments (the feedback sheet holds the committee's text)."""
    if not len(frame) or "assessor" not in frame:
        return frame
    frame = frame[~_comments_only(frame).to_numpy()].copy()
    committee = is_consensus(frame["assessor"].astype(object).fillna(""))
    for column in (c for c in COMMENTS if c in frame):
        frame.loc[committee, column] = ""
    return frame


def form_tables(sheets: SheetSet, committee_text: bool = True) -> dict[str, pd.DataFrame]:
    """The rows of every assessor, as tables that read back as sheets of their form: band rows
    in percent (``assessors``) and by rating (``ratings``: one sheet per scale), ``checks``
    and ``indicators``; a table without rows is left out. Without ``committee_text``, the
    committee's text is left to the feedback sheet, which reads back as its rows."""
    frames = sheets.frames()
    if not committee_text:
        frames = {form: without_committee_text(f) for form, f in frames.items()}
    tables = _by_scale(frames["band"]) | {
        "checks": frames["checklist"],
        "indicators": frames["indicators"],
    }
    return {name: _as_written(frame) for name, frame in tables.items() if len(frame)}
