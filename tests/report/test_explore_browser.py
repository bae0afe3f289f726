"""``evalkit explore`` served for real (Voila, a kernel) and driven in Debian's Chromium: a
project made by ``evalkit init`` with filled templates and a broken sheet, and the bundled
sample. The what-if in the browser must give what ``evalkit score`` gives for the same change."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest
from helpers import CHROMIUM_FLAGS, CHROMIUM_PATH, ROOT, explore_server, fill_template

from evalkit import load_sheets
from evalkit.cli.main import main
from evalkit.frameworks.registry import Registry
from evalkit.report.explore.whatif import item_choices

pytestmark = pytest.mark.slow
if not Path(CHROMIUM_PATH).exists():
    pytest.skip("Chromium is not installed (CI installs it)", allow_module_level=True)

ARTIFACTS = ROOT / "build" / "test-artifacts"
WAIT = 120_000  # ms: a bound on every wait in the page
PMQA = Registry().get("pmqa-2562")
#: Two agencies scored by three assessors each, through filled copies of the init template.
AGENCIES = {"agency-a": "สำนักงานเอ", "agency-b": "สำนักงานบี"}


def _percent(agency: str, assessor: int) -> dict[str, float]:
    base = 45 if agency == "agency-a" else 55
    return {i.key: base + 5 * ((n + assessor) % 3) for n, i in enumerate(PMQA.items)}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """``evalkit init`` with its template filled by three assessors for two agencies, and a
    third agency's sheet with a percent off the allowed steps."""
    folder = tmp_path_factory.mktemp("explore") / "my-province"
    assert main(["init", str(folder), "--framework", "pmqa-2562"]) == 0
    blank = folder / "templates" / "template-pmqa-2562.xlsx"  # copied into data/ to be filled
    shutil.copy(blank, folder / "data" / "template-pmqa-2562.xlsx")
    copies = {}
    for agency in AGENCIES:
        for assessor in (1, 2, 3):
            copies[(agency, assessor)] = shutil.copy(
                blank, folder / "data" / f"{agency}-{assessor}.xlsx"
            )
    shutil.copy(blank, folder / "data" / "agency-c-1.xlsx")
    for (agency, assessor), path in copies.items():
        who = {
            "agency_id": agency,
            "agency_name": AGENCIES[agency],
            "year": 2566,
            "assessor": f"ผู้ประเมิน {assessor}",
        }
        fill_template(Path(path), who, _percent(agency, assessor))
    fill_template(
        folder / "data" / "template-pmqa-2562.xlsx",
        {
            "agency_id": "agency-a",
            "agency_name": AGENCIES["agency-a"],
            "year": 2565,
            "assessor": "ผู้ประเมิน 1",
        },
        _percent("agency-a", 1),
    )
    broken = _percent("agency-c", 1) | {"2.1": 47}
    fill_template(
        folder / "data" / "agency-c-1.xlsx",
        {"agency_id": "agency-c", "agency_name": "สำนักงานซี", "year": 2566, "assessor": "ผู้ประเมิน 1"},
        broken,
    )
    return folder


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _open(browser, url: str, log: Path):
    """The dashboard in a new page of a browser that has no internet: a request off this
    machine is refused at once and fails the test, as it would leave an offline user waiting.
    The page is ready when a person can use it (its first drop-down is there), not at the
    browser's "load" event, which also waits for every module the widgets load in the
    background. When it does not show in time, the failure names the requests still waiting
    and the server's last lines (``log``, written by ``evalkit explore -v``)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(WAIT)
    outside: list[str] = []
    waiting: dict[str, float] = {}
    start = time.monotonic()

    def offline(route) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    page.on("request", lambda r: waiting.setdefault(r.url, time.monotonic() - start))
    page.on("requestfinished", lambda r: waiting.pop(r.url, None))
    page.on("requestfailed", lambda r: waiting.pop(r.url, None))
    page.route("**/*", offline)
    try:
        page.goto(url, wait_until="commit", timeout=WAIT)
        page.wait_for_selector(".ek-explore .ek-choose-agency select", timeout=WAIT)
    except PlaywrightTimeout as late:
        server = log.read_text(encoding="utf-8", errors="replace").splitlines()[-60:]
        asked = [f"{request} (asked at {at:.1f} s)" for request, at in sorted(waiting.items())]
        pytest.fail(
            f"the dashboard did not show: {late}\nrequests not answered: {asked}\n"
            "the server's last lines:\n" + "\n".join(server)
        )
    assert outside == [], outside
    return page


def _tab(page, word: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=word).click()


def _total(page) -> float:
    return float(page.locator(".ek-whatif-total").get_attribute("data-points"))


def _score_with_change(
    project: Path, out: Path, agency: str, item: str, percent: float
) -> tuple[float, dict]:
    """``evalkit score --rules`` on the project's sheets with every assessor's ``item`` of
    ``agency`` set to ``percent``: the same change, made in a sheet."""
    files = sorted((project / "data").glob("agency-[ab]-*.xlsx"))
    bands = load_sheets(files).bands
    bands = bands[bands["agency_id"] == agency].copy()
    bands.loc[bands["item"] == item, "percent"] = percent
    sheet = out / "changed.csv"
    columns = ["agency_id", "agency_name", "year", "framework", "assessor", "item", "percent"]
    bands[columns].to_csv(sheet, index=False)
    scores, rules = out / "scores.csv", out / "rules.csv"
    assert main(["score", str(sheet), "--out", str(scores), "--rules", str(rules)]) == 0
    with scores.open(encoding="utf-8-sig") as handle:
        total = next(float(r["points"]) for r in csv.DictReader(handle) if r["level"] == "total")
    with rules.open(encoding="utf-8-sig") as handle:
        verdicts = {(r["rule"], r["key"]): r["met"] for r in csv.DictReader(handle)}
    return total, verdicts


def test_the_whatif_in_the_browser_gives_what_evalkit_score_gives(project, browser, tmp_path):
    log = tmp_path / "explore.log"
    with explore_server(project, log) as url:
        page = _open(browser, url, log)
        problems = page.locator(".ek-problems")
        problems.wait_for(timeout=WAIT)
        assert "agency-c-1.xlsx" in problems.inner_text()  # the broken sheet, by name
        assert str(project) not in page.content()  # no absolute path on the page
        assert "[Voila]" in log.read_text(encoding="utf-8")  # -v: the server's own messages
        page.locator(".ek-choose-year select").select_option(label="2566")
        page.locator(".ek-choose-agency select").select_option(
            label=f"{AGENCIES['agency-b']} (agency-b)"
        )
        page.locator(".ek-summary h1", has_text=AGENCIES["agency-b"]).wait_for(timeout=WAIT)
        _tab(page, "what-if")
        page.wait_for_selector(".ek-whatif-total", timeout=WAIT)
        before = _total(page)
        label = dict((v, k) for k, v in item_choices(PMQA, "3.1"))[10.0]
        page.locator(".ek-item-3-1 select").select_option(label=label)
        page.wait_for_function(
            f"document.querySelector('.ek-whatif-total').dataset.points != '{before:.4f}'",
            timeout=WAIT,
        )
        total, verdicts = _score_with_change(project, tmp_path, "agency-b", "3.1", 10.0)
        assert _total(page) == pytest.approx(total)
        row = page.locator("tr[data-rule='category-award'][data-key='3']")
        assert row.get_attribute("data-met") == verdicts[("category-award", "3")].lower() == "false"
        assert row.locator("td").nth(3).inner_text().endswith("ผ่าน (met)")  # before the change
        assert total != pytest.approx(before)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explore-whatif.png"), full_page=True)
        page.close()


def _download(page, button: str, tmp_path: Path) -> Path:
    """Press a download tab's button, then its link; the file as the browser saved it."""
    page.locator(f".ek-make-{button} button, button.ek-make-{button}").first.click()
    link = page.locator("a.ek-download")
    try:
        link.wait_for(timeout=WAIT)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"explore-download-{button}.png"))
        raise
    with page.expect_download(timeout=WAIT) as caught:
        link.click()
    target = tmp_path / caught.value.suggested_filename
    caught.value.save_as(target)
    page.evaluate("document.querySelectorAll('a.ek-download').forEach(a => a.remove())")
    return target


