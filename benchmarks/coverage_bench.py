"""The category coverage check at scale: one grouping against a loop over the agencies.

    python benchmarks/coverage_bench.py [--rows 285000]

Builds a band sheet of N rows as ``check_sheets`` holds it (agencies x the 18 items of
pmqa-2562, one assessor, one file; one agency in fifty leaves out one item, so that the check
has categories scored in part to name), then times over the same rows (a) the loop the check
was: one group per agency, year and file, each category of the framework looked at in
Python; and (b) :func:`evalkit.sheets.consistency.coverage`, which counts the items of each
category in one grouping. Prints seconds and the ratio, and checks that both name the same
problems in the same order.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from evalkit import Registry, SheetSet
from evalkit.core.errors import Problem
from evalkit.sheets.consistency import _scored, coverage
from evalkit.sheets.sheetset import KEYS


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=285_000)
    args = parser.parse_args()
    registry = Registry()
    sheets = band_rows(args.rows, registry)
    started = time.perf_counter()
    looped = per_agency(sheets, registry)
    loop_seconds = time.perf_counter() - started
    started = time.perf_counter()
    grouped = coverage(sheets, registry, set())
    group_seconds = time.perf_counter() - started
    assert [str(p) for p in grouped] == [str(p) for p in looped], "the two disagree"
    print(f"{len(sheets.bands):,} rows, {len(grouped):,} categories scored in part")
    print("| method | seconds |\n|---|---:|")
    print(f"| (a) one group per agency | {loop_seconds:.2f} |")
    print(f"| (b) `coverage`, one grouping | {group_seconds:.2f} |")
    print(f"(b) is {loop_seconds / group_seconds:.0f}x (a)")


if __name__ == "__main__":
    main()
