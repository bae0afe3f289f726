"""What every form checks: who and what a row is about (agency, year, framework, item), the
rows of the panel's agreed comments (assessor ``consensus``), and the readings every form
shares (yes/no, safe ids, the likeliest intended value).

Checks are vectorised: each one is a boolean mask over the rows, turned into problems.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import partial

import pandas as pd

from evalkit.core.dates import BE_YEARS as BE_YEARS
from evalkit.core.dates import CE_OFFSET as CE_OFFSET
from evalkit.core.dates import era_marker
from evalkit.core.declared import one_of
from evalkit.core.i18n import Message, msg
from evalkit.core.slug import SAFE_SLUG as SAFE_SLUG
from evalkit.core.slug import SLUG_EXPECTED as SLUG_EXPECTED
from evalkit.core.slug import is_safe_slug as is_safe_slug
from evalkit.frameworks.registry import Registry
from evalkit.sheets.assessors import CONSENSUS, named
from evalkit.sheets.columns import vocabulary
from evalkit.sheets.forms.base import form_of_method, get_form
from evalkit.sheets.numbers import arabic, numbers, per_value
from evalkit.sheets.rows import Rows
from evalkit.sheets.stages import AGREED, INDEPENDENT, STAGE_EXPECTED, is_draft, stage_of
from evalkit.sheets.stages import CONSENSUS as AGREED_STAGE

_WORDS = vocabulary()["words"]
_LOOSE = {"between": r"\s*\.?\s*", "after": r"\s*\.?"}
_ERAS = "|".join(
    (
        era_marker("buddhist", **_LOOSE),
        era_marker("common", **_LOOSE),
        r"b\.?\s*e\.?",
        r"c\.?\s*e\.?",
    )
)
#: An era or a word written with a year (``พ.ศ. 2564``, ``ปีงบประมาณ 2564``, ``2021 CE``).
ERA = re.compile(
    rf"(?i)^\s*(?:(?:{one_of(_WORDS['year'])})\s*)?(?:{_ERAS})?\s*|\s*\(?(?:{_ERAS})\)?\s*$"
)
#: How evalkit writes yes and no in a sheet it makes (read back as :data:`YES` and :data:`NO`).
WRITTEN_YES, WRITTEN_NO = _WORDS["yes"][0], _WORDS["no"][0]
YES, NO = set(_WORDS["yes"]), set(_WORDS["no"])


YES_NO_EXPECTED = msg("yes or no (also 1/0, ใช่/ไม่ใช่)")


def yes_no(series: pd.Series, blank_is_no: bool = False) -> tuple[pd.Series, pd.Series]:
    """Answers read as booleans, and a mask of the cells that are neither yes nor no (empty
    included, unless ``blank_is_no``: a form whose blank cell means no). The one reading of
    yes/no: English, Thai words and Thai digits (๑/๐) alike."""
    answer = arabic(series).str.casefold().str.strip()
    unreadable = ~answer.isin(YES | NO)
    return answer.isin(YES), unreadable if blank_is_no else unreadable | (answer == "")


def closest(word: str, choices: Sequence[str]) -> Message | str:
    """A hint naming the likeliest intended value; for item keys, those of the same category."""
    prefix = word.split(".")[0] + "."
    siblings = [c for c in choices if c.startswith(prefix)] if "." in word else []
    match = siblings[:3] or difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    first, second, third = [repr(c) for c in match] + [""] * (3 - len(match))
    if third:
        return msg("Did you mean {first} or {second} or {third}?", first=first, second=second,
                   third=third)  # fmt: skip
    if second:
        return msg("Did you mean {first} or {second}?", first=first, second=second)
    return msg("Did you mean {first}?", first=first) if first else ""


def _wrong_form(item: str, methods: dict[str, str]) -> Message:
    form = form_of_method(methods[item]).name
    return msg(
        "Item {item} is scored by {method}; put it in a {form} sheet (see the README).",
        item=item,
        method=methods[item],
        form=form,
    )


def check_identity(rows: Rows, registry: Registry) -> pd.Series:
    """Check the columns every form has; return the mask of rows whose framework is known."""
    f = rows.frame
    rows.flag(~per_value(f["agency_id"], is_safe_slug).astype(bool), "agency_id", SLUG_EXPECTED)
    rows.flag(f["agency_name"] == "", "agency_name", msg("the agency's name"))
    read_stages(rows)
    if "assessor" in f:
        rows.flag(f["assessor"] == "", "assessor", msg("the assessor's name or code"))
    year = numbers(per_value(f["year"], partial(ERA.sub, "")), rows.decimal_comma)
    year = year.where(~year.between(1900, 2399), year + CE_OFFSET)
    rows.flag(
        ~year.isin(BE_YEARS), "year", msg("a year between 2500 and 2700 BE (or 1957-2157 CE)")
    )
    f["year"] = year
    known = f["framework"].isin(registry.ids())
    rows.flag(
        ~known,
        "framework",
        msg("one of {choices}", choices=", ".join(registry.ids())),
        partial(closest, choices=registry.ids()),
    )
    f["item"] = arabic(f["item"])
    for framework_id in f.loc[known, "framework"].unique():
        framework = registry.get(framework_id)
        ours = f["framework"] == framework_id
        items = [i.key for i in framework.items]
        rows.flag(
            ours & ~f["item"].isin(items),
            "item",
            msg("an item of {framework}: {items}", framework=framework_id, items=", ".join(items)),
            partial(closest, choices=items),
        )
        methods = {i.key: i.method for i in framework.items}
        method = f["item"].map(methods)
        # the committee's comments alone may be about any item (the feedback sheet's rows)
        comments_only = (f["stage"] == "") & (f.get("assessor", "") == CONSENSUS[0])
        wrong = ours & method.notna() & ~method.isin(get_form(rows.form).methods) & ~comments_only
        rows.flag(
            wrong,
            "item",
            msg("an item scored from a {form} sheet", form=rows.form),
            partial(_wrong_form, methods=methods),
        )
    return known


def read_stages(rows: Rows) -> None:
    """Read each row's stage (:mod:`evalkit.sheets.stages`). A row of the committee (stage
    consensus or site visit, or the assessor ``consensus``) is the committee's, whoever typed
    it: its assessor becomes ``consensus``; with a value it is an agreed value of its stage
    (``consensus`` when none is named), without one it holds the agreed comments only and its
    stage is left empty."""
    f = rows.frame
    given = per_value(f["stage"], stage_of) if "stage" in f else pd.Series("", index=f.index)
    if "stage" in f:
        rows.flag(given.isna(), "stage", STAGE_EXPECTED)
        given = given.fillna("")
    form = get_form(rows.form)
    values = [c for c in form.values if c in f]
    has_value = (f[values] != "").any(axis=1) if values else pd.Series(False, index=f.index)
    who = f["assessor"] if "assessor" in f else pd.Series("", index=f.index)
    named_consensus = pd.Series(named(who, CONSENSUS), index=f.index)
    committee = named_consensus | given.isin(AGREED)
    stage = given.where(~(named_consensus & (given == INDEPENDENT)), AGREED_STAGE)
    stage = stage.where(~(committee & (stage == "")), AGREED_STAGE)
    stage = stage.where(~committee | has_value, "")
    f["stage"] = stage.where(committee | (stage != ""), INDEPENDENT)
    if not committee.any():
        return  # no row of the committee: nothing more to read
    if "assessor" in f:
        f.loc[committee, "assessor"] = CONSENSUS[0]
    for text in (c for c in form.comments if c in f):
        f.loc[committee & is_draft(f[text]), text] = ""  # a draft left alone is not theirs


def check_consensus(rows: Rows, empty: Sequence[str]) -> pd.Series:
    """The mask of the rows of the committee's agreed comments (no value of any stage), their
    value cells made empty (the caller sets them to NaN once every check has run)."""
    f = rows.frame
    agreed = pd.Series(named(f["assessor"], CONSENSUS), index=f.index) & (f["stage"] == "")
    for column in empty if agreed.any() else ():
        if column in f:
            f.loc[agreed, column] = ""
    return agreed
