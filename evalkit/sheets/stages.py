"""The stage a score row is from: ``independent`` (each assessor alone, the default),
``consensus`` (the value the committee agreed in its meeting) or ``site-visit`` (the value after
the site visit). The panel's value of an item, a check or an indicator is the site-visit value
where there is one, else the consensus value, else the framework's consensus rule over the
independent values (:mod:`evalkit.scoring.precedence`).

Stages are read as committees write them, in English or Thai, compared as assessor names are
(:func:`evalkit.sheets.assessors.assessor_key`: case, spaces and punctuation aside).
"""

from __future__ import annotations

import pandas as pd

from evalkit.core.i18n import msg
from evalkit.sheets.assessors import assessor_key
from evalkit.sheets.columns import vocabulary

INDEPENDENT = "independent"
CONSENSUS = "consensus"
SITE_VISIT = "site-visit"
#: Each stage and its precedence: a higher stage's value replaces a lower one's.
STAGES = {INDEPENDENT: 0, CONSENSUS: 1, SITE_VISIT: 2}
#: The stages whose value is the committee's (agreed, not one assessor's).
AGREED = (CONSENSUS, SITE_VISIT)
#: The spellings of each stage a sheet may use (its name, then ``stages:`` of
#: ``sheets/vocabulary.yaml``).
SPELLINGS = {stage: (stage, *vocabulary()["stages"][stage]) for stage in STAGES}
_KEYS = {assessor_key(s): stage for stage, names in SPELLINGS.items() for s in names}
#: The mark evalkit puts before an assessor's comment prefilled as a draft of the committee's
#: text (the consensus meeting workbook): a cell that still begins with it is not the
#: committee's and is read as empty.
DRAFT: str = vocabulary()["draft"]
#: What a stage cell holds, as a refusal says it.
STAGE_EXPECTED = msg(
    "independent, consensus or site-visit (อิสระ, ฉันทามติ, ตรวจเยี่ยม), or an empty cell"
)


def stage_of(text: object) -> str | None:
    """The stage a cell names; ``""`` for an empty cell, None for a word that is no stage."""
    key = assessor_key(str(text)) if text is not None else ""
    if not key:
        return ""
    return _KEYS.get(key)


def is_draft(text: pd.Series) -> pd.Series:
    """True for cells that still begin with the draft mark (:data:`DRAFT`)."""
    return text.astype(str).str.lstrip().str.startswith(DRAFT)


def stages(frame: pd.DataFrame) -> pd.Series:
    """The stage of each validated row (``independent`` where a frame has no stage column)."""
    if "stage" not in frame:
        return pd.Series(INDEPENDENT, index=frame.index, dtype=object)
    column = frame["stage"].astype(object).fillna("").astype(str)
    return column.where(column != "", INDEPENDENT)


def is_agreed(frame: pd.DataFrame) -> pd.Series:
    """True for rows that hold an agreed value (stage consensus or site visit)."""
    return stages(frame).isin(AGREED)


def rank(frame: pd.DataFrame) -> pd.Series:
    """Each row's stage as its precedence (0 independent, 1 consensus, 2 site visit)."""
    return stages(frame).map(STAGES).astype(int)
