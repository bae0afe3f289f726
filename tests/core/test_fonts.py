"""The subset fonts are made once and cached; the cache never changes a page nor fails one."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import fontTools
import pytest

from evalkit.core import fonts
from evalkit.core.fonts import cache_key, font_file, sarabun_woff, subset_font
from evalkit.core.page import stylesheet

WEIGHTS = ("Regular", "Bold")


@pytest.fixture(scope="module")
def fresh() -> dict[str, bytes]:
    """Both weights subset in memory, without the cache."""
    return {weight: subset_font(font_file(weight).read_bytes()) for weight in WEIGHTS}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(folder))
    stylesheet.cache_clear()
    yield folder
    stylesheet.cache_clear()


def cached_files(folder):
    return sorted((folder / "fonts").glob("sarabun-*.woff.cache"))


def stylesheet_in_a_new_process() -> tuple[str, bool]:
    """The stylesheet's digest as a fresh process makes it, and whether it subset a font."""
    code = (
        "import hashlib, sys\n"
        "from evalkit.core.page import stylesheet\n"
        "print(hashlib.sha256(stylesheet().encode()).hexdigest())\n"
        "print('fontTools.subset' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout.split()
    return out[0], out[1] == "True"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_cached_fonts_are_the_freshly_subset_ones(cache, fresh):
    first = stylesheet()
    assert len(cached_files(cache)) == 2
    stylesheet.cache_clear()
    assert stylesheet() == first
    for weight in WEIGHTS:
        assert sarabun_woff(weight) == fresh[weight]
        assert fresh[weight].startswith(b"wOFF")


def test_a_second_process_reads_the_cache_instead_of_subsetting(cache):
    made, subset = stylesheet_in_a_new_process()
    assert subset
    files = cached_files(cache)
    written = [path.stat().st_mtime_ns for path in files]

    read, subset = stylesheet_in_a_new_process()
    assert read == made
    assert not subset
    assert [path.stat().st_mtime_ns for path in files] == written
    assert digest(stylesheet()) == made


def test_a_cache_that_cannot_be_written_gives_the_same_stylesheet(tmp_path, monkeypatch, fresh):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(blocker))
    for weight in WEIGHTS:
        assert sarabun_woff(weight) == fresh[weight]
    assert blocker.read_text() == "a file where the cache folder should be"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_cache_folder_gives_the_same_stylesheet(tmp_path, monkeypatch, fresh):
    folder = tmp_path / "cache"
    (folder / "fonts").mkdir(parents=True)
    (folder / "fonts").chmod(0o500)
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(folder))
    try:
        assert sarabun_woff("Regular") == fresh["Regular"]
        assert list((folder / "fonts").iterdir()) == []
    finally:
        (folder / "fonts").chmod(0o700)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-100] + bytes(100), id="zeroed-tail"),
        pytest.param(lambda data: data.split(b"\n", 2)[2], id="foreign-woff"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: "ไม่ใช่ฟอนต์".encode(), id="text"),
    ],
)
def test_a_damaged_or_foreign_cache_file_is_made_again(cache, fresh, damage):
    expected = stylesheet()
    for path in cached_files(cache):
        path.write_bytes(damage(path.read_bytes()))
    stylesheet.cache_clear()
    assert stylesheet() == expected
    for weight in WEIGHTS:
        assert sarabun_woff(weight) == fresh[weight]
    assert [path.read_bytes().startswith(fonts.MAGIC) for path in cached_files(cache)] == [
        True,
        True,
    ]


def test_the_key_follows_what_decides_the_bytes(monkeypatch):
    source = font_file("Regular").read_bytes()
    key = cache_key(source)
    assert cache_key(source) == key
    assert cache_key(font_file("Bold").read_bytes()) != key
    monkeypatch.setattr(fontTools, "version", "0.0.1")
    assert cache_key(source) != key
    monkeypatch.undo()
    monkeypatch.setattr(fonts, "FONT_UNICODES", fonts.FONT_UNICODES[:-1])
    assert cache_key(source) != key
    monkeypatch.undo()
    monkeypatch.setattr(fonts, "OPTIONS", {**fonts.OPTIONS, "flavor": "woff2"})
    assert cache_key(source) != key
