"""Checklist verdicts and indicator points of one agency-year: which checks the panel found
met, which are not met and what they hold back, and the agency's own verdicts beside the
panel's.

A check is met when most panel assessors mark it (a tie is not), as in
:func:`evalkit.scoring.methods.gated_checklist`. An unmet check *gates* when it sits below a
level: an unmet Basic check makes every Advance and Significance check worthless, an unmet
Advance check every Significance check. ``held_back`` is the credit of the checks already met
above it that the item would get once its level is complete.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.frameworks.model import CHECK_LEVELS, SCALE_COLUMNS, Framework
from evalkit.scoring.engine import is_self
from evalkit.scoring.methods import (
    LEVEL_NAMES,
    checklist_points,
    indicator_points,
    success_rate,
    with_scales,
)
from evalkit.scoring.precedence import decided
from evalkit.sheets.sheetset import SheetSet

VERDICT_COLUMNS = [
    "item",
    "level",
    "check",
    "text_th",
    "level_text",
    "met",
    "yes",
    "assessors",
    "self_met",
    "explanation",
    "evidence",
]


def _notes(rows: pd.DataFrame, column: str) -> pd.Series:
    """Per check, each assessor's note as ``assessor: text``, one per line."""
    rows = rows[rows[column].astype(str) != ""]
    text = rows["assessor"].astype(str) + ": " + rows[column].astype(str)
    return text.groupby(rows["check"].astype(str)).agg("\n".join)


def check_verdicts(
    sheets: SheetSet, framework: Framework, agency_id: str, year: int
) -> pd.DataFrame:
    """One row per check of every checklist item the agency's rows cover, in framework
    order: the panel's verdict ``met`` (the committee's agreed verdict where it gave one, else
    ``yes`` of ``assessors`` marked it), the agency's own
    ``self_met`` (NA without ``self`` rows) and the assessors' ``explanation`` and
    ``evidence``."""
    rows = sheets.checks
    rows = rows[
        (rows["agency_id"] == agency_id)
        & (rows["year"] == year)
        & (rows["framework"] == framework.id)
    ]
    own = is_self(rows["assessor"])
    panel, mine = decided("checklist", rows), rows[own]
    table = framework.check_table()
    table = table[table["item"].isin(set(rows["item"].astype(str)))].reset_index(drop=True)
    votes = panel.groupby(panel["check"].astype(str))["met"].agg(["sum", "count"])
    table["yes"] = table["check"].map(votes["sum"]).fillna(0).astype(int)
    table["assessors"] = table["check"].map(votes["count"]).fillna(0).astype(int)
    table["met"] = table["yes"] * 2 > table["assessors"]
    self_met = mine.groupby(mine["check"].astype(str))["met"].agg(lambda v: bool(v.mean() > 0.5))
    table["self_met"] = table["check"].map(self_met).astype("boolean")
    for column in ("explanation", "evidence"):
        notes = _notes(rows, column).to_dict()
        table[column] = [notes.get(check, "") for check in table["check"]]
    return table[VERDICT_COLUMNS]


def level_counts(verdicts: pd.DataFrame, column: str = "met") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per item (framework order kept): checks met (by ``column``) and checks defined, per
    level, as two frames with the CHECK_LEVELS as columns."""
    order = list(dict.fromkeys(verdicts["item"]))
    grouped = verdicts.assign(_met=verdicts[column].fillna(False).astype(bool)).groupby(
        ["item", "level"]
    )["_met"]
    met = grouped.sum().unstack("level").reindex(index=order, columns=list(CHECK_LEVELS))
    total = grouped.size().unstack("level").reindex(index=order, columns=list(CHECK_LEVELS))
    return met.fillna(0).astype(int), total.fillna(0).astype(int)


def item_verdicts(verdicts: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Per item: ``points`` and ``label`` by the panel's verdicts and, where the agency
    assessed itself, ``self_points`` and ``self_label``."""
    met, total = level_counts(verdicts)
    points, reached = checklist_points(met.to_numpy(), total.to_numpy(), framework)
    table = pd.DataFrame({"item": met.index, "points": points})
    table["label"] = np.array(LEVEL_NAMES, dtype=object)[reached]
    has_self = verdicts.groupby("item", sort=False)["self_met"].agg(lambda v: v.notna().any())
    own, _ = level_counts(verdicts, "self_met")
    own_points, own_reached = checklist_points(own.to_numpy(), total.to_numpy(), framework)
    mine = has_self.reindex(met.index).fillna(False).to_numpy(dtype=bool)
    table["self_points"] = np.where(mine, own_points, np.nan)
    table["self_label"] = np.where(mine, np.array(LEVEL_NAMES, dtype=object)[own_reached], "")
    return table


