"""Speed of the explore dashboard: its first view, and a what-if change.

    python benchmarks/explore_bench.py [--agencies 30] [--changes 15]

Builds a project folder of N agencies scored on a framework of 24 band-percent items (4
categories of 6) by 3 assessors, with award and category rules, then measures:

1. **First view**: ``evalkit explore`` started on the folder, until Chromium (headless, the
   system's) shows the dashboard's drop-downs: the command's start, Voila, a kernel that runs
   the notebook (the project read, validated and scored), and the page drawn. Then a second
   visit to the same server, whose next kernel has run the notebook in advance (what a person
   who opens the address of a running dashboard waits for). The baseline,
   measured in the same run: the project read and scored in this process (``read_project``),
   the work no dashboard can skip.
2. **What-if change**: one item moved to another band, in the running dashboard, until the
   new total shows in the page (the widget's message to the kernel, the agency re-scored and
   judged, the result sent back and drawn), the median of ``--changes`` changes. Beside it,
   in this process: the change scored and judged (``WhatIf.run``), and the baseline, the same
   agency's rows scored alone (``score``), the floor of any re-scoring.

Targets (issue 26): the first view within a few seconds, a what-if change within 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM_FLAGS, CHROMIUM_PATH, explore_server  # noqa: E402

ITEMS, CATEGORIES, ASSESSORS = 24, 4, 3
BANDS = [0, 10, 30, 50, 70, 90]


def framework_yaml() -> str:
    per = ITEMS // CATEGORIES
    lines = [
        "id: bench-24",
        'edition: "benchmark"',
        "name: {th: เกณฑ์ทดสอบความเร็ว, en: Benchmark framework}",
        "source: benchmarks/explore_bench.py",
        "confidence: {points: exact}",
        f"max_points: {ITEMS * 25}",
        "scoring: {method: band-percent, aggregate: sum, consensus: median, step: 5}",
        "bands: [[0, 5], [10, 25], [30, 45], [50, 65], [70, 85], [90, 100]]",
        "rules:",
        "  - {id: award, name: {th: รางวัล, en: Award}, level: total, min_points: 300}",
        "  - {id: category, name: {th: รายหมวด, en: Category}, level: category, min_percent: 50}",
        "categories:",
    ]
    for c in range(1, CATEGORIES + 1):
        lines += [f'  - key: "{c}"', f"    name: {{th: หมวด {c}, en: Category {c}}}", "    items:"]
        for i in range(1, per + 1):
            name = f"{{th: หัวข้อ {c}.{i}, en: Item {c}.{i}}}"
            lines.append(f'      - {{key: "{c}.{i}", points: 25, name: {name}}}')
    return "\n".join(lines) + "\n"


def make_project(folder: Path, agencies: int) -> None:
    import random

    rng = random.Random(26)
    (folder / "frameworks").mkdir(parents=True)
    (folder / "params").mkdir()
    (folder / "data").mkdir()
    (folder / "frameworks" / "bench-24.yaml").write_text(framework_yaml(), encoding="utf-8")
    rows = ["agency_id,agency_name,year,framework,assessor,item,percent"]
    keys = [f"{c}.{i}" for c in range(1, CATEGORIES + 1) for i in range(1, ITEMS // CATEGORIES + 1)]
    for a in range(agencies):
        level = rng.choice([30, 35, 40, 45, 50, 55, 60])
        for who in range(1, ASSESSORS + 1):
            for key in keys:
                percent = max(0, min(100, level + rng.choice([-5, 0, 0, 5])))
                rows.append(
                    f"agency-{a:03d},หน่วยงาน {a:03d},2566,bench-24,ผู้ประเมิน {who},{key},{percent}"
                )
    (folder / "data" / "scores.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "params" / "all.yaml").write_text(
        "agency_id: agency-000\nframework: bench-24\ndata: [../data/scores.csv]\n", encoding="utf-8"
    )


def in_process(folder: Path, changes: int) -> dict[str, float]:
    from evalkit import score
    from evalkit.report.explore.project import read_project
    from evalkit.report.explore.whatif import Scenario, WhatIf

    start = time.perf_counter()
    project = read_project(folder)
    read = time.perf_counter() - start
    whatif = WhatIf(
        project.sheets, project.registry, project.registry.get("bench-24"), "agency-000", 2566
    )
    values = [float(v) for v in range(0, 101, 5)]
    runs, floors = [], []
    for n in range(changes):
        scenario = Scenario({f"{n % CATEGORIES + 1}.{n % 6 + 1}": values[n % len(values)]})
        t = time.perf_counter()
        whatif.run(scenario)
        runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        score(whatif.sheets, project.registry)
        floors.append(time.perf_counter() - t)
    return {"read": read, "run": statistics.median(runs), "floor": statistics.median(floors)}


def in_browser(folder: Path, changes: int, log: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    wait = 180_000
    start = time.perf_counter()
    with explore_server(folder, log) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(url, timeout=wait)
        page.wait_for_selector(".ek-explore .ek-choose-agency select", timeout=wait)
        first = time.perf_counter() - start
        time.sleep(20)  # the server runs the notebook for the next visitor in advance
        again = browser.new_page(viewport={"width": 1280, "height": 1000})
        t = time.perf_counter()
        again.goto(url, timeout=wait, wait_until="commit")
        html = time.perf_counter() - t
        again.wait_for_selector(".ek-explore .ek-choose-agency select", timeout=wait)
        second = time.perf_counter() - t
        again.close()
        page.locator(".lm-TabBar-tab", has_text="what-if").click()
        page.wait_for_selector(".ek-whatif-total", timeout=wait)
        rounds = []
        box = page.locator(".ek-item-1-1 select")
        for n in range(changes):
            before = page.locator(".ek-whatif-total").get_attribute("data-points")
            t = time.perf_counter()
            box.select_option(index=(n * 7 + 3) % 21)  # a different band at every change
            page.wait_for_function(
                f"document.querySelector('.ek-whatif-total').dataset.points != '{before}'",
                timeout=wait,
                polling=10,
            )
            rounds.append(time.perf_counter() - t)
        browser.close()
    return {"first": first, "second": second, "html": html, "change": statistics.median(rounds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=30)
    parser.add_argument("--changes", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="explore-bench-") as tmp:
        folder = Path(tmp) / "project"
        make_project(folder, args.agencies)
        sheet, frameworks = folder / "data" / "scores.csv", folder / "frameworks"
        command = ["validate", str(sheet), "--frameworks-dir", str(frameworks)]
        subprocess.run([sys.executable, "-m", "evalkit", *command], check=True)
        here = in_process(folder, args.changes)
        seen = in_browser(folder, args.changes, Path(tmp) / "explore.log")
    print(f"project: {args.agencies} agencies x {ITEMS} items x {ASSESSORS} assessors")
    print(f"{'measure':58} {'seconds':>8} {'x baseline':>10}")
    rows = [
        ("baseline: project read, validated and scored in-process", here["read"], here["read"]),
        ("first view: evalkit explore started -> dashboard shown", seen["first"], here["read"]),
        ("address opened on the running server -> dashboard shown", seen["second"], here["read"]),
        ("  of which: until the page's HTML arrives", seen["html"], here["read"]),
        ("baseline: one agency's rows scored (score)", here["floor"], here["floor"]),
        ("what-if change scored and judged in-process (WhatIf.run)", here["run"], here["floor"]),
        ("what-if change in the browser: select -> new total shown", seen["change"], here["floor"]),
    ]
    for name, seconds, base in rows:
        print(f"{name:58} {seconds:8.3f} {seconds / base:10.1f}")
    print(
        f"targets: first view within a few seconds; a what-if change within 0.5 s: "
        f"{'met' if seen['change'] < 0.5 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
