"""Which rows give the panel's value, and what that value is called.

The panel's value of an item (a check, an indicator, a rating) is the site-visit value where
there is one, else the committee's agreed value (stage consensus), else the framework's
consensus rule over the assessors' independent values (:mod:`evalkit.sheets.stages`). The
precedence is applied to rows before scoring, so every scoring method scores the value that
wins: the rule over one agreed value is that value.

Every page, export and feedback document names what it shows by its :data:`BASIS` label: the
committee's agreed score, the score after the site visit, or the median (mean) of the
assessors. ``ฉันทามติ`` never labels a computed median.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, bilingual, msg, pmsg
from evalkit.frameworks.registry import Registry
from evalkit.sheets.assessors import CONSENSUS, SELF, named
from evalkit.sheets.columns import thai_name
from evalkit.sheets.forms import FORMS
from evalkit.sheets.forms.common import WRITTEN_NO, WRITTEN_YES
from evalkit.sheets.sheetset import KEYS, SheetSet
from evalkit.sheets.stages import AGREED, INDEPENDENT, STAGES, is_agreed, rank, stages

#: What each kind of panel value is called (shown Thai first: :func:`basis_label`): the
#: stages, then each consensus rule over the independent values (``majority`` for
#: checklists, ``figures`` for indicators).
BASIS: dict[str, Message] = {
    "site-visit": pmsg("panel value", "after the site visit"),
    "consensus": pmsg("panel value", "agreed by the committee"),
    "median": pmsg("panel value", "median of the assessors"),
    "mean": pmsg("panel value", "mean of the assessors"),
    "trimmed": pmsg("panel value", "trimmed mean of the assessors"),
    "majority": pmsg("panel value", "majority of the assessors"),
    "figures": pmsg("panel value", "the indicators' results"),
}
#: What a form's values are combined by when no agreed value is given (bands: the rule).
_UNAGREED = {"checklist": "majority", "indicators": "figures"}


def basis_label(basis: str) -> str:
    """The label of a kind of panel value, Thai first in every language; a miss lists the
    kinds there are."""
    try:
        return bilingual(BASIS[basis])
    except KeyError:
        raise KeyError(f"unknown panel value {basis!r}; the kinds are {', '.join(BASIS)}") from None


def value_columns(form: str) -> list[str]:
    """What identifies one value of a form, whoever gives it (the assessor aside)."""
    return [*KEYS, *(c for c in FORMS[form].key if c != "assessor")]


def _independent(frame: pd.DataFrame) -> np.ndarray:
    if "assessor" not in frame:
        return np.asarray(~stages(frame).isin(AGREED))
    others = named(frame["assessor"], (SELF, *CONSENSUS))
    return np.asarray(~others & (stages(frame) == INDEPENDENT).to_numpy())


def independent_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The assessors' own independent rows (no self-assessment, nothing of the committee)."""
    return frame[_independent(frame)] if len(frame) else frame


