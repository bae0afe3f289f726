"""Checks across rows and files: the same value given twice with different contents, two
names for one agency, and categories scored in part."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, joined, msg
from evalkit.frameworks.registry import Registry
from evalkit.sheets.assessors import CONSENSUS, named
from evalkit.sheets.columns import thai_header
from evalkit.sheets.forms import get_form
from evalkit.sheets.sheetset import KEYS, SheetSet, value_keys
from evalkit.sheets.stages import AGREED, is_agreed

#: (file, sheet) -> canonical column -> the name the sheet gives it
Headers = dict[tuple[str, str], dict[str, str]]
#: What a problem of two values says: (agency, year, the other value's row) -> expected, hint.
Words = Callable[[str, int, pd.Series], tuple[str | Message, str | Message]]


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _called(headers: Headers, file: str, sheet: str, column: str) -> str:
    return headers.get((file, sheet), {}).get(column, column)


#: The columns that tell one value from another, as a message names them.
_LABELS: dict[str, Message | str] = {
    "assessor": msg("assessor"),
    "item": msg("item"),
    "check": msg("check"),
    "indicator": msg("indicator"),
}


def clashes(form: str, frame: pd.DataFrame, headers: Headers) -> list[Problem]:
    """The same value given twice (in any of the files) with different contents: each row
    names the agency, the assessor and item (or check, or indicator), both values, and the
    value column as its sheet calls it."""
    keys, values = value_keys(get_form(form))
    if frame.empty or not frame.duplicated(keys).any():
        return []  # no value given twice: nothing can clash
    signature = pd.util.hash_pandas_object(frame[values], index=False)
    clash = frame[
        signature.groupby([frame[k] for k in keys], observed=True).transform("nunique") > 1
    ]
    problems = []
    for _, group in clash.groupby(keys, sort=False, observed=True):
        found = ", ".join(
            sorted(
                {
                    " / ".join(_shown(v) for v in r if pd.notna(v) and v != "")
                    for r in group[values].itertuples(index=False)
                }
            )
        )
        first = group.iloc[0]
        what = " ".join(str(first[k]) for k in KEYS)
        owners = [k for k in keys[len(KEYS) :] if k != "stage"]
        comma = msg("{first}, {second}")
        owner = joined([_LABELS.get(k, k) for k in owners], comma, msg("{first} and {second}"))
        whose = joined(
            [msg("{label} {value}", label=_LABELS.get(k, k), value=first[k]) for k in owners],
            comma,
        )
        expected: Message = msg("one value per {owner}", owner=owner)
        if first.get("stage", "") in AGREED:
            expected = msg(
                "one agreed value per {what} and stage ({stage})",
                what=thai_header(get_form(form).what),
                stage=first["stage"],
            )
        differ = [c for c in values if group[c].astype(str).nunique() > 1] or values[:1]
        for row in group.itertuples():
            column = _called(headers, row.source_file, row.source_sheet, differ[0])
            problems.append(
                Problem(
                    file=row.source_file,
                    row=int(row.source_row),
                    column=column,
                    found=found,
                    expected=expected,
                    hint=msg(
                        "{what}, {whose}: given more than once with different values in {column}.",
                        what=what,
                        whose=whose,
                        column=repr(column),
                    ),
                    sheet=row.source_sheet,
                )
            )
    return problems


def _differing(sheets: SheetSet, headers: Headers, column: str, words: Words) -> list[Problem]:
    """Two values of ``column`` for one agency in one year (empty cells aside): the first row
    of each value is named, with the words ``words(agency, year, other)`` gives (``other``:
    the first row of another value)."""
    wanted = ["agency_id", "year", column, "source_file", "source_sheet", "source_row"]
    # a frame with no value in ``column`` (most forms, most columns) adds no row below
    frames = [f for f in sheets.frames().values() if column in f and len(f)]
    parts = [f[wanted] for f in frames if (f[column] != "").any()]
    if not parts:
        return []
    rows = pd.concat(parts, ignore_index=True).astype({"agency_id": str, column: str})
    rows = rows[rows[column] != ""]
    # the first row of each value, then only the agencies and years with two values or more:
    # one pass over the rows, not one per agency
    firsts_all = rows.drop_duplicates(["agency_id", "year", column])
    twice = firsts_all.duplicated(["agency_id", "year"], keep=False)
    problems = []
    for (agency_id, year), firsts in firsts_all[twice].groupby(["agency_id", "year"], sort=False):
        for row in firsts.itertuples():
            value = getattr(row, column)
            other = firsts[firsts[column] != value].iloc[0]
            expected, hint = words(str(agency_id), int(year), other)
            problems.append(
                Problem(
                    file=row.source_file,
                    row=int(row.source_row),
                    column=_called(headers, row.source_file, row.source_sheet, column),
                    found=repr(value),
                    expected=expected,
                    hint=hint,
                    sheet=row.source_sheet,
                )
            )
    return problems


def _scored(sheets: SheetSet, skip_files: set[str]) -> pd.DataFrame:
    """The items each file scores, the panel's agreed comments (``consensus``) left out, and
    owners with rows in ``skip_files`` (files with problems of their own, whose bad rows were
    left out) too, so that one typo is not reported twice."""
    frames = [
        (f if "assessor" in f else f.assign(assessor=""))[~is_agreed(f).to_numpy(dtype=bool)]
        for f in sheets.frames().values()
        if len(f)
    ]  # the committee's agreed rows cover what it agreed on, not whole categories
    present = pd.concat([f[[*KEYS, "assessor", "item", "source_file"]] for f in frames])
    present = present.astype({"assessor": object, "source_file": str}).fillna({"assessor": ""})
    present = present[~named(present["assessor"], CONSENSUS)]
    agency = [present[k].astype(object) for k in KEYS]
    skipped = present["source_file"].isin(skip_files).groupby(agency, sort=False).transform("any")
    return present[~skipped.to_numpy(dtype=bool)]


def names(sheets: SheetSet, headers: Headers) -> list[Problem]:
    """Two names for one agency in one year: the first row of each name is named."""

    def words(agency: str, year: int, other: pd.Series) -> tuple[Message, Message]:
        return (
            msg("one name for {agency} in {year}", agency=agency, year=year),
            msg("{file} row {row} names it {name}.", file=other["source_file"],
                row=other["source_row"], name=repr(other["agency_name"])),
        )  # fmt: skip

    return _differing(sheets, headers, "agency_name", words)


def one_per_agency(sheets: SheetSet, headers: Headers, column: str) -> list[Problem]:
    """Two values of an entry column (``type``, ``work``, an eligibility column) for one
    agency in one year."""

    def words(agency: str, year: int, other: pd.Series) -> tuple[Message, Message]:
        return (
            msg("one {column} for {agency} in {year}", column=column, agency=agency, year=year),
            msg("{file} row {row} gives {value}.", file=other["source_file"],
                row=other["source_row"], value=repr(other[column])),
        )  # fmt: skip

    return _differing(sheets, headers, column, words)


def _categories(registry: Registry, frameworks: list[str]) -> pd.DataFrame:
    """Each item of the ``frameworks``: its category's place in the framework and size."""
    return pd.DataFrame(
        [
            (framework_id, item.key, place, len(category.items))
            for framework_id in frameworks
            for place, category in enumerate(registry.get(framework_id).categories)
            for item in category.items
        ],
        columns=["framework", "item", "place", "size"],
    )


