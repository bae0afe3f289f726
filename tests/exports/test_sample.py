from __future__ import annotations

import pandas as pd
from helpers import ROOT, SAMPLE

from evalkit.exports.sample import NOTICE, TRAT_AGENCIES, write_trat_sample
from evalkit.runner.params import load_params
from evalkit.sheets.load import load_sheets


def test_committed_sample_is_what_the_generator_writes(tmp_path):
    written = write_trat_sample(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in SAMPLE.iterdir())
    for path in written:
        if path.suffix == ".csv":
            assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name
    pd.testing.assert_frame_equal(
        load_sheets(sorted(written)).bands.drop(columns=["source_file"]),
        load_sheets(sorted(SAMPLE.iterdir())).bands.drop(columns=["source_file"]),
    )


def test_every_sample_file_says_it_is_illustrative():
    for path in SAMPLE.glob("*.csv"):
        assert NOTICE in path.read_text(encoding="utf-8").splitlines()[0]


def test_one_params_file_per_sample_agency():
    params = {load_params(p).agency_id: load_params(p) for p in (ROOT / "params").glob("*.yaml")}
    assert set(params) == {agency_id for agency_id, _, _ in TRAT_AGENCIES}
    for p in params.values():
        assert len(p.data) == 13
        assert "not official" in p.note
        assert "ผู้ประเมิน" not in p.note


def test_assessors_are_generic():
    frame = load_sheets(sorted(SAMPLE.iterdir())).bands
    assert set(frame["assessor"]) == {"ผู้ประเมิน 1", "ผู้ประเมิน 2", "ผู้ประเมิน 3", "self"}
