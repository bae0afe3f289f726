"""What the assessors said: comments per item and assessor, and factor scores per item.

Comments come from the ``strength``, ``improvement`` and ``evidence`` columns of every form,
and the ``explanation`` of a verdict on checklists and indicators.
Rows whose assessor is ``consensus`` hold the panel's agreed text: where an item has one for a
kind of comment, that text stands for the panel and the members' own texts of that kind are
not repeated (:func:`feedback_items`). The agency's own self-assessment rows (``self``) are
not feedback and are left out. Evidence is a list: one file or document per line (or
separated by ``;``), merged across assessors without repeats.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from evalkit.core.i18n import Message, bilingual, pmsg
from evalkit.frameworks.model import Framework, band_index
from evalkit.scoring.engine import is_consensus, is_self
from evalkit.scoring.methods import KEYS, get_consensus
from evalkit.sheets.forms import COMMENTS
from evalkit.sheets.sheetset import SheetSet

#: kind of comment -> its heading (shown Thai first: :func:`kind_headings`).
KINDS: dict[str, Message] = {
    "strength": pmsg("comment heading", "Strengths"),
    "improvement": pmsg("comment heading", "Opportunities for improvement"),
    "explanation": pmsg("comment heading", "Explanation of the verdict"),
    "reason": pmsg("comment heading", "Reasons of the committee"),
    "evidence": pmsg("comment heading", "Evidence"),
}
#: factor column -> its name (shown Thai first: :func:`factor_names`), in the order shown.
FACTOR_NAMES: dict[str, Message] = {
    "a": pmsg("factor", "Approach"),
    "d": pmsg("factor", "Deployment"),
    "l": pmsg("factor", "Learning"),
    "i": pmsg("factor", "Integration"),
    "le": pmsg("factor", "Levels"),
    "t": pmsg("factor", "Trends"),
    "c": pmsg("factor", "Comparisons"),
}
COMMENT_COLUMNS = [
    *KEYS,
    "agency_name",
    "item",
    "about",
    "assessor",
    "consensus",
    "kind",
    "text",
]
_EVIDENCE_SPLIT = re.compile(r"\s*(?:\n|;)\s*")


@cache
def kind_headings() -> dict[str, str]:
    """Each kind of comment's heading, Thai first (``จุดแข็ง (Strengths)``) in every language."""
    return {kind: bilingual(heading) for kind, heading in KINDS.items()}


@cache
def factor_names() -> dict[str, str]:
    """Each known factor's name, Thai first (``แนวทาง (Approach)``) in every language."""
    return {factor: bilingual(name) for factor, name in FACTOR_NAMES.items()}


