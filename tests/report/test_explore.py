"""The explorer without a browser: what it reads from a project folder, the what-if scored as
``evalkit score`` scores the same change made in a sheet, the exact cheapest paths, and the
files it hands out."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import ROOT, SAMPLE

from evalkit import Registry, load_sheets, score
from evalkit.analysis.compare import cheapest_path
from evalkit.core.errors import EvalkitError
from evalkit.report.explore import Explorer
from evalkit.report.explore.downloads import agency_page, whatif_bytes
from evalkit.report.explore.project import read_project
from evalkit.report.explore.views import problem_list
from evalkit.report.explore.whatif import Scenario, WhatIf, item_choices
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.ledger import Ledger
from evalkit.sheets.sheetset import SheetSet

BAND = "agency_id,agency_name,year,framework,assessor,item,percent\n"


def _project(folder: Path, sheets: dict[str, str], data: str = "../data/*.csv") -> Path:
    (folder / "params").mkdir(parents=True)
    (folder / "data").mkdir()
    for name, text in sheets.items():
        (folder / "data" / name).write_text(text, encoding="utf-8")
    (folder / "params" / "a.yaml").write_text(
        f"agency_id: a\nframework: pmqa-2562\ndata: [{data}]\n", encoding="utf-8"
    )
    return folder


def _band_sheet(agency: str, percent: float, year: int = 2566) -> str:
    items = [i.key for i in Registry().get("pmqa-2562").items]
    rows = [
        f"{agency},หน่วยงาน {agency},{year},pmqa-2562,{who},{item},{percent}"
        for who in ("A", "B", "C")
        for item in items
    ]
    return BAND + "\n".join(rows) + "\n"


def test_a_folder_that_names_no_sheets_shows_the_bundled_sample(tmp_path):
    project = read_project(tmp_path)
    assert project.sample and project.problems == ()
    assert set(project.units()["framework"]) >= {"pmqa-2562", "pmqa40-status", "cdd-clean"}
    assert all("/" not in f for f in project.files)  # bare names: nothing of this machine


def test_a_broken_sheet_is_listed_and_the_other_agencies_stay(tmp_path):
    broken = _band_sheet("b", 55).replace("pmqa-2562,A,2.1,55", "pmqa-2562,A,2.1,47")
    folder = _project(tmp_path / "p", {"a.csv": _band_sheet("a", 50), "b.csv": broken})
    project = read_project(folder)
    assert not project.sample
    assert sorted(project.units()["agency_id"]) == ["a"]
    (problem,) = project.problems
    assert (problem.file, problem.row, problem.column) == ("data/b.csv", 4, "percent")
    html = problem_list(project.problems).body
    assert "data/b.csv" in html and "แถว 4" in html and "row 4" in html
    assert str(tmp_path) not in html


def test_a_clash_across_files_leaves_out_each_file_named(tmp_path):
    a = _band_sheet("a", 50)
    folder = _project(tmp_path / "p", {"a.csv": a, "a2.csv": a.replace(",50\n", ",55\n")})
    project = read_project(folder)
    assert project.units().empty and project.problems
    assert {p.file for p in project.problems} <= {"data/a.csv", "data/a2.csv"}


def test_a_params_file_that_cannot_be_read_is_a_problem_of_its_own(tmp_path):
    folder = _project(tmp_path / "p", {"a.csv": _band_sheet("a", 50)})
    (folder / "params" / "bad.yaml").write_text("data: [unclosed\n", encoding="utf-8")
    (folder / "params" / "none.yaml").write_text("data: [../data/missing-*.csv]\n")
    project = read_project(folder)
    assert list(project.units()["agency_id"]) == ["a"]
    assert sorted(p.file for p in project.problems) == ["params/bad.yaml", "params/none.yaml"]
    assert str(folder.resolve()) not in problem_list(project.problems).body


def test_the_ledger_adds_the_agency_years_the_sheets_do_not_hold(tmp_path):
    folder = _project(tmp_path / "p", {"a.csv": _band_sheet("a", 50)})
    older = tmp_path / "older.csv"
    older.write_text(_band_sheet("a", 40, year=2565) + _band_sheet("a", 45)[len(BAND) :])
    ledger = Ledger(folder / "data" / "ledger.sqlite")
    ledger.ingest([older])
    ledger.close()
    units = read_project(folder).units()
    assert sorted(units["year"]) == [2565, 2566]  # 2566 from the sheet, 2565 from the ledger
    totals = read_project(folder).result.query("level == 'total'").set_index("year")["points"]
    assert totals[2566] == pytest.approx(500.0)  # the sheet's 50%, not the ledger's 45%


def _changed_sheet(bands: pd.DataFrame, agency: str, item: str, column: str, value: float):
    """The same change as the what-if's, made in a sheet: every assessor's value set."""
    bands = bands[bands["agency_id"] == agency].copy()
    bands.loc[bands["item"] == item, column] = value
    return bands


@pytest.fixture(scope="module")
def explorer():
    return Explorer(ROOT, data=[str(SAMPLE / "*.csv"), str(SAMPLE / "*.xlsx")])


@pytest.mark.parametrize(
    ("framework", "year", "agency", "item", "value"),
    [
        ("pmqa-2562", 2565, "trat-cdd", "3.1", 65.0),
        ("pmqa-2562", 2564, "trat-nre", "7.2", 10.0),
        ("cdd-clean", 2564, "cdd-muang-trat", "2.1", 1.0),  # a rating item
    ],
)
def test_a_whatif_scores_as_the_changed_sheet_scores(
    explorer, framework, year, agency, item, value
):
    whatif = explorer.whatif(framework, year, agency)
    outcome = whatif.run(Scenario({item: value}))
    column = "rating" if whatif.framework.item(item).method == "rating" else "percent"
    sheets = explorer.project.sheets.where(year=year, framework=framework)
    expected = score(_changed_sheet(sheets.bands, agency, item, column, value))
    total = expected.query("level == 'total'")["points"].iloc[0]
    assert outcome.total == pytest.approx(total)
    assert outcome.total != pytest.approx(whatif.base.total)
    rules = evaluate_rules(expected)
    assert list(outcome.rules["met"]) == list(rules["met"])
    assert list(outcome.rules["shortfall"]) == pytest.approx(list(rules["shortfall"]))


def test_the_self_assessment_and_comment_rows_are_left_alone(explorer):
    whatif = explorer.whatif("pmqa-2562", 2565, "trat-cdd")
    changed = whatif.changed(Scenario({"1.1": 100.0})).bands
    own = changed[(changed["assessor"] == "self") & (changed["item"] == "1.1")]
    assert len(own) and (own["percent"] != 100).all()


def test_checks_marked_met_score_as_the_changed_checklist(explorer):
    whatif = explorer.whatif("pmqa40-status", 2564, "trat-province")
    unmet = whatif.verdicts().query("not met")
    marked = frozenset(unmet["check"].head(4).astype(str))
    outcome = whatif.run(Scenario(checks=marked))
    checks = explorer.project.sheets.checks
    checks = checks[(checks["framework"] == "pmqa40-status") & (checks["assessor"] != "self")]
    checks = checks.assign(met=checks["met"] | checks["check"].astype(str).isin(marked))
    sheets = explorer.project.sheets.where(framework="pmqa40-status")
    expected = score(SheetSet.of(bands=sheets.bands, checks=checks, indicators=sheets.indicators))
    assert outcome.total == pytest.approx(expected.query("level == 'total'")["points"].iloc[0])
    assert outcome.total > whatif.base.total


def test_the_cheapest_path_is_the_librarys_and_reaches_the_target(explorer):
    whatif = explorer.whatif("pmqa-2562", 2565, "trat-cdd")
    scenario, path = whatif.cheapest(Scenario(), 700.0)
    expected = cheapest_path(whatif.base.result, whatif.framework, "trat-cdd", 2565, 700.0)
    assert path.equals(expected)
    assert whatif.run(scenario).total == pytest.approx(path["total"].iloc[-1])
    assert whatif.run(scenario).total >= 700.0
    with pytest.raises(EvalkitError):
        whatif.cheapest(Scenario(), 2000.0)


def test_the_fewest_checks_to_a_target_are_applied(explorer):
    whatif = explorer.whatif("pmqa40-status", 2564, "trat-province")
    target = whatif.targets(whatif.base).iloc[0]
    scenario, path = whatif.cheapest(Scenario(), float(target["threshold"]))
    assert scenario.checks == frozenset(path["check"])
    outcome = whatif.run(scenario)
    assert outcome.total >= float(target["threshold"]) - 1e-9
    met = outcome.rules.set_index(["rule", "key"])["met"]
    assert bool(met[(target["rule"], target["key"])])


def test_item_choices_are_the_frameworks_steps_and_levels():
    pmqa, clean = Registry().get("pmqa-2562"), Registry().get("cdd-clean")
    values = [v for _, v in item_choices(pmqa, "2.1")]
    assert values == [float(v) for v in range(0, 101, 5)]
    assert [v for _, v in item_choices(clean, "1.1")] == [float(r.value) for r in clean.ratings]


def test_the_whatif_workbook_says_what_it_is_and_what_to_raise(explorer):
    whatif = explorer.whatif("pmqa-2562", 2565, "trat-cdd")
    scenario = Scenario({"3.1": 65.0})
    book = openpyxl.load_workbook(io.BytesIO(whatif_bytes(whatif, scenario, whatif.run(scenario))))
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props == {"evalkit-kind": "what-if", "evalkit-input-sheets": json.dumps([])}
    rows = list(book["สิ่งที่ต้องยกระดับ (to raise)"].iter_rows(values_only=True))
    assert rows[1][0] == "3.1" and "65%" in rows[1][3]


def test_the_agency_page_is_self_contained_and_names_no_path(explorer, tmp_path):
    report = explorer.report("pmqa-2562", 2565, "trat-cdd")
    html = agency_page(report)
    assert "สำนักงานพัฒนาชุมชนจังหวัดตราด" in html and "<script" not in html
    assert str(ROOT) not in html and "http://" not in html and "@font-face" in html


def test_the_first_view_starts_at_the_parameters_or_the_largest_framework(explorer):
    first = explorer.choices("pmqa-2562", 2565)["agencies"][0][1]  # by name, as listed
    assert explorer.first() == ("pmqa-2562", 2565, first)
    chosen = Explorer(ROOT, "cdd-clean", 2564, "cdd-ko-chang", data=[str(SAMPLE / "cdd-*")])
    assert chosen.first() == ("cdd-clean", 2564, "cdd-ko-chang")


def test_the_comparison_carries_the_decision_list_of_evalkit_decide(explorer):
    compare = explorer.view(3, "pmqa-2562", 2565, "trat-cdd")
    html = "".join(getattr(part, "body", "") for part in compare)
    assert "ผลการตัดสิน" in html and "สำนักงานพัฒนาชุมชนจังหวัดตราด" in html


def test_the_tabs_render_for_every_framework_of_the_sample(explorer):
    units = explorer.units.drop_duplicates("framework")
    for unit in units.itertuples(index=False):
        for tab in range(4):
            assert explorer.view(tab, unit.framework, unit.year, unit.agency_id)
        WhatIf(
            explorer.project.sheets,
            explorer.project.registry,
            explorer.project.registry.get(unit.framework),
            unit.agency_id,
            unit.year,
        )


def test_an_init_project_reads_its_own_frameworks_folder(tmp_path):
    folder = _project(tmp_path / "p", {"a.csv": _band_sheet("a", 50)})
    (folder / "frameworks").mkdir()
    shutil.copy(
        ROOT / "tests" / "golden" / "frameworks" / "golden-mini.yaml", folder / "frameworks"
    )
    project = read_project(folder)
    assert "golden-mini" in project.registry
    (folder / "frameworks" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    project = read_project(folder)
    assert list(project.units()["agency_id"]) == ["a"]  # the packaged frameworks still serve
    assert [p.file for p in project.problems] == ["frameworks/broken.yaml"]
    assert str(folder.resolve()) not in problem_list(project.problems).body


def test_load_sheets_of_the_sample_is_what_the_explorer_scores(explorer):
    files = sorted(SAMPLE.glob("pmqa-2562_2565_*"))
    expected = score(load_sheets(files))
    mine = explorer.project.result.query("framework == 'pmqa-2562' and year == 2565")
    assert mine.reset_index(drop=True)[expected.columns].equals(expected)


def test_a_whatif_workbook_among_the_sheets_is_skipped_with_a_line(explorer, tmp_path):
    from evalkit.report.explore.views import skipped_note

    whatif = explorer.whatif("pmqa-2562", 2565, "trat-cdd")
    scenario = Scenario({"3.1": 65.0})
    folder = _project(tmp_path / "p", {"a.csv": _band_sheet("a", 50)}, data="../data/*")
    (folder / "data" / "what-if.xlsx").write_bytes(
        whatif_bytes(whatif, scenario, whatif.run(scenario))
    )
    project = read_project(folder)
    assert list(project.units()["agency_id"]) == ["a"] and project.problems == ()
    html = skipped_note(project.sheets.skipped).body
    assert "data/what-if.xlsx" in html and str(tmp_path) not in html


def test_the_cheapest_path_of_a_rating_framework_sets_rating_levels(explorer):
    whatif = explorer.whatif("cdd-clean", 2564, "cdd-muang-trat")
    target = whatif.base.total + 5
    scenario, path = whatif.cheapest(Scenario(), target)
    levels = {float(r.value) for r in whatif.framework.ratings}
    assert scenario.values and set(scenario.values.values()) <= levels
    assert whatif.run(scenario).total == pytest.approx(path["total"].iloc[-1])
    assert whatif.run(scenario).total >= target
