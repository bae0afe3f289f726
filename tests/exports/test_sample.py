from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT, SAMPLE

from evalkit import Registry, score
from evalkit.analysis.poverty import classify, follow_up, load_households
from evalkit.cli.main import main
from evalkit.exports.sample import NOTICE, TRAT_AGENCIES, write_trat_sample
from evalkit.exports.sample_instruments import HOUSEHOLDS, POVERTY_UNIT, UNITS
from evalkit.runner.plan.params import load_params
from evalkit.runner.plan.planning import plan
from evalkit.scoring.precedence import unexplained
from evalkit.sheets.load import load_sheets

POVERTY = ROOT / "data" / "sample" / "poverty"
THAI = re.compile("[\u0e00-\u0e7f]")


def _sheets(folder: Path = SAMPLE):
    return load_sheets(sorted(folder.iterdir()))


def test_committed_sample_is_what_the_generator_writes(tmp_path):
    written = write_trat_sample(tmp_path / "trat")
    sheets = [p for p in written if p.parent.name == "trat"]
    assert sorted(p.name for p in sheets) == sorted(p.name for p in SAMPLE.iterdir())
    assert [p.relative_to(tmp_path) for p in written if p not in sheets] == [
        Path("poverty") / HOUSEHOLDS
    ]
    for path in written:
        if path.suffix == ".csv":
            committed = ROOT / "data" / "sample" / path.relative_to(tmp_path)
            assert path.read_bytes() == committed.read_bytes(), path.name
    ours, committed = _sheets(tmp_path / "trat"), _sheets()
    for form, frame in ours.frames().items():
        pd.testing.assert_frame_equal(
            frame.drop(columns=["source_file"]),
            committed.frames()[form].drop(columns=["source_file"]),
        )


def test_every_sample_file_says_it_is_illustrative():
    for path in [*SAMPLE.glob("*.csv"), POVERTY / HOUSEHOLDS]:
        assert NOTICE in path.read_text(encoding="utf-8").splitlines()[0]


def test_one_params_file_per_sample_agency():
    params = {load_params(p).agency_id: load_params(p) for p in (ROOT / "params").glob("*.yaml")}
    pmqa = {agency_id for agency_id, _, _ in TRAT_AGENCIES}
    assert set(params) == pmqa | {u.agency_id for u in UNITS}
    for p in params.values():
        assert "not official" in p.note
        assert "ผู้ประเมิน" not in p.note
        assert {path.name.split("_")[0] for path in p.data} == {p.framework}
    assert all(len(params[a].data) == 14 for a in pmqa)  # the committee's file among them
    assert params[POVERTY_UNIT].poverty == POVERTY / HOUSEHOLDS


def test_every_framework_gets_agency_reports_and_a_portfolio(tmp_path):
    jobs = plan(
        sorted((ROOT / "params").glob("*.yaml")),
        tmp_path,
        ROOT / "notebooks" / "agency_report.ipynb",
        ROOT / "notebooks" / "portfolio.ipynb",
        project=ROOT,
    )
    frameworks = {f.id for f in Registry()}
    assert {j.framework for j in jobs if j.kind == "agency"} == frameworks
    assert {j.framework for j in jobs if j.kind == "portfolio"} == frameworks
    assert len({j.href for j in jobs}) == len(jobs)


def test_assessors_are_generic_and_comments_thai():
    sheets = _sheets()
    generic = {"ผู้ประเมิน 1", "ผู้ประเมิน 2", "ผู้ประเมิน 3", "self", "consensus"}
    assert set(sheets.bands["assessor"]) == generic
    assert set(sheets.checks["assessor"]) <= generic
    bands = sheets.bands[sheets.bands["framework"] != "pmqa-2562"]
    assert set(bands["framework"]) == {u.framework for u in UNITS} - {"pmqa40-status"}
    panel = bands[bands["assessor"] != "self"]
    for column in ("strength", "improvement", "evidence"):
        written = panel[column].dropna()
        assert len(written) > len(panel) / 4 and written.map(THAI.search).all(), column


def test_the_committee_agrees_and_a_site_visit_changes_one_item_and_one_check():
    sheets = _sheets()
    agreed = sheets.bands[sheets.bands["stage"].isin(["consensus", "site-visit"])]
    assert set(agreed["framework"]) == {"pmqa-2562"} and set(agreed["year"]) == {2565}
    visit = agreed[agreed["stage"] == "site-visit"]
    assert visit[["agency_id", "item", "percent"]].values.tolist() == [["trat-cdd", "6.1", 85.0]]
    assert visit["reason"].map(THAI.search).all()
    result = score(sheets.where(agency_id="trat-cdd", year=2565))
    assert result.loc[result["key"] == "6.1", "percent"].tolist() == [85.0]
    checks = sheets.checks[sheets.checks["stage"] == "site-visit"]
    assert len(checks) == 1 and checks["met"].all() and checks["reason"].map(THAI.search).all()
    assert unexplained(sheets) == []  # every agreed value outside the range says why


def test_status_sample_covers_every_check_the_framework_file_holds():
    checks = _sheets().checks
    checks = checks[checks["assessor"] != "consensus"]  # the committee agrees on some checks
    wanted = Registry().get("pmqa40-status").check_table()
    for _, rows in checks.groupby("assessor", observed=True):
        assert sorted(rows["check"]) == sorted(wanted["check"])


def test_sample_households_have_some_to_follow_up_at_every_level():
    listed = follow_up(classify(load_households(POVERTY / HOUSEHOLDS)))
    assert set(listed["level"]) == {"B", "C", "F"}
    assert listed["still_failed"].str.len().gt(0).all()


@pytest.mark.slow
def test_sample_instruments_render_through_the_kernel(tmp_path):
    """A rating framework with the poverty follow-up, and the status assessment (checklist and
    indicators), each with its portfolio, rendered by the real kernel."""
    params = [ROOT / "params" / f"{unit}.yaml" for unit in (POVERTY_UNIT, "trat-province")]
    out = tmp_path / "reports"
    assert main(["run", *map(str, params), "--out", str(out), "--quiet", "--jobs", "2"]) == 0
    rating = (out / POVERTY_UNIT / "cdd-policy-2565" / "2565.html").read_text(encoding="utf-8")
    assert "สำนักงานพัฒนาชุมชนอำเภอบ่อไร่" in rating and 'id="poverty"' in rating
    assert "<b>C</b>: ยังไม่ผ่านเกณฑ์" in rating and "BR-0" in rating
    status = (out / "trat-province" / "pmqa40-status" / "2564.html").read_text(encoding="utf-8")
    assert 'id="indicators"' in status and "ร้อยละความพึงพอใจของผู้รับบริการ" in status
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index("cdd-policy-2565") < index.index("pmqa40-status")
    for page in ("portfolio/cdd-policy-2565-2565.html", "portfolio/pmqa40-status-2564.html"):
        assert (out / page).is_file()
