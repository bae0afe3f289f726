"""Who wrote a row: a member of the panel, the agency itself (``self``), or the panel as one
(``consensus``: its agreed comments, no score)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: The assessor of the agency's own self-assessment rows.
SELF = "self"
#: Assessor names of the rows that hold the panel's agreed comments (no score).
CONSENSUS = ("consensus", "ฉันทามติ")


def named(assessors: pd.Series, names: Sequence[str]) -> np.ndarray:
    """True for rows whose assessor is one of ``names`` (any case)."""
    wanted = [n.casefold() for n in names]
    if isinstance(assessors.dtype, pd.CategoricalDtype):
        flags = np.asarray(assessors.cat.categories.astype(str).str.casefold().isin(wanted))
        codes = assessors.cat.codes.to_numpy()
        return np.where(codes >= 0, flags[codes], False)
    return np.asarray(assessors.astype(str).str.casefold().isin(wanted))
