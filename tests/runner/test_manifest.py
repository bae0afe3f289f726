"""The run record: a journal appended one line per report, read back by the next run, and
manifest.json exported once at the end."""

from __future__ import annotations

import json
import time
from pathlib import Path

from evalkit.runner.manifest import JOURNAL, MANIFEST, Manifest


def _entry(n: int) -> dict:
    return {
        "status": "ok",
        "agency_id": f"district-{n:06d}",
        "agency_name": f"สำนักงานอำเภอที่ {n}",
        "hashes": {"data": f"{n:064x}", "notebook": "a" * 64},
        "points": 300.5 + n,
    }


def _per_entry(folder: Path, size: int) -> float:
    """Seconds per entry to record ``size`` results, close the run, and read them back."""
    best = float("inf")
    for attempt in range(3):
        out = folder / f"{size}-{attempt}"
        start = time.perf_counter()
        manifest = Manifest(out)
        for n in range(size):
            manifest.record(f"district-{n:06d}/2565.html", _entry(n))
        manifest.save()
        assert len(Manifest(out).reports) == size
        best = min(best, (time.perf_counter() - start) / size)
    return best


def test_recording_costs_the_same_per_report_in_a_large_run(tmp_path):
    small, large = _per_entry(tmp_path, 100), _per_entry(tmp_path, 10_000)
    # linear: the same cost per entry (a whole-file rewrite per report would make it 100x)
    assert large < 3 * small, (small, large)


def test_the_journal_survives_a_killed_run_and_the_export_is_written_once(tmp_path):
    manifest = Manifest(tmp_path)
    manifest.record("a/2565.html", _entry(1))
    manifest.record("b/2565.html", _entry(2))
    manifest.record("a/2565.html", {**_entry(1), "status": "failed"})
    assert not (tmp_path / MANIFEST).exists()  # nothing rewritten while the run goes on
    with open(tmp_path / JOURNAL, "a", encoding="utf-8") as journal:
        journal.write('["c/2565.html", {"status": "o')  # killed in the middle of a line
    again = Manifest(tmp_path)
    assert sorted(again.reports) == ["a/2565.html", "b/2565.html"]
    assert again.reports["a/2565.html"]["status"] == "failed"  # the last line wins
    again.record("c/2565.html", _entry(3))
    again.save()
    lines = (tmp_path / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)[0] for line in lines] == ["a/2565.html", "b/2565.html", "c/2565.html"]
    exported = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["reports"]
    assert exported == Manifest(tmp_path).reports
    assert exported["c/2565.html"]["agency_name"] == "สำนักงานอำเภอที่ 3"


def test_a_folder_from_before_the_journal_is_read_from_its_manifest(tmp_path):
    document = {"generated": "2022-11-21T17:03:00+0700", "reports": {"a/2565.html": _entry(1)}}
    (tmp_path / MANIFEST).write_text(json.dumps(document), encoding="utf-8")
    manifest = Manifest(tmp_path)
    assert manifest.is_current("a/2565.html", _entry(1)["hashes"], tmp_path / MANIFEST)
    manifest.save()  # the journal starts from what the manifest held
    assert Manifest(tmp_path).reports == document["reports"]
    assert (tmp_path / JOURNAL).is_file()
