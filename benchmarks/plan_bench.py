"""Planning cost of ``evalkit run`` as the number of params files grows.

For each size N (default 1,000, 5,000 and 10,000) it writes N params files, one per agency,
over (a) one province-wide sheet that every file names, and (b) one sheet per agency, then
times ``make_plan`` twice: the first plan into a new reports folder, which reads and checks
every sheet, and the plan of a no-op run (all a run with nothing to render does besides
skipping), whose sheets the folder's sheet cache knows unchanged. It prints the
milliseconds per params file and the ratio of each size's time to the previous one, per
doubling of N (linear planning: 2.0-2.1x per doubling).

    .venv/bin/python benchmarks/plan_bench.py                 # 1,000, 5,000 and 10,000
    .venv/bin/python benchmarks/plan_bench.py --sizes 250 500 1000
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

from evalkit import Registry
from evalkit.runner.engines.notebook import AGENCY_NOTEBOOK, find_notebook
from evalkit.runner.plan.planning import make_plan

HEADER = "agency_id,agency_name,year,framework,assessor,item,percent\n"


def _rows(agency: str, items: list[str]) -> str:
    return "".join(f"{agency},สำนักงาน {agency},2565,pmqa-2562,ก,{item},60\n" for item in items)


def project(folder: Path, size: int, shared: bool) -> list[Path]:
    """``size`` params files over one shared sheet, or over one sheet each."""
    items = [i.key for i in Registry().get("pmqa-2562").items]
    agencies = [f"a{n:05d}" for n in range(size)]
    (folder / "data").mkdir(parents=True)
    if shared:
        text = HEADER + "".join(_rows(a, items) for a in agencies)
        (folder / "data" / "province.csv").write_text(text, encoding="utf-8")
    params = []
    for agency in agencies:
        sheet = "province.csv" if shared else f"{agency}.csv"
        if not shared:
            (folder / "data" / sheet).write_text(HEADER + _rows(agency, items), "utf-8")
        path = folder / f"{agency}.yaml"
        path.write_text(
            f"agency_id: {agency}\nframework: pmqa-2562\ndata: [data/{sheet}]\n", "utf-8"
        )
        params.append(path)
    return params


def plan_seconds(size: int, shared: bool) -> tuple[float, float]:
    """Seconds of the first plan and of the plan of a no-op run, over ``size`` files."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        params = project(folder, size, shared)
        notebook = find_notebook(AGENCY_NOTEBOOK, folder)
        (folder / "reports").mkdir()
        found = []
        for _ in range(2):
            start = time.perf_counter()
            made = make_plan(params, folder / "reports", notebook, None, None, folder)
            found.append(time.perf_counter() - start)
            assert len(made.jobs) == size and not made.refused, made.problems[:3]
        return found[0], found[1]


def _line(size: int, seconds: float, previous: tuple[int, float] | None) -> str:
    line = f"{seconds:8.2f} s, {seconds / size * 1000:6.2f} ms each"
    if previous is not None:
        doublings = math.log2(size / previous[0])
        line += f" ({(seconds / previous[1]) ** (1 / doublings):.2f}x per doubling)"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    args = parser.parse_args()
    for shared, label in ((True, "one province-wide sheet"), (False, "one sheet per agency")):
        print(f"{label}:")
        first: tuple[int, float] | None = None
        again: tuple[int, float] | None = None
        for size in args.sizes:
            seconds = plan_seconds(size, shared)
            print(
                f"  {size:>6} params files: first plan {_line(size, seconds[0], first)}; "
                f"no-op run {_line(size, seconds[1], again)}",
                flush=True,
            )
            first, again = (size, seconds[0]), (size, seconds[1])


if __name__ == "__main__":
    main()