_OWNER = [*KEYS, "source_file"]


def _in_part(
    scored: pd.DataFrame, registry: Registry
) -> list[tuple[tuple[Any, ...], Any, list[str]]]:
    """Each file's categories scored in part for an agency and year: its keys, the category
    and the items left out, in the order of the files' first rows and of the framework.

    The items are counted per category in one grouping; only the categories scored in part
    are looked at one by one."""
    scored = scored[[*_OWNER, "item"]].astype(object).drop_duplicates()
    scored["owner"] = scored.groupby(_OWNER, sort=False).ngroup()
    scored = scored[scored["owner"].notna()]  # a row without its keys was refused already
    frameworks = [str(f) for f in scored["framework"].unique()]
    items = scored.merge(_categories(registry, frameworks), on=["framework", "item"])
    counted = items.groupby(["owner", "place"], sort=True).agg(
        scored=("item", "size"), size=("size", "first")
    )
    partial = counted[counted["scored"] < counted["size"]].index
    wanted = items[items["owner"].isin(partial.get_level_values(0))]
    items_of = {owner: set(rows) for owner, rows in wanted.groupby("owner")["item"]}
    first = wanted.drop_duplicates("owner")[["owner", *_OWNER]]
    keys_of = {row[0]: row[1:] for row in first.itertuples(index=False, name=None)}
    found = []
    for owner, place in partial:
        category = registry.get(str(keys_of[owner][2])).categories[place]
        left_out = [i.key for i in category.items if i.key not in items_of[owner]]
        found.append((keys_of[owner], category, left_out))
    return found


