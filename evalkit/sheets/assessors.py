"""Who wrote a row: a member of the panel, the agency itself (``self``), or the panel as one
(``consensus``: its agreed comments, no score).

Names are compared as committees write them: after NFKC (full-width ``ｓｅｌｆ`` is ``self``),
with invisible characters removed (soft hyphen, zero-width), case folded, Cyrillic and Greek
look-alikes of Latin letters read as those letters, and spaces and punctuation ignored; so
``Somchai`` and ``somchai`` are one assessor, and ``Self-assessment``, ``self.``, ``ตนเอง`` and
``ประเมินตนเอง`` are the agency's own assessment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from evalkit.sheets.columns import vocabulary

#: The assessor of the agency's own self-assessment rows.
SELF = "self"
_NAMES = vocabulary()["assessors"]
#: Assessor names of the rows that hold the panel's agreed comments (no score): its own, and
#: the Thai name evalkit writes.
CONSENSUS = ("consensus", _NAMES["consensus"][0])
#: Every spelling committees use for each (compared as :func:`assessor_key` reads them;
#: ``assessors:`` of ``sheets/vocabulary.yaml``).
SELF_NAMES = (SELF, *_NAMES["self"])
CONSENSUS_NAMES = (CONSENSUS[0], *_NAMES["consensus"])
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0]"
)
_NOISE = re.compile(r"[\s\-_.,:;!?'\"()\[\]{}/\\*#]+")
#: Cyrillic and Greek letters that look like Latin ones (lower case, after case folding).
_LOOK_ALIKES = str.maketrans(
    "авсеһіјкмнорѕтухьԁԛԝаεικνορτυχ",
    "abcehijkmhopstyxbdqwaeikvoptux",
)


@lru_cache(maxsize=4096)
def assessor_key(name: str) -> str:
    """A name as compared: NFKC, invisibles removed, case folded, look-alikes read as Latin,
    spaces and punctuation ignored."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(name))).casefold()
    return _NOISE.sub("", text.translate(_LOOK_ALIKES))


_SELF_KEYS = frozenset(assessor_key(n) for n in SELF_NAMES)
_CONSENSUS_KEYS = frozenset(assessor_key(n) for n in CONSENSUS_NAMES)


def role(name: str) -> str:
    """``self``, ``consensus``, or the name's key for a member of the panel."""
    key = assessor_key(name)
    if key in _SELF_KEYS:
        return SELF
    if key in _CONSENSUS_KEYS:
        return CONSENSUS[0]
    return key


def named(assessors: pd.Series, names: Sequence[str]) -> np.ndarray:
    """True for rows whose assessor is one of ``names``, however spelled."""
    wanted = {role(n) for n in names}
    if isinstance(assessors.dtype, pd.CategoricalDtype):
        flags = np.array([role(str(c)) in wanted for c in assessors.cat.categories], dtype=bool)
        codes = assessors.cat.codes.to_numpy()
        return np.where(codes >= 0, flags[codes] if len(flags) else False, False)
    values = assessors.astype(str)
    return np.asarray(values.map({u: role(u) in wanted for u in values.unique()}), dtype=bool)


def canonical_names(names: Sequence[str]) -> dict[str, str]:
    """Each name as one assessor: ``self`` and ``consensus`` by any spelling, and every other
    name as the first spelling of it found (``Somchai`` for ``somchai`` after it)."""
    first: dict[str, str] = {}
    found = {}
    for name in names:
        key = role(name)
        if key in (SELF, CONSENSUS[0]):
            found[name] = key
        else:
            found[name] = first.setdefault(key, name) if key else name
    return found