def decided(form: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that give the panel's value of each thing a form scores: the highest stage's
    agreed row where there is one, else the assessors' independent rows."""
    if not len(frame):
        return frame
    agreed = np.asarray(stages(frame).isin(AGREED))
    independent = _independent(frame)
    if not agreed.any():
        return frame[independent]
    keys = frame[value_columns(form)].astype(object)
    level = rank(frame).where(agreed | independent, -1)
    top = level.groupby([keys[c] for c in keys], sort=False, observed=True).transform("max")
    return frame[(level == top).to_numpy() & (agreed | independent)]


def item_basis(sheets: SheetSet, registry: Registry, rule: str | None = None) -> pd.DataFrame:
    """Per agency, year, framework and item: ``basis``, the kind of its panel value (a key of
    :data:`BASIS`). An item whose values come partly from the assessors is named by their
    rule; one all agreed, by its lowest stage."""
    parts = []
    for form, frame in sheets.frames().items():
        rows = decided(form, frame)
        if not len(rows):
            continue
        table = rows[[*KEYS, "item"]].astype(object).assign(_rank=rank(rows).to_numpy())
        parts.append(table.groupby([*KEYS, "item"], sort=False)["_rank"].min().reset_index())
        parts[-1]["form"] = form
    if not parts:
        return pd.DataFrame(columns=[*KEYS, "item", "basis"])
    table = pd.concat(parts, ignore_index=True)
    stage_of = {n: s for s, n in STAGES.items()}
    rules = {f: registry.get(str(f)).consensus for f in table["framework"].unique()}
    unagreed = [
        _UNAGREED.get(form) or rule or rules[framework]
        for form, framework in zip(table["form"], table["framework"], strict=True)
    ]
    table["basis"] = np.where(table["_rank"] > 0, table["_rank"].map(stage_of), unagreed)
    return table[[*KEYS, "item", "basis"]]


def _values(form: str, frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each row's value as a number (a percent, else a rating; a verdict as 1 or 0), and the
    column it is in."""
    if form == "checklist":
        return frame["met"].astype(float), pd.Series("met", index=frame.index)
    percent = frame["percent"].astype(float)
    rated = percent.isna() & frame["rating"].notna()
    column = pd.Series(np.where(rated, "rating", "percent"), index=frame.index)
    return percent.where(~rated, frame["rating"].astype(float)), column


def unexplained_values(sheets: SheetSet) -> pd.DataFrame:
    """Agreed values outside the range of the assessors' independent values that give no
    reason: per row, its agency, year, framework, item (and check), ``form``, ``column``,
    ``agreed``, the assessors' ``min`` and ``max``, and where it was read."""
    parts = []
    for form in ("band", "checklist"):
        frame = sheets.frame(form)
        if not len(frame) or not is_agreed(frame).any():
            continue
        value, column = _values(form, frame)
        keys = value_columns(form)
        table = frame[keys].astype(object).assign(agreed=value, column=column, form=form)
        independent = _independent(frame) & value.notna().to_numpy()
        span = table[independent].groupby(keys)["agreed"].agg(["min", "max"]).reset_index()
        agreed = (is_agreed(frame) & value.notna() & (frame["reason"] == "")).to_numpy()
        rows = table[agreed].join(frame[["source_file", "source_sheet", "source_row"]])
        rows = rows.merge(span, on=keys)
        parts.append(rows[(rows["agreed"] < rows["min"]) | (rows["agreed"] > rows["max"])])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def unexplained(sheets: SheetSet) -> list[Problem]:
    """:func:`unexplained_values` as problems naming file, row and column: flagged (by
    ``validate``), not refused."""
    rows = unexplained_values(sheets)
    return [_flag(str(row.form), row) for row in rows.itertuples()] if len(rows) else []


def _shown(form: str, value: float) -> str:
    return (WRITTEN_YES if value else WRITTEN_NO) if form == "checklist" else f"{value:g}"


def _flag(form: str, row: object) -> Problem:
    low, high = _shown(form, row.min), _shown(form, row.max)  # type: ignore[attr-defined]
    return Problem(
        file=str(row.source_file),  # type: ignore[attr-defined]
        row=int(row.source_row),  # type: ignore[attr-defined]
        column=str(row.column),  # type: ignore[attr-defined]
        sheet=str(row.source_sheet),  # type: ignore[attr-defined]
        found=msg(
            "the agreed value {value} of item {item}, outside the assessors' {low} to {high}, "
            "with no reason",
            value=_shown(form, row.agreed),  # type: ignore[attr-defined]
            item=str(row.item),  # type: ignore[attr-defined]
            low=low,
            high=high,
        ),
        expected=msg(
            "a reason in the {column} column ({header})",
            column="reason",
            header=thai_name("reason"),
        ),
        hint=msg("The committee says why it agreed a value no assessor gave."),
    )
