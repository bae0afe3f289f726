"""The checklist form: one row per assessor and check, ``level, check, met``; a check is met
when most assessors say so."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd

from evalkit.frameworks.model import Framework, Item
from evalkit.frameworks.registry import Registry
from evalkit.sheets.forms.base import declare_form, form_record
from evalkit.sheets.forms.common import YES_NO_EXPECTED, check_consensus, closest, yes_no
from evalkit.sheets.rows import Rows

LEVELS = {
    "basic": "basic",
    "advance": "advance",
    "advanced": "advance",
    "significance": "significance",
    "significant": "significance",
}


def check_checklist(rows: Rows, registry: Registry, known: pd.Series) -> None:
    f = rows.frame
    level = f["level"].str.casefold().map(LEVELS)
    rows.flag(level.isna(), "level", "basic, advance or significance")
    agreed = check_consensus(rows, CHECKLIST.values)
    met, unreadable = yes_no(f["met"].fillna(""))
    rows.flag(~agreed & unreadable, "met", YES_NO_EXPECTED)
    f["met"] = met
    f["level"] = level
    for framework_id in f.loc[known, "framework"].unique():
        checks = registry.get(framework_id).check_table()
        ours = known & (f["framework"] == framework_id)
        pairs = pd.MultiIndex.from_frame(f[["item", "check"]])
        valid = pairs.isin(pd.MultiIndex.from_frame(checks[["item", "check"]]))
        rows.flag(
            ours & ~valid,
            "check",
            f"a check id of that item in {framework_id}",
            partial(closest, choices=list(checks["check"])),
        )
        expected_level = f["check"].map(dict(zip(checks["check"], checks["level"], strict=True)))
        rows.flag(
            ours & valid & level.notna() & (expected_level != level),
            "level",
            "the level the framework gives that check",
        )


def checklist_layout(
    framework: Framework, items: list[Item], factors: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    """A checklist template: one row per check, with its text and its level's descriptor."""
    rows = [
        {
            "framework": framework.id,
            "item": item.key,
            "level": check.level,
            "check": check.id,
            "check_text": check.text_th,
            "level_text": item.level_text(check.level),
        }
        for item in items
        for check in item.checks
    ]
    columns = ["agency_id", "agency_name", "year", "framework", "assessor", "item", "level"]
    columns += ["check", "check_text", "met", "explanation", "evidence", "level_text"]
    return columns, rows


CHECKLIST = declare_form(form_record("checklist"), check=check_checklist, layout=checklist_layout)
