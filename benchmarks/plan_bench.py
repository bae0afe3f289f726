"""Planning cost of ``evalkit run`` as the number of params files grows.

For each size N (default 1,000, 5,000 and 10,000) it writes N params files, one per agency,
over (a) one province-wide sheet that every file names, and (b) one sheet per agency, then
times the first plan into a new reports folder (``make_plan``, which reads and checks every
sheet), then a no-op run: ``run`` over a folder where every report is current (its page
written and its run record saying ``ok`` with the hashes of the plan, as a render leaves
them), which takes the lock, reads the run record, plans with the folder's sheet cache,
skips every report and writes the index. It prints the seconds, the milliseconds per params
file and the ratio of each size's time to the previous one, per doubling of N (linear:
2.0-2.1x per doubling).

    .venv/bin/python benchmarks/plan_bench.py                 # 1,000, 5,000 and 10,000
    .venv/bin/python benchmarks/plan_bench.py --sizes 250 500 1000 --layouts agency

Each time is given on the wall clock and in this process's processor time (a no-op run starts
no worker, so that is all of it); on a loaded machine the processor time is the steadier.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit import Registry
from evalkit.runner.engines.notebook import AGENCY_NOTEBOOK, find_notebook
from evalkit.runner.plan.planning import make_plan
from evalkit.runner.run import RunOptions, run
from evalkit.runner.status import Status

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import mark_rendered  # the tests' builder of a rendered folder

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


@dataclass
class Timed:
    """Wall seconds and this process's processor seconds of one step."""

    wall: float
    cpu: float

    @classmethod
    def of(cls, step: Callable[[], Any]) -> tuple[Timed, Any]:
        wall, cpu = time.perf_counter(), time.process_time()
        found = step()
        return cls(time.perf_counter() - wall, time.process_time() - cpu), found


def plan_seconds(size: int, shared: bool) -> tuple[Timed, Timed]:
    """The first plan and a no-op run, over ``size`` params files."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        params = project(folder, size, shared)
        notebook = find_notebook(AGENCY_NOTEBOOK, folder)
        out = folder / "reports"
        out.mkdir()
        first, made = Timed.of(lambda: make_plan(params, out, notebook, None, None, folder))
        assert len(made.jobs) == size and not made.refused, made.problems[:3]
        mark_rendered(made.jobs, out)
        options = RunOptions(quiet=True, project=folder)
        again, results = Timed.of(lambda: run(params, out, options, notebook))
        assert [r.status for r in results] == [Status.SKIPPED] * size
        return first, again


def _line(size: int, now: Timed, previous: tuple[int, Timed] | None) -> str:
    line = (
        f"{now.wall:7.2f} s ({now.cpu:6.2f} s processor), "
        f"{now.wall / size * 1000:6.2f} ms each ({now.cpu / size * 1000:5.2f})"
    )
    if previous is not None:
        doublings = math.log2(size / previous[0])
        wall = (now.wall / previous[1].wall) ** (1 / doublings)
        cpu = (now.cpu / previous[1].cpu) ** (1 / doublings)
        line += f", {wall:.2f}x per doubling ({cpu:.2f}x)"
    return line


LAYOUTS = {"province": (True, "one province-wide sheet"), "agency": (False, "one sheet per agency")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--layouts", nargs="+", choices=list(LAYOUTS), default=list(LAYOUTS))
    args = parser.parse_args()
    for shared, label in (LAYOUTS[name] for name in args.layouts):
        print(f"{label}:")
        first: tuple[int, Timed] | None = None
        again: tuple[int, Timed] | None = None
        for size in args.sizes:
            timed = plan_seconds(size, shared)
            print(f"  {size:>6} params files", flush=True)
            print(f"    first plan  {_line(size, timed[0], first)}", flush=True)
            print(f"    no-op run   {_line(size, timed[1], again)}", flush=True)
            first, again = (size, timed[0]), (size, timed[1])


if __name__ == "__main__":
    main()
