"""Scoring speed: the vectorised engine against a straightforward per-row Python loop.

    python benchmarks/score_bench.py [--agencies 10000] [--assessors 5]

Builds N agencies x 18 pmqa-2562 items x M assessors of valid rows, then times
(a) the per-row loop most people write first: ``for _, row in df.iterrows()``, collecting
    each item's percentages, then median, rounding and sums;
(b) the same loop tuned as far as plain Python goes (``itertuples`` and dicts); and
(c) evalkit.score on the same rows, already loaded (as ``load_sheets`` returns them).
Prints seconds, rows per second and ratios, and checks that all give the same totals.
Target on a 2-core machine: (c) under 2 s, and at least 20x the loop.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections import defaultdict

import numpy as np
import pandas as pd

from evalkit import Registry, SheetSet, score


def make_rows(agencies: int, assessors: int, seed: int = 7) -> pd.DataFrame:
    framework = Registry().get("pmqa-2562")
    items = [i.key for i in framework.items]
    rng = np.random.default_rng(seed)
    n = agencies * len(items) * assessors
    return pd.DataFrame(
        {
            "agency_id": np.repeat(
                [f"agency-{a:05d}" for a in range(agencies)], len(items) * assessors
            ),
            "agency_name": "หน่วยงาน",
            "year": 2565,
            "framework": framework.id,
            "assessor": np.tile(
                np.repeat([f"p{p}" for p in range(assessors)], len(items)), agencies
            ),
            "item": np.tile(items, agencies * assessors),
            "percent": rng.integers(0, 21, n) * 5.0,
        }
    )


def loop_score(rows: pd.DataFrame, tuned: bool = False) -> dict[str, float]:
    """Walk the rows collecting each item's percentages, then score item by item."""
    framework = Registry().get("pmqa-2562")
    points = {i.key: i.points for i in framework.items}
    category = {i.key: i.category for i in framework.items}
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    if tuned:
        for row in rows.itertuples(index=False):
            values[(row.agency_id, row.item)].append(row.percent)
    else:
        for _, record in rows.iterrows():
            values[(record["agency_id"], record["item"])].append(record["percent"])
    totals: dict[str, float] = defaultdict(float)
    by_category: dict[tuple[str, str], float] = defaultdict(float)
    for (agency, item), percents in values.items():
        percent = math.floor(statistics.median(percents) / framework.step + 0.5 + 1e-9)
        item_points = percent * framework.step * points[item] / 100
        by_category[(agency, category[item])] += item_points
    for (agency, _), value in by_category.items():
        totals[agency] += value
    return dict(totals)


def timed(function, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=10_000)
    parser.add_argument("--assessors", type=int, default=5)
    args = parser.parse_args()
    rows = make_rows(args.agencies, args.assessors)
    sheets = SheetSet.of(bands=rows)
    registry = Registry()
    score(SheetSet.of(bands=rows.head(90)), registry)  # warm-up: imports, caches

    loop_seconds, loop_totals = timed(loop_score, rows)
    tuned_seconds, tuned_totals = timed(loop_score, rows, True)
    engine_seconds, result = timed(score, sheets, registry)
    totals = result[result["level"] == "total"].set_index("agency_id")["points"].sort_index()
    for other in (loop_totals, tuned_totals):
        assert np.allclose(totals.to_numpy(), pd.Series(other).sort_index().to_numpy())

    print(
        f"rows: {len(rows):,} ({args.agencies:,} agencies x 18 items x {args.assessors} assessors)"
    )
    print(f"{'method':28} {'seconds':>8} {'rows/s':>12}")
    for name, seconds in (
        ("(a) per-row loop, iterrows", loop_seconds),
        ("(b) per-row loop, tuned", tuned_seconds),
        ("(c) evalkit.score", engine_seconds),
    ):
        print(f"{name:28} {seconds:8.2f} {len(rows) / seconds:12,.0f}")
    print(
        f"(c) vs (a): {loop_seconds / engine_seconds:.1f}x   "
        f"(c) vs (b): {tuned_seconds / engine_seconds:.1f}x   "
        f"(c) under 2 s: {'yes' if engine_seconds < 2 else 'no'}"
    )


if __name__ == "__main__":
    main()
