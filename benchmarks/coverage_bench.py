"""The category coverage check at scale: one grouping against a loop over the agencies.

    python benchmarks/coverage_bench.py [--rows 285000]

Builds a band sheet of N rows as ``check_sheets`` holds it (agencies x the 18 items of
pmqa-2562, one assessor, one file; one agency in fifty leaves out one item, so that the check
has categories scored in part to name), then times over the same rows (a) the loop the check
was: one group per agency, year and file, each category of the framework looked at in
Python; and (b) :func:`evalkit.sheets.consistency.coverage`, which counts the items of each
category in one grouping. Prints seconds and the ratio, and checks that both name the same
problems in the same order.

Then the same for the checks of a checklist (``--agencies`` agencies x every check of
pmqa40-status, two assessors; one agency in three leaves out a check): (c) the loop the check
was, one group per agency, year, file and item, and (d) the checks left out found in one
merge.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pandas as pd

from evalkit import Registry, SheetSet
from evalkit.core.errors import Problem
from evalkit.sheets.assessors import CONSENSUS, named
from evalkit.sheets.consistency import _checks, _scored, coverage
from evalkit.sheets.sheetset import KEYS
from evalkit.sheets.stages import is_agreed


def band_rows(size: int, registry: Registry) -> SheetSet:
    items = [i.key for i in registry.get("pmqa-2562").items]
    rows = []
    for n in range(size):
        agency, item = divmod(n, len(items))
        if agency % 50 == 7 and item == 4:  # one agency in fifty leaves out an item
            continue
        rows.append((f"agency-{agency:06d}", f"หน่วยงาน {agency}", items[item], 50.0 + n % 5, n + 2))
    frame = pd.DataFrame(
        rows, columns=["agency_id", "agency_name", "item", "percent", "source_row"]
    )
    frame = frame.assign(
        year=2567,
        framework="pmqa-2562",
        assessor="ผู้ประเมิน 1",
        source_file="band.csv",
        source_sheet="",
    )
    return SheetSet.of(bands=frame)


def per_agency(sheets: SheetSet, registry: Registry) -> list[Problem]:
    """The check as it was: the agencies whose files have problems of their own found by a
    function per agency, then a loop over the agencies and their categories."""
    present = _scored(sheets, set())
    skipped = present.groupby(KEYS, sort=False, observed=True)["source_file"].transform(
        lambda files: bool(set() & set(files))
    )
    problems = []
    for (agency_id, year, framework_id, file), group in present[~skipped.astype(bool)].groupby(
        [*KEYS, "source_file"], sort=False, observed=True
    ):
        framework = registry.get(framework_id)
        items = set(group["item"])
        for category in framework.categories:
            keys = [i.key for i in category.items]
            missing = [k for k in keys if k not in items]
            if missing and len(missing) < len(keys):
                problems.append(
                    Problem(
                        file=str(file),
                        row=0,
                        column="item",
                        found=f"no scores for item {', '.join(missing)} of {agency_id} {year}",
                        expected=f"every item of category {category.key} or none",
                        hint="A sheet may leave out whole categories (a category award), "
                        "not single items.",
                    )
                )
    return problems


def checklist_rows(agencies: int, registry: Registry) -> SheetSet:
    items = registry.get("pmqa40-status").items
    rows = [
        (f"agency-{a:06d}", f"หน่วยงาน {a}", assessor, i.key, c.level, c.id, "ใช่")
        for a in range(agencies)
        for assessor in ("A", "B")
        for i in items
        for c in i.checks
        if not (a % 3 == 0 and c.id == items[1].checks[-1].id)
    ]
    columns = ["agency_id", "agency_name", "assessor", "item", "level", "check", "met"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.assign(
        year=2567,
        framework="pmqa40-status",
        source_file="checklist.csv",
        source_sheet="",
        source_row=range(2, len(frame) + 2),
    )
    return SheetSet.of(checks=frame)


def per_item(sheets: SheetSet, registry: Registry) -> list[Problem]:
    """The checks' check as it was: a loop over each agency, year, file and item."""
    checks = sheets.checks
    checks = checks[~named(checks["assessor"], CONSENSUS) & ~is_agreed(checks).to_numpy(dtype=bool)]
    problems = []
    for (agency_id, year, framework_id, file, item), group in checks.groupby(
        [*KEYS, "source_file", "item"], sort=False, observed=True
    ):
        wanted = [c.id for c in registry.get(framework_id).item(item).checks]
        missing = [c for c in wanted if c not in set(group["check"])]
        if missing:
            problems.append(
                Problem(
                    file=str(file),
                    row=0,
                    column="check",
                    found=f"no rows for checks {', '.join(missing)} of {agency_id} {year}",
                    expected=f"a row for every check of item {item}",
                )
            )
    return problems


def _race(
    what: str,
    rows: int,
    old: tuple[str, Callable[[], list[Problem]]],
    new: tuple[str, Callable[[], list[Problem]]],
    names: str = "ab",
) -> None:
    """Time ``old`` then ``new`` over the same rows, check that they name the same problems
    in the same order, and print the seconds and the ratio."""
    seconds, found = [], []
    for _, run in (old, new):
        started = time.perf_counter()
        found.append(run())
        seconds.append(time.perf_counter() - started)
    assert [str(p) for p in found[1]] == [str(p) for p in found[0]], "the two disagree"
    print(f"{rows:,} rows, {len(found[1]):,} {what}")
    print("| method | seconds |\n|---|---:|")
    for name, (label, _), spent in zip(names, (old, new), seconds, strict=True):
        print(f"| ({name}) {label} | {spent:.2f} |")
    print(f"({names[1]}) is {seconds[0] / seconds[1]:.0f}x ({names[0]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=285_000)
    parser.add_argument("--agencies", type=int, default=1_000)
    args = parser.parse_args()
    registry = Registry()
    sheets = band_rows(args.rows, registry)
    _race(
        "categories scored in part", len(sheets.bands),
        ("one group per agency", lambda: per_agency(sheets, registry)),
        ("`coverage`, one grouping", lambda: coverage(sheets, registry, set())),
    )  # fmt: skip
    checklist = checklist_rows(args.agencies, registry)
    print()
    _race(
        "items with a check left out", len(checklist.checks),
        ("one group per agency, year, file and item", lambda: per_item(checklist, registry)),
        ("`_checks`, one merge", lambda: _checks(checklist, registry, set())),
        names="cd",
    )  # fmt: skip


if __name__ == "__main__":
    main()
