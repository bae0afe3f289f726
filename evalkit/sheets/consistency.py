"""Checks across rows and files: the same value given twice with different contents, two
names for one agency, and categories scored in part."""

from __future__ import annotations

import pandas as pd

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg
from evalkit.frameworks.registry import Registry
from evalkit.sheets.columns import thai_header
from evalkit.sheets.forms import get_form
from evalkit.sheets.sheetset import KEYS, SheetSet, value_keys
from evalkit.sheets.stages import AGREED

#: (file, sheet) -> canonical column -> the name the sheet gives it
Headers = dict[tuple[str, str], dict[str, str]]


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _called(headers: Headers, file: str, sheet: str, column: str) -> str:
    return headers.get((file, sheet), {}).get(column, column)


def clashes(form: str, frame: pd.DataFrame, headers: Headers) -> list[Problem]:
    """The same value given twice (in any of the files) with different contents: each row
    names the agency, the assessor and item (or check, or indicator), both values, and the
    value column as its sheet calls it."""
    keys, values = value_keys(get_form(form))
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
        named = [k for k in keys[len(KEYS) :] if k != "stage"]
        owner = " and ".join(named)
        whose = ", ".join(f"{k} {first[k]}" for k in named)
        expected: str | Message = f"one value per {owner}"
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
                    hint=f"{what}, {whose}: given more than once with different values in "
                    f"{column!r}.",
                    sheet=row.source_sheet,
                )
            )
    return problems


def names(sheets: SheetSet, headers: Headers) -> list[Problem]:
    """Two names for one agency in one year: the first row of each name is named."""
    rows = pd.concat(
        [
            f[["agency_id", "year", "agency_name", "source_file", "source_sheet", "source_row"]]
            for f in sheets.frames().values()
        ],
        ignore_index=True,
    )
    rows = rows.astype({"agency_id": str, "agency_name": str})
    problems = []
    for (agency_id, year), group in rows.groupby(["agency_id", "year"], sort=False):
        firsts = group.drop_duplicates("agency_name")
        if len(firsts) < 2:
            continue
        for row in firsts.itertuples():
            other = firsts[firsts["agency_name"] != row.agency_name].iloc[0]
            problems.append(
                Problem(
                    file=row.source_file,
                    row=int(row.source_row),
                    column=_called(headers, row.source_file, row.source_sheet, "agency_name"),
                    found=repr(row.agency_name),
                    expected=f"one name for {agency_id} in {year}",
                    hint=f"{other['source_file']} row {other['source_row']} names it "
                    f"{other['agency_name']!r}.",
                    sheet=row.source_sheet,
                )
            )
    return problems


def coverage(sheets: SheetSet, registry: Registry, skip_files: set[str]) -> list[Problem]:
    """Categories must be scored whole, and checklist items with every check.

    Agencies with rows in ``skip_files`` (files that have problems of their own, whose bad
    rows were left out) are not judged, so that one typo is not reported twice."""
    problems = []
    present = pd.concat([f[[*KEYS, "item", "source_file"]] for f in sheets.frames().values()])
    for (agency_id, year, framework_id), group in present.groupby(KEYS, sort=False):
        if skip_files & set(group["source_file"].astype(str)):
            continue
        framework = registry.get(framework_id)
        items = set(group["item"])
        file = str(group["source_file"].iloc[0])
        for category in framework.categories:
            keys = [i.key for i in category.items]
            missing = [k for k in keys if k not in items]
            if missing and len(missing) < len(keys):
                problems.append(
                    Problem(
                        file=file,
                        row=0,
                        column="item",
                        found=f"no scores for item {', '.join(missing)} of {agency_id} {year}",
                        expected=f"every item of category {category.key} or none",
                        hint="A sheet may leave out whole categories (a category award), "
                        "not single items.",
                    )
                )
    checks = sheets.checks
    if len(checks):
        for (agency_id, year, framework_id, item), group in checks.groupby(
            [*KEYS, "item"], sort=False
        ):
            if skip_files & set(group["source_file"].astype(str)):
                continue
            wanted = [c.id for c in registry.get(framework_id).item(item).checks]
            missing = [c for c in wanted if c not in set(group["check"])]
            if missing:
                problems.append(
                    Problem(
                        file=str(group["source_file"].iloc[0]),
                        row=0,
                        column="check",
                        found=f"no rows for checks {', '.join(missing)} of {agency_id} {year}",
                        expected=f"a row for every check of item {item}",
                    )
                )
    return problems