def unmet_checks(verdicts: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """The checks the panel did not find met, in framework order, with ``gates`` (the levels
    above that get no credit until this check's level is complete: ``advance, significance``
    for a Basic check, ``significance`` for an Advance one, "" for Significance) and
    ``held_back`` (the item points of checks already met in those levels)."""
    met, total = level_counts(verdicts)
    weights = np.array([framework.checklist_points[level] for level in CHECK_LEVELS])
    with np.errstate(divide="ignore", invalid="ignore"):
        credit = np.where(total > 0, met / total, 0.0) * weights
    credit = pd.DataFrame(credit, index=met.index, columns=list(CHECK_LEVELS))
    unmet = verdicts[~verdicts["met"]].copy()
    rank = unmet["level"].map({level: n for n, level in enumerate(CHECK_LEVELS)})
    unmet["gates"] = rank.map({0: "advance, significance", 1: "significance", 2: ""})
    held = [
        float(credit.loc[item, list(CHECK_LEVELS[r + 1 :])].sum())
        for item, r in zip(unmet["item"], rank, strict=True)
    ]
    unmet["held_back"] = held
    return unmet.reset_index(drop=True)


def blockers(unmet: pd.DataFrame) -> pd.DataFrame:
    """The unmet Basic checks of items whose higher levels already have credit held back:
    the checks that alone stand between an item and the points above Basic."""
    basic = unmet[(unmet["level"] == "basic") & (unmet["held_back"] > 0)]
    return basic.reset_index(drop=True)


def indicator_points_table(
    sheets: SheetSet, framework: Framework, agency_id: str, year: int
) -> pd.DataFrame:
    """Per indicator of one agency-year: who gave it (``assessor``, "" for the panel's sheet,
    ``self`` for the agency's own), ``actual``, ``target``, the scale's ``floor, goal,
    ceiling`` when it has one, ``basis`` (``scale`` or ``success``) and ``points``."""
    rows = sheets.indicators
    rows = rows[
        (rows["agency_id"] == agency_id)
        & (rows["year"] == year)
        & (rows["framework"] == framework.id)
    ]
    if rows.empty:
        return pd.DataFrame()
    rows = with_scales(rows.reset_index(drop=True), framework)
    rows["points"] = indicator_points(rows, framework)
    rows["success"] = success_rate(rows).to_numpy(dtype=float)
    rows["basis"] = np.where(rows[list(SCALE_COLUMNS)].notna().all(axis=1), "scale", "success")
    rows["side"] = np.where(is_self(rows["assessor"]), "self", "panel")
    columns = ["item", "indicator", "assessor", "side", "direction", "target", "actual"]
    columns += ["floor", "goal", "ceiling", "success", "basis", "points", "explanation", "evidence"]
    return rows[columns].astype({"item": str, "indicator": str, "assessor": str})


def indicator_series(sheets: SheetSet, framework: Framework, agency_id: str) -> pd.DataFrame:
    """Every result known per indicator and year for one agency, panel rows only: each year's
    ``actual`` and the earlier years a sheet gives in year columns (a row's own year wins):
    ``item, indicator, year, value``."""
    rows = sheets.indicators
    rows = rows[(rows["agency_id"] == agency_id) & (rows["framework"] == framework.id)]
    rows = rows[~is_self(rows["assessor"])]
    points = [
        (str(r.item), str(r.indicator), int(r.year), float(r.actual), 0)
        for r in rows.itertuples(index=False)
    ]
    for r in rows.itertuples(index=False):
        for part in filter(None, str(r.results).split(";")):
            when, value = part.split(":")
            points.append((str(r.item), str(r.indicator), int(when), float(value), 1))
    table = pd.DataFrame(points, columns=["item", "indicator", "year", "value", "_rank"])
    table = table.sort_values(["item", "indicator", "year", "_rank"], kind="stable")
    table = table.drop_duplicates(["item", "indicator", "year"])
    return table.drop(columns="_rank").reset_index(drop=True)