def comments(sheets: SheetSet) -> pd.DataFrame:
    """Every comment cell that is not empty, one row each: ``about`` is the check id
    (checklist) or the indicator (indicators), empty for a band or rating item; ``consensus``
    marks the panel's agreed text. Self-assessment rows are left out."""
    parts = []
    for form, frame in sheets.frames().items():
        if frame.empty:
            continue
        assessor = frame["assessor"] if "assessor" in frame else pd.Series("", index=frame.index)
        keep = ~is_self(assessor.astype(object).fillna(""))
        about = {"checklist": "check", "indicators": "indicator"}.get(form)
        base = pd.DataFrame(
            {
                **{c: frame[c].astype(object) for c in [*KEYS, "agency_name", "item"]},
                "about": frame[about].astype(str) if about else "",
                "assessor": assessor.astype(object).fillna("").astype(str),
                "consensus": is_consensus(assessor.astype(object).fillna("")),
            }
        )[keep]
        for kind in (k for k in COMMENTS if k in frame):
            text = frame.loc[keep, kind].astype(str)
            parts.append(base[text != ""].assign(kind=kind, text=text[text != ""]))
    if not parts:
        return pd.DataFrame(columns=COMMENT_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["year"] = table["year"].astype(int)
    return table[COMMENT_COLUMNS]


def evidence_items(texts: pd.Series | list[str]) -> list[str]:
    """Evidence cells as one list: split at line breaks and ``;``, repeats left out."""
    found: dict[str, None] = {}
    for text in texts:
        for part in _EVIDENCE_SPLIT.split(str(text)):
            if part.strip():
                found.setdefault(part.strip(), None)
    return list(found)


def item_comments(table: pd.DataFrame, kind: str, with_assessors: bool = False) -> pd.DataFrame:
    """The comments of one kind on one item as shown: the committee's agreed text where there
    is one (assessor ``consensus``), else each member's, in sheet order; ``with_assessors``,
    the committee's text and then every member's own."""
    rows = table[table["kind"] == kind]
    agreed = rows[rows["consensus"]]
    if with_assessors:
        return pd.concat([agreed, rows[~rows["consensus"]]])
    return agreed if len(agreed) else rows


def factor_scores(
    sheets: SheetSet, result: pd.DataFrame, framework: Framework, rule: str | None = None
) -> pd.DataFrame:
    """Per agency, year, item and factor given (ADLI, LeTCI): the panel's ``consensus`` (by
    the framework's rule, or ``rule``), ``low``, ``high`` and ``spread``; ``weakest`` marks the
    item's lowest factor, and ``capped`` where that factor holds the item's band down (its band
    is the item's, below the top band: validation keeps every percent at or under the weakest
    factor's band)."""
    bands = sheets.bands
    bands = bands[(bands["framework"] == framework.id) & ~is_self(bands["assessor"])]
    bands = bands[~is_consensus(bands["assessor"])]
    factor_sets = {i.key: framework.factors.get(i.factors, ()) for i in framework.items}
    parts = []
    for column in sorted({f for fs in factor_sets.values() for f in fs}):
        if column not in bands or bands[column].isna().all():
            continue
        mine = bands["item"].astype(str).map(lambda k, c=column: c in factor_sets.get(k, ()))
        rows = bands[mine & bands[column].notna()].astype({"agency_id": str, "item": str})
        table = (
            rows.groupby([*KEYS, "item"], observed=True, sort=False)[column]
            .agg(["median", "sum", "min", "max", "count"])
            .reset_index()
        )
        table["consensus"] = get_consensus(rule or framework.consensus)(table).round(2)
        parts.append(table.rename(columns={"min": "low", "max": "high"}).assign(factor=column))
    columns = [*KEYS, "item", "factor", "consensus", "low", "high", "spread", "weakest", "capped"]
    if not parts:
        return pd.DataFrame(columns=columns)
    table = pd.concat(parts, ignore_index=True).astype({"framework": str})
    table["spread"] = table["high"] - table["low"]
    weakest = table.groupby([*KEYS, "item"], sort=False)["consensus"].transform("min")
    table["weakest"] = table["consensus"] == weakest
    items = result.loc[result["level"] == "item", [*KEYS, "key", "percent"]]
    items = items.rename(columns={"key": "item"}).astype({"agency_id": str, "item": str})
    table = table.merge(items.astype({"framework": str}), on=[*KEYS, "item"], how="left")
    table["capped"] = table["weakest"] & _holds_band(table, framework)
    order = {i.key: n for n, i in enumerate(framework.items)}
    factor_order = {f: n for n, f in enumerate(FACTOR_NAMES)}
    table = table.assign(_i=table["item"].map(order), _f=table["factor"].map(factor_order))
    table = table.sort_values(["agency_id", "year", "_i", "_f"], kind="stable")
    return table[columns].reset_index(drop=True)


def _holds_band(table: pd.DataFrame, framework: Framework) -> np.ndarray:
    if not framework.bands:
        return np.zeros(len(table), dtype=bool)
    top = len(framework.bands) - 1
    factor_band = band_index(table["consensus"], framework.bands)
    item_band = band_index(table["percent"].fillna(0), framework.bands)
    return np.asarray(
        (factor_band == item_band) & (factor_band < top) & table["percent"].notna().to_numpy()
    )