def coverage(sheets: SheetSet, registry: Registry, skip_files: set[str]) -> list[Problem]:
    """Categories must be scored whole, and checklist items with every check: each file is
    judged as when it is read alone, whatever is read beside it (an assessor's sheet that
    leaves out an item is not made whole by another assessor's)."""
    if not any(len(f) for f in sheets.frames().values()):
        return []
    problems = [
        Problem(
            file=str(file),
            row=0,
            column="item",
            found=msg(
                "no scores for item {items} of {agency} {year}",
                items=", ".join(missing),
                agency=agency_id,
                year=year,
            ),
            expected=msg("every item of category {category} or none", category=category.key),
            hint=msg(
                "A sheet may leave out whole categories (a category award), not single items."
            ),
        )
        for (agency_id, year, _, file), category, missing in _in_part(
            _scored(sheets, skip_files), registry
        )
    ]
    return problems + _checks(sheets, registry, skip_files)


def _wanted_checks(registry: Registry, frameworks: list[str]) -> pd.DataFrame:
    """Each check of each checklist item of the ``frameworks``, in the framework's order."""
    return pd.DataFrame(
        [
            (framework_id, item.key, place, check.id)
            for framework_id in frameworks
            for item in registry.get(framework_id).items
            for place, check in enumerate(item.checks)
        ],
        columns=["framework", "item", "place", "check"],
    )


_CHECKED = [*KEYS, "source_file", "item"]


def _checks(sheets: SheetSet, registry: Registry, skip_files: set[str]) -> list[Problem]:
    """Every check of each checklist item a file scores: the checks each file's item leaves
    out, in the order of the files' first rows and of the framework, found in one merge."""
    checks = sheets.checks
    if not len(checks):
        return []
    checks = checks[~named(checks["assessor"], CONSENSUS) & ~is_agreed(checks).to_numpy(dtype=bool)]
    given = checks[[*_CHECKED, "check"]].astype(object).dropna(subset=_CHECKED)
    given = given[~given["source_file"].astype(str).isin(skip_files)]
    given["group"] = given.groupby(_CHECKED, sort=False).ngroup()
    groups = given.drop_duplicates("group")[["group", *_CHECKED]]
    frameworks = [str(f) for f in groups["framework"].unique()]
    wanted = groups.merge(_wanted_checks(registry, frameworks), on=["framework", "item"])
    present = given[["group", "check"]].drop_duplicates().assign(present=True)
    wanted = wanted.merge(present, on=["group", "check"], how="left")
    missing = wanted[wanted["present"].isna()].sort_values(["group", "place"], kind="stable")
    return [
        Problem(
            file=str(file),
            row=0,
            column="check",
            found=msg(
                "no rows for checks {checks} of {agency} {year}",
                checks=", ".join(rows["check"]),
                agency=agency_id,
                year=year,
            ),
            expected=msg("a row for every check of item {item}", item=item),
        )
        for (_, agency_id, year, _, file, item), rows in missing.groupby(
            ["group", *_CHECKED], sort=False
        )
    ]