def test_the_bundled_sample_its_cheapest_path_and_its_downloads(browser, tmp_path):
    import openpyxl

    from evalkit.report.explore import Explorer
    from evalkit.report.explore.whatif import Scenario

    empty = tmp_path / "empty"
    empty.mkdir()
    log = tmp_path / "explore.log"
    with explore_server(empty, log) as url:
        page = _open(browser, url, log)
        assert "ข้อมูลตัวอย่างที่มากับ evalkit" in page.locator(".ek-explore").inner_text()
        page.locator(".ek-choose-framework select").select_option(label="pmqa40-status")
        page.locator(".ek-summary h1", has_text="สำนักงานจังหวัดตราด").wait_for(timeout=WAIT)
        _tab(page, "what-if")
        page.wait_for_selector(".ek-whatif-total", timeout=WAIT)
        before = _total(page)
        page.locator(".ek-whatif select").first.select_option(index=0)  # the first target
        page.locator("button.ek-cheapest").click()
        page.wait_for_function(
            f"document.querySelector('.ek-whatif-total').dataset.points != '{before:.4f}'",
            timeout=WAIT,
        )
        whatif = Explorer(empty).whatif("pmqa40-status", 2564, "trat-province")
        target = whatif.targets(whatif.base).iloc[0]
        scenario, _ = whatif.cheapest(Scenario(), float(target["threshold"]))
        assert _total(page) == pytest.approx(whatif.run(scenario).total)
        row = page.locator(f"tr[data-rule='{target['rule']}'][data-key='total']")
        assert row.get_attribute("data-met") == "true"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explore-sample-whatif.png"))
        _tab(page, "download")
        workbook = _download(page, "xlsx", tmp_path)
        book = openpyxl.load_workbook(workbook)
        checks = list(book["ข้อตรวจที่ต้องผ่าน (checks)"].iter_rows(values_only=True))[1:]
        assert {row[2] for row in checks} == scenario.checks
        html = _download(page, "page", tmp_path).read_text(encoding="utf-8")
        assert "สำนักงานจังหวัดตราด" in html and str(empty) not in html
        pdf = _download(page, "pdf", tmp_path)
        assert pdf.read_bytes().startswith(b"%PDF")
        page.close()
