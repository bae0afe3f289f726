"""Safe writes: a failed write leaves the old file, and only evalkit's temporaries are cleared."""

from __future__ import annotations

import pytest

from evalkit.core.files import atomic_path, remove_stale_temporaries, write_text_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "page.html"
    write_text_atomic(target, "good")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        assert tmp.name.startswith(".page.html.evalkit-") and tmp.suffix == ".tmp"
        raise RuntimeError("killed half-way")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_only_evalkit_temporaries_in_the_given_folders_are_removed(tmp_path):
    pages = tmp_path / "one"
    pages.mkdir()
    ours = pages / ".2565.html.evalkit-ab_9xyz1.tmp"
    theirs = [
        pages / ".2565.html.ab_9xyz1.tmp",
        pages / ".notes.tmp",
        pages / "x.evalkit-ab_9xyz1.tmp",
    ]
    below = pages / "deeper"
    below.mkdir()
    theirs.append(below / ".2565.html.evalkit-ab_9xyz1.tmp")  # not a folder given
    for path in [ours, *theirs]:
        path.write_text("?")
    assert remove_stale_temporaries([pages, tmp_path / "missing"]) == [ours]
    assert all(p.exists() for p in theirs)
